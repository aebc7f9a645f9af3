package io.callbridge.observe;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert rules operators get are the ones tested: promtool accepts them, its unit tests (alerts-test.yml) make
 * every alert fire on a failing series and stay silent on a healthy one, and the rules only read metrics that
 * Callbridge exposes ({@link MetricNames}) — a misspelt name would otherwise be an alert that never fires.
 */
class AlertRulesTest {

    static final Path RULES = Path.of("docker", "prometheus", "alerts.yml");
    static final Path RULE_TESTS = Path.of("docker", "prometheus", "alerts-test.yml");

    @Test
    void promtoolAcceptsTheRules() throws Exception {
        Promtool.Result check = Promtool.run("check", "rules", RULES.toString());
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS");
    }

    @Test
    void theRulesUnitTestsPass() throws Exception {
        Promtool.Result tests = Promtool.run("test", "rules", RULE_TESTS.toString());
        assertThat(tests.exitCode()).as(tests.output()).isZero();
        assertThat(tests.output()).contains("SUCCESS");
    }

    @Test
    void theRulesReadOnlyMetricsCallbridgeExposes() throws IOException {
        List<Map<String, Object>> rules = rules();
        Set<String> recorded = new HashSet<>();
        rules.stream().filter(r -> r.containsKey("record")).forEach(r -> recorded.add((String) r.get("record")));
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> rule : rules) {
            String name = (String) rule.getOrDefault("alert", rule.get("record"));
            PromQlNames.outsideTheContract((String) rule.get("expr"), recorded)
                    .forEach(p -> problems.add(name + ": " + p));
        }
        assertThat(problems).isEmpty();
        assertThat(recorded).allMatch(r -> r.contains(":"), "recording rules are named level:metric:operations");
    }

    @Test
    void everyAlertWaitsHasASeverityAndSaysWhatToDo() throws IOException {
        List<Map<String, Object>> alerts = alerts();
        assertThat(alerts).hasSizeGreaterThanOrEqualTo(9);
        for (Map<String, Object> alert : alerts) {
            String name = (String) alert.get("alert");
            assertThat(name).matches("Callbridge[A-Z][A-Za-z]+");
            assertThat(alert.get("for")).as(name + " for").asString().matches("\\d+[mh]");
            assertThat(map(alert, "labels")).as(name + " labels").containsKey("severity");
            assertThat(map(alert, "labels").get("severity")).as(name).isIn("warning", "critical");
            assertThat(map(alert, "annotations")).as(name + " annotations")
                    .containsOnlyKeys("summary", "description", "action")
                    .allSatisfy((k, v) -> assertThat((String) v).as(name + " " + k).isNotBlank());
        }
        for (Map<String, Object> group : groups()) {
            assertThat((String) group.get("name")).matches("callbridge-[a-z]+");
        }
    }

    /** An alert on a per-CRM series (crm label, or a crm: recording rule) names the CRM in what on-call reads first. */
    @Test
    void alertsPerCrmNameTheCrm() throws IOException {
        int perCrmAlerts = 0;
        for (Map<String, Object> alert : alerts()) {
            String expr = (String) alert.get("expr");
            boolean perCrm = PromQlNames.metrics(expr).stream()
                    .anyMatch(m -> m.startsWith("crm:") || MetricNames.labelsOf(m).contains("crm"));
            if (perCrm) {
                perCrmAlerts++;
                Map<String, Object> annotations = map(alert, "annotations");
                assertThat((String) annotations.get("summary")).as(alert.get("alert") + " summary").contains("{{ $labels.crm }}");
                assertThat((String) annotations.get("description")).as(alert.get("alert") + " description")
                        .contains("{{ $labels.crm }}");
            }
        }
        assertThat(perCrmAlerts).as("alerts on per-CRM series").isGreaterThanOrEqualTo(6);
    }

    @Test
    void everyAlertIsTestedFiringAndSilent() throws IOException {
        Map<String, Set<String>> cases = new HashMap<>();
        for (Map<String, Object> test : list(load(RULE_TESTS), "tests")) {
            for (Map<String, Object> check : list(test, "alert_rule_test")) {
                Object expected = check.get("exp_alerts");
                boolean fires = expected instanceof List<?> l && !l.isEmpty();
                cases.computeIfAbsent((String) check.get("alertname"), a -> new HashSet<>()).add(fires ? "fires" : "silent");
            }
        }
        for (Map<String, Object> alert : alerts()) {
            assertThat(cases.get((String) alert.get("alert"))).as((String) alert.get("alert"))
                    .containsExactlyInAnyOrder("fires", "silent");
        }
    }

    @Test
    void theVocabularyCheckCatchesWhatCallbridgeDoesNotExpose() {
        String typo = "sum by (crm) (rate(callbridge_crm_request_total{crm=~\"hub.*\"}[5m])) > 0";
        assertThat(PromQlNames.outsideTheContract(typo, Set.of())).containsExactly("unknown metric callbridge_crm_request_total");
        String label = "callbridge_delivery_breaker_open{tenant=\"a\"} == 1";
        assertThat(PromQlNames.outsideTheContract(label, Set.of())).containsExactly("callbridge_delivery_breaker_open has no label tenant");
        String fine = "histogram_quantile(0.95, sum without (operation) (rate(callbridge_crm_request_duration_seconds_bucket"
                + "{crm=\"x\", le!=\"\"}[5m] offset 1h))) > bool 2e0 and on (crm) crm:x:rate5m unless callbridge_lookups_total";
        assertThat(PromQlNames.outsideTheContract(fine, Set.of("crm:x:rate5m"))).isEmpty();
        assertThat(PromQlNames.outsideTheContract("crm:x:rate5m", Set.of())).containsExactly("unknown metric crm:x:rate5m");
        assertThat(PromQlNames.outsideTheContract("callbridge_lookups_total_bucket", Set.of())).hasSize(1);
    }

    static List<Map<String, Object>> groups() throws IOException {
        return list(load(RULES), "groups");
    }

    static List<Map<String, Object>> rules() throws IOException {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> group : groups()) {
            rules.addAll(list(group, "rules"));
        }
        return rules;
    }

    static List<Map<String, Object>> alerts() throws IOException {
        return rules().stream().filter(r -> r.containsKey("alert")).toList();
    }

    static Map<String, Object> load(Path yaml) throws IOException {
        try (Reader reader = Files.newBufferedReader(yaml)) {
            return new Yaml().load(reader);
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
        return (List<Map<String, Object>>) parent.getOrDefault(key, List.of());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.getOrDefault(key, Map.of());
    }
}
