package zapi.grouproutes.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;

import zapi.grouproutes.SettingSources;

/**
 * The settings one container runs with, in the product's order (SettingSources): the container's environment
 * variables, then the config/application.properties of its working directory, which is the ConfigMap mounted
 * at {@code <workingDir>/config} when there is one and otherwise the copy packaged in the jar (the product reads
 * one file, never both). Secrets the pod takes from a Secret by envFrom are left unset (their values are the
 * operator's). {@code {{key}}} placeholders are resolved, as Camel does.
 */
final class PodSettings {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^}]+)}}");

    private final Map<String, String> environment = new HashMap<>();
    private final Properties file;
    /** Which file the container reads: the ConfigMap's name, or "packaged". */
    final String fileSource;

    PodSettings(Container container, PodSpec pod, Manifests manifests) {
        for (EnvVar variable : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
            environment.put(variable.getName(), variable.getValue() == null ? "" : variable.getValue());
        }
        String configFolder = container.getWorkingDir() + "/config";
        String configMap = null;
        for (VolumeMount mount : container.getVolumeMounts()) {
            if (mount.getMountPath().equals(configFolder)) {
                Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
                configMap = volume.getConfigMap() == null ? null : volume.getConfigMap().getName();
            }
        }
        if (configMap == null) {
            file = load(read(Path.of("config", "application.properties")));
            fileSource = "packaged";
        } else {
            ConfigMap map = manifests.one(ConfigMap.class, configMap);
            String text = map.getData().get("application.properties");
            if (text == null) {
                throw new AssertionError("ConfigMap " + configMap + " mounted at " + configFolder + " has no application.properties");
            }
            file = load(text);
            fileSource = configMap;
        }
    }

    /** The value in force, placeholders resolved; null when unset or blank. */
    String get(String key) {
        String variable = SettingSources.environmentVariable(key);
        String value = environment.containsKey(variable) ? environment.get(variable) : file.getProperty(key);
        if (value == null || value.isBlank()) {
            return null;
        }
        Matcher placeholder = PLACEHOLDER.matcher(value.strip());
        StringBuilder resolved = new StringBuilder();
        while (placeholder.find()) {
            String inner = get(placeholder.group(1));
            placeholder.appendReplacement(resolved, Matcher.quoteReplacement(inner == null ? "" : inner));
        }
        placeholder.appendTail(resolved);
        return resolved.toString();
    }

    String get(String key, String fallback) {
        String value = get(key);
        return value == null ? fallback : value;
    }

    Properties file() {
        return file;
    }

    static Properties load(String text) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(path.toString(), e);
        }
    }
}
