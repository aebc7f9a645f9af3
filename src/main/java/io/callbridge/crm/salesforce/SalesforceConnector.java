package io.callbridge.crm.salesforce;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.crm.CallerRecords;
import io.callbridge.crm.CrmAuth;
import io.callbridge.crm.CrmException;
import io.callbridge.crm.CrmMetrics;
import io.callbridge.crm.CrmKeys;
import io.callbridge.logging.Pii;
import io.callbridge.mapping.Command;
import io.callbridge.mapping.CrmRequest;
import io.callbridge.mapping.LiveMappings;
import io.callbridge.mapping.Mappings;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bean {@code salesforceConnector}: the steps of {@code routes/crm-salesforce.yaml} that YAML expresses
 * badly. The caller is found through caller identification; an unknown caller becomes a Lead or Contact
 * upserted by an external id derived from the number ({@code caller:<digits>}), so no redelivery or
 * second command can create a second one; the command's template renders {@code {method, path, body}}
 * for camel-salesforce's {@code raw} operation; and camel-salesforce's errors become {@link CrmException}s
 * for the delivery core.
 */
final class SalesforceConnector {

    private static final Logger LOG = LoggerFactory.getLogger(SalesforceConnector.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CRM = SalesforceCrm.NAME;
    private static final String CALLER_TYPE = "CallbridgeSalesforceCallerType";
    static final String RAW_METHOD = "rawMethod";
    static final String RAW_PATH = "rawPath";

    private final SalesforceSettings settings;
    private final CrmAuth auth;
    private final CallerRecords callers;
    private final LiveMappings mappings;
    private final CrmMetrics metrics;

    SalesforceConnector(SalesforceSettings settings, CrmAuth auth, CallerRecords callers, LiveMappings mappings, CrmMetrics metrics) {
        this.settings = settings;
        this.auth = auth;
        this.callers = callers;
        this.mappings = mappings;
        this.metrics = metrics;
    }

    // ---- around each request of salesforce-send: counted and timed ------------------------------------

    private static final String SENT_AT = "CallbridgeSentAt";

    public void sending(Exchange exchange) {
        exchange.setProperty(SENT_AT, System.nanoTime());
    }

    public void answered(Exchange exchange) {
        counted(exchange, exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class));
    }

    private void counted(Exchange exchange, Integer status) {
        Long sentAt = exchange.getProperty(SENT_AT, Long.class);
        if (sentAt == null) {
            return;
        }
        exchange.removeProperty(SENT_AT);
        String method = exchange.getMessage().getHeader(RAW_METHOD, "", String.class);
        String path = exchange.getMessage().getHeader(RAW_PATH, "", String.class);
        String operation = path.contains("/composite") ? CrmMetrics.BATCH : method.equals("GET") ? CrmMetrics.READ : CrmMetrics.WRITE;
        metrics.request(CRM, operation, status, System.nanoTime() - sentAt);
    }

    // ---- the caller -------------------------------------------------------------------------------

    /** Looks the command's caller up (cache, else Contact and Lead phone fields); sets {@link CrmKeys#CONTACT}. */
    public void findCaller(Exchange exchange) throws Exception {
        Command command = command(exchange);
        if (Boolean.TRUE.equals(exchange.getProperty(CrmKeys.CHECK_FIRST, Boolean.class))) {
            LOG.debug("{} may have reached Salesforce before; re-sent as an upsert by its external id", command.commandId());
        }
        JsonNode contact;
        try {
            contact = command.customerE164() == null ? null : callers.find(command.customerE164());
        } catch (CrmException e) {
            throw CrmException.answered(CRM, e.status(), e.body(), Map.of(), quota(e.body()));
        }
        setContact(exchange, contact);
    }

    /** Whether an unknown caller gets a record of their own before the command is written. */
    public boolean createsUnknownCallers() {
        return settings.unknownCaller() != SalesforceSettings.UnknownCaller.UNLINKED;
    }

