package io.callbridge.crm.zoho;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.crm.ChangeNotifications;
import io.callbridge.crm.CrmAuth;
import io.callbridge.crm.CrmException;
import io.callbridge.crm.CrmHttp;
import io.callbridge.crm.CrmMetrics;

/**
 * Zoho's instant notifications of Contacts and Leads. Zoho signs nothing: it echoes in every notification the token the
 * watch was enabled with, so that token is the proof, compared in constant time. Callbridge enables the watch itself
 * ({@code POST /crm/v8/actions/watch}, one channel for both modules) and, as a channel expires (a week at most, an hour
 * when asked for more), enables it again at half of what Zoho answered; enabling a channel id again replaces it.
 * A notification names the records' ids only, so each change drops the cached callers of its record.
 */
final class ZohoChanges implements ChangeNotifications {

    static final List<String> EVENTS = List.of("Contacts.all", "Leads.all");
    static final int MAX_TOKEN = 50;
    private static final Set<String> MODULES = Set.of("Contacts", "Leads");
    private static final DateTimeFormatter EXPIRY = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");

    private final String token;
    private final long channelId;
    private final Duration asked;
    private final CrmHttp http;
    private final CrmAuth auth;
    private final Clock clock;

    ZohoChanges(String token, long channelId, Duration asked, CrmHttp http, CrmAuth auth, Clock clock) {
        this.token = token;
        this.channelId = channelId;
        this.asked = asked;
        this.http = http;
        this.auth = auth;
        this.clock = clock;
    }

    @Override
    public List<RecordChange> read(Notification n) throws Refused {
        JsonNode body;
        try {
            body = CrmHttp.JSON.readTree(n.body());
        } catch (IOException e) {
            throw new Refused("the body is not Zoho's notification JSON");
        }
        if (body == null || !body.isObject()) {
            throw new Refused("the body is not Zoho's notification JSON");
        }
        JsonNode given = body.get("token");
        if (given == null || !given.isTextual()) {
            throw new Refused("no token in the body: not a notification of the watch Callbridge enabled in Zoho");
        }
        if (!MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), given.asText().getBytes(StandardCharsets.UTF_8))) {
            throw new Refused("the token is not the one Callbridge gave Zoho's watch (" + ZohoCrm.WATCH_TOKEN + ")");
        }
        if (!MODULES.contains(body.path("module").asText())) {
            return List.of();
        }
        String kind = switch (body.path("operation").asText()) {
            case "insert" -> "created";
            case "delete" -> "deleted";
            default -> "updated";
        };
        Instant at = body.path("server_time").canConvertToLong() ? Instant.ofEpochMilli(body.get("server_time").asLong()) : clock.instant();
        List<RecordChange> changes = new ArrayList<>();
        body.path("ids").forEach(id -> changes.add(new RecordChange(id.asText(), kind, Map.of(), List.of(), at)));
        return changes;
    }

    /** Enables (again) the channel to {@code url}; answers how long Zoho keeps it. */
    @Override
    public Duration subscribe(String url) throws Exception {
        ObjectNode watch = CrmHttp.JSON.createObjectNode();
        ObjectNode channel = watch.putArray("watch").addObject().put("channel_id", channelId);
        EVENTS.forEach(channel.putArray("events")::add);
        channel.put("channel_expiry", EXPIRY.format(clock.instant().plus(asked).atOffset(ZoneOffset.UTC)))
                .put("token", token).put("notify_url", url);
        CrmHttp.Answer answer;
        try {
            answer = http.send(ZohoCrm.NAME, CrmMetrics.WRITE, auth, credentials -> http.request(credentials.apiUrl() + "/crm/v8/actions/watch")
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(watch.toString()))).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        JsonNode result = answer.body().path("watch").path(0);
        if (!answer.ok() || !"SUCCESS".equals(result.path("code").asText())) {
            throw CrmException.failed(ZohoCrm.NAME, answer.status(), "enabling the watch", result.path("code").asText("")
                    + " " + result.path("details").path("api_name").asText(""));
        }
        Instant now = clock.instant();
        Instant ends = null;
        for (JsonNode e : result.path("details").path("events")) {
            try {
                Instant expiry = OffsetDateTime.parse(e.path("channel_expiry").asText()).toInstant();
                ends = ends == null || expiry.isBefore(ends) ? expiry : ends;
            } catch (DateTimeParseException x) {
                // a channel whose expiry Zoho does not say is renewed as if it ended first
                ends = now;
            }
        }
        if (ends == null || !ends.isAfter(now)) {
            throw CrmException.failed(ZohoCrm.NAME, answer.status(), "enabling the watch", "no channel_expiry ahead");
        }
        return Duration.between(now, ends);
    }
}
