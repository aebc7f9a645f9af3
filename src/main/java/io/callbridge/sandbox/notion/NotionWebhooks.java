package io.callbridge.sandbox.notion;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.WebhookSender;
import io.callbridge.sandbox.notion.NotionStore.Page;
import io.callbridge.sandbox.notion.NotionWorkspace.DataSource;

/**
 * The integration's webhook subscription, as set up in its settings (Notion has no API for it). Made, it POSTs the
 * one-time {@code {"verification_token": "…"}} to the URL, which the integrator pastes back into Notion's UI; the
 * sandbox counts the subscription as verified and sends every page event ({@code page.created},
 * {@code page.properties_updated} with the changed property ids, {@code page.deleted}, {@code page.undeleted},
 * {@code page.content_updated}) of every data source, sparse as Notion's are (ids, no values), API version 2025-09-03
 * (the parent names its data source), signed {@code X-Notion-Signature: sha256=<hex HMAC-SHA256(body, token)>}.
 * Notion sends the verification once; the sandbox tries it again every second for a minute until the URL answers 2xx,
 * as the subscriber may start after it (the dev profile's Callbridge).
 */
final class NotionWebhooks {

    static final String WORKSPACE_ID = "13950b26-c203-4f3b-b97d-000000000001";
    static final String SUBSCRIPTION_ID = "29d75c0d-5546-4414-8459-000000000001";
    static final String INTEGRATION_ID = "0ef2e755-4912-8096-91c1-000000000001";
    static final String API_VERSION = "2025-09-03";
    private static final int VERIFICATION_TRIES = 60;

    private final URI target;
    private final String token;
    private final Clock clock;
    private final Supplier<Random> random;
    private final WebhookSender sender = new WebhookSender("Notion");

    NotionWebhooks(String target, String verificationToken, Clock clock, Supplier<Random> random) {
        this.target = URI.create(target);
        this.token = verificationToken;
        this.clock = clock;
        this.random = random;
    }

    /** The one-time verification request; completes with whether the URL took it. */
    CompletableFuture<Boolean> verify() {
        return verify(1);
    }

    private CompletableFuture<Boolean> verify(int attempt) {
        String body = Json.object().put("verification_token", token).toString();
        return sender.post(target, body, Map.of(), "verification").thenCompose(status -> {
            if (status >= 200 && status < 300) return CompletableFuture.completedFuture(true);
            if (attempt >= VERIFICATION_TRIES) return CompletableFuture.completedFuture(false);
            return CompletableFuture.supplyAsync(() -> attempt + 1, CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS))
                    .thenCompose(this::verify);
        });
    }

    /** A page event; {@code updatedProperties}: the property ids of {@code page.properties_updated}, else null. */
    void pageEvent(String type, Page page, DataSource ds, List<String> updatedProperties) {
        ObjectNode e = Json.object();
        e.put("id", NotionValues.newId(random.get())).put("timestamp", NotionSandbox.time(clock.instant()))
                .put("workspace_id", WORKSPACE_ID).put("workspace_name", "Callbridge sandbox").put("subscription_id", SUBSCRIPTION_ID)
                .put("integration_id", INTEGRATION_ID).put("type", type);
        e.putArray("authors").addObject().put("id", NotionSandbox.BOT_USER_ID).put("type", "bot");
        e.put("attempt_number", 1).put("api_version", API_VERSION);
        e.putObject("entity").put("id", page.id).put("type", "page");
        ObjectNode data = e.putObject("data");
        data.putObject("parent").put("id", ds.databaseId).put("type", "database").put("data_source_id", ds.id);
        if (updatedProperties != null) updatedProperties.forEach(data.putArray("updated_properties")::add);
        String body = e.toString();
        sender.post(target, body, Map.of("X-Notion-Signature", signature(body)), type);
    }

    String signature(String body) {
        return "sha256=" + HexFormat.of().formatHex(WebhookSender.hmacSha256(token.getBytes(StandardCharsets.UTF_8), body));
    }
}
