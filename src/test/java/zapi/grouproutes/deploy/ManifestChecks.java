package zapi.grouproutes.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;

import zapi.grouproutes.SettingRule;
import zapi.grouproutes.SettingSources;
import zapi.grouproutes.SettingsCheck;
import zapi.grouproutes.secret.LoggedSecrets;

/**
 * What DeployManifestsTest holds the manifests of deploy/kubernetes to, each against the product's own
 * settings (config/application.properties, SettingsCheck's registry, the launcher bin/zapi-group-routes), never
 * against numbers written in the test. Each check fails with an AssertionError naming the workload.
 */
final class ManifestChecks {

    static final Path DEPLOY = Path.of("deploy", "kubernetes");
    static final Path LAUNCHER = Path.of("bin", "zapi-group-routes");
    /** Path settings the product only reads (a keystore, a list file); every other one is a folder it writes. */
    private static final Set<String> READ_ONLY_PATHS = Set.of("zapi.http.tls.keystore");

    private ManifestChecks() {
    }

    /** Liveness and startup on {health-path}/live, readiness on {health-path}/ready, at the management port in force. */
    static void probes(Manifests manifests) {
        forServiceContainers(manifests, (workload, container, settings) -> {
            String health = settings.get("camel.management.health-path");
            int port = Integer.parseInt(settings.get("camel.management.port"));
            assertProbe(workload + " liveness", container.getLivenessProbe(), container, health + "/live", port);
            assertProbe(workload + " readiness", container.getReadinessProbe(), container, health + "/ready", port);
            assertProbe(workload + " startup", container.getStartupProbe(), container, health + "/live", port);
            // a start waits for the database before the endpoint answers: the startup probe must outlast that wait
            long window = (long) container.getStartupProbe().getPeriodSeconds() * container.getStartupProbe().getFailureThreshold();
            assertThat(window).as("%s startup probe window (s) against zapi.db.startup-wait-seconds", workload)
                    .isGreaterThan(Long.parseLong(settings.get("zapi.db.startup-wait-seconds", "300")));
        });
    }

    private static void assertProbe(String which, Probe probe, Container container, String path, int port) {
        assertThat(probe).as(which + " probe").isNotNull();
        HTTPGetAction get = probe.getHttpGet();
        assertThat(get).as(which + " probe is an HTTP GET").isNotNull();
        assertThat(get.getPath()).as(which + " probe path").isEqualTo(path);
        assertThat(containerPort(container, get.getPort())).as(which + " probe port").isEqualTo(port);
    }

    /** The API Service reaches zapi.http.port, the metrics Service the management port and path. */
    static void services(Manifests manifests) {
        forServiceContainers(manifests, (workload, container, settings) -> {
            Service api = manifests.one(Service.class, "zapi-group-routes-api");
            Service metrics = manifests.one(Service.class, "zapi-group-routes-metrics");
            assertThat(containerPort(container, only(api).getTargetPort())).as("%s: the API Service's target port", workload)
                    .isEqualTo(Integer.parseInt(settings.get("camel.server.port")));
            int management = Integer.parseInt(settings.get("camel.management.port"));
            assertThat(containerPort(container, only(metrics).getTargetPort())).as("%s: the metrics Service's target port", workload)
                    .isEqualTo(management);
            Map<String, String> scrape = metrics.getMetadata().getAnnotations();
            assertThat(scrape.get("prometheus.io/path")).as("metrics Service scrape path").isEqualTo(settings.get("camel.metrics.path"));
            assertThat(scrape.get("prometheus.io/port")).as("metrics Service scrape port").isEqualTo(String.valueOf(management));
        });
    }

    private static ServicePort only(Service service) {
        assertThat(service.getSpec().getPorts()).as("ports of Service " + service.getMetadata().getName()).hasSize(1);
        return service.getSpec().getPorts().get(0);
    }

    /** Every environment variable set is a setting's (SettingsCheck's registry) or one the launcher reads. */
    static void environment(Manifests manifests) {
        Set<String> known = settingVariables();
        known.addAll(launcherVariables());
        forContainers(manifests, (workload, container, pod) -> {
            for (var variable : container.getEnv()) {
                assertThat(known).as("%s sets %s: neither a setting (config/application.properties, SettingsCheck.RULES) nor a variable of %s", workload,
                        variable.getName(), LAUNCHER).contains(variable.getName());
                if (secretVariables().contains(variable.getName())) {
                    assertThat(variable.getValue()).as("%s: the secret %s is written in the manifest", workload, variable.getName())
                            .isNullOrEmpty();
                }
            }
        });
    }

