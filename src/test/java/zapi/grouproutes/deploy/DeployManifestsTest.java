package zapi.grouproutes.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static zapi.grouproutes.deploy.ManifestChecks.DEPLOY;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;

/**
 * deploy/kubernetes without a cluster: each overlay rendered (Kustomize), parsed into the Kubernetes API's classes
 * with unknown fields refused (Manifests), and held to the product's settings (ManifestChecks). The second half
 * breaks one manifest at a time in a copy and sees the check that guards it fail.
 */
class DeployManifestsTest {

    static Stream<String> overlays() {
        return Stream.of("base", "overlays/h2-single", "overlays/postgres-kafka", "overlays/postgres-kafka+keda");
    }

    /** An overlay's manifests; "+keda" adds the optional KEDA component the overlay lists commented out. */
    static Manifests render(Path deploy, String overlay) {
        String[] parts = overlay.split("\\+");
        Path[] extra = Arrays.stream(parts).skip(1).map(c -> deploy.resolve("components/" + c + "-autoscaling")).toArray(Path[]::new);
        return Manifests.render(deploy.resolve(parts[0]), extra);
    }

    static Secret exampleSecret(Path deploy) {
        List<Secret> secrets = Manifests.parse(Kustomize.readAll(deploy.resolve("secret.example.yaml"))).all(Secret.class);
        assertThat(secrets).hasSize(1);
        return secrets.get(0);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyWorkloadMatchesTheProductsSettings(String overlay) {
        Manifests manifests = render(DEPLOY, overlay);
        ManifestChecks.probes(manifests);
        ManifestChecks.services(manifests);
        ManifestChecks.environment(manifests);
        ManifestChecks.secrets(manifests, exampleSecret(DEPLOY));
        ManifestChecks.security(manifests);
        ManifestChecks.resources(manifests);
        ManifestChecks.writableVolumes(manifests);
        ManifestChecks.settingsAccepted(manifests);
        ManifestChecks.configMapKeys(manifests);
    }

    @Test
    void theKafkaOverlayRunsWithinThePartitionsAndItsCronJobRunsOneTick() {
        for (String overlay : List.of("overlays/postgres-kafka", "overlays/postgres-kafka+keda")) {
            Manifests manifests = render(DEPLOY, overlay);
            ManifestChecks.replicasWithinPartitions(manifests);
            ManifestChecks.cronJobRunsOneTick(manifests, entrypoint());
        }
        assertThat(render(DEPLOY, "overlays/postgres-kafka+keda").scaledObjects()).hasSize(1);
        assertThat(render(DEPLOY, "overlays/postgres-kafka").scaledObjects()).as("KEDA is an option").isEmpty();
    }

    @Test
    void theH2OverlayIsOneStatefulPodWithAVolumeAndNoDeployment() {
        Manifests manifests = render(DEPLOY, "overlays/h2-single");
        assertThat(manifests.all(Deployment.class)).isEmpty();
        assertThat(manifests.all(CronJob.class)).as("no CronJob beside an H2 file").isEmpty();
        StatefulSet set = manifests.one(StatefulSet.class, "zapi-group-routes");
        assertThat(set.getSpec().getReplicas()).isEqualTo(1);
        assertThat(set.getSpec().getVolumeClaimTemplates()).extracting(c -> c.getMetadata().getName()).containsExactly("data");
        var container = set.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(new PodSettings(container, set.getSpec().getTemplate().getSpec(), manifests).get("zapi.db.url")).startsWith("jdbc:h2:file:");
    }

    @Test
    void theImageRunsTheLauncherAsNonRootWithAnArchiveMadeByItsOwnJre() throws IOException {
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        String runtime = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
        assertThat(dockerfile.split("\nFROM ")).as("stages").hasSizeGreaterThanOrEqualTo(2);
        assertThat(runtime).as("the runtime stage's base").containsPattern("FROM \\S+-jre");
        assertThat(runtime).as("the archive is written in the runtime stage").contains("-XX:ArchiveClassesAtExit=/app/zapi-group-routes.jsa");
        Matcher user = Pattern.compile("\nUSER (\\d+)").matcher(runtime);
        assertThat(user.find()).as("a USER").isTrue();
        assertThat(Integer.parseInt(user.group(1))).as("non-root").isNotZero();
        for (String overlay : List.of("overlays/h2-single", "overlays/postgres-kafka")) {
            render(DEPLOY, overlay).podTemplates().forEach((workload, template) -> {
                var container = template.getSpec().getContainers().get(0);
                assertThat(container.getCommand()).as(workload + " command").isEqualTo(entrypoint());
                assertThat(template.getSpec().getSecurityContext().getRunAsUser()).as(workload + " user").isEqualTo(Long.parseLong(user.group(1)));
            });
        }
    }

    /** The Dockerfile's ENTRYPOINT, in exec form. */
    static List<String> entrypoint() {
        Matcher entrypoint = Pattern.compile("\nENTRYPOINT \\[\"([^\"]+)\"]").matcher(PodSettings.read(Path.of("Dockerfile")));
        assertThat(entrypoint.find()).as("ENTRYPOINT [\"...\"]").isTrue();
        return List.of(entrypoint.group(1));
    }

    // --- each check fails on a manifest broken for it -------------------------------------------------------

    @TempDir
    Path copy;

    /** A copy of deploy/kubernetes with one text replaced once in one file (which must contain it). */
    private Path broken(String file, String from, String to) throws IOException {
        Path tree = Files.createTempDirectory(copy, "deploy");
        try (Stream<Path> files = Files.walk(DEPLOY)) {
            for (Path source : files.filter(Files::isRegularFile).toList()) {
                Path target = tree.resolve(DEPLOY.relativize(source).toString());
                Files.createDirectories(target.getParent());
                Files.copy(source, target);
            }
        }
        Path target = tree.resolve(file);
        String text = Files.readString(target);
        assertThat(text).as("the text to break in " + file).contains(from);
        Files.writeString(target, text.replaceFirst(Pattern.quote(from), Matcher.quoteReplacement(to)));
        return tree;
    }

    private void failsOn(String overlay, Path deploy, Consumer<Manifests> check, String message) {
        assertThatThrownBy(() -> check.accept(render(deploy, overlay))).hasMessageContaining(message);
    }

    @Test
    void aProbeOnAnotherPathOrPortFails() throws IOException {
        failsOn("base", broken("base/deployment.yaml", "path: /observe/health/ready", "path: /observe/health/readiness"),
                ManifestChecks::probes, "readiness probe path");
    }

    @Test
    void aManagementPortThatIsNotTheSettingFails() throws IOException {
        failsOn("overlays/h2-single", broken("overlays/h2-single/statefulset.yaml", "containerPort: 8081", "containerPort: 9090"),
                ManifestChecks::probes, "liveness probe port");
    }

    @Test
    void aSettingOverriddenInTheConfigMapMovesTheProbesToo() throws IOException {
        failsOn("base", broken("base/config/application.properties", "zapi.observe.port = 8081", "zapi.observe.port = 9091"),
                ManifestChecks::probes, "probe port");
    }

    @Test
    void aServiceOnAnotherPortOrScrapePathFails() throws IOException {
        failsOn("base", broken("base/service-api.yaml", "targetPort: http", "targetPort: management"), ManifestChecks::services,
                "the API Service's target port");
        failsOn("base", broken("base/service-metrics.yaml", "prometheus.io/path: /observe/metrics", "prometheus.io/path: /metrics"),
                ManifestChecks::services, "scrape path");
    }

    @Test
    void anEnvironmentVariableTheProductDoesNotReadFails() throws IOException {
        failsOn("overlays/postgres-kafka", broken("overlays/postgres-kafka/deployment-kafka.yaml", "ZAPI_KAFKA_BROKERS", "ZAPI_KAFKA_BROKER"),
                ManifestChecks::environment, "ZAPI_KAFKA_BROKER: neither a setting");
    }

    @Test
    void aSecretKeyTheProductDoesNotReadFails() throws IOException {
        Path deploy = broken("secret.example.yaml", "ZAPI_CLIENT_TOKEN:", "ZAPI_SECURITY_TOKEN:");
        assertThatThrownBy(() -> ManifestChecks.secrets(render(deploy, "base"), exampleSecret(deploy)))
                .hasMessageContaining("ZAPI_SECURITY_TOKEN is no setting's variable");
    }

    @Test
    void aCommittedSecretValueFails() throws IOException {
        Path deploy = broken("secret.example.yaml", "ZAPI_TOKEN: \"\"", "ZAPI_TOKEN: \"abc123\"");
        assertThatThrownBy(() -> ManifestChecks.secrets(render(deploy, "base"), exampleSecret(deploy)))
                .hasMessageContaining("ZAPI_TOKEN has a value");
    }

    @Test
    void aWritableRootFilesystemFails() throws IOException {
        failsOn("overlays/postgres-kafka", broken("components/schedule-cronjob/cronjob.yaml", "readOnlyRootFilesystem: true",
                "readOnlyRootFilesystem: false"), ManifestChecks::security, "readOnlyRootFilesystem");
    }

    @Test
    void aHeapThatIgnoresTheMemoryLimitFails() throws IOException {
        failsOn("base", broken("base/deployment.yaml", "-XX:MaxRAMPercentage=60", "-Xmx2g"), ManifestChecks::resources, "MaxRAMPercentage");
    }

    @Test
    void aFolderOutsideTheWritableVolumesFails() throws IOException {
        failsOn("base", broken("base/config/application.properties", "zapi.report-dir = data/reports", "zapi.report-dir = /var/reports"),
                ManifestChecks::writableVolumes, "writes /var/reports");
    }

    @Test
    void aCronJobThatAllowsOverlapOrRunsAServiceFails() throws IOException {
        failsOn("overlays/postgres-kafka", broken("components/schedule-cronjob/cronjob.yaml", "concurrencyPolicy: Forbid",
                "concurrencyPolicy: Allow"), m -> ManifestChecks.cronJobRunsOneTick(m, entrypoint()), "concurrencyPolicy");
        failsOn("overlays/postgres-kafka", broken("components/schedule-cronjob/cronjob.yaml", "value: batch", "value: service"),
                m -> ManifestChecks.cronJobRunsOneTick(m, entrypoint()), "zapi.mode");
    }

    @Test
    void moreReplicasThanPartitionsFails() throws IOException {
        failsOn("overlays/postgres-kafka", broken("overlays/postgres-kafka/deployment-kafka.yaml", "replicas: 3", "replicas: 9"),
                ManifestChecks::replicasWithinPartitions, "replicas against the topic's 8 partitions");
        failsOn("overlays/postgres-kafka+keda", broken("components/keda-autoscaling/scaled-object.yaml", "maxReplicaCount: 8",
                "maxReplicaCount: 12"), ManifestChecks::replicasWithinPartitions, "maxReplicaCount");
    }

    @Test
    void anImageSetByKustomizeEditReachesEveryWorkload() throws IOException {
        Path deploy = broken("overlays/postgres-kafka/kustomization.yaml", "patches:", """
                images:
                  - name: zapi-group-routes
                    newName: registry.example.com/zapi-group-routes
                    newTag: 0.1.1
                patches:""");
        assertThat(render(deploy, "overlays/postgres-kafka").podTemplates().values())
                .allSatisfy(t -> assertThat(t.getSpec().getContainers().get(0).getImage()).isEqualTo("registry.example.com/zapi-group-routes:0.1.1"));
    }

    @Test
    void aKustomizationFieldTheRendererDoesNotKnowIsRefused() throws IOException {
        Path deploy = broken("overlays/postgres-kafka/kustomization.yaml", "patches:", "namePrefix: prod-\npatches:");
        assertThatThrownBy(() -> render(deploy, "overlays/postgres-kafka")).hasMessageContaining("'namePrefix' is not rendered");
    }

    @Test
    void anUnknownFieldIsRefused() throws IOException {
        Path deploy = broken("base/deployment.yaml", "readinessProbe:", "readinesProbe:");
        assertThatThrownBy(() -> render(deploy, "base")).hasMessageContaining("unknown field(s) [readinesProbe]");
    }

    @Test
    void aSettingTheProductRefusesFails() throws IOException {
        failsOn("overlays/postgres-kafka", broken("overlays/postgres-kafka/deployment-kafka.yaml", "value: cluster", "value: global"),
                ManifestChecks::settingsAccepted, "zapi.rate.scope");
    }

    @Test
    void aConfigMapMissingASettingFails() throws IOException {
        failsOn("base", broken("base/config/application.properties", "zapi.progress-interval = 30\n", ""),
                ManifestChecks::configMapKeys, "keys of ConfigMap zapi-config");
    }
}
