package zapi.grouproutes.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Keeps the documentation true to the product: every setting of config/application.properties is documented
 * in docs/configuration.md and nothing documented there is missing from it, and every relative link of
 * README.md and docs/*.md reaches a file, and a heading when it names one (GitHub's anchors).
 */
class DocsTest {

    private static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    private static final Pattern PROPERTY = Pattern.compile("^([a-z][a-z0-9_.-]*[a-z0-9])\\s*=");
    /** docs/configuration.md's convention: a setting is a table row whose first cell is the key in backticks. */
    private static final Pattern SETTING_ROW = Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\|");
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*#*\\s*$");
    private static final Pattern CODE_SPAN = Pattern.compile("`[^`]*`");

    @Test
    void everySettingIsDocumentedAndEveryDocumentedSettingExists() throws IOException {
        Set<String> properties = new LinkedHashSet<>();
        for (String line : Files.readAllLines(ROOT.resolve("config/application.properties"), StandardCharsets.UTF_8)) {
            Matcher m = PROPERTY.matcher(line);
            if (m.find()) {
                properties.add(m.group(1));
            }
        }
        Set<String> documented = new LinkedHashSet<>();
        for (String line : prose(ROOT.resolve("docs/configuration.md"))) {
            Matcher m = SETTING_ROW.matcher(line);
            if (m.find() && !m.group(1).equals("key")) {
                documented.add(m.group(1));
            }
        }
        assertThat(properties).as("keys of config/application.properties").isNotEmpty();
        Set<String> unknown = new LinkedHashSet<>(documented);
        unknown.removeAll(properties);
        Set<String> undocumented = new LinkedHashSet<>(properties);
        undocumented.removeAll(documented);
        assertThat(unknown).as("settings documented in docs/configuration.md that config/application.properties does not have")
                .isEmpty();
        assertThat(undocumented).as("keys of config/application.properties missing from docs/configuration.md's tables")
                .isEmpty();
    }

    @Test
    void everyRelativeLinkReachesAFileAndEveryAnchorAHeading() throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        assertThat(pages).hasSizeGreaterThan(1);
        Map<Path, Set<String>> anchors = new HashMap<>();
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path page : pages) {
            for (String line : prose(page)) {
                Matcher m = LINK.matcher(CODE_SPAN.matcher(line).replaceAll("code"));
                while (m.find()) {
                    String target = m.group(1);
                    if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                        continue; // https:, mailto: and the like
                    }
                    checked++;
                    int hash = target.indexOf('#');
                    String file = hash < 0 ? target : target.substring(0, hash);
                    String anchor = hash < 0 ? null : target.substring(hash + 1);
                    Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                    String where = ROOT.relativize(page) + ": (" + target + ")";
                    if (!Files.exists(resolved)) {
                        broken.add(where + " names a file that does not exist");
                    } else if (anchor != null) {
                        if (!resolved.toString().endsWith(".md")) {
                            broken.add(where + " has an anchor into a file that is not Markdown");
                        } else if (!anchors.computeIfAbsent(resolved, DocsTest::headingAnchors).contains(anchor)) {
                            broken.add(where + " names no heading of " + ROOT.relativize(resolved));
                        }
                    }
                }
            }
        }
        assertThat(checked).as("relative links checked").isGreaterThan(10);
        assertThat(broken).as("broken links").isEmpty();
    }

    @Test
    void anchorsFollowGitHubSlugRules() {
        assertThat(slug("Z-API requests (camel-http)")).isEqualTo("z-api-requests-camel-http");
        assertThat(slug("Health, metrics and progress")).isEqualTo("health-metrics-and-progress");
        assertThat(slug("The `topic` sink: CloudEvents")).isEqualTo("the-topic-sink-cloudevents");
        assertThat(slug("Start-up and the class-data archive")).isEqualTo("start-up-and-the-class-data-archive");
        assertThat(slug("Workarounds for Camel 4.18.0")).isEqualTo("workarounds-for-camel-4180");
    }

    /** The anchors GitHub gives a page's headings: the slug, then -1, -2 ... for repeats. */
    private static Set<String> headingAnchors(Path page) {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        try {
            for (String line : prose(page)) {
                Matcher m = HEADING.matcher(line);
                if (m.matches()) {
                    String base = slug(m.group(1));
                    int n = seen.merge(base, 1, Integer::sum) - 1;
                    anchors.add(n == 0 ? base : base + "-" + n);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return anchors;
    }

    /** GitHub's heading slug: lower case, link and code marks dropped, punctuation removed, spaces to hyphens. */
    static String slug(String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1").toLowerCase(Locale.ROOT);
        return text.replaceAll("[^\\p{L}\\p{N}\\p{Mn}\\p{Pc}\\- ]", "").replace(' ', '-');
    }

    /** The page's lines outside fenced code blocks. */
    private static List<String> prose(Path page) throws IOException {
        List<String> lines = new ArrayList<>();
        boolean fenced = false;
        for (String line : Files.readAllLines(page, StandardCharsets.UTF_8)) {
            if (line.stripLeading().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (!fenced) {
                lines.add(line);
            }
        }
        return lines;
    }
}
