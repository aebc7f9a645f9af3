package io.callbridge.crm.notion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.crm.ChangeNotifications;
import io.callbridge.crm.CrmHttp;
import io.callbridge.mapping.LiveMappings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notion's webhooks, set up in the integration's settings. Notion first sends a one-time verification token, which the
 * integrator pastes back into Notion's UI and which then keys every event's signature ({@code X-Notion-Signature:
 * sha256=<hex HMAC-SHA256(body, token)>}). The token is written to an owner-only file (its path logged, never the token),
 * and is not used to check signatures until an operator sets it as {@code verification-token}: the request bringing it
 * is unauthenticated, and trusting it would let anyone who sends one sign events. Events are sparse (a page id, no
 * values): a change of a page of the contacts data source drops its cached callers.
 */
final class NotionChanges implements ChangeNotifications {

    private static final Logger LOG = LoggerFactory.getLogger(NotionChanges.class);

    private final byte[] verificationToken;
    private final Path tokenFile;
    private final LiveMappings mappings;
    private final Clock clock;

    /**
     * @param verificationToken the token signatures are checked with; null until the operator sets it
     * @param tokenFile         where a token Notion sends is written; null: not kept
     */
    NotionChanges(String verificationToken, Path tokenFile, LiveMappings mappings, Clock clock) {
        this.verificationToken = verificationToken == null ? null : verificationToken.getBytes(StandardCharsets.UTF_8);
        this.tokenFile = tokenFile;
        this.mappings = mappings;
        this.clock = clock;
    }

    /** Notion's verification request, {@code {"verification_token": "…"}}: kept for the operator, answered 200. */
    @Override
    public Optional<String> handshake(Notification n) throws Refused {
        JsonNode body = CrmHttp.objectOrNull(n.body());
        if (body == null || !body.has("verification_token") || body.has("type")) {
            return Optional.empty();
        }
        String token = body.path("verification_token").asText("");
        if (!token.matches("[\\x21-\\x7e]{1,256}")) {
            throw new Refused("the verification_token is not a token Notion sends (printable, at most 256 characters)");
        }
        if (tokenFile == null) {
            LOG.warn("Notion sent a webhook verification token, which is not kept: set {} to receive it", NotionCrm.RECEIVED_TOKEN_PATH.key());
        } else {
            write(token);
            LOG.info("Notion sent a webhook verification token, written to {} (readable by its owner only): paste it in the "
                    + "integration's Webhooks tab to verify the subscription, and set {} to it", tokenFile.toAbsolutePath(),
                    NotionCrm.VERIFICATION_TOKEN.key());
        }
        return Optional.of("{}");
    }

    @Override
    public List<RecordChange> read(Notification n) throws Refused {
        String signature = n.header().apply("X-Notion-Signature");
        if (signature == null || signature.isBlank()) {
            throw new Refused("no X-Notion-Signature: not signed by Notion");
        }
        if (verificationToken == null) {
            throw new Refused(NotionCrm.VERIFICATION_TOKEN.key() + " is not set: the signature cannot be checked (set it to the "
                    + "verification token Notion sent)");
        }
        byte[] expected = ("sha256=" + HexFormat.of().formatHex(hmac(n.body()))).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.trim().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            throw new Refused("X-Notion-Signature does not match: signed with another verification token than "
                    + NotionCrm.VERIFICATION_TOKEN.key());
        }
        JsonNode event = CrmHttp.objectOrNull(n.body());
        if (event == null || !event.path("type").isTextual()) {
            throw new Refused("the body is not a Notion event");
        }
        String contacts = mappings.current().settings(NotionCrm.NAME).path("contacts-data-source").asText();
        boolean contact = "page".equals(event.at("/entity/type").asText())
                && sameId(contacts, event.at("/data/parent/data_source_id").asText(""));
        String kind = switch (event.get("type").asText()) {
            case "page.created", "page.undeleted" -> "created";
            case "page.deleted" -> "deleted";
            case "page.properties_updated", "page.moved" -> "updated";
            default -> null; // its content, a lock, a comment: nothing a caller is known by
        };
        if (!contact || kind == null) {
            return List.of();
        }
        // Notion says which properties changed, never to what: the cached callers of the page are dropped
        return List.of(new RecordChange(event.at("/entity/id").asText(), kind, Map.of(), List.of(), occurredAt(event)));
    }

    /** Replaces the file at once (a reader never sees half a token), created owner-only before the token is in it. */
    private void write(String token) {
        try {
            Path dir = tokenFile.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                    ? Files.createTempFile(dir, ".notion-token", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(dir, ".notion-token", ".tmp");
            Files.writeString(tmp, token + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, tokenFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("the verification token could not be written to " + tokenFile.toAbsolutePath(), e);
        }
    }

    private byte[] hmac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(verificationToken, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private Instant occurredAt(JsonNode event) {
        try {
            return Instant.parse(event.path("timestamp").asText());
        } catch (DateTimeParseException e) {
            return clock.instant(); // no time Notion gave: the receipt's
        }
    }

    /** Notion writes an id with or without its dashes. */
    private static boolean sameId(String a, String b) {
        return !a.isEmpty() && a.replace("-", "").equalsIgnoreCase(b.replace("-", ""));
    }
}
