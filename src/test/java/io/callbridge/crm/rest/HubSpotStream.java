package io.callbridge.crm.rest;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.broker.EmbeddedKafkaBroker;
import io.callbridge.delivery.CommandLedger;
import io.callbridge.mapping.Command;
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.Events;

import static org.awaitility.Awaitility.await;

/**
 * A stream of call events into a HubSpot sandbox with HubSpot's default limits (100 requests per 10 s,
 * 5 searches per second) through Callbridge: posts them all at once, waits until every command is
 * delivered, and counts what HubSpot saw (every request the sandbox journal recorded, lookups included).
 */
final class HubSpotStream implements AutoCloseable {

    /** What one run produced. */
    record Result(int events, int commands, int delivered, int dead, long requests, long refused429, Duration took) {
        double share429() {
            return requests == 0 ? 0 : (double) refused429 / requests;
        }

        @Override
        public String toString() {
            return String.format("%d events, %d commands: %d delivered, %d dead letters; HubSpot saw %d requests, %d answered 429 "
                    + "(%.2f %%); %.1f s (%.1f commands/s)", events, commands, delivered, dead, requests, refused429, 100 * share429(),
                    took.toMillis() / 1000.0, delivered / Math.max(0.001, took.toMillis() / 1000.0));
        }
    }

    final RestCrms crms;
    final CallbridgeApp app;
    private final List<String> numbers = new ArrayList<>();

    HubSpotStream(EmbeddedKafkaBroker broker, int contacts, Map<String, String> extraSettings) {
        crms = new RestCrms(Map.of());
        CallbridgeApp.Builder b = CallbridgeApp.on(broker)
                .with("callbridge.crm.hubspot.enabled", "true")
                .with("callbridge.crm.hubspot.base-url", crms.sandbox.baseUrl("hubspot"))
                .with("callbridge.crm.hubspot.token", io.callbridge.sandbox.hubspot.HubSpotSandbox.DEFAULT_TOKEN);
        extraSettings.forEach(b::with);
        app = b.start();
        for (int i = 0; i < contacts; i++) {
            String e164 = String.format("+417930%05d", i);
            numbers.add(e164);
            crms.hubspotContact("Client " + i, e164);
        }
        // the seeding itself used HubSpot's ten-second window; the stream starts in a fresh one
        Events.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(crms.sandbox.adminUrl() + "/hubspot/rate-limit"))
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"windowSeconds\":10,\"quota\":100}")).build());
        Events.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(crms.sandbox.adminUrl() + "/hubspot/requests"))
                .DELETE().build());
    }

    /** @param event builds the i-th event for a caller's number */
    Result run(int events, BiFunction<Integer, String, ObjectNode> event, Duration atMost) throws Exception {
        CommandLedger ledger = app.context().getRegistry().lookupByNameAndType("commandLedger", CommandLedger.class);
        io.callbridge.mapping.LiveMappings mappings = app.context().getRegistry().lookupByNameAndType("mappings",
                io.callbridge.mapping.LiveMappings.class);
        Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<JsonNode> journal = java.util.Collections.synchronizedList(new ArrayList<>());
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
        // the journal keeps the last 2000 requests: read it every half second and keep what is new
        poller.scheduleWithFixedDelay(() -> collect(seen, journal), 0, 500, TimeUnit.MILLISECONDS);
        List<String> commandIds = new ArrayList<>();
        long started = System.nanoTime();
        try {
            for (int i = 0; i < events; i++) {
                String e164 = numbers.get(i % numbers.size());
                ObjectNode e = event.apply(i, e164);
                HttpResponse<String> r = Events.post(app.uri("/v1/call-events"), "application/cloudevents+json", Events.bytes(e));
                if (r.statusCode() != 202) {
                    throw new IllegalStateException("POST answered " + r.statusCode() + " " + r.body());
                }
                ObjectNode withCustomer = e.deepCopy();
                ((ObjectNode) withCustomer.get("data")).put("customerE164", e164);
                for (Command c : mappings.current().plan(withCustomer)) {
                    if (c.crm().equals("hubspot")) {
                        commandIds.add(c.commandId());
                    }
                }
            }
            await().atMost(atMost).pollInterval(Duration.ofMillis(500)).until(() -> commandIds.stream()
                    .allMatch(id -> ledger.state("hubspot", id) == CommandLedger.State.DONE
                            || ledger.state("hubspot", id) == CommandLedger.State.DEAD));
        } finally {
            poller.shutdown();
            poller.awaitTermination(5, TimeUnit.SECONDS);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        collect(seen, journal);
        int dead = (int) commandIds.stream().filter(id -> ledger.state("hubspot", id) == CommandLedger.State.DEAD).count();
        long refused = journal.stream().filter(j -> j.path("status").asInt() == 429).count();
        return new Result(events, commandIds.size(), commandIds.size() - dead, dead, journal.size(), refused, took);
    }

    /** Every HubSpot call object, page after page. */
    List<JsonNode> allCalls() {
        List<JsonNode> out = new ArrayList<>();
        String after = null;
        do {
            JsonNode page = crms.hubspot.json("GET", "/crm/v3/objects/calls?limit=100&properties=callbridge_command_id"
                    + (after == null ? "" : "&after=" + after), null);
            page.path("results").forEach(out::add);
            after = page.at("/paging/next/after").isMissingNode() ? null : page.at("/paging/next/after").asText();
        } while (after != null);
        return out;
    }

    private void collect(Set<String> seen, List<JsonNode> journal) {
        JsonNode entries = crms.requests("hubspot");
        for (JsonNode e : entries.isArray() ? entries : entries.path("requests")) {
            if (seen.add(e.toString())) {
                journal.add(e);
            }
        }
    }

    /** A short ended call of a known caller: logged and the contact's last call updated (two writes, one lookup). */
    static ObjectNode shortCall(int i, String e164) {
        ObjectNode event = Events.exampleWithNewId();
        ObjectNode data = (ObjectNode) event.get("data");
        data.put("from", e164);
        data.put("callId", "stream-" + i);
        for (String f : List.of("caller", "qualification", "callback", "leadScore", "products", "questions")) {
            data.remove(f);
        }
        data.putArray("intents").add("information");
        data.put("callType", "support");
        return event;
    }

    /** The DESIGN.md example for the caller: five commands (call, contact, deal, owner task, callback task). */
    static ObjectNode designExample(int i, String e164) {
        ObjectNode event = Events.exampleWithNewId();
        ObjectNode data = (ObjectNode) event.get("data");
        data.put("from", e164);
        data.put("callId", "stream-" + i);
        ((ObjectNode) data.get("caller")).put("email", "client." + e164.substring(1) + "@example.ch");
        return event;
    }

    @Override
    public void close() {
        app.close();
        crms.close();
    }
}
