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
import io.callbridge.delivery.CrmException;
import io.callbridge.delivery.Delivery;
import io.callbridge.identify.Callers;
import io.callbridge.identify.CrmHttp;
import io.callbridge.logging.Pii;
import io.callbridge.mapping.CrmRequest;
import io.callbridge.mapping.DryRun.ContactFinder;
import io.callbridge.mapping.LiveMappings;
import io.callbridge.mapping.Mappings;
import io.callbridge.rules.Command;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.internal.SalesforceSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bean {@code salesforceConnector}: the steps of {@code routes/crm-salesforce.yaml} that YAML expresses
 * badly. The caller is found through the identification service ({@code contactFinder.salesforce});
 * an unknown caller becomes a Lead or Contact upserted by an external id derived from the number
 * ({@code caller:<digits>}), so no redelivery or second command can create a second one; the command's
 * template renders {@code {method, path, body}} for camel-salesforce's {@code raw} operation; and
 * camel-salesforce's errors become {@link CrmException}s for the delivery core's classification.
 */
public final class SalesforceConnector {

    private static final Logger LOG = LoggerFactory.getLogger(SalesforceConnector.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String CRM = "salesforce";
    /** Exchange property: the caller's record in the templates' shape, absent when unknown. */
    public static final String CONTACT = "contact";
    /** Header: true when the template has nothing to send for this command. */
    public static final String NOTHING_TO_DO = "CallbridgeNothingToDo";
    static final String RAW_METHOD = "rawMethod";
    static final String RAW_PATH = "rawPath";

    private final SalesforceSettings settings;

    public SalesforceConnector(SalesforceSettings settings) {
        this.settings = settings;
    }

    public SalesforceSettings settings() {
        return settings;
    }

    // ---- the caller -------------------------------------------------------------------------------

    /** Looks the command's caller up (cache, else Contact and Lead phone fields); sets property {@code contact}. */
    public void findCaller(Exchange exchange) throws Exception {
        requireEnabled();
        Command command = command(exchange);
        ContactFinder finder = exchange.getContext().getRegistry().lookupByNameAndType("contactFinder." + CRM, ContactFinder.class);
        if (finder == null) {
            throw new IllegalStateException("no contact finder for Salesforce (contactFinder.salesforce): caller "
                    + "identification is not wired");
        }
        if (Boolean.TRUE.equals(exchange.getMessage().getHeader(Delivery.CHECK_FIRST, Boolean.class))) {
            LOG.debug("{} may have reached Salesforce before; re-sent as an upsert by its external id", command.commandId());
        }
        JsonNode contact;
        try {
            contact = finder.find(CRM, command.customerE164());
        } catch (CrmHttp.CrmException e) {
            throw new CrmException(e.status(), e.getMessage(), Map.of(), quota(e.getMessage()));
        }
        setContact(exchange, contact);
    }

    /** Whether an unknown caller gets a record of their own before the command is written. */
    public boolean createsUnknownCallers() {
        return settings != null && settings.unknownCaller() != SalesforceSettings.UnknownCaller.UNLINKED;
    }

    /**
     * The composite request that creates the unknown caller's Lead (or Contact) idempotently: an upsert
     * by {@code <external-id-field> = caller:<digits of the number>}, then a read of the record, in one
     * round trip.
     */
    public void prepareCallerCreation(Exchange exchange) throws Exception {
        Command command = command(exchange);
        Mappings mappings = mappings(exchange.getContext());
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
        exchange.setProperty("CallbridgeCallerType", type);
        raw(exchange.getMessage(), "POST", "/services/data/v" + version + "/composite", body.toString());
        ensureSession(exchange.getContext());
    }

    /** Reads the composite answer: the new (or found again) record becomes the command's caller. */
    public void callerCreated(Exchange exchange) throws Exception {
        Command command = command(exchange);
        String type = exchange.getProperty("CallbridgeCallerType", String.class);
        JsonNode answer = JSON.readTree(bodyText(exchange.getMessage()));
        JsonNode record = null;
        for (JsonNode sub : answer.path("compositeResponse")) {
            int status = sub.path("httpStatusCode").asInt();
            if (status >= 300) {
                String text = sub.path("body").toString();
                throw new CrmException(status, type + " for the unknown caller: " + text, Map.of(), quota(text));
            }
            if (sub.path("referenceId").asText().equals("record")) {
                record = sub.path("body");
            }
        }
        if (record == null || !record.hasNonNull("Id")) {
            throw new CrmException(502, "the composite answer has no " + type + " record: " + answer, Map.of(), false);
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
        invalidate(exchange, command.customerE164());
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
     * header {@code CallbridgeNothingToDo}.
     */
    public void render(Exchange exchange) throws Exception {
        Command command = command(exchange);
        JsonNode contact = exchange.getProperty(CONTACT, JsonNode.class);
        CrmRequest request = mappings(exchange.getContext()).render(command, contact);
        Message m = exchange.getMessage();
        m.setHeader(NOTHING_TO_DO, request == null);
        if (request == null) {
            return;
        }
        raw(m, request.method(), request.path(), request.body() == null ? null : request.body().toString());
        ensureSession(exchange.getContext());
    }

    /** After a write: what the cache knows of that caller is out of date (see {@code Callers.written}). */
    public void written(Exchange exchange) {
        Callers callers = exchange.getContext().getRegistry().lookupByNameAndType("callers", Callers.class);
        if (callers != null) {
            callers.written(command(exchange).action(), command(exchange).customerE164());
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
        if (failure instanceof CrmException crm && exchange.getProperty(CONTACT) != null && callerGone(crm)) {
            // the cached caller was deleted or merged away in Salesforce: forget it, and let the retry look again
            Command command = command(exchange);
            invalidate(exchange, command.customerE164());
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
        requireEnabled();
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        raw(m, "GET", "/services/data/v" + mappings(exchange.getContext()).settings(CRM).path("api-version")
                .asText(settings.apiVersion()) + "/limits", null);
        ensureSession(exchange.getContext());
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
            return new CrmException(401, "Salesforce login refused (" + status + ")", headers, false);
        }
        if (status <= 0) {
            return new IOException("Salesforce did not answer: " + sf.getMessage(), sf);
        }
        return new CrmException(status, text, headers, quota(text));
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
     * the first request logs in here. A refused login is a 401 for the delivery core: retried, never
     * set aside. Tokens are never logged.
     */
    void ensureSession(CamelContext context) throws CrmException {
        SalesforceComponent component = context.getComponent(CRM, SalesforceComponent.class);
        SalesforceSession session = component.getSession();
        if (session == null || session.getAccessToken() != null) {
            return;
        }
        synchronized (this) {
            if (session.getAccessToken() != null) {
                return;
            }
            try {
                session.login(null);
            } catch (SalesforceException e) {
                LOG.warn("Salesforce login at {} refused ({}, HTTP {})", settings.loginUrl(), settings.flow(), e.getStatusCode());
                throw new CrmException(401, "Salesforce login refused (" + e.getStatusCode() + ")", Map.of(), false);
            }
        }
    }

    private void requireEnabled() {
        if (settings == null) {
            throw new IllegalStateException("the Salesforce connector is not enabled (callbridge.crm.salesforce.enabled)");
        }
    }

    private static void setContact(Exchange exchange, JsonNode contact) {
        if (contact == null || contact.isNull()) {
            exchange.removeProperty(CONTACT);
        } else {
            exchange.setProperty(CONTACT, contact);
        }
    }

    private static void invalidate(Exchange exchange, String e164) {
        Callers callers = exchange.getContext().getRegistry().lookupByNameAndType("callers", Callers.class);
        if (callers != null && e164 != null) {
            callers.invalidate(e164);
        }
    }

    private static Command command(Exchange exchange) {
        Command command = exchange.getProperty("command", Command.class);
        if (command == null) {
            throw new IllegalStateException("no command on the exchange (property 'command')");
        }
        return command;
    }

    private static Mappings mappings(CamelContext context) {
        return context.getRegistry().lookupByNameAndType("mappings", LiveMappings.class).current();
    }

    private static String bodyText(Message m) throws IOException {
        Object body = m.getBody();
        if (body instanceof InputStream in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String s = m.getBody(String.class);
        return s == null ? "" : s;
    }
}
