package io.callbridge.sandbox.salesforce;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.SandboxRequest;
import io.callbridge.sandbox.SandboxResponse;

/**
 * Salesforce's Streaming API at {@code /cometd/<version>}, as far as Change Data Capture on Contact and Lead needs it: Bayeux
 * over long polling ({@code /meta/handshake}, {@code /meta/connect}, {@code /meta/subscribe} with the {@code replay}
 * extension, {@code /meta/unsubscribe}, {@code /meta/disconnect}), the OAuth session in {@code Authorization} on every
 * request. A connect is answered at once when events are waiting (and the first one after a handshake), else held until one
 * arrives or {@code timeout} passes (Salesforce holds it 110 s). Errors are Salesforce's, inside the Bayeux answer: a
 * handshake without a valid session is {@code 403::Handshake denied} with {@code ext.sfdc.failureReason}
 * {@code 401::Authentication invalid} (or {@code 401::Request requires authentication} without any), a connect whose session
 * ended is {@code 401::Authentication invalid} with advice {@code reconnect: none}, a client the server does not know (never
 * handshaken, reset, or silent for more than 40 s) is {@code 403::Unknown client} with advice {@code reconnect: handshake}.
 * Each committed change of a Contact or Lead is one event on {@code /data/<Entity>ChangeEvent} and {@code /data/ChangeEvents},
 * with a replay id that only grows; the last {@value #RETAINED} events are kept for replay ({@code -2}: all of them,
 * {@code -1}: only new ones, an id: those after it).
 */
final class SalesforceStreaming {

    static final Set<String> ENTITIES = Set.of("Contact", "Lead");
    static final String ALL_CHANGES = "/data/ChangeEvents";
    static final long RECONNECT_TIMEOUT_MS = 40_000;
    private static final int RETAINED = 10_000;
    /** The parts of a person's name, sent as the compound field {@code Name} as change events send it. */
    private static final List<String> NAME_PARTS = List.of("Salutation", "FirstName", "MiddleName", "LastName", "Suffix");
    /** Record fields no change event carries: the id is in the header, Name is the compound above. */
    private static final Set<String> NOT_IN_EVENTS = Set.of("Id", "Name", "SystemModstamp", "attributes");

    private record Event(String entity, long replayId, ObjectNode data) { }

    /** One Bayeux client: its subscriptions, the events it has not been given yet, and the connect it holds open. */
    private static final class Client {
        final Set<String> channels = new LinkedHashSet<>();
        final Deque<ObjectNode> waiting = new ArrayDeque<>();
        boolean connected;
        long lastSeen;
        Held held;
    }

    /** A connect held open: the answers before it in its request, and the connect's own answer. */
    private record Held(CompletableFuture<SandboxResponse> answer, ArrayNode before, ObjectNode reply) { }

    private final SalesforceAuth auth;
    private final String userId;
    private final long timeoutMs;
    private final Map<String, Client> clients = new HashMap<>();
    private final Deque<Event> retained = new ArrayDeque<>();
    private long replayId;
    private long commitNumber = 1_000_000;

    SalesforceStreaming(SalesforceAuth auth, String userId, long timeoutMs) {
        this.auth = auth;
        this.userId = userId;
        this.timeoutMs = timeoutMs;
    }

