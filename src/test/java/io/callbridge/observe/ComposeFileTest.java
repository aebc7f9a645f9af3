package io.callbridge.observe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No Docker engine runs these tests, so the compose file is held to what a start would need: every file it mounts
 * exists, Prometheus's config (as mounted) finds the alert rules and scrapes Callbridge's metrics, Grafana's
 * provisioning finds the dashboard and Prometheus, and images and ports are the documented ones.
 */
class ComposeFileTest {

    static final Path DOCKER = Path.of("docker");
    static final Path COMPOSE = DOCKER.resolve("compose.yaml");

    @Test
    void everyMountedFileExistsInTheRepository() throws IOException {
        List<String> missing = new ArrayList<>();
        int mounts = 0;
        for (Map.Entry<String, Object> service : services().entrySet()) {
            for (Mount mount : mounts(service.getKey())) {
                mounts++;
                if (!Files.exists(mount.host())) {
                    missing.add(service.getKey() + ": " + mount.host());
                }
            }
        }
        assertThat(mounts).isGreaterThanOrEqualTo(6);
        assertThat(missing).isEmpty();
    }

    @Test
    void imagesAndPortsAreTheDocumentedOnes() throws IOException {
        assertThat(service("kafka").get("image")).asString().startsWith("apache/kafka:");
        assertThat(service("callbridge").get("image")).isEqualTo("callbridge:local");
        assertThat(service("callbridge")).as("the image is built by Maven (Jib), not by compose").doesNotContainKey("build");
        assertThat(service("prometheus").get("image")).asString().startsWith("prom/prometheus:");
        assertThat(service("grafana").get("image")).asString().startsWith("grafana/grafana:");
        assertThat(service("callbridge").get("ports")).isEqualTo(List.of("8080:8080"));
        assertThat(service("prometheus").get("ports")).isEqualTo(List.of("9090:9090"));
        assertThat(service("grafana").get("ports")).isEqualTo(List.of("3000:3000"));
        assertThat(service("kafka")).doesNotContainKey("ports");
    }

    @Test
    void callbridgeFindsKafkaReadsTheIntegratorsFilesAndProbesItsLiveness() throws IOException {
        Map<String, Object> callbridge = service("callbridge");
        Map<String, Object> kafkaEnv = AlertRulesTest.map(service("kafka"), "environment");
        assertThat(kafkaEnv.get("KAFKA_PROCESS_ROLES")).as("KRaft").isEqualTo("broker,controller");
        assertThat(kafkaEnv.get("KAFKA_ADVERTISED_LISTENERS")).asString().contains("PLAINTEXT://kafka:9092");
        assertThat(AlertRulesTest.map(callbridge, "environment")).containsEntry("CALLBRIDGE_KAFKA_BROKERS", "kafka:9092");
        assertThat(dependsOn(callbridge)).contains("kafka");
        assertThat(mounts("callbridge")).extracting(Mount::spec).containsExactlyInAnyOrder(
                "../routes:/opt/callbridge/routes:ro", "../mappings:/opt/callbridge/mappings:ro");
        assertThat(AlertRulesTest.map(callbridge, "healthcheck").get("test")).isEqualTo(List.of("CMD",
                "/opt/java/bin/java", "-cp", "/opt/callbridge/callbridge.jar", "io.callbridge.LiveProbe"));
    }

    @Test
    void prometheusAsMountedEvaluatesTheAlertRulesAndScrapesCallbridge() throws IOException {
        String configInContainer = flag(service("prometheus"), "--config.file");
        Path config = hostPath("prometheus", configInContainer).orElseThrow(() ->
                new AssertionError("no mount provides " + configInContainer));
        assertThat(config).isEqualTo(DOCKER.resolve("prometheus/prometheus.yml").normalize());
        Map<String, Object> prometheus = AlertRulesTest.load(config);
        // rule_files are relative to the config file, inside the container
        String containerDir = configInContainer.substring(0, configInContainer.lastIndexOf('/') + 1);
        List<Path> rules = new ArrayList<>();
        for (Object ruleFile : (List<?>) prometheus.get("rule_files")) {
            String inContainer = ruleFile.toString().startsWith("/") ? ruleFile.toString() : containerDir + ruleFile;
            rules.add(hostPath("prometheus", inContainer).orElseThrow(() ->
                    new AssertionError("no mount provides the rule file " + inContainer)));
        }
        assertThat(rules).containsExactly(AlertRulesTest.RULES);
        Map<String, Object> scrape = AlertRulesTest.list(prometheus, "scrape_configs").get(0);
        assertThat(scrape.get("metrics_path")).isEqualTo("/observe/metrics");
        assertThat(AlertRulesTest.list(scrape, "static_configs").get(0).get("targets")).isEqualTo(List.of("callbridge:8080"));
        // the metrics are a manager's: Prometheus's key file, as mounted, is the key whose hash Callbridge is given
        String keyFile = (String) AlertRulesTest.map(scrape, "authorization").get("credentials_file");
        Path key = hostPath("prometheus", containerDir + keyFile).orElseThrow(() -> new AssertionError("no mount provides " + keyFile));
        String keys = (String) AlertRulesTest.map(service("callbridge"), "environment").get("CALLBRIDGE_API_KEYS");
        assertThat(keys).isEqualTo(io.callbridge.http.ApiKeys.hashed(Files.readString(key).trim()) + ":manager");
    }