    /** Every key of the Secret the pods read is a setting's variable; the example has no value; the ConfigMap none either. */
    static void secrets(Manifests manifests, Secret example) {
        Set<String> settings = settingVariables();
        Map<String, String> keys = example.getStringData();
        assertThat(keys).as("keys of %s", example.getMetadata().getName()).isNotEmpty();
        keys.forEach((key, value) -> {
            assertThat(settings).as("Secret key %s is no setting's variable", key).contains(key);
            assertThat(value).as("the example Secret's %s has a value", key).isEmpty();
        });
        forContainers(manifests, (workload, container, pod) -> {
            for (EnvFromSource from : container.getEnvFrom()) {
                assertThat(from.getSecretRef()).as("%s: envFrom only from the Secret", workload).isNotNull();
                assertThat(from.getSecretRef().getName()).as("%s: envFrom Secret", workload).isEqualTo(example.getMetadata().getName());
            }
        });
        for (ConfigMap map : manifests.all(ConfigMap.class)) {
            var file = PodSettings.load(map.getData().get("application.properties"));
            for (String key : LoggedSecrets.KEYS) {
                assertThat(file.getProperty(key, "")).as("ConfigMap %s holds the secret %s", map.getMetadata().getName(), key).isBlank();
            }
        }
    }

    /** Non-root, no privilege escalation, no capabilities, a read-only root filesystem. */
    static void security(Manifests manifests) {
        forContainers(manifests, (workload, container, pod) -> {
            var podContext = pod.getSecurityContext();
            assertThat(podContext.getRunAsNonRoot()).as("%s runAsNonRoot", workload).isTrue();
            assertThat(podContext.getRunAsUser()).as("%s runAsUser", workload).isNotNull().isNotZero();
            var context = container.getSecurityContext();
            assertThat(context.getReadOnlyRootFilesystem()).as("%s readOnlyRootFilesystem", workload).isTrue();
            assertThat(context.getAllowPrivilegeEscalation()).as("%s allowPrivilegeEscalation", workload).isFalse();
            assertThat(context.getCapabilities().getDrop()).as("%s drops capabilities", workload).containsExactly("ALL");
        });
    }

    /**
     * Requests and limits of CPU and memory on every container, the memory request equal to its limit (no
     * overcommit of a JVM's heap), and a heap sized from the limit (-XX:MaxRAMPercentage, at most 75: thread
     * stacks, metaspace and buffers live outside it).
     */
    static void resources(Manifests manifests) {
        forContainers(manifests, (workload, container, pod) -> {
            var resources = container.getResources();
            for (String kind : List.of("cpu", "memory")) {
                assertThat(resources.getRequests()).as("%s requests", workload).containsKey(kind);
                assertThat(resources.getLimits()).as("%s limits", workload).containsKey(kind);
            }
            assertThat(resources.getRequests().get("memory")).as("%s memory request against its limit", workload)
                    .isEqualTo(resources.getLimits().get("memory"));
            String javaOpts = container.getEnv().stream().filter(v -> v.getName().equals("JAVA_OPTS")).map(v -> v.getValue()).findFirst()
                    .orElse("");
            Matcher percentage = Pattern.compile("-XX:MaxRAMPercentage=(\\d+(\\.\\d+)?)").matcher(javaOpts);
            assertThat(percentage.find()).as("%s JAVA_OPTS sizes the heap from the memory limit (-XX:MaxRAMPercentage)", workload).isTrue();
            assertThat(Double.parseDouble(percentage.group(1))).as("%s -XX:MaxRAMPercentage", workload).isBetween(25.0, 75.0);
            assertThat(javaOpts).as("%s JAVA_OPTS: a fixed heap would ignore the limit", workload).doesNotContain("-Xmx");
        });
    }

