package zapi.grouproutes.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The part of {@code kustomize build} that deploy/kubernetes uses, in Java, so the test needs no binary and no
 * cluster: {@code resources} (files and folders with a kustomization.yaml), {@code components}, {@code patches}
 * (strategic merge by the Kubernetes merge keys, and {@code $patch: delete}) and a {@code configMapGenerator} of
 * files, and {@code images} (what {@code kustomize edit set image} writes). Any other field of a kustomization is refused rather than ignored, so a manifest this cannot render
 * honestly fails the test instead of passing unseen. Unlike kustomize it adds no hash suffix to generated names.
 */
final class Kustomize {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "resources", "components", "patches", "configMapGenerator", "images");
    /** The lists Kubernetes merges item by item (their patchMergeKey); every other list is replaced whole. */
    private static final Map<String, String> MERGE_KEYS = Map.of("containers", "name", "initContainers", "name", "env", "name",
            "volumes", "name", "volumeMounts", "mountPath", "ports", "containerPort");

    private Kustomize() {
    }

    /** The documents of the kustomization in {@code dir}, with these components added to its own. */
    static List<Map<String, Object>> build(Path dir, List<Path> extraComponents) {
        Map<String, Object> kustomization = readOne(dir.resolve("kustomization.yaml"));
        for (String field : kustomization.keySet()) {
            if (!SUPPORTED.contains(field)) {
                throw new IllegalArgumentException(dir + "/kustomization.yaml: '" + field + "' is not rendered by this test's Kustomize");
            }
        }
        List<Map<String, Object>> documents = new ArrayList<>();
        for (String resource : strings(kustomization, "resources")) {
            Path path = dir.resolve(resource).normalize();
            documents.addAll(Files.isDirectory(path) ? build(path, List.of()) : readAll(path));
        }
        for (Map<String, Object> generator : maps(kustomization, "configMapGenerator")) {
            documents.add(configMap(dir, generator));
        }
        List<Path> components = new ArrayList<>(strings(kustomization, "components").stream().map(c -> dir.resolve(c).normalize()).toList());
        components.addAll(extraComponents);
        for (Path component : components) {
            documents.addAll(build(component, List.of()));
        }
        for (Map<String, Object> patch : maps(kustomization, "patches")) {
            Map<String, Object> body = patch.containsKey("path") ? readOne(dir.resolve((String) patch.get("path")))
                    : readText((String) patch.get("patch"));
            apply(documents, body, dir);
        }
        for (Map<String, Object> image : maps(kustomization, "images")) {
            documents.forEach(document -> setImage(document, image));
        }
        return documents;
    }

    /** Every {@code image:} whose name (without tag or digest) is the entry's name gets its newName, newTag or digest. */
    @SuppressWarnings("unchecked")
    private static void setImage(Object node, Map<String, Object> image) {
        if (node instanceof Map<?, ?> map) {
            Object current = map.get("image");
            if (current instanceof String reference && reference.split("[:@]")[0].equals(image.get("name"))) {
                String name = (String) image.getOrDefault("newName", image.get("name"));
                String suffix = image.containsKey("digest") ? "@" + image.get("digest")
                        : image.containsKey("newTag") ? ":" + image.get("newTag") : reference.substring(reference.split("[:@]")[0].length());
                ((Map<String, Object>) map).put("image", name + suffix);
            }
            map.values().forEach(value -> setImage(value, image));
        } else if (node instanceof List<?> list) {
            list.forEach(item -> setImage(item, image));
        }
    }

    private static void apply(List<Map<String, Object>> documents, Map<String, Object> patch, Path dir) {
        Map<String, Object> target = documents.stream().filter(d -> sameResource(d, patch)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(dir + ": a patch names no resource: " + patch.get("kind") + " "
                        + name(patch)));
        if ("delete".equals(patch.get("$patch"))) {
            documents.remove(target);
        } else {
            merge(target, patch);
        }
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> into, Map<String, Object> patch) {
        patch.forEach((key, value) -> {
            Object current = into.get(key);
            if (value instanceof Map<?, ?> map && current instanceof Map<?, ?> existing) {
                merge((Map<String, Object>) existing, (Map<String, Object>) map);
            } else if (value instanceof List<?> list && current instanceof List<?> existing && MERGE_KEYS.containsKey(key)) {
                into.put(key, mergeList((List<Object>) existing, (List<Object>) list, MERGE_KEYS.get(key)));
            } else {
                into.put(key, value);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static List<Object> mergeList(List<Object> into, List<Object> patch, String mergeKey) {
        List<Object> merged = new ArrayList<>(into);
        for (Object item : patch) {
            Map<String, Object> patchItem = (Map<String, Object>) item;
            merged.stream().map(existing -> (Map<String, Object>) existing)
                    .filter(existing -> existing.get(mergeKey).equals(patchItem.get(mergeKey))).findFirst()
                    .ifPresentOrElse(existing -> merge(existing, patchItem), () -> merged.add(patchItem));
        }
        return merged;
    }

    private static Map<String, Object> configMap(Path dir, Map<String, Object> generator) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (String file : strings(generator, "files")) {
            Path path = dir.resolve(file).normalize();
            if (!path.startsWith(dir)) {
                // kustomize's default load restrictor refuses files outside the kustomization's folder
                throw new IllegalArgumentException(dir + ": configMapGenerator file outside the kustomization: " + file);
            }
            data.put(path.getFileName().toString(), read(path));
        }
        Map<String, Object> configMap = new LinkedHashMap<>();
        configMap.put("apiVersion", "v1");
        configMap.put("kind", "ConfigMap");
        configMap.put("metadata", new LinkedHashMap<>(Map.of("name", generator.get("name"))));
        configMap.put("data", data);
        return configMap;
    }

    static boolean sameResource(Map<String, Object> a, Map<String, Object> b) {
        return a.get("kind").equals(b.get("kind")) && name(a).equals(name(b));
    }

    @SuppressWarnings("unchecked")
    static String name(Map<String, Object> document) {
        return (String) ((Map<String, Object>) document.get("metadata")).get("name");
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Map<String, Object> map, String key) {
        return (List<String>) map.getOrDefault(key, List.of());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Map<String, Object> map, String key) {
        return (List<Map<String, Object>>) map.getOrDefault(key, List.of());
    }

    static List<Map<String, Object>> readAll(Path file) {
        try (MappingIterator<Map<String, Object>> documents = YAML.readerFor(new TypeReference<Map<String, Object>>() { })
                .readValues(file.toFile())) {
            return new ArrayList<>(documents.readAll().stream().filter(d -> d != null && !d.isEmpty()).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
    }

    private static Map<String, Object> readOne(Path file) {
        List<Map<String, Object>> documents = readAll(file);
        if (documents.size() != 1) {
            throw new IllegalArgumentException(file + ": one document expected, found " + documents.size());
        }
        return documents.get(0);
    }

    private static Map<String, Object> readText(String yaml) {
        try {
            return YAML.readValue(yaml, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
    }
}
