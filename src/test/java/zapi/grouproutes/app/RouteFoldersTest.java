package zapi.grouproutes.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

class RouteFoldersTest {

    /** A folder added under routes/ but not named in ROUTE_FOLDERS would be skipped when running from the jar. */
    @Test
    void everyRouteFolderIsLoadedFromTheJarToo() throws IOException {
        try (Stream<Path> folders = Files.list(Path.of("routes"))) {
            assertThat(folders.filter(Files::isDirectory).map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(ZapiGroupRoutes.ROUTE_FOLDERS);
        }
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            assertThat(files.filter(Files::isRegularFile)).as("route files must sit in a folder").isEmpty();
        }
    }
}
