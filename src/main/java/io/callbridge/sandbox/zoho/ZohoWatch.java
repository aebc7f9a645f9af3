package io.callbridge.sandbox.zoho;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.SandboxRequest;
import io.callbridge.sandbox.SandboxResponse;
import io.callbridge.sandbox.WebhookSender;

/**
 * The org's instant notifications ({@code /crm/v8/actions/watch}): enabled ({@code POST}), listed ({@code GET}),
 * updated in part ({@code PATCH}) and disabled ({@code DELETE ?channel_ids=}), one channel per channel id and module.
 * Each record inserted, updated or deleted in a watched module is POSTed to the channel's {@code notify_url} as Zoho's callback
 * body ({@code server_time}, {@code query_params} of the URL, {@code module}, {@code resource_uri}, {@code ids},
 * {@code operation}, {@code channel_id}, {@code token}), until the channel expires. A channel asked for without
 * {@code channel_expiry}, or for longer than the maximum (a week), gets the default (an hour), as Zoho's v8 pages say;
 * enabling a channel id again replaces it (assumed: Zoho's pages do not say). One notification per record; Zoho may
 * group a request's records. Channels outlive a reset of the records, as a subscriber enables them once.
 */
final class ZohoWatch {

    static final int MAX_TOKEN = 50;
    private static final Set<String> OPERATIONS = Set.of("all", "create", "edit", "delete");

    private record Key(String channelId, String module) { }

    private static final class Channel {
        final String channelId;
        final ZohoModule module;
        Set<String> operations;
        String notifyUrl;
        String token;
        Instant expiry;

        Channel(String channelId, ZohoModule module) {
            this.channelId = channelId;
            this.module = module;
        }
    }

    private final ZohoSchema schema;
    private final Clock clock;
    private final Supplier<String> baseUrl;
    private final Duration maxExpiry;
    private final Duration defaultExpiry;
    private final WebhookSender sender = new WebhookSender(ZohoSandbox.NAME);
    private final Map<Key, Channel> channels = new LinkedHashMap<>();

    ZohoWatch(ZohoSchema schema, Clock clock, Supplier<String> baseUrl, Duration maxExpiry, Duration defaultExpiry) {
        this.schema = schema;
        this.clock = clock;
        this.baseUrl = baseUrl;
        this.maxExpiry = maxExpiry;
        this.defaultExpiry = defaultExpiry;
    }

    SandboxResponse handle(SandboxRequest req) {
        dropExpired();
        return switch (req.method()) {
            case "GET" -> list();
            case "POST" -> write(req, false);
            case "PATCH" -> write(req, true);
            case "DELETE" -> disable(req);
            default -> throw ZohoError.requestMethod();
        };
    }

    /** A record was inserted, updated or deleted: every live channel watching its module for that operation hears of it. */
    void changed(ZohoModule module, String operation, String id) {
        dropExpired();
        String event = switch (operation) {
            case "insert" -> "create";
            case "delete" -> "delete";
            default -> "edit";
        };
        for (Channel c : channels.values()) {
            if (c.module != module || !(c.operations.contains("all") || c.operations.contains(event))) {
                continue;
            }
            ObjectNode body = Json.object();
            body.put("server_time", clock.millis());
            ObjectNode query = body.putObject("query_params");
            String q = URI.create(c.notifyUrl).getRawQuery();
            if (q != null) SandboxRequest.parseQuery(q).forEach((k, v) -> query.put(k, v.get(0)));
            body.put("module", module.apiName()).put("resource_uri", resourceUri(module));
            body.putArray("ids").add(id);
            body.put("operation", operation).put("channel_id", c.channelId);
            if (c.token != null) body.put("token", c.token);
            sender.post(URI.create(c.notifyUrl), body.toString(), Map.of(), module.apiName() + "." + operation);
        }
    }

    private void dropExpired() {
        Instant now = clock.instant();
        channels.values().removeIf(c -> !c.expiry.isAfter(now));
    }

