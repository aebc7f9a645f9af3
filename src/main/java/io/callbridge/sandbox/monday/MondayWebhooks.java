package io.callbridge.sandbox.monday;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.WebhookSender;
import io.callbridge.sandbox.monday.MondayStore.Cell;
import io.callbridge.sandbox.monday.MondayStore.Item;
import io.callbridge.sandbox.monday.MondayWorkspace.Board;

/**
 * The account's board webhooks ({@code create_webhook}, {@code webhooks}, {@code delete_webhook}) and what they send.
 * At registration the URL gets {@code {"challenge": "…"}} and must answer the same JSON, or no webhook is made. Then
 * each item event of the board is POSTed as {@code {"event": {…}}} in monday's shapes: {@code create_pulse}
 * ({@code create_item}), {@code update_column_value} ({@code change_column_value}, {@code change_specific_column_value}
 * with {@code config.columnId}, {@code change_status_column_value}), {@code update_name} ({@code change_name}),
 * {@code delete_pulse} ({@code item_deleted}); the other event types are accepted and never sent. With the app's
 * {@code signing-secret}, each event carries in {@code Authorization} a JWT (HS256) signed with it, as monday signs an
 * app's webhooks; without it, none (a personal token's webhooks are unsigned).
 */
final class MondayWebhooks implements MondayStore.ItemEvents {

    static final long FIRST_WEBHOOK_ID = 530_000_001L;
    /** How long a webhook's JWT is valid: monday does not publish it; five minutes is the sandbox's choice. */
    static final long TOKEN_SECONDS = 300;

    record Webhook(String id, String boardId, String url, String event, String config) { }

    private final MondayWorkspace workspace;
    private final Clock clock;
    private final Supplier<Random> random;
    private final byte[] signingSecret;
    private final WebhookSender sender = new WebhookSender("monday");
    private final Map<String, Webhook> hooks = new LinkedHashMap<>();
    private long nextId = FIRST_WEBHOOK_ID;

    /** @param signingSecret the app's signing secret; null: events go unsigned */
    MondayWebhooks(MondayWorkspace workspace, Clock clock, Supplier<Random> random, String signingSecret) {
        this.workspace = workspace;
        this.clock = clock;
        this.random = random;
        this.signingSecret = signingSecret == null ? null : signingSecret.getBytes(StandardCharsets.UTF_8);
    }

    /** A webhook once the URL has answered the challenge; else the field's error. */
    Webhook create(Board board, String url, String event, Object configArgument) {
        URI target;
        try {
            target = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw MondayError.invalidArgument("Invalid url: " + url);
        }
        if (!"http".equals(target.getScheme()) && !"https".equals(target.getScheme())) {
            throw MondayError.invalidArgument("Invalid url: " + url);
        }
        String config = config(board, event, configArgument);
        String challenge = token(32);
        String sent = Json.object().put("challenge", challenge).toString();
        try {
            // monday waits for the echo before it answers create_webhook; so does the sandbox
            HttpResponse<String> r = sender.postNow(target, sent, Map.of());
            JsonNode echoed = r.statusCode() == 200 ? Json.parseOrNull(r.body().getBytes(StandardCharsets.UTF_8)) : null;
            if (echoed == null || !challenge.equals(echoed.path("challenge").asText(null))) {
                throw MondayError.webhookChallengeFailed();
            }
        } catch (IOException e) {
            throw MondayError.webhookChallengeFailed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MondayError.webhookChallengeFailed();
        }
        Webhook w = new Webhook(Long.toString(nextId++), board.id(), url, event, config);
        hooks.put(w.id(), w);
        return w;
    }

