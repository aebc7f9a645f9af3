package io.callbridge.crm.rest;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.callbridge.config.Settings;
import io.callbridge.delivery.CrmException;
import io.callbridge.delivery.Delivery;
import io.callbridge.identify.Callers;
import io.callbridge.identify.CrmContactFinder;
import io.callbridge.mapping.CrmRequest;
import io.callbridge.mapping.DryRun.ContactFinder;
import io.callbridge.mapping.LiveMappings;
import io.callbridge.rules.Command;
import io.callbridge.sandbox.hubspot.HubSpotSandbox;
import io.callbridge.sandbox.pipedrive.PipedriveSandbox;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bean {@code restCrms}: the steps of the shared plain-REST connector ({@code routes/crm-rest.yaml}) for
 * every CRM it serves (HubSpot, Pipedrive), each step picking the CRM's {@link RestConnector} by the
 * exchange property {@code CallbridgeCrm}.
 *
 * <p>Settings per CRM ({@code callbridge.crm.<crm>.*}): {@code base-url}, {@code token} (HubSpot: private-app
 * or OAuth access token; Pipedrive: API token) or, for Pipedrive, {@code oauth-token}; {@code unknown-caller}
 * ({@code create} | {@code log-unlinked}); {@code rate-limit.max}, {@code rate-limit.window-ms},
 * {@code rate-limit.reserve}, {@code search-limit.max}, {@code search-limit.window-ms}, {@code search-limit.reserve};
 * {@code max-wait-ms} (longest wait for a rate-limit slot on the consumer thread).
 */
public final class RestConnectors {

    public static final Set<String> CRMS = Set.of("hubspot", "pipedrive");
    static final String CONTACT = "CallbridgeContact";
    static final String REQUEST = "CallbridgeRequest";
    static final String SKIP = "CallbridgeSkip";
    static final String HTTP_REQUEST = "CallbridgeHttpRequest";
    static final String HTTP_ACCEPT = "CallbridgeHttpAccept";
    static final String BASE_URL = "CallbridgeBaseUrl";
    static final String ALREADY_EXISTED = "CallbridgeAlreadyExisted";
    private static final Set<Integer> ANY_STATUS = Set.of(-1);
    private static final Logger LOG = LoggerFactory.getLogger(RestConnectors.class);

    private final CamelContext context;
    private final Map<String, RestConnector> connectors;
    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> refusals = new ConcurrentHashMap<>();
    private volatile ProducerTemplate producer;

    RestConnectors(CamelContext context, Map<String, RestConnector> connectors) {
        this.context = context;
        this.connectors = Map.copyOf(connectors);
    }

