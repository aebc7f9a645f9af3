package io.callbridge.crm.rest;

import io.callbridge.crm.RateWindow;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.callbridge.crm.CallerRecords;
import io.callbridge.crm.CrmAuth;
import io.callbridge.crm.CrmConnector;
import io.callbridge.crm.CrmException;
import io.callbridge.crm.CrmMetrics;
import io.callbridge.crm.InFlight;
import io.callbridge.crm.Outcome;
import io.callbridge.crm.Producer;
import io.callbridge.crm.TraceContext;
import io.callbridge.logging.Pii;
import io.callbridge.mapping.Command;
import io.callbridge.mapping.CrmRequest;
import io.callbridge.mapping.LiveMappings;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector of a plain-REST CRM, and bean {@code <crm>Connector} of its HTTP route
 * ({@code routes/crm-rest.yaml}'s template {@code crm-rest-http}): per command the caller's record (found through
 * caller identification, created once when unknown), the template's request and the check after a crash; then
 * the requests, those the dialect can batch in batch requests, each paced against the CRM's rate-limit windows
 * from its own headers.
 */
public final class RestConnector implements CrmConnector {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(RestConnector.class);
    private static final String HTTP_REQUEST = "CallbridgeHttpRequest";
    private static final String HTTP_ACCEPT = "CallbridgeHttpAccept";
    private static final String CREDENTIALS = "CallbridgeCredentials";
    private static final String ALREADY_EXISTED = "CallbridgeAlreadyExisted";
    /** Base URL of the request, for the route's {@code toD}. */
    static final String BASE_URL = "CallbridgeBaseUrl";
    private static final String OPERATION = "CallbridgeOperation";
    private static final String SENT_AT = "CallbridgeSentAt";
    private static final String ANSWERED = "CallbridgeAnswered";
    private static final Set<Integer> ANY_STATUS = Set.of(-1);
    /** Actions that change the caller's record by its id, whose answer is that record. */
    private static final Set<String> UPDATES_CONTACT = Set.of("update-contact", "set-field");

    private final String crm;
    private final RestDialect dialect;
    private final CrmAuth auth;
    private final RestSettings settings;
    private final CallerRecords callers;
    private final LiveMappings mappings;
    private final Producer producer;
    private final Clock clock;
    private final CrmMetrics metrics;
    /** Contacts this instance created, until the CRM's search shows them (HubSpot indexes with a delay). */
    private final Cache<String, JsonNode> created;
    private final InFlight inFlight;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();

    RestConnector(String crm, RestDialect dialect, CrmAuth auth, RestSettings settings, CallerRecords callers, LiveMappings mappings,
            CamelContext camel, Clock clock, CrmMetrics metrics) {
        this.crm = crm;
        this.dialect = dialect;
        this.auth = auth;
        this.settings = settings;
        this.callers = callers;
        this.mappings = mappings;
        this.producer = new Producer(camel);
        this.clock = clock;
        this.metrics = metrics;
        this.created = Caffeine.newBuilder().maximumSize(100_000)
                .expireAfterWrite(Duration.ofMillis(settings.createdContactMemoryMs())).build();
        this.inFlight = new InFlight(crm, settings.maxInFlight());
    }

    public String crm() {
        return crm;
    }

    /** Requests sent to the CRM so far, and how many it refused with 429. */
    public long requests() {
        return requests.get();
    }

    public long refusedWith429() {
        return refusals.get();
    }

    RateWindow generalWindow() {
        return settings.general();
    }

    // ---- the connector ------------------------------------------------------------------------------

    /**
     * Delivers a wave (at most one command per caller): each command's caller record and template first, then
     * what the dialect can batch in its batch requests (one request, one outcome per input), the rest one
     * request each. A batch takes its rate-limit budget as a whole: what does not fit is deferred.
     */
    @Override
    public List<Outcome> deliver(List<Delivery> deliveries) {
        Outcome[] outcomes = new Outcome[deliveries.size()];
        // the wave's callers are looked up together; each command's prepare then finds its own answer waiting
        List<String> numbers = deliveries.stream().map(d -> d.command().customerE164()).filter(n -> n != null && !n.isBlank()).toList();
        Set<String> cachedBefore = numbers.stream().filter(callers::cached).collect(java.util.stream.Collectors.toSet());
        callers.prefetch(numbers);
        Map<String, List<Prepared>> batches = new LinkedHashMap<>();
        List<Prepared> singles = new ArrayList<>();
        for (int i = 0; i < deliveries.size(); i++) {
            Delivery d = deliveries.get(i);
            try {
                int index = i;
                // finding or creating the caller's record is part of the call's trace too
                Prepared p = TraceContext.within(d.traceparent(), () -> prepare(index, d, cachedBefore.contains(d.command().customerE164())));
                if (p.skipped() != null) {
                    outcomes[i] = new Outcome.Done(null);
                    LOG.debug("{} {}: nothing sent, {}", crm, d.command().commandId(), p.skipped());
                    continue;
                }
                String key = dialect.batchKey(p.request());
                if (key == null) {
                    singles.add(p);
                } else {
                    batches.computeIfAbsent(key, k -> new ArrayList<>()).add(p);
                }
            } catch (Exception e) {
                outcomes[i] = Outcome.of(e, clock);
            }
        }
        List<Runnable> sends = new ArrayList<>();
        for (List<Prepared> group : batches.values()) {
            List<List<Prepared>> chunks = new ArrayList<>();
            for (int from = 0; from < group.size(); from += dialect.maxBatch()) {
                List<Prepared> chunk = group.subList(from, Math.min(group.size(), from + dialect.maxBatch()));
                if (chunk.size() < dialect.minBatch()) {
                    singles.addAll(chunk);
                } else {
                    chunks.add(chunk);
                }
            }
            if (dialect.oneBatchAtATimePerKey()) {
                sends.add(() -> chunks.forEach(chunk -> sendBatch(chunk, outcomes)));
            } else {
                chunks.forEach(chunk -> sends.add(() -> sendBatch(chunk, outcomes)));
            }
        }
        for (Prepared p : singles) {
            sends.add(() -> outcomes[p.index()] = sendOne(p));
        }
        inFlight.runAll(sends);
        return Outcome.ofWave(outcomes);
    }

    /** A cheap authenticated read: the CRM's HTTP status, 503 when it does not answer. */
    @Override
    public int probe() {
        try {
            return send(dialect.probe(), ANY_STATUS, CrmMetrics.PROBE).status();
        } catch (Exception e) {
            return 503;
        }
    }

    /** One command ready to send: its request, or why nothing is sent. */
    private record Prepared(int index, Command command, CrmRequest request, String skipped, String traceparent) {
    }

    private Prepared prepare(int index, Delivery d, boolean wasCached) throws Exception {
        Command command = d.command();
        JsonNode who = contact(command, wasCached);
        if (command.action().equals("create-contact") && who != null) {
            return new Prepared(index, command, null, "the caller's contact exists (" + who.path("id").asText() + ")", null);
        }
        CrmRequest request = mappings.current().render(command, who);
        if (request == null) {
            return new Prepared(index, command, null, "the template has nothing to send" + (who == null ? " for an unknown caller" : ""), null);
        }
        if (d.checkFirst() && alreadyThere(command, request)) {
            return new Prepared(index, command, null, "already in the CRM (its find answered the commandId)", null);
        }
        return new Prepared(index, command, new CrmRequest(request.method(), request.path(), request.body(), null), null, d.traceparent());
    }

    /** The command may have reached the CRM before a crash: the template's {@code find} answers its commandId if so. */
    private boolean alreadyThere(Command command, CrmRequest request) throws Exception {
        if (request.find() == null || !request.find().path("method").isTextual()) {
            return false;
        }
        CrmRequest find = new CrmRequest(request.find().get("method").asText(), request.find().path("path").asText(),
                request.find().get("body"), null);
        Answer answer = send(find, Set.of(), CrmMetrics.SEARCH);
        return answer.body() != null && answer.body().contains(command.commandId());
    }

    private Outcome sendOne(Prepared p) {
        return TraceContext.within(p.traceparent(), () -> sendOneTraced(p));
    }

    private Outcome sendOneTraced(Prepared p) {
        try {
            Answer answer = send(p.request(), Set.of(), CrmMetrics.WRITE);
            if (answer.alreadyExisted()) {
                written(p.command(), p.request(), null);
                LOG.info("{} {}: the CRM already had this command's record (refused as a duplicate); counted as delivered",
                        crm, p.command().commandId());
                return new Outcome.Done(null);
            }
            JsonNode json = answer.json();
            written(p.command(), p.request(), json);
            return new Outcome.Done(json.isNull() ? null : dialect.recordId(json));
        } catch (Exception e) {
            return Outcome.of(e, clock);
        }
    }

    /** A batch request is one request: it continues the trace of its first command. */
    private void sendBatch(List<Prepared> chunk, Outcome[] outcomes) {
        TraceContext.within(chunk.get(0).traceparent(), () -> {
            sendBatchTraced(chunk, outcomes);
            return null;
        });
    }

    private void sendBatchTraced(List<Prepared> chunk, Outcome[] outcomes) {
        List<String> traces = chunk.stream().map(p -> p.command().commandId()).toList();
        try {
            Answer answer = send(dialect.batch(chunk.stream().map(Prepared::request).toList(), traces), dialect.perInputErrorStatuses(),
                    CrmMetrics.BATCH);
            JsonNode json = answer.json();
            Map<String, Outcome> byTrace = dialect.batchOutcomes(answer.status(), json, chunk.stream().map(Prepared::request).toList(), traces);
            Map<String, JsonNode> results = dialect.batchResults(json, traces);
            for (Prepared p : chunk) {
                Outcome o = byTrace.getOrDefault(p.command().commandId(),
                        new Outcome.Retryable(answer.status(), "the batch answer did not mention this input", null, false));
                if (o instanceof Outcome.Done) {
                    written(p.command(), p.request(), results.get(p.command().commandId()));
                }
                outcomes[p.index()] = o;
            }
        } catch (Exception e) {
            Outcome o = Outcome.of(e, clock);
            chunk.forEach(p -> outcomes[p.index()] = o);
        }
    }

    /**
     * After a write: what identification caches about the caller is out of date. When the write changed the caller's
     * record and the CRM answered its fields, the cached record takes them instead of being dropped.
     */
    private void written(Command command, CrmRequest request, JsonNode answer) {
        // the memory of a created contact stays: the CRM's search may still not show it
        if (UPDATES_CONTACT.contains(command.action()) && answer != null && answer.isObject() && command.customerE164() != null) {
            JsonNode contact = dialect.contact(request, answer);
            if (contact.path("id").isTextual() && !contact.path("id").asText().isEmpty() && contact.path("record").isObject()) {
                callers.updated(command.customerE164(), contact.path("id").asText(), contact.path("record"));
                return;
            }
        }
        callers.written(command.action(), command.customerE164());
    }

    // ---- steps of direct:crm-rest-http-<crm> --------------------------------------------------------

    /** Waits for a rate-limit slot, then turns the request into camel-http's headers and body, with the CRM's credentials. */
    public void prepare(Exchange exchange) throws Exception {
        CrmRequest r = dialect.outgoing(exchange.getProperty(HTTP_REQUEST, CrmRequest.class));
        pace(windowOf(r), r.method() + " " + RestDialect.pathOnly(r.path()));
        CrmAuth.Credentials credentials = auth.credentials().get(settings.maxWaitMs() + 30_000, java.util.concurrent.TimeUnit.MILLISECONDS);
        exchange.setProperty(CREDENTIALS, credentials);
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_METHOD, r.method());
        int q = r.path().indexOf('?');
        m.setHeader(Exchange.HTTP_PATH, q < 0 ? r.path() : r.path().substring(0, q));
        if (q >= 0) {
            m.setHeader(Exchange.HTTP_QUERY, r.path().substring(q + 1));
        }
        m.setHeader("Accept", "application/json");
        credentials.headers().forEach(m::setHeader);
        if (r.body() != null && !r.body().isNull() && !r.method().equals("GET")) {
            m.setHeader(Exchange.CONTENT_TYPE, "application/json");
            m.setBody(JSON.writeValueAsBytes(r.body()));
        } else {
            m.setBody(null);
        }
        exchange.setProperty(BASE_URL, credentials.apiUrl() != null ? credentials.apiUrl() : settings.baseUrl());
        requests.incrementAndGet();
        exchange.setProperty(SENT_AT, System.nanoTime());
    }

    /**
     * The CRM's answer: its rate-limit headers feed the pacing; an error becomes a {@link CrmException}
     * with status, body and headers for the delivery core, unless the caller accepts that status or the
     * CRM refused a create as a duplicate of this very command.
     */
    @SuppressWarnings("unchecked")
    public void answer(Exchange exchange) throws Exception {
        CrmRequest r = exchange.getProperty(HTTP_REQUEST, CrmRequest.class);
        Message m = exchange.getMessage();
        Integer code = m.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        exchange.setProperty(ANSWERED, code);
        String body = m.getBody(String.class);
        m.setBody(body);
        Map<String, String> received = new LinkedHashMap<>();
        m.getHeaders().forEach((k, v) -> {
            if (v != null && !k.startsWith("Camel") && !k.startsWith("Callbridge")) {
                received.put(k.toLowerCase(Locale.ROOT), String.valueOf(v));
            }
        });
        RestDialect.Verdict verdict = dialect.verdict(code == null ? 0 : code, received, body);
        int status = verdict.status();
        Map<String, String> headers = verdict.headers();
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        observe(r, status, headers, body);
        if (status == 429) {
            refusals.incrementAndGet();
        }
        if (status == 401) {
            auth.refused(exchange.getProperty(CREDENTIALS, CrmAuth.Credentials.class));
        }
        if (status >= 200 && status < 300) {
            return;
        }
        Set<Integer> accepted = exchange.getProperty(HTTP_ACCEPT, Set.class);
        if (accepted != null && (accepted == ANY_STATUS || accepted.contains(status))) {
            return;
        }
        if (dialect.alreadyExists(r, status, body)) {
            exchange.setProperty(ALREADY_EXISTED, true);
            return;
        }
        boolean quota = dialect.quotaExhausted(status, headers, body);
        if (status == 429 && !quota) {
            // refused for pace, not processed: the command waits as long as the CRM asks, and no attempt is spent on it
            Duration wait = Outcome.retryAfter(status, headers, clock);
            throw CrmException.deferred(crm, wait != null && !wait.isNegative() && !wait.isZero() ? wait : Duration.ofSeconds(1),
                    "the CRM answered 429: its rate limit is spent");
        }
        throw CrmException.answered(crm, status, body, headers, quota);
    }

    // ---- the caller's record ----------------------------------------------------------------------

    /**
     * The caller's record for a command: what identification finds; else a contact this instance just
     * created for the number; else, when the policy is {@code create}, a new one (looked up once more
     * first if the first answer came from the cache: {@code wasCached}, the cache knew the number before this wave
     * asked the CRM). Null: unknown and left unlinked.
     */
    JsonNode contact(Command command, boolean wasCached) throws Exception {
        String e164 = command.customerE164();
        if (e164 == null || e164.isBlank()) {
            return null;
        }
        // a search, when one is needed, is paced by caller identification, behind the callers waiting on the line
        JsonNode found = callers.find(e164);
        if (found != null) {
            created.invalidate(e164);
            return found;
        }
        JsonNode mine = created.getIfPresent(e164);
        if (mine != null) {
            return mine;
        }
        if (settings.unknownCaller() == RestSettings.UnknownCaller.LOG_UNLINKED && !command.action().equals("create-contact")) {
            return null;
        }
        if (wasCached) {
            // "nobody" came from the cache: somebody may have created the contact since; ask the CRM itself
            callers.invalidate(e164);
            found = callers.find(e164);
            if (found != null) {
                return found;
            }
        }
        return create(command);
    }

    /**
     * Creates the caller's contact from the create-contact template, with a commandId that is the same
     * for every command and event of this number ({@code callbridge-caller:<e164>}), so where the CRM
     * keeps it unique (HubSpot) a second create is refused and the existing contact is used.
     */
    private JsonNode create(Command command) throws Exception {
        String e164 = command.customerE164();
        String key = "callbridge-caller:" + e164;
        Command createCommand = new Command(key, command.eventId(), "unknown-caller", 0, "create-contact", crm, e164,
                command.callAt(), null, JSON.createObjectNode(), command.event());
        CrmRequest request = mappings.current().render(createCommand, null);
        if (request == null) {
            return null;
        }
        Answer answer = send(request, Set.of(409), CrmMetrics.WRITE);
        JsonNode contact;
        if (answer.status() == 409 || answer.alreadyExisted()) {
            CrmRequest read = dialect.existingContact(key, commandIdField(), answer.status(), answer.body());
            if (read == null) {
                throw CrmException.answered(crm, answer.status(), answer.body(), Map.of(), false);
            }
            contact = dialect.contact(read, send(read, Set.of(), CrmMetrics.READ).json());
            LOG.info("{}: the contact for {} existed already ({}); using it", crm, Pii.phone(e164), contact.path("id").asText());
        } else {
            contact = dialect.contact(request, answer.json());
            LOG.info("{}: created contact {} for unknown caller {}", crm, contact.path("id").asText(), Pii.phone(e164));
        }
        created.put(e164, contact);
        callers.invalidate(e164);
        return contact;
    }

    private String commandIdField() {
        JsonNode s = mappings.current().settings(crm);
        return s.path("command-id-property").asText(s.path("command-id-field").asText("callbridge_command_id"));
    }

    // ---- pacing -------------------------------------------------------------------------------------

    /** The window a request counts against. */
    RateWindow windowOf(CrmRequest request) {
        return dialect.isSearch(request.method(), request.path()) ? settings.search() : settings.general();
    }

    /**
     * Waits for a slot in the window: on this thread for as long as the window's even pace makes the requests in
     * flight wait their turn (at least {@code max-wait-ms}), or, when the CRM needs longer (its own headers or a 429
     * said the window is spent), by deferring the command so the delivery core pauses the consumer instead of
     * sleeping in it. A slow vendor's pace (Notion: a request every 0.4 s) is thus no reason to pause: deferring
     * every command of a wave cost a pause, a seek and a ledger write per request.
     */
    void pace(RateWindow window, String what) throws InterruptedException {
        if (window == settings.search()) {
            // delivery's own searches (a template's find), and every request where the CRM counts lookups in its one window
            // (Notion), leave the caller lookups their slot
            paceLeavingOne(window, what);
            return;
        }
        Duration wait = window.acquire();
        if (wait.isZero()) {
            return;
        }
        if (wait.toMillis() > Math.max(settings.maxWaitMs(), settings.maxInFlight() * window.intervalMs())) {
            window.cancel();
            LOG.info("{}: {} window spent, pausing {} ms before the {}", crm, window.name(), wait.toMillis(), what);
            throw CrmException.deferred(crm, wait, "the " + window.name() + " rate-limit window is spent");
        }
        Thread.sleep(wait.toMillis());
    }

    /**
     * Waits, up to the same limit as {@link #pace}, until a slot is free with another left for a caller lookup; a caller
     * books the window's next slot itself, so a request that can wait must not book ahead of it.
     */
    private void paceLeavingOne(RateWindow window, String what) throws InterruptedException {
        long limitMs = Math.max(settings.maxWaitMs(), settings.maxInFlight() * window.intervalMs());
        long until = System.nanoTime() + limitMs * 1_000_000;
        while (!window.tryAcquireLeavingOne()) {
            long leftMs = (until - System.nanoTime()) / 1_000_000;
            if (leftMs <= 0) {
                Duration wait = window.peek().plusMillis(window.intervalMs());
                LOG.info("{}: {} window kept for caller lookups, pausing {} ms before the {}", crm, window.name(), wait.toMillis(), what);
                throw CrmException.deferred(crm, wait, "the " + window.name() + " rate-limit window is kept for caller lookups");
            }
            Thread.sleep(Math.max(1, Math.min(leftMs, Math.max(1, window.intervalMs() / 4))));
        }
    }

    /** What an answer says about the window its request counted against. */
    void observe(CrmRequest request, int status, Map<String, String> headers, String body) {
        boolean isSearch = dialect.isSearch(request.method(), request.path());
        RestDialect.RateInfo info = dialect.rateInfo(headers, body);
        // Pipedrive answers a search with the search window's state; HubSpot answers every request with the general one
        (isSearch && dialect.searchAnswersDescribeSearchWindow() ? settings.search() : settings.general())
                .observe(info.max(), info.windowMs(), info.remaining(), info.resetMs());
        if (status == 429) {
            windowOf(request).refused(info.resetMs() >= 0 ? Duration.ofMillis(info.resetMs()) : null);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------

    record Answer(int status, String body, boolean alreadyExisted) {
        JsonNode json() throws java.io.IOException {
            return body == null || body.isBlank() ? JSON.nullNode() : JSON.readTree(body);
        }
    }

    /** One request through direct:crm-rest-http-<crm>, in an exchange of its own, counted under {@code operation}. */
    private Answer send(CrmRequest request, Set<Integer> accepted, String operation) throws Exception {
        Exchange answer = producer.template().send("direct:crm-rest-http-" + crm, e -> {
            e.setProperty(HTTP_REQUEST, request);
            e.setProperty(HTTP_ACCEPT, accepted);
        });
        Long sentAt = answer.getProperty(SENT_AT, Long.class);
        if (sentAt != null) {
            // timed from after the wait for a rate-limit slot: what the CRM took, not what pacing did
            metrics.request(crm, operation, answer.getProperty(ANSWERED, Integer.class), System.nanoTime() - sentAt);
        }
        if (answer.getException() != null) {
            throw answer.getException();
        }
        Integer status = answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        return new Answer(status == null ? 0 : status, answer.getMessage().getBody(String.class),
                Boolean.TRUE.equals(answer.getProperty(ALREADY_EXISTED, Boolean.class)));
    }
}