    /** {@code change_specific_column_value} needs {@code {"columnId": "…"}} of a column of the board; others take none. */
    private static String config(Board board, String event, Object argument) {
        if (argument == null) {
            if (event.equals("change_specific_column_value")) {
                throw MondayError.invalidArgument("change_specific_column_value needs config {\"columnId\": \"<column id>\"}");
            }
            return null;
        }
        JsonNode c;
        try {
            c = argument instanceof String s ? Json.MAPPER.readTree(s) : Json.MAPPER.valueToTree(argument);
        } catch (IOException e) {
            throw MondayError.invalidArgument("Invalid config: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (c == null || !c.isObject()) throw MondayError.invalidArgument("Invalid config: a JSON object is expected");
        if (event.equals("change_specific_column_value")) MondayColumns.column(board, c.path("columnId").asText(null));
        return c.toString();
    }

    List<Webhook> of(String boardId) {
        return hooks.values().stream().filter(w -> w.boardId().equals(boardId)).toList();
    }

    Webhook delete(String id) {
        Webhook w = hooks.remove(id);
        if (w == null) throw MondayError.invalidArgument("Webhook not found: " + id);
        return w;
    }

    void reset() {
        hooks.clear();
        nextId = FIRST_WEBHOOK_ID;
    }

    // ---- what the webhooks send -------------------------------------------------------------------

    @Override
    public void created(Item item) {
        ObjectNode columns = Json.object();
        item.cells.forEach((id, cell) -> columns.set(id, value(cell)));
        send(item, "create_item", null, null, "create_pulse", e -> {
            e.put("pulseId", Long.parseLong(item.id)).put("pulseName", item.name).put("groupId", item.groupId)
                    .put("groupName", MondayWorkspace.GROUP_TITLE).put("groupColor", "#579bfc").put("isTopGroup", true);
            e.set("columnValues", columns);
        });
    }

    @Override
    public void columnChanged(Item item, String columnId, Cell before, Cell after) {
        MondayWorkspace.Column column = workspace.board(item.boardId).column(columnId);
        String event = column.type().equals("status") ? "change_status_column_value" : null;
        send(item, "change_column_value", event, columnId, "update_column_value", e -> {
            e.put("groupId", item.groupId).put("pulseId", Long.parseLong(item.id)).put("pulseName", item.name)
                    .put("columnId", columnId).put("columnType", column.type()).put("columnTitle", column.title());
            e.set("value", value(after));
            e.set("previousValue", value(before));
            e.put("changedAt", clock.millis() / 1000.0).put("isTopGroup", true);
        });
    }

    @Override
    public void renamed(Item item, String before) {
        send(item, "change_name", null, null, "update_name", e -> {
            e.put("groupId", item.groupId).put("pulseId", Long.parseLong(item.id));
            e.putObject("value").put("name", item.name);
            e.putObject("previousValue").put("name", before);
        });
    }

    @Override
    public void deleted(Item item) {
        send(item, "item_deleted", null, null, "delete_pulse", e -> e.put("itemId", Long.parseLong(item.id)).put("itemName", item.name));
    }

    /** A column's value as webhooks show it: the stored JSON, a plain value wrapped as {@code {"value": …}}. */
    private static JsonNode value(Cell cell) {
        if (cell == null) return Json.MAPPER.nullNode();
        return cell.value().isObject() ? cell.value().deepCopy() : Json.object().set("value", cell.value());
    }

    /**
     * To every webhook of the item's board for {@code event} or {@code alsoEvent} (null: none); {@code columnId}: the
     * column a {@code change_specific_column_value} webhook must name (null: none).
     */
    private void send(Item item, String event, String alsoEvent, String columnId, String type,
            java.util.function.Consumer<ObjectNode> fill) {
        List<Webhook> matching = new ArrayList<>();
        for (Webhook w : of(item.boardId)) {
            boolean specific = w.event().equals("change_specific_column_value") && columnId != null
                    && columnId.equals(Json.parseOrNull(w.config().getBytes(StandardCharsets.UTF_8)).path("columnId").asText(null));
            if (w.event().equals(event) || specific || w.event().equals(alsoEvent)) matching.add(w);
        }
        Instant now = clock.instant();
        for (Webhook w : matching) {
            ObjectNode body = Json.object();
            ObjectNode e = body.putObject("event");
            e.put("app", "monday").put("type", type).put("triggerTime", now.truncatedTo(ChronoUnit.MILLIS).toString())
                    .put("subscriptionId", Long.parseLong(w.id())).put("triggerUuid", HexFormat.of().formatHex(bytes(16)))
                    .put("userId", Long.parseLong(workspace.owner().id())).putNull("originalTriggerUuid")
                    .put("boardId", Long.parseLong(item.boardId));
            fill.accept(e);
            sender.post(URI.create(w.url()), body.toString(), signingSecret == null ? Map.of() : Map.of("Authorization", jwt(w.url(), now)),
                    type);
        }
    }

    /** The app's JWT: HS256 over the account, the user, the URL as audience, issued now, valid {@value #TOKEN_SECONDS} s. */
    String jwt(String audience, Instant now) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        ObjectNode claims = Json.object().put("accountId", MondaySandbox.ACCOUNT_ID).put("userId", Long.parseLong(workspace.owner().id()))
                .put("aud", audience).put("iat", now.getEpochSecond()).put("exp", now.getEpochSecond() + TOKEN_SECONDS);
        String payload = b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        return header + "." + payload + "." + b64.encodeToString(WebhookSender.hmacSha256(signingSecret, header + "." + payload));
    }

    private String token(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        Random r = random.get();
        StringBuilder sb = new StringBuilder();
        synchronized (r) {
            for (int i = 0; i < length; i++) sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private byte[] bytes(int n) {
        byte[] out = new byte[n];
        Random r = random.get();
        synchronized (r) {
            r.nextBytes(out);
        }
        return out;
    }
}
