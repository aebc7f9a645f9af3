package io.callbridge.sandbox.pipedrive;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.SandboxRequest;
import io.callbridge.sandbox.SandboxResponse;
import io.callbridge.sandbox.WebhookSender;

/**
 * The company's webhooks ({@code GET|POST /v1/webhooks}, {@code DELETE /v1/webhooks/{id}}, answered as Pipedrive's v1
 * API document answers them) and their deliveries: each person added, changed or deleted is POSTed to every active
 * webhook whose {@code event_action} and {@code event_object} match, in the webhooks v2 format ({@code meta},
 * {@code data} the person now or null once deleted, {@code previous} the changed fields' former values, or the whole
 * person once deleted), with the HTTP Basic credentials the webhook was created with (Pipedrive signs nothing). Each
 * delivery sets the webhook's {@code last_delivery_time} and {@code last_http_status}. Only v2 is sent: a webhook asked
 * for as {@code version} 1.0 is refused. Webhooks outlive a reset of the records, as a subscriber registers them once.
 */
final class PipedriveWebhooks {

    static final long COMPANY_ID = 7_283_961;
    static final int MAX_PER_USER = 40;
    private static final Set<String> ACTIONS = Set.of("create", "change", "delete", "*");
    private static final Set<String> OBJECTS = Set.of("activity", "deal", "lead", "note", "organization", "person", "pipeline", "product",
            "stage", "user", "*");

    private final Clock clock;
    private final PipedriveApi api;
    private final WebhookSender sender = new WebhookSender(PipedriveSandbox.NAME);
    private final TreeMap<Long, ObjectNode> hooks = new TreeMap<>();
    private long nextId = 1;

    PipedriveWebhooks(Clock clock, PipedriveApi api) {
        this.clock = clock;
        this.api = api;
    }

    /** {@code s}: the path segments after {@code /v1/webhooks}. */
    synchronized SandboxResponse handle(SandboxRequest req, List<String> s) {
        if (s.isEmpty() && req.method().equals("GET")) {
            ArrayNode all = Json.array();
            hooks.values().forEach(h -> all.add(h.deepCopy()));
            return SandboxResponse.json(200, ok().set("data", all));
        }
        if (s.isEmpty() && req.method().equals("POST")) {
            return create(PipedriveApi.body(req));
        }
        if (s.size() == 1 && req.method().equals("DELETE")) {
            Long id = null;
            try {
                id = Long.parseLong(s.get(0));
            } catch (NumberFormatException e) {
                // answered as an unknown webhook below
            }
            if (id == null || hooks.remove(id) == null) {
                return SandboxResponse.json(404, errors("id", "not found"));
            }
            return SandboxResponse.json(200, ok());
        }
        throw PipedriveApi.notSimulated(req);
    }

    private SandboxResponse create(JsonNode b) {
        if (b == null || !b.isObject()) return SandboxResponse.json(400, errors("body", "must be a JSON object"));
        String url = PipedriveApi.string(b, "subscription_url");
        if (!reachable(url)) return SandboxResponse.json(400, errors("subscription_url", "invalid or non-reachable URL"));
        String action = PipedriveApi.string(b, "event_action");
        if (action == null || !ACTIONS.contains(action)) {
            return SandboxResponse.json(400, errors("event_action", "must be one of create, change, delete, *"));
        }
        String object = PipedriveApi.string(b, "event_object");
        if (object == null || !OBJECTS.contains(object)) {
            return SandboxResponse.json(400, errors("event_object",
                    "must be one of activity, deal, lead, note, organization, person, pipeline, product, stage, user, *"));
        }
        String name = PipedriveApi.string(b, "name");
        if (name == null || name.isBlank() || name.length() > 255) {
            return SandboxResponse.json(400, errors("name", "is required (at most 255 characters)"));
        }
        String version = b.hasNonNull("version") ? PipedriveApi.string(b, "version") : "2.0";
        if (!"2.0".equals(version)) {
            return SandboxResponse.json(400, errors("version", "1.0".equals(version)
                    ? "the sandbox sends webhooks v2 only" : "must be one of 1.0, 2.0"));
        }
        long user = b.hasNonNull("user_id") ? b.get("user_id").asLong(-1) : api.tokenUser().id();
        if (!api.users.containsKey(user)) return SandboxResponse.json(400, errors("user_id", "not found"));
        if (hooks.values().stream().filter(h -> h.get("user_id").asLong() == user).count() >= MAX_PER_USER) {
            return SandboxResponse.json(400, errors("user_id", "has reached the limit of " + MAX_PER_USER + " webhooks"));
        }
        long id = nextId++;
        ObjectNode h = Json.object();
        h.put("id", id).put("company_id", COMPANY_ID).put("owner_id", user).put("user_id", user).put("event_action", action)
                .put("event_object", object).put("subscription_url", url).put("version", version).put("is_active", 1)
                .put("add_time", PipedriveApi.ISO_MILLIS.format(clock.instant())).putNull("remove_time").put("type", "general");
        nullable(h, "http_auth_user", PipedriveApi.string(b, "http_auth_user"));
        nullable(h, "http_auth_password", PipedriveApi.string(b, "http_auth_password"));
        h.putNull("remove_reason").putNull("last_delivery_time").putNull("last_http_status").put("admin_id", user).put("name", name);
        hooks.put(id, h);
        return SandboxResponse.json(201, ok().set("data", h.deepCopy()));
    }