    private SandboxResponse list() {
        if (channels.isEmpty()) return SandboxResponse.empty(204);
        ObjectNode out = Json.object();
        ArrayNode watch = out.putArray("watch");
        for (Channel c : channels.values()) {
            ObjectNode w = watch.addObject();
            w.put("notify_on_related_action", false).put("channel_expiry", schema.format(c.expiry)).put("return_affected_field_values", false)
                    .put("resource_uri", resourceUri(c.module)).put("resource_id", c.module.id()).put("notify_url", c.notifyUrl)
                    .put("resource_name", c.module.apiName()).putNull("fields").put("channel_id", c.channelId);
            ArrayNode events = w.putArray("events");
            (c.operations.contains("all") ? List.of("edit", "create", "delete") : List.copyOf(c.operations))
                    .forEach(op -> events.add(c.module.apiName() + "." + op));
            if (c.token != null) w.put("token", c.token);
            else w.putNull("token");
        }
        out.putObject("info").put("per_page", 200).put("count", channels.size()).put("page", 1).put("more_records", false);
        return SandboxResponse.json(200, out);
    }

    /** Enables ({@code POST}) or updates in part ({@code PATCH}) each item of {@code watch}; one answer per item, in order. */
    private SandboxResponse write(SandboxRequest req, boolean patch) {
        JsonNode body = Json.parseOrNull(req.body());
        if (body == null || !body.path("watch").isArray()) throw ZohoError.invalidBody("watch", "jsonarray");
        ArrayNode answers = Json.array();
        int succeeded = 0;
        for (int i = 0; i < body.get("watch").size(); i++) {
            try {
                answers.add(patch ? update(body.get("watch").get(i), i) : enable(body.get("watch").get(i), i));
                succeeded++;
            } catch (ZohoError e) {
                answers.add(e.body());
            }
        }
        ObjectNode out = Json.object();
        out.set("watch", answers);
        return SandboxResponse.json(succeeded == answers.size() ? 200 : succeeded == 0 ? 400 : 207, out);
    }

    private ObjectNode enable(JsonNode in, int i) {
        String channelId = channelId(in, i);
        Map<ZohoModule, Set<String>> events = events(in, i);
        String notifyUrl = notifyUrl(in, i, true);
        String token = token(in, i);
        Instant expiry = expiry(in, i);
        ArrayNode details = Json.array();
        events.forEach((module, operations) -> {
            Channel c = new Channel(channelId, module);
            c.operations = operations;
            c.notifyUrl = notifyUrl;
            c.token = token;
            c.expiry = expiry;
            channels.put(new Key(channelId, module.apiName()), c);
            details.add(detail(c));
        });
        return success(details, "Successfully subscribed for actions-watch of the given module");
    }

    private ObjectNode update(JsonNode in, int i) {
        String channelId = channelId(in, i);
        Map<ZohoModule, Set<String>> events = events(in, i);
        String notifyUrl = notifyUrl(in, i, false);
        String token = in.has("token") ? token(in, i) : null;
        Instant expiry = in.has("channel_expiry") ? expiry(in, i) : null;
        ArrayNode details = Json.array();
        for (Map.Entry<ZohoModule, Set<String>> e : events.entrySet()) {
            Channel c = channels.get(new Key(channelId, e.getKey().apiName()));
            if (c == null) {
                throw new ZohoError(400, "INVALID_DATA", "the given channel is not subscribed for the module",
                        Json.object().put("api_name", "channel_id").put("json_path", "$.watch[" + i + "].channel_id"));
            }
            c.operations = e.getValue();
            if (notifyUrl != null) c.notifyUrl = notifyUrl;
            if (token != null) c.token = token;
            if (expiry != null) c.expiry = expiry;
            details.add(detail(c));
        }
        return success(details, "Successfully updated the subscribe details");
    }

    private SandboxResponse disable(SandboxRequest req) {
        String ids = req.param("channel_ids");
        if (ids == null || ids.isBlank()) throw ZohoError.requiredParam("channel_ids");
        ArrayNode answers = Json.array();
        int succeeded = 0;
        for (String id : ids.split(",")) {
            String channelId = id.trim();
            List<Channel> gone = new ArrayList<>(channels.values().stream().filter(c -> c.channelId.equals(channelId)).toList());
            if (gone.isEmpty()) {
                answers.add(ZohoError.envelope("INVALID_DATA", "the given channel id is not subscribed", Json.object().put("channel_id", channelId)));
                continue;
            }
            ArrayNode details = Json.array();
            for (Channel c : gone) {
                channels.remove(new Key(c.channelId, c.module.apiName()));
                details.add(Json.object().put("resource_uri", resourceUri(c.module)).put("resource_id", c.module.id())
                        .put("resource_name", c.module.apiName()).put("channel_id", c.channelId));
            }
            answers.add(success(details, "Successfully unsubscribed from actions-watch of the given module"));
            succeeded++;
        }
        ObjectNode out = Json.object();
        out.set("watch", answers);
        return SandboxResponse.json(succeeded == answers.size() ? 200 : succeeded == 0 ? 400 : 207, out);
    }