    /**
     * The composite request that creates the unknown caller's Lead (or Contact) idempotently: an upsert
     * by {@code <external-id-field> = caller:<digits of the number>}, then a read of the record, in one
     * round trip.
     */
    public void prepareCallerCreation(Exchange exchange) throws Exception {
        Command command = command(exchange);
        Mappings mappings = this.mappings.current();
        ObjectNode s = mappings.settings(CRM);
        String version = s.path("api-version").asText(settings.apiVersion());
        String type = settings.unknownCaller() == SalesforceSettings.UnknownCaller.CONTACT ? "Contact" : "Lead";
        String externalId = callerExternalId(command.customerE164());
        CrmRequest upsert;
        if (type.equals("Contact")) {
            Command create = new Command(externalId, command.eventId(), command.ruleId(), command.actionIndex(), "create-contact",
                    CRM, command.customerE164(), command.callAt(), command.dueAt(), command.with(), command.event());
            upsert = mappings.render(create, null);
            if (upsert == null) {
                throw new IllegalStateException("mappings/salesforce/create-contact.jsonata rendered nothing for an unknown caller");
            }
        } else {
            upsert = new CrmRequest("PATCH", "/services/data/v" + version + "/sobjects/Lead/"
                    + s.path("external-id-field").asText("Callbridge_Command_Id__c") + "/" + externalId,
                    leadBody(command, s), null);
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("allOrNone", true);
        ArrayNode subs = body.putArray("compositeRequest");
        subs.addObject().put("method", upsert.method()).put("url", upsert.path()).put("referenceId", "caller")
                .set("body", upsert.body());
        subs.addObject().put("method", "GET").put("url", "/services/data/v" + version + "/sobjects/" + type + "/@{caller.id}")
                .put("referenceId", "record");
        exchange.setProperty(CALLER_TYPE, type);
        raw(exchange.getMessage(), "POST", "/services/data/v" + version + "/composite", body.toString());
        ensureSession();
    }

    /** Reads the composite answer: the new (or found again) record becomes the command's caller. */
    public void callerCreated(Exchange exchange) throws Exception {
        Command command = command(exchange);
        String type = exchange.getProperty(CALLER_TYPE, String.class);
        JsonNode answer = JSON.readTree(bodyText(exchange.getMessage()));
        JsonNode record = null;
        for (JsonNode sub : answer.path("compositeResponse")) {
            int status = sub.path("httpStatusCode").asInt();
            if (status >= 300) {
                String text = sub.path("body").toString();
                throw CrmException.answered(CRM, status, type + " for the unknown caller: " + text, Map.of(), quota(text));
            }
            if (sub.path("referenceId").asText().equals("record")) {
                record = sub.path("body");
            }
        }
        if (record == null || !record.hasNonNull("Id")) {
            throw CrmException.answered(CRM, 502, "the composite answer has no " + type + " record", Map.of(), false);
        }
        ObjectNode copy = ((ObjectNode) record).deepCopy();
        copy.remove("attributes");
        ObjectNode contact = JSON.createObjectNode();
        contact.put("id", copy.get("Id").asText());
        contact.put("type", type.toLowerCase(java.util.Locale.ROOT));
        if (copy.hasNonNull("OwnerId")) {
            contact.put("ownerId", copy.get("OwnerId").asText());
        }
        contact.set("record", copy);
        setContact(exchange, contact);
        callers.invalidate(command.customerE164());
        LOG.info("Salesforce: {} {} for the unknown caller {} (external id caller:…)", type, contact.get("id").asText(),
                Pii.phone(command.customerE164()));
    }

    /** {@code caller:<digits>}: one record per number, whatever event or command creates it. */
    static String callerExternalId(String e164) {
        return "caller:" + (e164 == null ? "unknown" : e164.replaceAll("[^0-9]", ""));
    }

    private static ObjectNode leadBody(Command command, ObjectNode s) {
        JsonNode data = command.event().path("data");
        JsonNode caller = data.path("caller");
        String name = caller.path("name").asText("").trim();
        int space = name.indexOf(' ');
        ObjectNode b = JSON.createObjectNode();
        if (space > 0) {
            b.put("FirstName", name.substring(0, space));
            b.put("LastName", name.substring(space + 1).trim());
        } else {
            b.put("LastName", name.isEmpty() ? s.path("unknown-last-name").asText("Appelant inconnu") : name);
        }
        String company = caller.path("company").asText("").trim();
        b.put("Company", company.isEmpty() ? s.path("unknown-company").asText("Inconnu") : company);
        if (caller.hasNonNull("email")) {
            b.put("Email", caller.get("email").asText());
        }
        b.put("Phone", command.customerE164());
        b.put("LeadSource", "Phone Inquiry");
        return b;
    }

    // ---- the command ------------------------------------------------------------------------------

    /**
     * Renders the command's template with the caller; the request goes to camel-salesforce's
     * {@code raw} operation (headers {@code rawMethod}, {@code rawPath}, JSON body). Nothing to send:
     * {@link CrmKeys#SKIP} says why.
     */
    public void render(Exchange exchange) throws Exception {
        Command command = command(exchange);
        JsonNode contact = exchange.getProperty(CrmKeys.CONTACT, JsonNode.class);
        CrmRequest request = mappings.current().render(command, contact);
        if (request == null) {
            exchange.setProperty(CrmKeys.SKIP, "the template has nothing to send" + (contact == null ? " for an unknown caller" : ""));
            return;
        }
        raw(exchange.getMessage(), request.method(), request.path(), request.body() == null ? null : request.body().toString());
        ensureSession();
    }

    /** After a write: the record's id for the outcome, and what the cache knows of that caller is out of date. */
    public void written(Exchange exchange) throws IOException {
        Command command = command(exchange);
        callers.written(command.action(), command.customerE164());
        String answer = bodyText(exchange.getMessage());
        if (answer.startsWith("{")) {
            JsonNode id = JSON.readTree(answer).path("id");
            if (id.isTextual()) {
                exchange.setProperty(CrmKeys.RECORD_ID, id.asText());
            }
        }
    }

    private static void raw(Message m, String method, String path, String body) {
        // camel-salesforce copies Sforce-* answer headers onto the message and sends Sforce-* headers with a request
        m.removeHeaders("Sforce*");
        m.setHeader(RAW_METHOD, method);
        m.setHeader(RAW_PATH, path);
        m.setBody(body);
    }

    // ---- errors and the probe ---------------------------------------------------------------------

    /**
     * In a doCatch: camel-salesforce's error as the delivery core reads it. REQUEST_LIMIT_EXCEEDED is a
     * quota error (the breaker opens at once); a refused login is a 401 (retried, never set aside); no
     * answer at all is an I/O error.
     */
    public void failed(Exchange exchange) throws Exception {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Exception failure = translate(caught, sforceHeaders(exchange.getMessage()));
        counted(exchange, failure instanceof CrmException c && c.status() > 0 ? c.status() : null);
        if (failure instanceof CrmException crm && exchange.getProperty(CrmKeys.CONTACT) != null && callerGone(crm)) {
            // the cached caller was deleted or merged away in Salesforce: forget it, and let the retry look again
            Command command = command(exchange);
            callers.invalidate(command.customerE164());
            LOG.info("Salesforce: the record of caller {} is gone (HTTP {}); {} is retried with a fresh lookup",
                    Pii.phone(command.customerE164()), crm.status(), command.commandId());
            // no cause attached: the delivery core would classify the CRM's 4xx inside it as a refusal
            throw new IllegalStateException("the caller's Salesforce record is gone (HTTP " + crm.status()
                    + "); looked up again on the retry");
        }
        throw failure;
    }

    /** Salesforce says the record the command points at (WhoId, ContactId, or the record itself) no longer exists. */
    static boolean callerGone(CrmException crm) {
        return crm.body() != null && crm.body().contains("ENTITY_IS_DELETED") || crm.status() == 404;
    }

    /** The probe's answer when it failed: the status, but 503 for a spent quota, a refused login or no answer. */
    public int probeStatus(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Exception t = translate(caught, Map.of());
        if (t instanceof CrmException crm && !crm.quotaExhausted() && crm.status() != 401) {
            return crm.status();
        }
        return 503;
    }

    /** The path camel-salesforce's raw operation asks for the org's limits: the probe. */
    public void prepareProbe(Exchange exchange) throws Exception {
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        raw(m, "GET", "/services/data/v" + mappings.current().settings(CRM).path("api-version")
                .asText(settings.apiVersion()) + "/limits", null);
        ensureSession();
    }

    static Exception translate(Throwable caught, Map<String, String> headers) {
        Throwable t = caught;
        while (t != null && !(t instanceof SalesforceException) && !(t instanceof CrmException)) {
            t = t.getCause() == t ? null : t.getCause();
        }
        if (t instanceof CrmException crm) {
            return crm;
        }
        if (!(t instanceof SalesforceException sf)) {
            return caught instanceof Exception e ? e : new IllegalStateException(caught);
        }
        String text = errorText(sf);
        int status = sf.getStatusCode();
        if (text.contains("/services/oauth2/token")) {
            return CrmException.answered(CRM, 401, "Salesforce login refused (" + status + ")", headers, false);
        }
        if (status <= 0) {
            return new IOException("Salesforce did not answer: " + sf.getMessage(), sf);
        }
        return CrmException.answered(CRM, status, text, headers, quota(text));
    }

    private static String errorText(SalesforceException sf) {
        StringBuilder sb = new StringBuilder(String.valueOf(sf.getMessage()));
        if (sf.getErrors() != null && !sf.getErrors().isEmpty()) {
            sf.getErrors().forEach(e -> sb.append(' ').append(e.getErrorCode()).append(": ").append(e.getMessage()));
        }
        for (Throwable c = sf.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c instanceof SalesforceException inner) {
                sb.append(" / ").append(inner.getMessage());
            }
        }
        return sb.toString();
    }

