package zapi.grouproutes.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackagedRoutesTest {

    @TempDir
    Path dir;

    /** What Camel's wildcard routes/<folder>/*.camel.yaml would match in a jar, and nothing else. */
    @Test
    void aJarsRouteFilesAreNamedOneByOne() throws IOException {
        Path jar = dir.resolve("app.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            for (String name : List.of("routes/", "routes/sources/", "routes/sources/inbox-files.camel.yaml", "routes/sinks/csv-report.camel.yaml",
                    "routes/sinks/notes.txt", "routes/sinks/old/csv.camel.yaml", "routes/elsewhere/x.camel.yaml", "routes/top.camel.yaml",
                    "config/application.properties", "zapi/grouproutes/app/ZapiGroupRoutes.class")) {
                out.putNextEntry(new JarEntry(name));
                out.closeEntry();
            }
        }

        assertThat(PackagedRoutes.listed(jar, List.of("sources", "sinks")))
                .containsExactly("routes/sinks/csv-report.camel.yaml", "routes/sources/inbox-files.camel.yaml");
    }

    /** In the tests the classes are a folder (target/classes): it holds the same route files as routes/. */
    @Test
    void theClassesFolderHoldsEveryRouteFileOfTheCheckout() throws IOException {
        List<String> checkout;
        try (Stream<Path> files = Files.walk(Path.of("routes"), 2)) {
            checkout = files.filter(Files::isRegularFile).map(p -> p.toString().replace('\\', '/')).filter(n -> n.endsWith(".camel.yaml"))
                    .sorted().toList();
        }

        String pattern = ZapiGroupRoutes.routesIncludePattern(false);

        assertThat(checkout).hasSizeGreaterThan(10);
        assertThat(pattern.split(",")).containsExactlyElementsOf(checkout.stream().map(n -> "classpath:" + n).toList());
    }
}