    /** Binds {@code restCrms} with a connector for every enabled CRM it serves; caller identification must be bound first. */
    public static RestConnectors bind(CamelContext context, Settings settings) {
        LiveMappings mappings = context.getRegistry().lookupByNameAndType("mappings", LiveMappings.class);
        Callers callers = context.getRegistry().lookupByNameAndType("callers", Callers.class);
        boolean sandbox = settings.getBoolean("callbridge.sandbox.enabled", false);
        Map<String, RestConnector> connectors = new LinkedHashMap<>();
        for (String crm : settings.enabledCrms()) {
            if (!CRMS.contains(crm)) {
                continue;
            }
            String prefix = "callbridge.crm." + crm + ".";
            String baseUrl = settings.require(prefix + "base-url", "the " + crm + " connector needs the CRM's address");
            ContactFinder finder = context.getRegistry().lookupByNameAndType("contactFinder." + crm, ContactFinder.class);
            if (finder == null) {
                throw new IllegalStateException("no caller lookup for " + crm + " (bean contactFinder." + crm + ")");
            }
            RestDialect dialect = switch (crm) {
                case "hubspot" -> new HubSpotDialect(credential(settings, prefix + "token", sandbox ? HubSpotSandbox.DEFAULT_TOKEN : null));
                case "pipedrive" -> {
                    String oauth = settings.get(prefix + "oauth-token", null);
                    yield new PipedriveDialect(oauth != null ? null
                            : credential(settings, prefix + "token", sandbox ? PipedriveSandbox.DEFAULT_API_TOKEN : null), oauth);
                }
                default -> throw new IllegalArgumentException(crm);
            };
            boolean hubspot = crm.equals("hubspot");
            // HubSpot: 3 of every 100 left for other tools on the same app; the burst of 5 and the even pace then
            // use 92 % of the ceiling and no 10-second interval holds more than 97
            RateWindow general = window(settings, crm, "rate-limit", hubspot ? 10_000 : 2000, hubspot ? 100 : 80, hubspot ? 3 : 4);
            RateWindow search = window(settings, crm, "search-limit", hubspot ? 1000 : 2000, hubspot ? 5 : 10, hubspot ? 0 : 1);
            RestConnector.UnknownCaller policy = RestConnector.UnknownCaller.parse(prefix + "unknown-caller",
                    settings.get(prefix + "unknown-caller", "create"));
            RestConnector.CacheProbe probe = finder instanceof CrmContactFinder f ? f::cached : e164 -> false;
            connectors.put(crm, new RestConnector(dialect, baseUrl, general, search, finder, probe,
                    callers == null ? e164 -> { } : callers::invalidate,
                    callers == null ? (action, e164) -> { } : callers::written, mappings, policy,
                    Duration.ofMillis(settings.getLong(prefix + "max-wait-ms", 300)),
                    Duration.ofMillis(settings.getLong(prefix + "created-contact-memory-ms", 600_000))));
            LOG.info("{} connector: {} (rate {}, search {}, unknown callers: {})", crm, baseUrl, general, search,
                    policy.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        RestConnectors bean = new RestConnectors(context, connectors);
        context.getRegistry().bind("restCrms", bean);
        return bean;
    }

    private static RateWindow window(Settings settings, String crm, String name, long windowMs, long max, long reserve) {
        String prefix = "callbridge.crm." + crm + "." + name + ".";
        return new RateWindow(crm + (name.equals("search-limit") ? " search" : " general"), settings.getLong(prefix + "window-ms", windowMs), settings.getLong(prefix + "max", max),
                settings.getLong(prefix + "reserve", reserve), 0, System::currentTimeMillis);
    }

    private static String credential(Settings settings, String key, String sandboxDefault) {
        String v = settings.get(key, sandboxDefault);
        if (v == null) {
            throw new IllegalStateException(key + " is not set: the connector cannot authenticate");
        }
        return v;
    }

    public RestConnector connector(String crm) {
        RestConnector c = connectors.get(crm);
        if (c == null) {
            throw new IllegalStateException(crm + " is not enabled (callbridge.crm." + crm + ".enabled) or not a REST connector");
        }
        return c;
    }

    /** Requests sent to the CRM so far, and how many it refused with 429. */
    public long requests(String crm) {
        return requests.computeIfAbsent(crm, k -> new AtomicLong()).get();
    }

    public long refusedWith429(String crm) {
        return refusals.computeIfAbsent(crm, k -> new AtomicLong()).get();
    }

    // ---- steps of direct:crm-<crm> ----------------------------------------------------------------

    /** The caller's record (found, or created per the unknown-caller policy) as property CallbridgeContact. */
    public void contact(Exchange exchange) throws Exception {
        RestConnector c = connector(exchange);
        exchange.setProperty(CONTACT, c.contact(command(exchange), this::send));
    }

    /** The template's request as property CallbridgeRequest, or the reason to send nothing as CallbridgeSkip. */
    public void render(Exchange exchange) throws Exception {
        Command command = command(exchange);
        Object contact = exchange.getProperty(CONTACT);
        com.fasterxml.jackson.databind.JsonNode who = contact instanceof com.fasterxml.jackson.databind.JsonNode j ? j : null;
        if (command.action().equals("create-contact") && who != null) {
            exchange.setProperty(SKIP, "the caller's contact exists (" + who.path("id").asText() + ")");
            return;
        }
        CrmRequest request = connector(exchange).mappings().current().render(command, who);
        if (request == null) {
            exchange.setProperty(SKIP, "the template has nothing to send" + (who == null ? " for an unknown caller" : ""));
            return;
        }
        exchange.setProperty(REQUEST, request);
        exchange.setProperty(HTTP_REQUEST, new CrmRequest(request.method(), request.path(), request.body(), null));
    }

    /**
     * The command may have reached the CRM before a crash: the template's {@code find} asks; an answer
     * containing the commandId means the record is there, and nothing is sent again.
     */
    public void checkFirst(Exchange exchange) throws Exception {
        CrmRequest request = exchange.getProperty(REQUEST, CrmRequest.class);
        if (request == null || request.find() == null || !request.find().path("method").isTextual()) {
            return;
        }
        CrmRequest find = new CrmRequest(request.find().get("method").asText(), request.find().path("path").asText(),
                request.find().get("body"), null);
        RestConnector.Answer answer = send(connector(exchange), find, Set.of());
        String commandId = command(exchange).commandId();
        if (answer.body() != null && answer.body().contains(commandId)) {
            exchange.setProperty(SKIP, "already in the CRM (its find answered the commandId)");
        }
    }

    /** After the write: what identification caches about the contact is dropped if it changed. */
    public void written(Exchange exchange) {
        Command command = command(exchange);
        RestConnector c = connector(exchange);
        c.written(command);
        if (Boolean.TRUE.equals(exchange.getProperty(ALREADY_EXISTED, Boolean.class))) {
            LOG.info("{} {}: the CRM already had this command's record (refused as a duplicate); counted as delivered",
                    c.crm(), command.commandId());
        }
    }

    /** The probe's request: a cheap authenticated read, whatever it answers. */
    public void probe(Exchange exchange) {
        RestConnector c = connector(exchange);
        exchange.setProperty(HTTP_REQUEST, new CrmRequest("GET", c.dialect().probePath(), null, null));
        exchange.setProperty(HTTP_ACCEPT, ANY_STATUS);
    }

    public Integer probeStatus(Exchange exchange) {
        return exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
    }

    // ---- steps of direct:crm-rest-http ------------------------------------------------------------

    /** Waits for a rate-limit slot, then turns property CallbridgeHttpRequest into camel-http's headers and body. */
    public void prepare(Exchange exchange) throws Exception {
        RestConnector c = connector(exchange);
        CrmRequest r = exchange.getProperty(HTTP_REQUEST, CrmRequest.class);
        c.pace(c.windowOf(r), r.method() + " " + RestConnector.pathOnly(r.path()));
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_METHOD, r.method());
        int q = r.path().indexOf('?');
        m.setHeader(Exchange.HTTP_PATH, q < 0 ? r.path() : r.path().substring(0, q));
        if (q >= 0) {
            m.setHeader(Exchange.HTTP_QUERY, r.path().substring(q + 1));
        }
        m.setHeader("Accept", "application/json");
        c.dialect().authHeaders().forEach(m::setHeader);
        if (r.body() != null && !r.body().isNull() && !r.method().equals("GET")) {
            m.setHeader(Exchange.CONTENT_TYPE, "application/json");
            m.setBody(RestConnector.JSON.writeValueAsBytes(r.body()));
        } else {
            m.setBody(null);
        }
        exchange.setProperty(BASE_URL, c.baseUrl());
        requests.computeIfAbsent(c.crm(), k -> new AtomicLong()).incrementAndGet();
    }

    /**
     * The CRM's answer: its rate-limit headers feed the pacing; an error becomes a {@link CrmException}
     * with status, body and headers for the delivery core, unless the caller accepts that status or the
     * CRM refused a create as a duplicate of this very command.
     */
    @SuppressWarnings("unchecked")
    public void answer(Exchange exchange) throws Exception {
        RestConnector c = connector(exchange);
        CrmRequest r = exchange.getProperty(HTTP_REQUEST, CrmRequest.class);
        Message m = exchange.getMessage();
        Integer code = m.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        int status = code == null ? 0 : code;
        String body = m.getBody(String.class);
        m.setBody(body);
        Map<String, String> headers = new LinkedHashMap<>();
        m.getHeaders().forEach((k, v) -> {
            if (v != null && !k.startsWith("Camel") && !k.startsWith("Callbridge")) {
                headers.put(k.toLowerCase(Locale.ROOT), String.valueOf(v));
            }
        });
        c.observe(r, status, headers);
        if (status == 429) {
            refusals.computeIfAbsent(c.crm(), k -> new AtomicLong()).incrementAndGet();
        }
        if (status >= 200 && status < 300) {
            return;
        }
        Set<Integer> accepted = exchange.getProperty(HTTP_ACCEPT, Set.class);
        if (accepted != null && (accepted == ANY_STATUS || accepted.contains(status))) {
            return;
        }
        if (c.dialect().alreadyExists(r, status, body)) {
            exchange.setProperty(ALREADY_EXISTED, true);
            return;
        }
        throw new CrmException(status, body, headers, c.dialect().quotaExhausted(status, headers, body));
    }

    // ---- helpers -------------------------------------------------------------------------------------

    /** One request through direct:crm-rest-http, in an exchange of its own (lookups, finds, contact creation). */
    RestConnector.Answer send(RestConnector c, CrmRequest request, Set<Integer> accepted) throws Exception {
        Exchange answer = producer().send("direct:crm-rest-http", e -> {
            e.setProperty(Delivery.CRM, c.crm());
            e.setProperty(HTTP_REQUEST, request);
            e.setProperty(HTTP_ACCEPT, accepted);
        });
        if (answer.getException() != null) {
            throw answer.getException();
        }
        Integer status = answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        return new RestConnector.Answer(status == null ? 0 : status, answer.getMessage().getBody(String.class));
    }

    private ProducerTemplate producer() {
        ProducerTemplate p = producer;
        if (p == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = context.createProducerTemplate();
                }
                p = producer;
            }
        }
        return p;
    }

    private RestConnector connector(Exchange exchange) {
        return connector(exchange.getProperty(Delivery.CRM, String.class));
    }

    private static Command command(Exchange exchange) {
        Command command = exchange.getProperty("command", Command.class);
        if (command == null) {
            throw new IllegalStateException("no command on the exchange: direct:crm-<crm> is called by the delivery route");
        }
        return command;
    }
}
