package zapi.grouproutes.kamelet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The rules apache/camel-kamelets' validator (script/validator/validator.go) holds its catalog to, for the
 * Kamelets of kamelets/, so that Kaoto and Camel K read them as they read the catalog's; and this product's
 * own rule that no secret goes into an endpoint URI.
 */
class KameletCatalogRulesTest {

    /** The validator's placeholder pattern: {{name}}, {{?name}}, {{name:default}}. */
    static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{[?]?([A-Za-z0-9-._]+)(?::[^}]*)?}}");
    static final String CREDENTIALS = "urn:camel:group:credentials";

    static Stream<Path> kamelets() throws IOException {
        List<Path> files;
        try (Stream<Path> listed = Files.list(Path.of("kamelets"))) {
            files = listed.filter(file -> file.getFileName().toString().endsWith(".kamelet.yaml")).sorted().toList();
        }
        assertThat(files).extracting(file -> file.getFileName().toString()).containsExactly(
                "zapi-group-invitation-link-action.kamelet.yaml",
                "zapi-group-metadata-action.kamelet.yaml",
                "zapi-redefine-invitation-link-action.kamelet.yaml");
        return files.stream();
    }

    @ParameterizedTest
    @MethodSource("kamelets")
    void isAnActionKameletNamedAsItsFile(Path file) throws IOException {
        Map<String, Object> kamelet = read(file);
        Map<String, Object> metadata = map(kamelet, "metadata");
        assertThat(kamelet).containsEntry("apiVersion", "camel.apache.org/v1").containsEntry("kind", "Kamelet");
        assertThat(metadata.get("name") + ".kamelet.yaml").isEqualTo(file.getFileName().toString());
        assertThat(map(metadata, "labels")).containsEntry("camel.apache.org/kamelet.type", "action");
        assertThat((String) metadata.get("name")).endsWith("-action");
        assertThat(map(metadata, "annotations")).containsKeys("camel.apache.org/kamelet.icon", "camel.apache.org/catalog.version",
                "camel.apache.org/provider", "camel.apache.org/kamelet.support.level");
        Map<String, Object> definition = map(map(kamelet, "spec"), "definition");
        assertThat((String) definition.get("title")).endsWith(" Action");
        assertThat(definition).containsEntry("type", "object").containsKey("description");
    }

    @ParameterizedTest
    @MethodSource("kamelets")
    @SuppressWarnings("unchecked")
    void describesEveryPropertyAndMarksTheSecretsAsCredentials(Path file) throws IOException {
        Map<String, Object> definition = map(map(read(file), "spec"), "definition");
        Map<String, Object> properties = map(definition, "properties");
        assertThat(properties).containsKeys((String[]) ((List<?>) definition.get("required")).toArray(String[]::new));
        properties.forEach((name, value) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> property = (Map<String, Object>) value;
            assertThat(property).as(name).containsKeys("title", "description", "type");
            assertThat((String) property.get("title")).as(name).doesNotStartWith("The ").doesNotStartWith("A ")
                    .matches("([A-Z][A-Za-z-]*)( [A-Z][A-Za-z-]*)*");
            if ("password".equals(property.get("format"))) {
                assertThat((List<Object>) property.get("x-descriptors")).as(name).containsExactly(CREDENTIALS);
            }
        });
        assertThat(map(properties, "token")).containsEntry("format", "password");
        assertThat(map(properties, "clientToken")).containsEntry("format", "password");
    }

    /** Every property is used by the template and every placeholder it uses is a property or one of its beans. */
    @ParameterizedTest
    @MethodSource("kamelets")
    void usesEveryPropertyAndNoOther(Path file) throws IOException {
        Map<String, Object> spec = map(read(file), "spec");
        Map<String, Object> template = map(spec, "template");
        Set<String> declared = new HashSet<>(map(map(spec, "definition"), "properties").keySet());
        for (Object bean : (List<?>) template.getOrDefault("beans", List.of())) {
            declared.add((String) ((Map<?, ?>) bean).get("name"));
        }
        Set<String> used = new HashSet<>();
        Matcher placeholders = PLACEHOLDER.matcher(String.valueOf(template));
        while (placeholders.find()) {
            used.add(placeholders.group(1));
        }
        assertThat(used).isEqualTo(declared);
    }

    @ParameterizedTest
    @MethodSource("kamelets")
    @SuppressWarnings("unchecked")
    void declaresItsTypesAndDependencies(Path file) throws IOException {
        Map<String, Object> spec = map(read(file), "spec");
        assertThat(map(map(spec, "types"), "in")).containsKey("mediaType");
        assertThat(map(map(spec, "types"), "out")).containsEntry("mediaType", "application/json");
        assertThat((List<Object>) spec.get("dependencies")).containsExactlyInAnyOrder("camel:core", "camel:http", "camel:kamelet");
        assertThat(map(map(spec, "template"), "from")).containsEntry("uri", "kamelet:source");
    }

    /** Camel logs and lists endpoint URIs and does not mask path segments: a secret goes in a header, never in a URI. */
    @ParameterizedTest
    @MethodSource("kamelets")
    void putsNoSecretInAnEndpointUri(Path file) throws IOException {
        Map<String, Object> spec = map(read(file), "spec");
        List<String> uris = new java.util.ArrayList<>();
        collectUris(spec.get("template"), uris);
        assertThat(uris).contains("kamelet:source", "{{baseUrl}}")
                .noneMatch(uri -> uri.contains("{{token}}") || uri.contains("{{?token}}") || uri.contains("clientToken")
                        || uri.contains("instanceId") || uri.contains("/instances/"));
    }

    /** The value of every {@code uri} key and of every {@code to}'s parameters. */
    private static void collectUris(Object node, List<String> uris) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                if ("uri".equals(key) && value instanceof String uri) {
                    uris.add(uri);
                } else if ("parameters".equals(key) && value instanceof Map<?, ?> parameters) {
                    parameters.values().forEach(parameter -> uris.add(String.valueOf(parameter)));
                } else {
                    collectUris(value, uris);
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collectUris(item, uris));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(Path file) throws IOException {
        return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object child = parent.get(key);
        assertThat(child).as(key).isInstanceOf(Map.class);
        return (Map<String, Object>) child;
    }
}
