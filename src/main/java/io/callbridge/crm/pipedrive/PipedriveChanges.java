package io.callbridge.crm.pipedrive;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.crm.ChangeNotifications;
import io.callbridge.crm.CrmAuth;
import io.callbridge.crm.CrmHttp;
import io.callbridge.crm.CrmMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pipedrive's person webhooks (v2). Pipedrive signs nothing: a webhook sends the HTTP Basic credentials it was created
 * with, so those are the proof, compared in constant time. Callbridge creates the webhook itself ({@code POST
 * /v1/webhooks}, every action on persons) and, at the next start, keeps the one already there for its URL rather than
 * adding one each time; one for its URL with other events or credentials is replaced. A webhook lasts until deleted.
 */
final class PipedriveChanges implements ChangeNotifications {

    private static final Logger LOG = LoggerFactory.getLogger(PipedriveChanges.class);
    static final String WEBHOOK_NAME = "Callbridge caller changes";

    private final String user;
    private final String password;
    private final byte[] credentials;
    private final CrmHttp http;
    private final CrmAuth auth;
    private final String baseUrl;
    private final Clock clock;

    PipedriveChanges(String user, String password, CrmHttp http, CrmAuth auth, String baseUrl, Clock clock) {
        this.user = user;
        this.password = password;
        this.credentials = (user + ":" + password).getBytes(StandardCharsets.UTF_8);
        this.http = http;
        this.auth = auth;
        this.baseUrl = baseUrl;
        this.clock = clock;
    }

    @Override
    public List<RecordChange> read(Notification n) throws Refused {
        String authorization = n.header().apply("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw new Refused("no HTTP Basic credentials: not sent by the webhook Callbridge gave Pipedrive");
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(authorization.substring(6).trim());
        } catch (IllegalArgumentException e) {
            throw new Refused("the HTTP Basic credentials are not base64");
        }
        if (!MessageDigest.isEqual(credentials, given)) {
            throw new Refused("the HTTP Basic credentials are not those Callbridge gave Pipedrive's webhook (" + PipedriveCrm.WEBHOOK_USER
                    + ", " + PipedriveCrm.WEBHOOK_PASSWORD + ")");
        }
        JsonNode body;
        try {
            body = CrmHttp.JSON.readTree(n.body());
        } catch (IOException e) {
            throw new Refused("the body is not Pipedrive's webhook JSON");
        }
        JsonNode meta = body == null ? null : body.get("meta");
        if (meta == null || !meta.isObject()) {
            throw new Refused("the body has no meta: not a Pipedrive webhook (v2)");
        }
        if (!"person".equals(meta.path("entity").asText())) {
            return List.of();
        }
        return List.of(change(meta, body.path("data"), body.path("previous")));
    }

    private RecordChange change(JsonNode meta, JsonNode data, JsonNode previous) {
        String kind = switch (meta.path("action").asText()) {
            case "create" -> "created";
            case "delete" -> "deleted";
            default -> "updated";
        };
        Map<String, String> values = new HashMap<>();
        if (kind.equals("updated") && previous.isObject()) {
            previous.fieldNames().forEachRemaining(f -> {
                JsonNode now = data.get(f);
                values.put(f, now != null && now.isValueNode() && !now.isNull() ? now.asText() : null);
            });
        }
        List<String> numbers = new ArrayList<>();
        if (!kind.equals("deleted")) {
            data.path("phones").forEach(p -> {
                String value = p.path("value").asText("");
                if (!value.isBlank()) {
                    numbers.add(value);
                }
            });
        }
        String id = meta.path("entity_id").asText(data.path("id").asText(previous.path("id").asText("")));
        return new RecordChange(id, kind, values, numbers, time(meta.path("timestamp").asText(null)));
    }

    private Instant time(String timestamp) {
        try {
            return timestamp == null ? clock.instant() : Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            return clock.instant();
        }
    }

    /** Keeps or creates the webhook to {@code url}; it never expires. */
    @Override
    public Duration subscribe(String url) throws Exception {
        CrmHttp.Answer listed = send(() -> http.request(baseUrl + "/v1/webhooks").GET(), CrmMetrics.READ);
        if (!listed.ok()) {
            throw listed.failure("listing webhooks");
        }
        boolean kept = false;
        for (JsonNode h : listed.body().path("data")) {
            if (!url.equals(h.path("subscription_url").asText())) {
                continue;
            }
            if (!kept && ours(h)) {
                kept = true;
                LOG.info("pipedrive: webhook {} already sends person changes to {}", h.path("id").asText(), url);
                continue;
            }
            CrmHttp.Answer deleted = send(() -> http.request(baseUrl + "/v1/webhooks/" + h.path("id").asLong()).DELETE(), CrmMetrics.WRITE);
            if (!deleted.ok() && deleted.status() != 404) {
                throw deleted.failure("deleting an outdated webhook");
            }
            LOG.info("pipedrive: webhook {} to {} had other events or credentials; deleted", h.path("id").asText(), url);
        }
        if (!kept) {
            ObjectNode hook = CrmHttp.JSON.createObjectNode().put("subscription_url", url).put("event_action", "*")
                    .put("event_object", "person").put("name", WEBHOOK_NAME).put("http_auth_user", user)
                    .put("http_auth_password", password).put("version", "2.0");
            CrmHttp.Answer created = send(() -> http.request(baseUrl + "/v1/webhooks").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(hook.toString())), CrmMetrics.WRITE);
            if (!created.ok()) {
                throw created.failure("creating the webhook");
            }
            LOG.info("pipedrive: webhook {} created: person changes go to {}", created.body().at("/data/id").asText(), url);
        }
        return null;
    }

    /** A webhook this very configuration made: every person change, v2, these credentials (a password Pipedrive hides is not known to be ours). */
    private boolean ours(JsonNode h) {
        return h.path("is_active").asInt(1) == 1 && "*".equals(h.path("event_action").asText()) && "person".equals(h.path("event_object").asText())
                && "2.0".equals(h.path("version").asText()) && user.equals(h.path("http_auth_user").asText(null))
                && password.equals(h.path("http_auth_password").asText(null));
    }

    /** {@code request} builds it anew for each attempt (a 401 renews the credentials and sends once more). */
    private CrmHttp.Answer send(Supplier<HttpRequest.Builder> request, String operation) throws Exception {
        try {
            return http.send(PipedriveCrm.NAME, operation, auth, credentials -> request.get()).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
