package io.callbridge.crm.monday;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.broker.EmbeddedKafkaBroker;
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.Events;
import io.callbridge.support.Samples;
import io.callbridge.support.TestBroker;

import static org.awaitility.Awaitility.await;

/**
 * What a call costs on monday: requests and complexity points per event, for a short call (log-call and the contact
 * update) and for the DESIGN.md example (five commands), from known callers, read from the sandbox's journal and its
 * complexity spent. Not a test: run it with
 * <pre>mvn -B -q exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.callbridge.crm.monday.MondayCostBenchmark [-Dexec.args="callers=100 events=400"]</pre>
 * (see BENCHMARKS.md).
 */
public final class MondayCostBenchmark {

    public static void main(String[] args) throws Exception {
        int callers = arg(args, "callers", 100);
        int events = arg(args, "events", 400);
        EmbeddedKafkaBroker broker = TestBroker.fresh();
        try (MondayFixture.Account account = MondayFixture.Account.start(Map.of("complexity-per-minute", "1000000000000",
                "daily-limit", "100000000"), Clock.systemUTC());
             CallbridgeApp app = CallbridgeApp.on(broker).with(account.connectorSettings())
                     .with("callbridge.crm.monday.complexity-limit.max", "1000000000000").start()) {
            List<String> numbers = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                String e164 = "+417950" + String.format("%05d", i);
                numbers.add(e164);
                ObjectNode columns = Events.JSON.createObjectNode();
                columns.putObject("phone").put("phone", "0" + e164.substring(3)).put("countryShortName", "CH");
                columns.putObject("owner").putArray("personsAndTeams").addObject().put("id", 60000001).put("kind", "person");
                account.create(MondayFixture.CONTACTS, "Client " + i, columns);
            }
            List<String> lines = new ArrayList<>();
            lines.add(run(app, account, "short call (minimal sample)", "minimal", numbers, events));
            lines.add(run(app, account, "DESIGN.md example", "design-example", numbers, events / 4));
            System.out.println();
            System.out.println("monday, " + callers + " known callers, " + Runtime.getRuntime().availableProcessors() + " CPUs, Java "
                    + System.getProperty("java.version"));
            lines.forEach(System.out::println);
        } finally {
            broker.close();
        }
        System.exit(0);
    }

    private static String run(CallbridgeApp app, MondayFixture.Account account, String what, String sample, List<String> numbers, int events) {
        account.admin("DELETE", "/requests", null);
        long complexity = spent(account);
        boolean design = sample.equals("design-example");
        int callsBefore = account.items(MondayFixture.CALLS).size();
        int tasksBefore = account.items(MondayFixture.TASKS).size();
        long t0 = System.nanoTime();
        for (int i = 0; i < events; i++) {
            ObjectNode event = Samples.event(sample);
            event.put("id", "cost-" + sample + "-" + i);
            ObjectNode data = (ObjectNode) event.get("data");
            data.remove("customerE164");
            data.put("outbound".equals(data.path("direction").asText()) ? "to" : "from", numbers.get(i % numbers.size()));
            data.put("callId", "cost-" + sample + "-" + i);
            app.post(event);
        }
        // the design example's callback and owner tasks are its last commands
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(500))
                .until(() -> account.items(MondayFixture.CALLS).size() - callsBefore >= events
                        && (!design || account.items(MondayFixture.TASKS).size() - tasksBefore >= 2 * events));
        double seconds = (System.nanoTime() - t0) / 1e9;
        JsonNode journal = account.requests();
        long sent = journal.isEmpty() ? 0 : journal.get(journal.size() - 1).path("seq").asLong();
        long points = spent(account) - complexity;
        return String.format(Locale.ROOT, "%-28s %5d events in %5.1f s: %5.2f requests/event, %8.0f complexity points/event", what,
                events, seconds, sent / (double) events, points / (double) events);
    }

    private static long spent(MondayFixture.Account account) {
        JsonNode state = Events.parse(account.admin("GET", "/limits", null).body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return state.at("/complexity/spentSinceReset").asLong();
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
