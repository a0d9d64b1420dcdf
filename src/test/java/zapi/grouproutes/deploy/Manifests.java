package zapi.grouproutes.deploy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * Rendered manifests as the Kubernetes API's own classes (fabric8 kubernetes-model). Those classes keep a field
 * they do not know in an {@code additionalProperties} map instead of failing, so every object of the tree is
 * walked and any such field is refused with its path: a misspelt {@code readinesProbe} fails here.
 */
record Manifests(List<HasMetadata> resources, List<Map<String, Object>> scaledObjects) {

    /** apiVersion/kind → the class. */
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of("apps/v1/Deployment", Deployment.class,
            "apps/v1/StatefulSet", StatefulSet.class, "v1/Service", Service.class, "v1/ConfigMap", ConfigMap.class, "v1/Secret",
            Secret.class, "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class, "batch/v1/CronJob", CronJob.class);
    /**
     * KEDA's ScaledObject has no class in the model, and the model's generic resource cannot be used here: it starts
     * a Jackson 3 mapper, which needs jackson-annotations 2.20 or later, and Camel 4.18.0 brings 2.19.4. It stays a map.
     */
    private static final String SCALED_OBJECT = "keda.sh/v1alpha1/ScaledObject";

    private static final ObjectMapper JSON = new ObjectMapper();

    static Manifests render(Path kustomization, Path... extraComponents) {
        return parse(Kustomize.build(kustomization, List.of(extraComponents)));
    }

    static Manifests parse(List<Map<String, Object>> documents) {
        List<HasMetadata> resources = new ArrayList<>();
        List<Map<String, Object>> scaledObjects = new ArrayList<>();
        for (Map<String, Object> document : documents) {
            String type = document.get("apiVersion") + "/" + document.get("kind");
            if (type.equals(SCALED_OBJECT)) {
                scaledObjects.add(document);
                continue;
            }
            Class<? extends HasMetadata> kind = KINDS.get(type);
            if (kind == null) {
                throw new IllegalArgumentException(Kustomize.name(document) + ": " + type + " is not a kind these manifests use");
            }
            // the model's classes carry Jackson 2's annotations (com.fasterxml), which the project's mapper reads
            HasMetadata resource = JSON.convertValue(document, kind);
            refuseUnknownFields(resource, type + " " + Kustomize.name(document));
            resources.add(resource);
        }
        return new Manifests(resources, scaledObjects);
    }

    <T extends HasMetadata> List<T> all(Class<T> kind) {
        return resources.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " " + name));
    }

    <T extends HasMetadata> Optional<T> find(Class<T> kind, String name) {
        return all(kind).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst();
    }

    /** Every pod template: the Deployments', the StatefulSets' and the CronJobs', with the workload's name. */
    Map<String, PodTemplateSpec> podTemplates() {
        Map<String, PodTemplateSpec> templates = new java.util.LinkedHashMap<>();
        all(Deployment.class).forEach(d -> templates.put("Deployment " + d.getMetadata().getName(), d.getSpec().getTemplate()));
        all(StatefulSet.class).forEach(s -> templates.put("StatefulSet " + s.getMetadata().getName(), s.getSpec().getTemplate()));
        all(CronJob.class).forEach(c -> templates.put("CronJob " + c.getMetadata().getName(),
                c.getSpec().getJobTemplate().getSpec().getTemplate()));
        return templates;
    }

    private static void refuseUnknownFields(Object node, String path) {
        if (node == null || !node.getClass().getName().startsWith("io.fabric8.")) {
            if (node instanceof Collection<?> items) {
                int i = 0;
                for (Object item : items) {
                    refuseUnknownFields(item, path + "[" + i++ + "]");
                }
            } else if (node instanceof Map<?, ?> map) {
                map.forEach((key, value) -> refuseUnknownFields(value, path + "." + key));
            }
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers()) || !getter.getName().startsWith("get")
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException(getter.toString(), e);
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> unknown && !unknown.isEmpty()) {
                    throw new IllegalArgumentException(path + ": unknown field(s) " + unknown.keySet());
                }
            } else {
                refuseUnknownFields(value, path + "." + field(getter.getName()));
            }
        }
    }

    private static String field(String getter) {
        return Character.toLowerCase(getter.charAt(3)) + getter.substring(4);
    }
}