    static boolean quota(String text) {
        return text != null && text.contains("REQUEST_LIMIT_EXCEEDED");
    }

    private static Map<String, String> sforceHeaders(Message m) {
        Map<String, String> out = new LinkedHashMap<>();
        m.getHeaders().forEach((k, v) -> {
            if (k.startsWith("Sforce") && v != null) {
                out.put(k, v.toString());
            }
        });
        return out;
    }

    // ---- plumbing ---------------------------------------------------------------------------------

    /**
     * camel-salesforce is configured with lazy login (start-up must not depend on Salesforce being up);
     * the first request logs in here, through the session caller lookups share. A refused login is a 401
     * for the delivery core: retried, never set aside.
     */
    private void ensureSession() throws Exception {
        try {
            auth.credentials().get(settings.requestTimeoutMs(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof CrmException crm ? crm : e;
        }
    }

    private static void setContact(Exchange exchange, JsonNode contact) {
        if (contact == null || contact.isNull()) {
            exchange.removeProperty(CrmKeys.CONTACT);
        } else {
            exchange.setProperty(CrmKeys.CONTACT, contact);
        }
    }

    private static Command command(Exchange exchange) {
        Command command = exchange.getProperty(CrmKeys.COMMAND, Command.class);
        if (command == null) {
            throw new IllegalStateException("no command on the exchange: direct:crm-salesforce is called by the delivery core");
        }
        return command;
    }

    static String bodyText(Message m) throws IOException {
        Object body = m.getBody();
        if (body instanceof InputStream in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String s = m.getBody(String.class);
        return s == null ? "" : s;
    }
}