    /** A Bayeux request: a JSON array of messages; answered with theirs, later when a connect has to wait. */
    synchronized CompletionStage<SandboxResponse> handle(SandboxRequest req, String version) {
        if (!version.matches("\\d+\\.\\d") || Double.parseDouble(version) < 37.0) {
            return done(SandboxResponse.json(400, Json.object().put("error",
                    "Unsupported API version. Only API versions '37.0' and later are supported. URI format: '/cometd/60.0'")));
        }
        if (!req.method().equals("POST")) {
            return done(SandboxResponse.json(405, Json.object().put("error", "Bayeux messages are POSTed")));
        }
        JsonNode body = Json.parseOrNull(req.body());
        if (body != null && body.isObject()) {
            body = Json.array().add(body);
        }
        if (body == null || !body.isArray() || body.isEmpty()) {
            return done(SandboxResponse.json(400, Json.object().put("error", "the body is not a JSON array of Bayeux messages")));
        }
        forgetSilentClients();
        String token = SalesforceAuth.bearer(req);
        boolean authenticated = auth.valid(token);
        ArrayNode replies = Json.array();
        Held held = null;
        boolean handshook = false;
        for (JsonNode message : body) {
            String channel = message.path("channel").asText("");
            if (channel.equals("/meta/handshake")) {
                ObjectNode reply = handshake(message, token, authenticated);
                handshook = reply.path("successful").asBoolean();
                replies.add(reply);
                continue;
            }
            Client client = clients.get(message.path("clientId").asText(""));
            if (client == null) {
                replies.add(reply(message).put("successful", false).put("error", "403::Unknown client")
                        .set("advice", Json.object().put("reconnect", "handshake").put("interval", 0)));
                continue;
            }
            client.lastSeen = System.currentTimeMillis();
            if (!authenticated) {
                // the session ended while the client was connected: it logs in again and starts over with a handshake
                clients.values().remove(client);
                release(client);
                replies.add(reply(message).put("successful", false).put("error", "401::Authentication invalid")
                        .set("advice", Json.object().put("reconnect", "none").put("interval", 0)));
                continue;
            }
            switch (channel) {
                case "/meta/connect" -> {
                    ObjectNode reply = reply(message);
                    if (!"long-polling".equals(message.path("connectionType").asText())) {
                        replies.add(reply.put("successful", false).put("error", "400::Invalid connection type "
                                + message.path("connectionType").asText()));
                        continue;
                    }
                    reply.put("successful", true).set("advice", advice());
                    release(client);
                    if (!client.connected || !client.waiting.isEmpty()) {
                        // the first connect after a handshake is answered at once, as CometD servers do
                        client.connected = true;
                        client.waiting.forEach(replies::add);
                        client.waiting.clear();
                        replies.add(reply);
                    } else {
                        held = new Held(new CompletableFuture<>(), replies, reply);
                        client.held = held;
                    }
                }
                case "/meta/subscribe" -> replies.add(subscribe(client, message));
                case "/meta/unsubscribe" -> {
                    client.channels.remove(message.path("subscription").asText());
                    replies.add(reply(message).put("subscription", message.path("subscription").asText()).put("successful", true));
                }
                case "/meta/disconnect" -> {
                    clients.values().remove(client);
                    release(client);
                    replies.add(reply(message).put("successful", true));
                }
                default -> replies.add(reply(message).put("successful", false).put("error", "403::Publish denied"));
            }
        }
        if (held == null) {
            SandboxResponse answer = SandboxResponse.json(200, replies);
            if (handshook) {
                answer = answer.withHeader("Set-Cookie", "BAYEUX_BROWSER=" + UUID.randomUUID().toString().substring(0, 13) + "; Path=/");
            }
            return done(answer);
        }
        Held waiting = held;
        CompletableFuture.delayedExecutor(timeoutMs, TimeUnit.MILLISECONDS).execute(() -> timedOut(waiting));
        return waiting.answer();
    }

    /** Publishes the committed changes of one transaction: {@code origin} is the API that made them (empty: the UI). */
    synchronized void publish(List<SalesforceStore.Change> changes, String origin) {
        String transactionKey = UUID.randomUUID().toString();
        int sequence = 0;
        for (SalesforceStore.Change change : changes) {
            if (!ENTITIES.contains(change.entity())) {
                continue;
            }
            ObjectNode payload = Json.object();
            ObjectNode header = payload.putObject("ChangeEventHeader");
            header.put("entityName", change.entity());
            header.putArray("recordIds").add(change.id());
            header.put("changeType", change.kind());
            header.put("changeOrigin", origin);
            header.put("transactionKey", transactionKey);
            header.put("sequenceNumber", ++sequence);
            header.put("commitTimestamp", change.at().toEpochMilli());
            header.put("commitNumber", ++commitNumber);
            header.put("commitUser", userId);
            ArrayNode nulled = header.putArray("nulledFields");
            header.putArray("diffFields");
            ArrayNode changed = header.putArray("changedFields");
            change.fields().forEach((field, value) -> {
                if (NOT_IN_EVENTS.contains(field)) {
                    return;
                }
                String name = NAME_PARTS.contains(field) ? "Name." + field : field;
                if (NAME_PARTS.contains(field)) {
                    ObjectNode compound = payload.has("Name") ? (ObjectNode) payload.get("Name") : payload.putObject("Name");
                    compound.set(field, value);
                } else {
                    payload.set(field, value);
                }
                // a creation's event holds every field set; only an update names what it changed
                if (change.kind().equals("UPDATE")) {
                    changed.add(name);
                    if (value.isNull()) nulled.add(name);
                }
            });
            ObjectNode data = Json.object();
            data.put("schema", schemaId(change.entity()));
            data.set("payload", payload);
            data.putObject("event").put("replayId", ++replayId);
            Event event = new Event(change.entity(), replayId, data);
            retained.addLast(event);
            if (retained.size() > RETAINED) {
                retained.removeFirst();
            }
            clients.values().forEach(c -> deliver(c, event));
        }
    }