    /**
     * The writable volumes are exactly where the product writes: each folder setting in force (and an H2 file's
     * folder) lies under one, /tmp is java.io.tmpdir, and config/ is mounted read-only.
     */
    static void writableVolumes(Manifests manifests) {
        forContainers(manifests, (workload, container, pod) -> {
            PodSettings settings = new PodSettings(container, pod, manifests);
            Path workingDir = Path.of(container.getWorkingDir());
            List<Path> written = new ArrayList<>();
            for (SettingRule rule : SettingsCheck.RULES.values()) {
                if (rule.needs().equals("a folder or file path") && !READ_ONLY_PATHS.contains(rule.key())) {
                    String folder = settings.get(rule.key(), rule.example());
                    written.add(workingDir.resolve(folder).normalize());
                }
            }
            Matcher h2 = Pattern.compile("jdbc:h2:file:([^;]+)").matcher(settings.get("zapi.db.url", ""));
            if (h2.find()) {
                written.add(workingDir.resolve(h2.group(1)).normalize().getParent());
            }
            Path tmp = Path.of("/tmp");
            written.add(tmp);
            List<Path> writable = container.getVolumeMounts().stream().filter(m -> !Boolean.TRUE.equals(m.getReadOnly()))
                    .map(m -> Path.of(m.getMountPath())).toList();
            for (Path folder : written) {
                assertThat(writable).as("%s writes %s: no writable volume holds it", workload, folder).anyMatch(folder::startsWith);
            }
            for (Path mount : writable) {
                assertThat(written).as("%s: writable volume %s, where the product writes nothing", workload, mount)
                        .anyMatch(folder -> folder.startsWith(mount));
            }
            VolumeMount config = container.getVolumeMounts().stream().filter(m -> Path.of(m.getMountPath())
                    .equals(workingDir.resolve("config"))).findFirst().orElseThrow(() -> new AssertionError(workload + ": no config/"));
            assertThat(config.getReadOnly()).as("%s: config/ read-only", workload).isTrue();
            assertThat(settings.fileSource).as("%s: config/application.properties from the ConfigMap", workload).isNotEqualTo("packaged");
        });
    }

    /** The product's own startup check passes on every container's settings (the secrets left to the Secret). */
    static void settingsAccepted(Manifests manifests) {
        forContainers(manifests, (workload, container, pod) -> {
            PodSettings settings = new PodSettings(container, pod, manifests);
            SettingsCheck.check(settings::get);
        });
    }

    /** The CronJob runs one schedule tick in batch mode through the image's launcher, never two at once. */
    static void cronJobRunsOneTick(Manifests manifests, List<String> entrypoint) {
        List<CronJob> jobs = manifests.all(CronJob.class);
        assertThat(jobs).as("CronJobs").isNotEmpty();
        for (CronJob job : jobs) {
            String name = "CronJob " + job.getMetadata().getName();
            assertThat(job.getSpec().getConcurrencyPolicy()).as(name + " concurrencyPolicy").isEqualTo("Forbid");
            PodSpec pod = job.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
            assertThat(pod.getRestartPolicy()).as(name + " restartPolicy").isEqualTo("Never");
            Container container = pod.getContainers().get(0);
            List<String> command = new ArrayList<>(container.getCommand() == null ? entrypoint : container.getCommand());
            command.addAll(container.getArgs() == null ? List.of() : container.getArgs());
            assertThat(command).as(name + " command: the launcher, no arguments").isEqualTo(entrypoint);
            PodSettings settings = new PodSettings(container, pod, manifests);
            assertThat(settings.get("zapi.mode")).as(name + " zapi.mode").isEqualTo("batch");
            assertThat(settings.get("zapi.sources")).as(name + " zapi.sources").isEqualTo("schedule");
            assertThat(names(settings.get("zapi.sinks", "csv,jdbc"))).as(name + " zapi.sinks (a tick needs jdbc)").contains("jdbc");
            assertThat(settings.get("zapi.db.url", "")).as(name + " a database shared with the services, not an H2 file")
                    .doesNotStartWith("jdbc:h2:");
        }
    }

    /** The Kafka Deployment's replicas (and KEDA's ceiling) never exceed the partitions its annotation records. */
    static void replicasWithinPartitions(Manifests manifests) {
        Deployment deployment = manifests.one(Deployment.class, "zapi-group-routes");
        String annotation = deployment.getMetadata().getAnnotations() == null ? null
                : deployment.getMetadata().getAnnotations().get("zapi-group-routes/kafka-partitions");
        assertThat(annotation).as("the Deployment's zapi-group-routes/kafka-partitions").isNotNull();
        int partitions = Integer.parseInt(annotation);
        assertThat(deployment.getSpec().getReplicas()).as("replicas against the topic's %d partitions", partitions)
                .isBetween(1, partitions);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        PodSettings settings = new PodSettings(pod.getContainers().get(0), pod, manifests);
        assertThat(names(settings.get("zapi.sources"))).as("the Kafka overlay's sources").contains("kafka");
        for (Map<String, Object> scaler : manifests.scaledObjects()) {
            Map<?, ?> spec = (Map<?, ?>) scaler.get("spec");
            assertThat(((Map<?, ?>) spec.get("scaleTargetRef")).get("name")).as("ScaledObject target").isEqualTo("zapi-group-routes");
            assertThat(((Number) spec.get("maxReplicaCount")).intValue()).as("ScaledObject maxReplicaCount against the partitions")
                    .isEqualTo(partitions);
            Map<?, ?> trigger = (Map<?, ?>) ((List<?>) spec.get("triggers")).get(0);
            Map<?, ?> kafka = (Map<?, ?>) trigger.get("metadata");
            assertThat(trigger.get("type")).as("ScaledObject trigger").isEqualTo("kafka");
            assertThat(kafka.get("topic")).as("ScaledObject topic").isEqualTo(settings.get("zapi.kafka.topic"));
            assertThat(kafka.get("consumerGroup")).as("ScaledObject consumer group").isEqualTo(settings.get("zapi.kafka.group-id"));
            assertThat(kafka.get("bootstrapServers")).as("ScaledObject brokers").isEqualTo(settings.get("zapi.kafka.brokers"));
            assertThat(kafka.get("allowIdleConsumers")).as("ScaledObject allowIdleConsumers").isEqualTo("false");
        }
    }

