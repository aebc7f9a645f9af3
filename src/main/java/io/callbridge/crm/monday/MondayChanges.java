package io.callbridge.crm.monday;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.crm.ChangeNotifications;
import io.callbridge.crm.CrmAuth;
import io.callbridge.crm.CrmHttp;
import io.callbridge.mapping.LiveMappings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * monday's board webhooks on the contacts board. Callbridge makes them itself ({@code create_webhook}, one per event
 * type that can change who a caller is), after monday's challenge, which {@link #handshake} echoes. Each event carries
 * the app's JWT in {@code Authorization}: HS256 with the app's signing secret, compared in constant time, refused once
 * its {@code exp} is past. Column changes say the new value, so a phone column's gives the number the item now holds.
 */
final class MondayChanges implements ChangeNotifications {

    private static final Logger LOG = LoggerFactory.getLogger(MondayChanges.class);
    /** The event types that can change who a caller is: the item, its name, its columns. */
    static final List<String> EVENTS = List.of("create_item", "change_column_value", "change_name", "item_deleted", "item_archived",
            "item_restored");
    // the two clocks differ a little; a JWT past its exp by more is a replay
    private static final Duration SKEW = Duration.ofSeconds(30);

    private final byte[] signingSecret;
    private final LiveMappings mappings;
    private final CrmHttp http;
    private final CrmAuth auth;
    private final Clock clock;

    MondayChanges(String signingSecret, LiveMappings mappings, CrmHttp http, CrmAuth auth, Clock clock) {
        this.signingSecret = signingSecret.getBytes(StandardCharsets.UTF_8);
        this.mappings = mappings;
        this.http = http;
        this.auth = auth;
        this.clock = clock;
    }

    /** monday's URL check, {@code {"challenge": "…"}}: the same JSON back. It proves only that the URL answers, so it needs no JWT. */
    @Override
    public Optional<String> handshake(Notification n) {
        JsonNode body = CrmHttp.objectOrNull(n.body());
        if (body == null || !body.path("challenge").isTextual() || body.has("event")) {
            return Optional.empty();
        }
        return Optional.of(CrmHttp.JSON.createObjectNode().put("challenge", body.get("challenge").asText()).toString());
    }

    @Override
    public List<RecordChange> read(Notification n) throws Refused {
        verify(n.header().apply("Authorization"));
        JsonNode event = Optional.ofNullable(CrmHttp.objectOrNull(n.body())).map(b -> b.get("event")).orElse(null);
        if (event == null || !event.isObject()) {
            throw new Refused("the body is not monday's {\"event\": {…}}");
        }
        JsonNode s = mappings.current().settings(MondayCrm.NAME);
        if (!event.path("boardId").asText().equals(s.path("contacts-board").asText())) {
            return List.of(); // another board's items are no callers
        }
        Set<String> phones = new HashSet<>(MondayCrm.list(s.path("contact-phone-columns").asText("phone")));
        String type = event.path("type").asText("");
        String id = event.hasNonNull("pulseId") ? event.get("pulseId").asText() : event.path("itemId").asText();
        Map<String, String> values = new HashMap<>();
        List<String> numbers = new ArrayList<>();
        String kind;
        switch (type) {
            case "create_pulse", "restore_pulse" -> {
                kind = "created";
                for (Iterator<Map.Entry<String, JsonNode>> it = event.path("columnValues").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> c = it.next();
                    values.put(c.getKey(), null);
                    number(c.getKey(), c.getValue(), phones, numbers);
                }
            }
            case "delete_pulse", "archive_pulse" -> kind = "deleted";
            case "update_name" -> {
                kind = "updated";
                values.put("name", event.path("value").path("name").asText(null));
            }
            case "update_column_value" -> {
                kind = "updated";
                String column = event.path("columnId").asText();
                values.put(column, shown(event.get("value")));
                number(column, event.get("value"), phones, numbers);
            }
            // another event of the item: what changed is not said, so its cached callers are dropped
            default -> kind = "updated";
        }
        return List.of(new RecordChange(id, kind, values, numbers, occurredAt(event)));
    }