    /** Forgets every client (a reset org): their next request is answered {@code 403::Unknown client}. */
    synchronized void reset() {
        clients.values().forEach(this::release);
        clients.clear();
        retained.clear();
    }

    private ObjectNode handshake(JsonNode message, String token, boolean authenticated) {
        ObjectNode reply = reply(message);
        if (!authenticated) {
            reply.put("successful", false).put("error", "403::Handshake denied");
            reply.putObject("ext").putObject("sfdc").put("failureReason",
                    token == null ? "401::Request requires authentication" : "401::Authentication invalid");
            reply.putObject("advice").put("reconnect", "none");
            return reply;
        }
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 27);
        Client client = new Client();
        client.lastSeen = System.currentTimeMillis();
        clients.put(id, client);
        reply.put("clientId", id).put("version", "1.0").put("minimumVersion", "1.0").put("successful", true);
        reply.putArray("supportedConnectionTypes").add("long-polling");
        reply.putObject("ext").put("replay", true).put("payload.format", true);
        reply.set("advice", advice());
        return reply;
    }

    private ObjectNode subscribe(Client client, JsonNode message) {
        String channel = message.path("subscription").asText("");
        ObjectNode reply = reply(message).put("subscription", channel);
        if (!channel.equals(ALL_CHANGES) && ENTITIES.stream().noneMatch(e -> channel.equals(channelOf(e)))) {
            return reply.put("successful", false).put("error", "400::The channel you requested to subscribe to does not exist {"
                    + channel + "}");
        }
        JsonNode replay = message.path("ext").path("replay").path(channel);
        long from = replay.isNumber() ? replay.asLong() : -1;
        if (from < -2 || from > replayId) {
            return reply.put("successful", false).put("error", "400::The replayId {" + from + "} you provided was invalid.  "
                    + "Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.");
        }
        client.channels.add(channel);
        if (from != -1) {
            for (Event event : retained) {
                if (event.replayId() > from) {
                    deliver(client, event);
                }
            }
        }
        return reply.put("successful", true);
    }

    /** Queues the event for the client on each of its channels that carries it, and answers its held connect. */
    private void deliver(Client client, Event event) {
        for (String channel : client.channels) {
            if (channel.equals(channelOf(event.entity())) || channel.equals(ALL_CHANGES)) {
                client.waiting.add(Json.object().put("channel", channel).set("data", event.data().deepCopy()));
            }
        }
        if (client.held != null && !client.waiting.isEmpty()) {
            Held held = client.held;
            client.held = null;
            client.waiting.forEach(held.before()::add);
            client.waiting.clear();
            held.before().add(held.reply());
            client.lastSeen = System.currentTimeMillis();
            held.answer().complete(SandboxResponse.json(200, held.before()));
        }
    }

    private synchronized void timedOut(Held held) {
        for (Client client : clients.values()) {
            if (client.held == held) {
                client.held = null;
                client.lastSeen = System.currentTimeMillis();
            }
        }
        held.before().add(held.reply());
        held.answer().complete(SandboxResponse.json(200, held.before()));
    }

    /** Answers the client's held connect now, empty (a second connect, a disconnect, a reset). */
    private void release(Client client) {
        Held held = client.held;
        client.held = null;
        if (held != null) {
            held.before().add(held.reply());
            held.answer().complete(SandboxResponse.json(200, held.before()));
        }
    }

    /** A client that neither holds a connect nor came back within 40 s of its last answer is forgotten, as Salesforce does. */
    private void forgetSilentClients() {
        long now = System.currentTimeMillis();
        for (Iterator<Client> it = clients.values().iterator(); it.hasNext(); ) {
            Client c = it.next();
            if (c.held == null && now - c.lastSeen > RECONNECT_TIMEOUT_MS) {
                it.remove();
            }
        }
    }

    private ObjectNode advice() {
        return Json.object().put("interval", 0).put("timeout", timeoutMs).put("reconnect", "retry");
    }

    private static ObjectNode reply(JsonNode message) {
        ObjectNode reply = Json.object().put("channel", message.path("channel").asText(""));
        if (message.has("id")) {
            reply.set("id", message.get("id"));
        }
        if (message.has("clientId")) {
            reply.set("clientId", message.get("clientId"));
        }
        return reply;
    }

    static String channelOf(String entity) {
        return "/data/" + entity + "ChangeEvent";
    }

    /** The event schema's id, stable per entity as Salesforce's is until the object's fields change. */
    private static String schemaId(String entity) {
        return UUID.nameUUIDFromBytes(("sandbox-change-event-" + entity).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString().replace("-", "").substring(0, 22);
    }

    private static CompletionStage<SandboxResponse> done(SandboxResponse r) {
        return CompletableFuture.completedFuture(r);
    }
}
