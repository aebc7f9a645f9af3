package io.callbridge.crm.notion;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.broker.EmbeddedKafkaBroker;
import io.callbridge.delivery.CommandLedger;
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.Events;
import io.callbridge.support.Samples;
import io.callbridge.support.TestBroker;

import static org.awaitility.Awaitility.await;

/**
 * What a call costs on Notion and how fast a backlog drains at Notion's own limit (the sandbox's 3 requests a second
 * with a burst of 10) under Callbridge's default pace: a backlog of short calls (log-call and the contact update),
 * then one of DESIGN.md examples (five commands each), posted at once for known callers. Prints requests per event
 * (lookups and finds included), the share that were queries, events a minute and Notion's 429s. Not a test: run it with
 * <pre>mvn -B -q exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.callbridge.crm.notion.NotionPaceBenchmark [-Dexec.args="callers=30 events=60"]</pre>
 * (see BENCHMARKS.md); an argument {@code callbridge.<key>=<value>} is a setting of the measured Callbridge.
 */
public final class NotionPaceBenchmark {

    public static void main(String[] args) throws Exception {
        int callers = arg(args, "callers", 30);
        int events = arg(args, "events", 60);
        EmbeddedKafkaBroker broker = TestBroker.fresh();
        Map<String, String> more = new java.util.LinkedHashMap<>();
        for (String a : args) {
            if (a.startsWith("callbridge.") && a.contains("=")) {
                more.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            }
        }
        try (NotionFixture.Workspace workspace = NotionFixture.Workspace.start(Map.of(), Clock.systemUTC());
             CallbridgeApp app = CallbridgeApp.on(broker).with(workspace.connectorSettings()).with(more).start()) {
            List<String> numbers = new ArrayList<>();
            ObjectNode seed = Events.JSON.createObjectNode();
            ArrayNode contacts = seed.putArray(NotionFixture.CONTACTS);
            for (int i = 0; i < callers; i++) {
                String e164 = "+417970" + String.format("%05d", i);
                numbers.add(e164);
                ObjectNode p = contacts.addObject().putObject("properties");
                p.putObject("Name").putArray("title").addObject().putObject("text").put("content", "Client " + i);
                p.putObject("Phone").put("phone_number", "0" + e164.substring(3));
                p.putObject("Owner").putArray("people").addObject().put("id", NotionFixture.OWNER);
            }
            // seeded by the sandbox's admin: Notion's budget is untouched when the first backlog starts, and Callbridge's
            // pace (below Notion's) lets it refill while a backlog drains, so the second starts with it too
            workspace.seed(seed);
            List<String> lines = new ArrayList<>();
            lines.add(run(app, workspace, "short call (minimal sample)", "minimal", numbers, events));
            lines.add(run(app, workspace, "DESIGN.md example", "design-example", numbers, events / 3));
            System.out.println();
            System.out.println("notion at 3 requests/s (burst 10), Callbridge's default pace" + (more.isEmpty() ? "" : " with " + more) + ", "
                    + callers + " known callers, "
                    + Runtime.getRuntime().availableProcessors() + " CPUs, Java " + System.getProperty("java.version"));
            lines.forEach(System.out::println);
        } finally {
            broker.close();
        }
        System.exit(0);
    }

    private static String run(CallbridgeApp app, NotionFixture.Workspace workspace, String what, String sample, List<String> numbers,
            int events) {
        workspace.clearRequests();
        boolean design = sample.equals("design-example");
        int callsBefore = workspace.pages(NotionFixture.CALLS).size();
        int tasksBefore = workspace.pages(NotionFixture.TASKS).size();
        long t0 = System.nanoTime();
        for (int i = 0; i < events; i++) {
            ObjectNode event = Samples.event(sample);
            event.put("id", "pace-" + sample + "-" + i);
            ObjectNode data = (ObjectNode) event.get("data");
            data.remove("customerE164");
            data.put("outbound".equals(data.path("direction").asText()) ? "to" : "from", numbers.get(i % numbers.size()));
            data.put("callId", "pace-" + sample + "-" + i);
            app.post(event);
        }
        // every command done in the ledger, so no request of this backlog is counted in the next one
        List<String> commands = design ? List.of("log-call:0", "enrich-contact:0", "hot-lead:0", "hot-lead:1", "callback:0")
                : List.of("log-call:0", "enrich-contact:0");
        await().atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (int i = 0; i < events; i++) {
                for (String c : commands) {
                    if (app.ledger().state("notion", "pace-" + sample + "-" + i + ":" + c) != CommandLedger.State.DONE) {
                        return false;
                    }
                }
            }
            return true;
        });
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (workspace.pages(NotionFixture.CALLS).size() - callsBefore != events
                || design && workspace.pages(NotionFixture.TASKS).size() - tasksBefore != 2 * events) {
            throw new IllegalStateException("the sandbox does not hold one call (and two tasks) per event");
        }
        JsonNode journal = workspace.requests();
        long sent = 0;
        long queries = 0;
        long creates = 0;
        long updates = 0;
        long refused = 0;
        for (JsonNode r : journal) {
            sent = Math.max(sent, r.path("seq").asLong());
            String path = r.path("path").asText();
            queries += path.endsWith("/query") ? 1 : 0;
            creates += r.path("method").asText().equals("POST") && path.endsWith("/v1/pages") ? 1 : 0;
            updates += r.path("method").asText().equals("PATCH") ? 1 : 0;
            refused += r.path("status").asInt() == 429 ? 1 : 0;
        }
        return String.format(Locale.ROOT, "%-28s %4d events in %6.1f s: %5.2f requests/event (%d queries, %d pages created, %d updated), "
                + "%5.1f events/min, %5.2f requests/s, %d answered 429", what, events, seconds, sent / (double) events, queries, creates, updates,
                events * 60 / seconds, sent / seconds, refused);
    }

    private static int arg(String[] args, String name, int fallback) {
        for (String a : args) {
            if (a.startsWith(name + "=")) {
                return Integer.parseInt(a.substring(name.length() + 1));
            }
        }
        return fallback;
    }
}
