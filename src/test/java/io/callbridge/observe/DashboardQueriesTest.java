package io.callbridge.observe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Grafana shows an empty panel for a query that is wrong or names a metric that does not exist, and nothing here
 * can render the dashboard. So its queries are checked the way Prometheus would read them: each one, with the
 * Grafana variables filled in, becomes a recording rule that promtool must accept, and names only contract metrics.
 */
class DashboardQueriesTest {

    static final Path DASHBOARD = Path.of("docker", "grafana", "dashboards", "callbridge.json");
    static final Path DATASOURCES = Path.of("docker", "grafana", "provisioning", "datasources", "prometheus.yml");

    /** What Grafana puts in place of its variables, as it would for one CRM over the last hour. */
    private static final Map<String, String> VARIABLES = Map.of(
            "crm", "hubspot", "__rate_interval", "5m", "__interval", "1m", "__range", "1h", "__range_s", "3600");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::[^}]*)?}|\\$(\\w+)|\\[\\[(\\w+)]]");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([\\w:]+)\\s*,\\s*(\\w+)\\s*\\)");

    @TempDir
    Path temp;

    @Test
    void everyQueryIsPromQlThatPromtoolAccepts() throws Exception {
        Map<String, String> queries = queries();
        assertThat(queries).hasSizeGreaterThanOrEqualTo(15);
        Promtool.Result check = Promtool.run("check", "rules", asRecordingRules(queries).toString());
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: " + queries.size() + " rules found");
    }

    /** The check above can fail: promtool refuses a query with a syntax error written the same way. */
    @Test
    void promtoolRefusesABrokenQueryWrittenTheSameWay() throws Exception {
        Path rules = asRecordingRules(Map.of("dashboard:broken", "sum(rate(callbridge_lookups_total[5m])"));
        Promtool.Result check = Promtool.run("check", "rules", rules.toString());
        assertThat(check.exitCode()).as(check.output()).isNotZero();
    }

    @Test
    void everyQueryReadsOnlyMetricsCallbridgeExposes() throws IOException {
        List<String> problems = new ArrayList<>();
        queries().forEach((panel, expr) -> PromQlNames.outsideTheContract(expr, Set.of())
                .forEach(p -> problems.add(panel + ": " + p)));
        assertThat(problems).isEmpty();
    }

    @Test
    void everyContractMetricIsOnTheDashboard() throws IOException {
        Set<String> shown = new HashSet<>();
        queries().values().forEach(expr -> PromQlNames.metrics(expr).forEach(m -> shown.add(MetricNames.baseOf(m))));
        assertThat(shown).containsAll(MetricNames.NAMES);
    }

    @Test
    void theDashboardShowsWhatOperatorsAskFor() throws IOException {
        List<String> titles = panels().stream().map(p -> p.path("title").asText()).toList();
        assertThat(titles).contains("Calls logged per CRM", "CRM error rate per CRM", "CRM latency p95 per CRM",
                "Consumer lag per CRM", "Dead letters per CRM", "Lookup latency p50 / p95 / p99", "Lookup cache hit ratio",
                "Breaker state", "Intake accepted / refused", "Rate-limit budget left", "Credential expiry");
        assertThat(queries().get("Calls logged per CRM A"))
                .contains("callbridge_delivery_commands_total{action=\"log-call\", outcome=\"done\"");
    }

    @Test
    void theCrmVariableListsTheCrmsThatCallbridgeCalls() throws IOException {
        JsonNode variables = dashboard().path("templating").path("list");
        JsonNode crm = null;
        for (JsonNode variable : variables) {
            crm = "crm".equals(variable.path("name").asText()) ? variable : crm;
        }
        assertThat(crm).as("the crm template variable").isNotNull();
        Matcher query = LABEL_VALUES.matcher(crm.path("query").path("query").asText());
        assertThat(query.matches()).as(crm.toString()).isTrue();
        assertThat(MetricNames.labelsOf(query.group(1))).contains(query.group(2));
        assertThat(query.group(2)).isEqualTo("crm");
    }

    @Test
    void everyPanelUsesTheProvisionedDataSource() throws IOException {
        String uid = provisionedUid();
        List<JsonNode> sources = dashboard().findValues("datasource");
        assertThat(sources).isNotEmpty().allSatisfy(ds -> {
            assertThat(ds.path("uid").asText()).isEqualTo(uid);
            assertThat(ds.path("type").asText()).isEqualTo("prometheus");
        });
        for (JsonNode panel : panels()) {
            if (!"row".equals(panel.path("type").asText())) {
                assertThat(panel.path("datasource").path("uid").asText()).as(panel.path("title").asText()).isEqualTo(uid);
            }
        }
    }

    /** Each query keyed by panel title and refId, its Grafana variables replaced by concrete values. */
    static Map<String, String> queries() throws IOException {
        Map<String, String> queries = new LinkedHashMap<>();
        for (JsonNode panel : panels()) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText("");
                assertThat(expr).as(panel.path("title").asText() + " " + target.path("refId").asText()).isNotBlank();
                queries.put(panel.path("title").asText() + " " + target.path("refId").asText(), substitute(expr));
            }
        }
        return queries;
    }

    static String substitute(String expr) {
        Matcher m = VARIABLE.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
            String value = VARIABLES.get(name);
            if (value == null) {
                fail("the dashboard uses the variable $%s, which this test does not know how to fill in: %s", name, expr);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    /** Panels, including those inside collapsed rows. */
    static List<JsonNode> panels() throws IOException {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard().path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    static JsonNode dashboard() throws IOException {
        return new ObjectMapper().readTree(DASHBOARD.toFile());
    }

    static String provisionedUid() throws IOException {
        Map<String, Object> provisioning = AlertRulesTest.load(DATASOURCES);
        List<Map<String, Object>> sources = AlertRulesTest.list(provisioning, "datasources");
        assertThat(sources).hasSize(1);
        return (String) sources.get(0).get("uid");
    }

    /** A rules file (JSON is YAML) with one recording rule per query, named after its position. */
    private Path asRecordingRules(Map<String, String> queries) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Map<String, String>> rules = new ArrayList<>();
        int i = 0;
        for (String expr : queries.values()) {
            rules.add(Map.of("record", "dashboard:query_" + i++ + ":expr", "expr", expr));
        }
        Path file = temp.resolve("dashboard-queries.yml");
        Files.writeString(file, json.writeValueAsString(Map.of("groups", List.of(Map.of("name", "dashboard", "rules", rules)))));
        return file;
    }
}