    /** The ConfigMap's file has every key of config/application.properties and no other. */
    static void configMapKeys(Manifests manifests) {
        Set<String> product = productKeys();
        for (ConfigMap map : manifests.all(ConfigMap.class)) {
            Set<String> keys = new TreeSet<>(PodSettings.load(map.getData().get("application.properties")).stringPropertyNames());
            assertThat(keys).as("keys of ConfigMap %s against config/application.properties", map.getMetadata().getName())
                    .isEqualTo(product);
        }
    }

    /** The environment variables of every setting: the keys of config/application.properties and of SettingsCheck's registry. */
    static Set<String> settingVariables() {
        Set<String> keys = new TreeSet<>(SettingsCheck.RULES.keySet());
        keys.addAll(productKeys());
        return keys.stream().map(SettingSources::environmentVariable).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> productKeys() {
        return new TreeSet<>(PodSettings.load(PodSettings.read(Path.of("config", "application.properties"))).stringPropertyNames());
    }

    private static Set<String> secretVariables() {
        return LoggedSecrets.KEYS.stream().map(SettingSources::environmentVariable).collect(Collectors.toSet());
    }

    /** The upper-case variables bin/zapi-group-routes reads (JAVA_OPTS, ZAPI_JAR, ...). */
    static Set<String> launcherVariables() {
        Matcher variable = Pattern.compile("\\$\\{?([A-Z][A-Z0-9_]*)").matcher(PodSettings.read(LAUNCHER));
        Set<String> names = new TreeSet<>();
        while (variable.find()) {
            names.add(variable.group(1));
        }
        return names;
    }

    private static List<String> names(String list) {
        return list == null ? List.of() : Arrays.stream(list.split(",")).map(String::strip).toList();
    }

    private static int containerPort(Container container, IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return container.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName())).map(ContainerPort::getContainerPort)
                .findFirst().orElseThrow(() -> new AssertionError("no container port named " + port.getStrVal()));
    }

    interface ContainerCheck {
        void check(String workload, Container container, PodSpec pod);
    }

    interface SettingsCheckOf {
        void check(String workload, Container container, PodSettings settings);
    }

    private static void forContainers(Manifests manifests, ContainerCheck check) {
        assertThat(manifests.podTemplates()).as("workloads").isNotEmpty();
        for (Map.Entry<String, PodTemplateSpec> workload : manifests.podTemplates().entrySet()) {
            PodSpec pod = workload.getValue().getSpec();
            for (Container container : pod.getContainers()) {
                check.check(workload.getKey() + "/" + container.getName(), container, pod);
            }
        }
    }

    /** The containers of the Deployments and StatefulSets: services, with probes and Services in front. */
    private static void forServiceContainers(Manifests manifests, SettingsCheckOf check) {
        List<PodTemplateSpec> services = new ArrayList<>();
        manifests.all(Deployment.class).forEach(d -> services.add(d.getSpec().getTemplate()));
        manifests.all(StatefulSet.class).forEach(s -> services.add(s.getSpec().getTemplate()));
        assertThat(services).as("Deployments and StatefulSets").isNotEmpty();
        for (PodTemplateSpec template : services) {
            PodSpec pod = template.getSpec();
            for (Container container : pod.getContainers()) {
                PodSettings settings = new PodSettings(container, pod, manifests);
                assertThat(settings.get("zapi.mode", "service")).as("%s zapi.mode", container.getName()).isEqualTo("service");
                check.check(template.getMetadata().getLabels() + "/" + container.getName(), container, settings);
            }
        }
    }
}