    /**
     * A person was added ({@code create}), changed or deleted: {@code current} is the person now (null once deleted),
     * {@code previous} what changed held before (the whole person once deleted; null when added).
     */
    synchronized void personChanged(String action, ObjectNode current, ObjectNode previous) {
        ObjectNode person = current != null ? current : previous;
        for (ObjectNode h : new ArrayList<>(hooks.values())) {
            if (h.get("is_active").asInt() != 1 || !matches(h.get("event_action").asText(), action)
                    || !matches(h.get("event_object").asText(), "person")) {
                continue;
            }
            long hookId = h.get("id").asLong();
            String owner = h.get("user_id").asText();
            ObjectNode body = Json.object();
            body.set("data", current == null ? Json.object().nullNode() : current.deepCopy());
            body.set("previous", previous == null ? Json.object().nullNode() : previous.deepCopy());
            ObjectNode meta = body.putObject("meta");
            meta.put("action", action).put("company_id", Long.toString(COMPANY_ID)).put("correlation_id", UUID.randomUUID().toString())
                    .put("entity_id", person.get("id").asText()).put("entity", "person").put("id", UUID.randomUUID().toString())
                    .put("is_bulk_edit", false).put("timestamp", PipedriveApi.ISO_MILLIS.format(clock.instant())).put("type", "general")
                    .put("user_id", Long.toString(api.tokenUser().id())).put("version", "2.0").put("webhook_id", Long.toString(hookId))
                    .put("webhook_owner_id", owner).put("change_source", "api").put("attempt", 1).put("host", "sandbox.pipedrive.com");
            meta.putArray("permitted_user_ids").add(owner);
            sender.post(URI.create(h.get("subscription_url").asText()), body.toString(), credentials(h), action + ".person")
                    .thenAccept(status -> delivered(hookId, status));
        }
    }

    private synchronized void delivered(long hookId, int status) {
        ObjectNode h = hooks.get(hookId);
        if (h != null) {
            h.put("last_delivery_time", PipedriveApi.ISO_MILLIS.format(clock.instant()));
            if (status > 0) h.put("last_http_status", status);
        }
    }

    private static Map<String, String> credentials(ObjectNode h) {
        if (!h.hasNonNull("http_auth_user")) return Map.of();
        String pair = h.get("http_auth_user").asText() + ":" + h.path("http_auth_password").asText("");
        return Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }

    private static boolean matches(String subscribed, String happened) {
        return subscribed.equals("*") || subscribed.equals(happened);
    }

    private static boolean reachable(String url) {
        if (url == null) return false;
        try {
            URI u = URI.create(url);
            return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void nullable(ObjectNode o, String field, String value) {
        if (value == null) o.putNull(field);
        else o.put(field, value);
    }

    private static ObjectNode ok() {
        return Json.object().put("status", "ok").put("success", true);
    }

    private static ObjectNode errors(String field, String message) {
        ObjectNode o = Json.object().put("status", "error").put("success", false);
        o.putObject("errors").putArray(field).add(message);
        return o;
    }
}