    private ObjectNode detail(Channel c) {
        return Json.object().put("channel_expiry", schema.format(c.expiry)).put("resource_uri", resourceUri(c.module))
                .put("resource_id", c.module.id()).put("resource_name", c.module.apiName()).put("channel_id", c.channelId);
    }

    private static ObjectNode success(ArrayNode events, String message) {
        ObjectNode o = Json.object().put("code", "SUCCESS");
        o.putObject("details").set("events", events);
        return o.put("message", message).put("status", "success");
    }

    private String resourceUri(ZohoModule m) {
        return baseUrl.get() + "/crm/v8/" + m.apiName();
    }

    private static String channelId(JsonNode in, int i) {
        JsonNode v = in.get("channel_id");
        if (v == null || v.isNull()) throw mandatory(i, "channel_id");
        String s = v.asText();
        if (!(v.isIntegralNumber() || v.isTextual()) || !s.matches("\\d{1,19}")) throw invalid(i, "channel_id", "long");
        return s;
    }

    /** {@code Module.operation} each; a module named twice gets the operations of both. */
    private Map<ZohoModule, Set<String>> events(JsonNode in, int i) {
        JsonNode v = in.get("events");
        if (v == null || !v.isArray() || v.isEmpty()) throw mandatory(i, "events");
        Map<ZohoModule, Set<String>> out = new LinkedHashMap<>();
        for (JsonNode e : v) {
            String[] parts = e.asText("").split("\\.");
            ZohoModule m = parts.length == 2 ? schema.moduleFromPath(parts[0]) : null;
            if (m == null || !OPERATIONS.contains(parts[1])) throw invalid(i, "events", null);
            out.computeIfAbsent(m, k -> new LinkedHashSet<>()).add(parts[1]);
        }
        return out;
    }

    private static String notifyUrl(JsonNode in, int i, boolean required) {
        String url = in.path("notify_url").asText(null);
        if (url == null) {
            if (required) throw mandatory(i, "notify_url");
            return null;
        }
        try {
            URI u = URI.create(url);
            if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) return url;
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw invalid(i, "notify_url", null);
    }

    private static String token(JsonNode in, int i) {
        String token = in.path("token").asText(null);
        if (token != null && token.length() > MAX_TOKEN) {
            throw new ZohoError(400, "INVALID_DATA", "invalid data", Json.object().put("api_name", "token")
                    .put("json_path", "$.watch[" + i + "].token").put("maximum_length", Integer.toString(MAX_TOKEN)));
        }
        return token;
    }

    private Instant expiry(JsonNode in, int i) {
        Instant now = clock.instant();
        if (!in.hasNonNull("channel_expiry")) return now.plus(defaultExpiry);
        Instant asked = ZohoSchema.parseDateTime(in.get("channel_expiry").asText());
        if (asked == null || !asked.isAfter(now)) throw invalid(i, "channel_expiry", "datetime");
        return asked.isAfter(now.plus(maxExpiry)) ? now.plus(defaultExpiry) : asked;
    }

    private static ZohoError mandatory(int i, String field) {
        return new ZohoError(400, "MANDATORY_NOT_FOUND", "required field not found",
                Json.object().put("api_name", field).put("json_path", "$.watch[" + i + "]." + field));
    }

    private static ZohoError invalid(int i, String field, String expected) {
        ObjectNode d = Json.object().put("api_name", field).put("json_path", "$.watch[" + i + "]." + field);
        if (expected != null) d.put("expected_data_type", expected);
        return new ZohoError(400, "INVALID_DATA", "invalid data", d);
    }
}
