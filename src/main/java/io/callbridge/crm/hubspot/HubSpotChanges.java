package io.callbridge.crm.hubspot;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.crm.ChangeNotifications;
import io.callbridge.crm.CrmHttp;

/**
 * HubSpot's contact webhooks, verified by their v3 signature: the base64 HMAC-SHA256, keyed by the app's client secret,
 * of method, URI, body and {@code X-HubSpot-Request-Timestamp}, refused when older than five minutes, as HubSpot
 * documents. A request holds a JSON array of events; those on contacts become changes.
 */
final class HubSpotChanges implements ChangeNotifications {

    private static final Duration MAX_AGE = Duration.ofMinutes(5);
    private static final Set<String> PHONES = Set.of("phone", "mobilephone");

    private final byte[] clientSecret;
    private final Clock clock;

    HubSpotChanges(String clientSecret, Clock clock) {
        this.clientSecret = clientSecret.getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
    }

    @Override
    public List<RecordChange> read(Notification n) throws Refused {
        String signature = n.header().apply("X-HubSpot-Signature-v3");
        String timestamp = n.header().apply("X-HubSpot-Request-Timestamp");
        if (signature == null || timestamp == null) {
            throw new Refused("no X-HubSpot-Signature-v3 and X-HubSpot-Request-Timestamp: not signed by HubSpot");
        }
        long sentAt;
        try {
            sentAt = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw new Refused("X-HubSpot-Request-Timestamp is not a time");
        }
        if (Duration.between(Instant.ofEpochMilli(sentAt), clock.instant()).compareTo(MAX_AGE) > 0) {
            throw new Refused("X-HubSpot-Request-Timestamp is older than five minutes: a replayed notification");
        }
        byte[] expected = sign(n.method() + n.url() + new String(n.body(), StandardCharsets.UTF_8) + timestamp);
        if (!MessageDigest.isEqual(expected, signature.trim().getBytes(StandardCharsets.US_ASCII))) {
            // the URL helps behind a proxy: the one the app was given must be set as change-url
            throw new Refused("X-HubSpot-Signature-v3 does not match: signed with another client secret, or for another URL than "
                    + n.url());
        }
        JsonNode events;
        try {
            events = CrmHttp.JSON.readTree(n.body());
        } catch (java.io.IOException e) {
            throw new Refused("the body is not HubSpot's JSON array of events");
        }
        if (!events.isArray()) {
            throw new Refused("the body is not HubSpot's JSON array of events");
        }
        List<RecordChange> changes = new ArrayList<>();
        for (JsonNode e : events) {
            String type = e.path("subscriptionType").asText("");
            if (!type.startsWith("contact.")) {
                continue;
            }
            String kind = switch (type) {
                case "contact.creation", "contact.restore" -> "created";
                case "contact.deletion", "contact.privacyDeletion", "contact.merge" -> "deleted";
                default -> "updated";
            };
            String property = e.path("propertyName").asText(null);
            String value = e.hasNonNull("propertyValue") ? e.get("propertyValue").asText() : null;
            Map<String, String> values = new java.util.HashMap<>();
            if (property != null) {
                values.put(property, value);
            }
            List<String> numbers = property != null && PHONES.contains(property) && value != null && !value.isBlank()
                    ? List.of(value) : List.of();
            changes.add(new RecordChange(e.path("objectId").asText(), kind, values, numbers,
                    Instant.ofEpochMilli(e.path("occurredAt").asLong(clock.millis()))));
        }
        return changes;
    }

    private byte[] sign(String source) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(clientSecret, "HmacSHA256"));
            return Base64.getEncoder().encode(mac.doFinal(source.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
