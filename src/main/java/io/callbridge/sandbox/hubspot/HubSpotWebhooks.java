package io.callbridge.sandbox.hubspot;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.WebhookSender;

/**
 * The portal's webhook subscriptions for contacts, as a HubSpot app's: each change is POSTed to the app's target URL as
 * a JSON array of events ({@code contact.creation}, {@code contact.propertyChange} per property, {@code contact.deletion},
 * {@code contact.privacyDeletion}), signed with the app's client secret as HubSpot signs (v3: {@code X-HubSpot-Signature-v3}
 * is the base64 HMAC-SHA256 of method, URI, body and {@code X-HubSpot-Request-Timestamp}). Sent asynchronously, once,
 * without HubSpot's retries; the sandbox decides to send one event per request (HubSpot batches up to 100).
 */
final class HubSpotWebhooks {

    static final long PORTAL_ID = 62515;
    static final long APP_ID = 1160452;

    private final URI target;
    private final byte[] secret;
    private final Clock clock;
    private final WebhookSender sender = new WebhookSender("HubSpot");
    private final AtomicLong eventIds = new AtomicLong(100);

    HubSpotWebhooks(String target, String secret, Clock clock) {
        this.target = URI.create(target);
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
    }

    /** One change of a contact: {@code property} and {@code value} only for a property change. */
    void contactChanged(long objectId, String subscriptionType, String property, String value) {
        ArrayNode events = Json.array();
        var e = events.addObject().put("eventId", eventIds.incrementAndGet()).put("subscriptionId", 2461)
                .put("portalId", PORTAL_ID).put("appId", APP_ID).put("occurredAt", clock.millis())
                .put("subscriptionType", subscriptionType).put("attemptNumber", 0).put("objectId", objectId)
                .put("changeSource", "CRM_UI");
        if (property != null) {
            e.put("propertyName", property).put("propertyValue", value == null ? "" : value);
        }
        String body = events.toString();
        String timestamp = Long.toString(clock.millis());
        sender.post(target, body, Map.of("X-HubSpot-Signature-v3", signature("POST", target.toString(), body, timestamp),
                "X-HubSpot-Signature-Version", "v3", "X-HubSpot-Request-Timestamp", timestamp), subscriptionType);
    }

    /** HubSpot's v3 signature of a request. */
    String signature(String method, String uri, String body, String timestamp) {
        return Base64.getEncoder().encodeToString(WebhookSender.hmacSha256(secret, method + uri + body + timestamp));
    }
}
