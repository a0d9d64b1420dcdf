package zapi.grouproutes.app;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The route files packaged with the application, each named on its own ({@code classpath:routes/sources/inbox-files.camel.yaml,...}).
 * <p>
 * Camel resolves a wildcard on the classpath by reading the whole jar through a {@code JarInputStream}, inflating
 * every entry on the way: in the 67 MB shaded jar that is over a second per pattern, and Camel Main resolves each
 * folder's pattern twice (modelines and beans first, then the routes), which made a start without a {@code routes/}
 * folder 12 s slower than one with it. The jar's central directory lists the same names in milliseconds, and a named
 * resource is read directly.
 */
final class PackagedRoutes {

    private PackagedRoutes() {
    }

    /** The packaged route files of these folders as Camel's include pattern, or null when they cannot be listed. */
    static String includePattern(List<String> folders) {
        try {
            Path source = Path.of(ZapiGroupRoutes.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            List<String> names = listed(source, folders);
            return names.isEmpty() ? null : names.stream().map(name -> "classpath:" + name).collect(Collectors.joining(","));
        } catch (IOException | URISyntaxException | RuntimeException e) {
            // an unusual class loader or packaging: Camel's own classpath scan still finds them, only slower
            return null;
        }
    }

    /**
     * The names ({@code routes/<folder>/<file>.camel.yaml}) of the route files in a jar or a classes folder, sorted:
     * only those directly in one of the folders, as the wildcard {@code routes/<folder>/*.camel.yaml} would match.
     */
    static List<String> listed(Path source, List<String> folders) throws IOException {
        if (Files.isRegularFile(source)) {
            try (JarFile jar = new JarFile(source.toFile())) {
                return jar.stream().map(JarEntry::getName).filter(name -> isRouteFile(name, folders)).sorted().toList();
            }
        }
        Path routes = source.resolve("routes");
        if (!Files.isDirectory(routes)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(routes, 2)) {
            return files.filter(Files::isRegularFile).map(file -> source.relativize(file).toString().replace('\\', '/'))
                    .filter(name -> isRouteFile(name, folders)).sorted().toList();
        }
    }

    private static boolean isRouteFile(String name, List<String> folders) {
        String[] parts = name.split("/");
        return parts.length == 3 && parts[0].equals("routes") && folders.contains(parts[1]) && parts[2].endsWith(".camel.yaml");
    }
}