    @Test
    void promtoolAcceptsThePrometheusConfigAndTheRulesItNames() throws Exception {
        Promtool.Result check = Promtool.run("check", "config", DOCKER.resolve("prometheus/prometheus.yml").toString());
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("1 rule files found").contains("alerts.yml");
    }

    @Test
    void grafanaAsMountedFindsTheDashboardAndPrometheusForAnonymousViewers() throws IOException {
        Path provisioning = hostPath("grafana", "/etc/grafana/provisioning").orElseThrow();
        Map<String, Object> providers = AlertRulesTest.load(provisioning.resolve("dashboards/callbridge.yml"));
        String dashboards = (String) AlertRulesTest.map(AlertRulesTest.list(providers, "providers").get(0), "options").get("path");
        Path dashboard = hostPath("grafana", dashboards + "/callbridge.json").orElseThrow(() ->
                new AssertionError("no mount provides " + dashboards));
        assertThat(dashboard).isEqualTo(DashboardQueriesTest.DASHBOARD);
        Map<String, Object> datasources = AlertRulesTest.load(provisioning.resolve("datasources/prometheus.yml"));
        assertThat(AlertRulesTest.list(datasources, "datasources").get(0).get("url")).isEqualTo("http://prometheus:9090");
        Map<String, Object> env = AlertRulesTest.map(service("grafana"), "environment");
        assertThat(env).containsEntry("GF_AUTH_ANONYMOUS_ENABLED", "true").containsEntry("GF_AUTH_ANONYMOUS_ORG_ROLE", "Viewer");
        assertThat(hostPath("grafana", (String) env.get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH")))
                .contains(DashboardQueriesTest.DASHBOARD);
    }

    /** A bind mount: the host path (relative to docker/) and the path inside the container. */
    record Mount(String spec, Path host, String container) {
    }

    static List<Mount> mounts(String service) throws IOException {
        List<Mount> mounts = new ArrayList<>();
        for (Object volume : (List<?>) service(service).getOrDefault("volumes", List.of())) {
            String[] parts = volume.toString().split(":");
            assertThat(parts[0]).as("a bind mount of a repository path, relative to docker/").startsWith(".");
            mounts.add(new Mount(volume.toString(), DOCKER.resolve(parts[0]).normalize(), parts[1]));
        }
        return mounts;
    }

    /** Where on the host a path inside the service's container comes from, when a mount provides it. */
    static Optional<Path> hostPath(String service, String inContainer) throws IOException {
        for (Mount mount : mounts(service)) {
            if (inContainer.equals(mount.container())) {
                return Optional.of(mount.host());
            }
            if (inContainer.startsWith(mount.container() + "/")) {
                return Optional.of(mount.host().resolve(inContainer.substring(mount.container().length() + 1)).normalize());
            }
        }
        return Optional.empty();
    }

    static String flag(Map<String, Object> service, String name) {
        for (Object arg : (List<?>) service.get("command")) {
            if (arg.toString().startsWith(name + "=")) {
                return arg.toString().substring(name.length() + 1);
            }
        }
        throw new AssertionError("no " + name + " in " + service.get("command"));
    }

    static List<String> dependsOn(Map<String, Object> service) {
        Object deps = service.get("depends_on");
        return deps instanceof Map<?, ?> m ? m.keySet().stream().map(Object::toString).toList()
                : ((List<?>) deps).stream().map(Object::toString).toList();
    }

    static Map<String, Object> service(String name) throws IOException {
        Map<String, Object> service = AlertRulesTest.map(services(), name);
        assertThat(service).as("service " + name).isNotEmpty();
        return service;
    }

    static Map<String, Object> services() throws IOException {
        return AlertRulesTest.map(AlertRulesTest.load(COMPOSE), "services");
    }
}
