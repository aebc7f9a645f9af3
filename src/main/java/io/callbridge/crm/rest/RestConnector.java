package io.callbridge.crm.rest;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.callbridge.delivery.CrmException;
import io.callbridge.logging.Pii;
import io.callbridge.mapping.CrmRequest;
import io.callbridge.mapping.DryRun.ContactFinder;
import io.callbridge.mapping.LiveMappings;
import io.callbridge.rules.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One plain-REST CRM (HubSpot, Pipedrive) behind the shared connector route ({@code routes/crm-rest.yaml}):
 * the caller's record (found through caller identification, created once when unknown), the
 * template's request, and the pacing of every request against the CRM's rate-limit windows.
 */
public final class RestConnector {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(RestConnector.class);
    /** Actions after which what identification knows about the contact is out of date. */

    /** What to do when the caller is not in the CRM. */
    public enum UnknownCaller {
        CREATE, LOG_UNLINKED;

        static UnknownCaller parse(String key, String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "create" -> CREATE;
                case "log-unlinked" -> LOG_UNLINKED;
                default -> throw new IllegalStateException(key + " must be create or log-unlinked, not '" + value + "'");
            };
        }
    }

    /** Sends one request through the connector's HTTP route and answers the CRM's status and body. */
    @FunctionalInterface
    interface Sender {
        Answer send(RestConnector connector, CrmRequest request, Set<Integer> accepted) throws Exception;
    }

    record Answer(int status, String body) {
        JsonNode json() throws java.io.IOException {
            return body == null || body.isBlank() ? JSON.nullNode() : JSON.readTree(body);
        }
    }

    /** Looks a number up in the caller cache, without asking the CRM (to pace lookups that will reach it). */
    @FunctionalInterface
    public interface CacheProbe {
        boolean cached(String e164);
    }

    private final RestDialect dialect;
    private final String baseUrl;
    private final RateWindow general;
    private final RateWindow search;
    private final ContactFinder finder;
    private final CacheProbe cacheProbe;
    private final java.util.function.Consumer<String> invalidate;
    private final java.util.function.BiConsumer<String, String> written;
    private final LiveMappings mappings;
    private final UnknownCaller unknownCaller;
    private final Duration maxWait;
    /** Contacts this instance created, until the CRM's search shows them (HubSpot indexes with a delay). */
    private final Cache<String, JsonNode> created;

    RestConnector(RestDialect dialect, String baseUrl, RateWindow general, RateWindow search, ContactFinder finder,
            CacheProbe cacheProbe, java.util.function.Consumer<String> invalidate,
            java.util.function.BiConsumer<String, String> written, LiveMappings mappings,
            UnknownCaller unknownCaller, Duration maxWait, Duration createdMemory) {
        this.dialect = dialect;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.general = general;
        this.search = search;
        this.finder = finder;
        this.cacheProbe = cacheProbe;
        this.invalidate = invalidate;
        this.written = written;
        this.mappings = mappings;
        this.unknownCaller = unknownCaller;
        this.maxWait = maxWait;
        this.created = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(createdMemory).build();
    }

    public String crm() {
        return dialect.crm();
    }

    public String baseUrl() {
        return baseUrl;
    }

    RestDialect dialect() {
        return dialect;
    }

    LiveMappings mappings() {
        return mappings;
    }

    public RateWindow generalWindow() {
        return general;
    }

    public RateWindow searchWindow() {
        return search;
    }

    public UnknownCaller unknownCaller() {
        return unknownCaller;
    }

    // ---- the caller's record ----------------------------------------------------------------------

    /**
     * The caller's record for a command: what identification finds; else a contact this instance just
     * created for the number; else, when the policy is {@code create}, a new one (looked up once more
     * first if the first answer came from the cache). Null: unknown and left unlinked.
     */
    JsonNode contact(Command command, Sender sender) throws Exception {
        String e164 = command.customerE164();
        if (e164 == null || e164.isBlank()) {
            return null;
        }
        boolean wasCached = cacheProbe.cached(e164);
        JsonNode found = lookup(e164, wasCached);
        if (found != null) {
            created.invalidate(e164);
            return found;
        }
        JsonNode mine = created.getIfPresent(e164);
        if (mine != null) {
            return mine;
        }
        if (unknownCaller == UnknownCaller.LOG_UNLINKED && !command.action().equals("create-contact")) {
            return null;
        }
        if (wasCached) {
            // "nobody" came from the cache: somebody may have created the contact since; ask the CRM itself
            invalidate.accept(e164);
            found = lookup(e164, false);
            if (found != null) {
                return found;
            }
        }
        return create(command, sender);
    }

    private JsonNode lookup(String e164, boolean cached) throws Exception {
        if (!cached) {
            pace(search, "caller lookup");
        }
        try {
            return finder.find(crm(), e164);
        } catch (io.callbridge.identify.CrmHttp.CrmException e) {
            // the CRM's own status, so the delivery core classifies a lookup like any other request
            throw new CrmException(e.status(), e.getMessage(), Map.of(), false);
        }
    }

    /**
     * Creates the caller's contact from the create-contact template, with a commandId that is the same
     * for every command and event of this number ({@code callbridge-caller:<e164>}), so where the CRM
     * keeps it unique (HubSpot) a second create is refused and the existing contact is used.
     */
    private JsonNode create(Command command, Sender sender) throws Exception {
        String e164 = command.customerE164();
        String key = "callbridge-caller:" + e164;
        Command createCommand = new Command(key, command.eventId(), "unknown-caller", 0, "create-contact", crm(), e164,
                command.callAt(), null, JSON.createObjectNode(), command.event());
        CrmRequest request = mappings.current().render(createCommand, null);
        if (request == null) {
            return null;
        }
        Answer answer = sender.send(this, request, Set.of(409));
        JsonNode contact;
        if (answer.status() == 409) {
            CrmRequest read = dialect.existingContact(key, commandIdField(), answer.status(), answer.body());
            if (read == null) {
                throw new CrmException(409, answer.body(), Map.of(), false);
            }
            contact = dialect.contact(sender.send(this, read, Set.of()).json());
            LOG.info("{}: the contact for {} existed already ({}); using it", crm(), Pii.phone(e164), contact.path("id").asText());
        } else {
            contact = dialect.contact(answer.json());
            LOG.info("{}: created contact {} for unknown caller {}", crm(), contact.path("id").asText(), Pii.phone(e164));
        }
        created.put(e164, contact);
        invalidate.accept(e164);
        return contact;
    }

    private String commandIdField() {
        JsonNode s = mappings.current().settings(crm());
        return s.path("command-id-property").asText(s.path("command-id-field").asText("callbridge_command_id"));
    }

    /** After a write: what identification knows of the caller is out of date (see {@code Callers.written}). */
    void written(Command command) {
        // the memory of a created contact stays: the CRM's search may still not show it
        written.accept(command.action(), command.customerE164());
    }

    // ---- pacing -------------------------------------------------------------------------------------

    /** The window a request counts against. */
    RateWindow windowOf(CrmRequest request) {
        return dialect.isSearch(request.method(), request.path()) ? search : general;
    }

    /**
     * Waits for a slot in the window: briefly on this thread, or, when the CRM needs longer (its own
     * headers said the window is spent), by failing with the wait so the delivery core pauses the
     * consumer instead of sleeping in it.
     */
    void pace(RateWindow window, String what) throws CrmException, InterruptedException {
        Duration wait = window.acquire();
        if (wait.isZero()) {
            return;
        }
        if (wait.compareTo(maxWait) > 0) {
            window.cancel();
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            LOG.info("{}: {} window spent, pausing {} s before the {}", crm(), window.name(), seconds, what);
            throw new CrmException(429, "Callbridge paused: the " + window.name() + " rate-limit window is spent",
                    Map.of("Retry-After", String.valueOf(seconds)), false);
        }
        Thread.sleep(wait.toMillis());
    }

    /** What an answer says about the window its request counted against. */
    void observe(CrmRequest request, int status, Map<String, String> headers) {
        boolean isSearch = dialect.isSearch(request.method(), request.path());
        RestDialect.RateInfo info = dialect.rateInfo(headers);
        // Pipedrive answers a search with the search window's state; HubSpot answers every request with the general one
        (isSearch && dialect.searchAnswersDescribeSearchWindow() ? search : general)
                .observe(info.max(), info.windowMs(), info.remaining(), info.resetMs());
        if (status == 429) {
            windowOf(request).refused(info.resetMs() >= 0 ? Duration.ofMillis(info.resetMs()) : null);
        }
    }

    static String pathOnly(String path) {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }
}