    /**
     * Makes the contacts board's webhooks for {@link #EVENTS} to {@code url}, keeping those this app has already made:
     * monday does not show a webhook's URL, so one of the same event type made by the app counts as this one. They last
     * until deleted.
     */
    @Override
    public Duration subscribe(String url) throws Exception {
        String board = mappings.current().settings(MondayCrm.NAME).path("contacts-board").asText();
        ObjectNode variables = CrmHttp.JSON.createObjectNode().put("board", board);
        Set<String> made = new HashSet<>();
        post(MondayOperation.WEBHOOKS, variables).at("/data/hooks").forEach(h -> made.add(h.path("event").asText()));
        int created = 0;
        for (String event : EVENTS) {
            if (made.contains(event)) {
                continue;
            }
            JsonNode answer = post(MondayOperation.CREATE_WEBHOOK, variables.deepCopy().put("url", url).put("event", event));
            if (answer.at("/data/hook/id").isMissingNode() || answer.at("/data/hook/id").isNull()) {
                JsonNode error = answer.path("errors").path(0);
                throw new IllegalStateException("monday did not make the " + event + " webhook: " + error.at("/extensions/code").asText("")
                        + " " + error.path("message").asText(""));
            }
            created++;
        }
        LOG.info("monday: the contacts board's webhooks to {}: {} made, {} kept", url, created, EVENTS.size() - created);
        return null;
    }

    private JsonNode post(MondayOperation operation, ObjectNode variables) throws IOException, InterruptedException {
        ObjectNode body = CrmHttp.JSON.createObjectNode().put("query", operation.document());
        body.set("variables", variables);
        try {
            CrmHttp.Answer a = http.send(MondayCrm.NAME, io.callbridge.crm.CrmMetrics.WRITE, auth, credentials -> http
                    .request(credentials.apiUrl() + "/v2").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString()))).get(1, TimeUnit.MINUTES);
            if (a.status() != 200) {
                throw new IOException("monday answered " + operation.id() + " with " + a.status() + " "
                        + a.body().at("/errors/0/extensions/code").asText(""));
            }
            return a.body();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("monday did not answer " + operation.id() + ": " + e, e);
        }
    }

    /** The app's JWT: HS256 only (never {@code none}), its signature compared in constant time, its {@code exp} if it has one. */
    private void verify(String authorization) throws Refused {
        if (authorization == null || authorization.isBlank()) {
            throw new Refused("no Authorization: not signed by monday (an app's webhooks carry its JWT)");
        }
        String jwt = authorization.trim().regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.trim().substring(7).trim() : authorization.trim();
        String[] parts = jwt.split("\\.", -1);
        if (parts.length != 3) {
            throw new Refused("Authorization is not a JWT (header.payload.signature)");
        }
        JsonNode header = CrmHttp.objectOrNull(decode(parts[0]));
        if (header == null || !"HS256".equals(header.path("alg").asText())) {
            throw new Refused("the JWT in Authorization is not HS256, the algorithm monday signs with");
        }
        byte[] expected = hmac(parts[0] + "." + parts[1]);
        if (!java.security.MessageDigest.isEqual(expected, decode(parts[2]))) {
            throw new Refused("the JWT's signature does not match: signed with another signing secret than callbridge.crm.monday.signing-secret");
        }
        JsonNode claims = CrmHttp.objectOrNull(decode(parts[1]));
        if (claims == null) {
            throw new Refused("the JWT's payload is not JSON");
        }
        if (claims.has("exp")) {
            if (!claims.get("exp").isNumber()) {
                throw new Refused("the JWT's exp is not a time");
            }
            if (Instant.ofEpochSecond(claims.get("exp").asLong()).plus(SKEW).isBefore(clock.instant())) {
                throw new Refused("the JWT expired: a replayed notification");
            }
        }
    }

    private byte[] hmac(String data) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(signingSecret, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.US_ASCII));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static byte[] decode(String base64url) throws Refused {
        try {
            return Base64.getUrlDecoder().decode(base64url);
        } catch (IllegalArgumentException e) {
            throw new Refused("the JWT in Authorization is not base64url");
        }
    }

    /** A phone column's new number (monday's {@code {"phone": …}}). */
    private static void number(String column, JsonNode value, Set<String> phones, List<String> numbers) {
        if (phones.contains(column) && value != null && value.path("phone").isTextual() && !value.get("phone").asText().isBlank()) {
            numbers.add(value.get("phone").asText());
        }
    }

    /**
     * The value as monday shows it where the event says it plainly (text, numbers, long text, phone), for the cache to
     * recognise Callbridge's own write told back; null otherwise (the cached callers are then dropped).
     */
    private static String shown(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        for (String field : List.of("text", "value", "phone")) {
            if (value.path(field).isValueNode() && !value.path(field).isNull()) {
                return value.get(field).asText();
            }
        }
        return null;
    }

    private Instant occurredAt(JsonNode event) {
        try {
            if (event.path("triggerTime").isTextual()) {
                return Instant.parse(event.get("triggerTime").asText());
            }
        } catch (DateTimeParseException e) {
            // not monday's ISO time: the receipt's time stands in
        }
        if (event.path("changedAt").isNumber()) {
            return Instant.ofEpochMilli((long) (event.get("changedAt").asDouble() * 1000));
        }
        return clock.instant();
    }
}
