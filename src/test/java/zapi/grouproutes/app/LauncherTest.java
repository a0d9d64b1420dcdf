package zapi.grouproutes.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/zapi-group-routes, the command users run: it passes the class-data archive beside the jar when the archive
 * fits, starts without it in silence when it does not, and says in words what is missing. Run on a small jar of
 * one class (the product's own jar is built after the tests; mvn verify runs the launcher on it with
 * -Xshare:on, see pom.xml), so each case is a JVM start of a fraction of a second.
 */
class LauncherTest {

    private static final Path LAUNCHER = Path.of("bin", "zapi-group-routes").toAbsolutePath();
    private static final String JAVA_HOME = System.getProperty("java.home");

    @TempDir
    Path dir;

    private Path jar;

    /** What the small jar runs. */
    public static final class Hello {
        public static void main(String[] args) {
            System.out.println("hello " + String.join(" ", args));
        }
    }

    private record Run(int exit, String output) {
    }

    @BeforeEach
    void smallJar() throws IOException {
        jar = dir.resolve("app").resolve("zapi-group-routes.jar");
        Files.createDirectories(jar.getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Hello.class.getName());
        String entry = Hello.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest);
                InputStream classFile = Hello.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            classFile.transferTo(out);
            out.closeEntry();
        }
    }

    @Test
    void theArchiveBesideTheJarIsUsedWithoutAFlag() throws Exception {
        writeArchive(JAVA_HOME);

        Run run = launch(JAVA_HOME, "-Xlog:class+load", "a", "b c");

        assertThat(run.exit()).isZero();
        assertThat(run.output()).contains("hello a b c");
        assertThat(loadLine(run, Hello.class.getName())).contains("source: shared objects file");
    }

    @Test
    void anArchiveThatNoLongerFitsTheJarIsPassedOverInSilence() throws Exception {
        writeArchive(JAVA_HOME);
        // the jar rebuilt (or copied) after its archive was written: the JVM refuses the archive
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 60_000));

        Run run = launch(JAVA_HOME, "-Xlog:class+load");

        assertThat(run.exit()).isZero();
        assertThat(loadLine(run, Hello.class.getName())).doesNotContain("shared objects file");
        assertThat(run.output()).doesNotContain("[warning]").doesNotContain("[error").doesNotContain("cds");
    }

    @Test
    void anArchiveOfAnotherJdkIsPassedOverInSilence() throws Exception {
        Assumptions.assumeTrue(Runtime.version().feature() < 19, "JDK 19 and later get an archive of their own, not the shipped one");
        Path other = jdkOtherThanThis().orElse(null);
        Assumptions.assumeTrue(other != null, "no second JDK under /usr/lib/jvm to write an archive the running one cannot use");
        writeArchive(other.toString());

        Run run = launch(JAVA_HOME, "");

        assertThat(run.exit()).isZero();
        assertThat(run.output()).isEqualTo("hello \n");
    }

    @Test
    void aJdkThatCanWriteItsOwnArchiveGetsOneBesideTheJar() throws Exception {
        Path newer = jdkAtLeast(19).orElse(null);
        Assumptions.assumeTrue(newer != null, "no JDK 19 or later under /usr/lib/jvm (AutoCreateSharedArchive)");
        int feature = feature(newer);

        Run first = launch(newer.toString(), "");
        Path own = jar.resolveSibling("zapi-group-routes-jdk" + feature + ".jsa");
        Run second = launch(newer.toString(), "-Xlog:class+load");

        assertThat(first.output()).isEqualTo("hello \n");
        assertThat(own).isRegularFile();
        assertThat(loadLine(second, Hello.class.getName())).contains("source: shared objects file");
    }

    @Test
    void withoutArchiveOrWithItTurnedOffTheJarRunsAsWithJavaDashJar() throws Exception {
        Run plain = launch(JAVA_HOME, "-Xlog:class+load");
        writeArchive(JAVA_HOME);
        Run off = launch(JAVA_HOME, "-Xlog:class+load", Map.of("ZAPI_CLASS_DATA", "off"), "x");

        assertThat(plain.exit()).isZero();
        assertThat(loadLine(plain, Hello.class.getName())).doesNotContain("shared objects file");
        assertThat(off.output()).contains("hello x");
        assertThat(loadLine(off, Hello.class.getName())).doesNotContain("shared objects file");
    }

    @Test
    void aMissingJarIsNamedWithHowToBuildIt() throws Exception {
        Run run = launch(JAVA_HOME, "", Map.of("ZAPI_JAR", dir.resolve("nowhere.jar").toString()));

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).startsWith("zapi-group-routes cannot start: no jar at " + dir.resolve("nowhere.jar"))
                .contains("mvn -B -q -DskipTests package").contains("ZAPI_JAR");
    }

    @Test
    void aMissingJavaIsNamed() throws Exception {
        Run run = launch(dir.resolve("no-jdk").toString(), "");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).contains("cannot start: no java").contains("JAVA_HOME");
    }

    /** The archive `mvn package` writes for the product, made here the same way for the small jar. */
    private void writeArchive(String javaHome) throws Exception {
        Process archive = new ProcessBuilder(javaHome + "/bin/java", "-Xlog:cds*=error",
                "-XX:ArchiveClassesAtExit=" + jar.resolveSibling("zapi-group-routes.jsa"), "-jar", jar.toString())
                .redirectErrorStream(true).start();
        String output = new String(archive.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(archive.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(archive.exitValue()).as(output).isZero();
        assertThat(jar.resolveSibling("zapi-group-routes.jsa")).isRegularFile();
    }

    private Run launch(String javaHome, String javaOpts, String... args) throws Exception {
        return launch(javaHome, javaOpts, Map.of(), args);
    }

    private Run launch(String javaHome, String javaOpts, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", javaHome);
        builder.environment().put("JAVA_OPTS", javaOpts);
        builder.environment().put("ZAPI_JAR", jar.toString());
        builder.environment().remove("ZAPI_CLASS_DATA");
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }

    /** The class-loading line of one class, from -Xlog:class+load output. */
    private static String loadLine(Run run, String className) {
        return run.output().lines().filter(line -> line.contains(" " + className + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no load line for " + className + " in:\n" + run.output()));
    }

    private static Optional<Path> jdkAtLeast(int feature) throws IOException {
        return jdks().filter(home -> feature(home) >= feature).findFirst();
    }

    private static Optional<Path> jdkOtherThanThis() throws IOException {
        int running = Runtime.version().feature();
        return jdks().filter(home -> feature(home) != running).findFirst();
    }

    private static Stream<Path> jdks() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Stream.empty();
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(home -> Files.isExecutable(home.resolve("bin/java")) && Files.isRegularFile(home.resolve("release")))
                    .sorted().toList().stream();
        }
    }

    private static int feature(Path home) {
        try {
            return Files.readAllLines(home.resolve("release")).stream().filter(line -> line.startsWith("JAVA_VERSION=\""))
                    .map(line -> line.substring("JAVA_VERSION=\"".length()).split("[.\"]")[0]).mapToInt(Integer::parseInt)
                    .findFirst().orElse(0);
        } catch (IOException e) {
            return 0;
        }
    }
}
