package io.callbridge.crm.salesforce;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.crm.CallerRecords;
import io.callbridge.crm.CrmContext;
import io.callbridge.crm.CrmKeys;
import io.callbridge.crm.Outcome;
import io.callbridge.crm.RouteConnector;
import io.callbridge.logging.Pii;
import io.callbridge.mapping.Command;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Salesforce's side of the delivery core. Each command of a wave goes through route {@code salesforce-prepare}
 * (caller, unknown caller's record, template); the wave's upserts by an external id ({@code PATCH
 * /sobjects/<Type>/<Field>/<value>}, what every default template renders for a new record) and updates by record id
 * ({@code PATCH /sobjects/<Type>/<Id>}, the caller's record) are then sent together as sObject Collections
 * ({@code PATCH /composite/sobjects/<Type>/<Field>} and {@code PATCH /composite/sobjects}, at most 200 records,
 * {@code allOrNone=false}, one result per record in order), several collections in one {@code composite} request,
 * which Salesforce counts as one API call. Any other request goes through route {@code salesforce-write} on its own.
 */
final class SalesforceDelivery extends RouteConnector {

    private static final Logger LOG = LoggerFactory.getLogger(SalesforceDelivery.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern UPSERT = Pattern.compile("^/services/data/v([0-9.]+)/sobjects/(\\w+)/(\\w+)/([^/?]+)$");
    private static final Pattern UPDATE = Pattern.compile("^/services/data/v([0-9.]+)/sobjects/(\\w+)/([a-zA-Z0-9]{15}|[a-zA-Z0-9]{18})$");
    private static final String BY_ID = "Id";
    /** Actions that change the caller's own record, whose written fields the cached caller takes. */
    private static final Set<String> CONTACT_UPDATES = Set.of("update-contact", "set-field");
    static final int MAX_RECORDS = 200;
    /** Collections per composite request (its limit is 25 subrequests; five keep a request's answer small). */
    static final int MAX_COLLECTIONS = 5;
    /** Errors of one record that another attempt may overcome. */
    private static final Set<String> TRANSIENT = Set.of("UNABLE_TO_LOCK_ROW", "REQUEST_LIMIT_EXCEEDED", "SERVER_UNAVAILABLE");

    private final CallerRecords callers;

    SalesforceDelivery(CrmContext context, CallerRecords callers) {
        super(SalesforceCrm.NAME, context);
        this.callers = callers;
    }

    /**
     * A prepared record write: where its outcome goes, its command, its record with type and external id (or Id), and
     * the fields the template set.
     */
    private record Upsert(int index, Command command, ObjectNode record, ObjectNode fields) {
    }

    /** The records of one collection request: same API version, object type and external id field (or {@code Id}). */
    private record Collection(String version, String type, String field, List<Upsert> upserts) {
        String url() {
            return "/services/data/v" + version + "/composite/sobjects" + (field.equals(BY_ID) ? "" : "/" + type + "/" + field);
        }

        ObjectNode body() {
            ObjectNode b = JSON.createObjectNode().put("allOrNone", false);
            ArrayNode records = b.putArray("records");
            upserts.forEach(u -> records.add(u.record()));
            return b;
        }
    }

    @Override
    public List<Outcome> deliver(List<Delivery> deliveries) {
        Outcome[] outcomes = new Outcome[deliveries.size()];
        Exchange[] prepared = new Exchange[deliveries.size()];
        List<Runnable> preparing = new ArrayList<>();
        for (int i = 0; i < deliveries.size(); i++) {
            int index = i;
            preparing.add(() -> prepared[index] = through("direct:salesforce-prepare", deliveries.get(index)));
        }
        inFlight().runAll(preparing);

        Map<String, Collection> filling = new LinkedHashMap<>();
        List<Collection> collections = new ArrayList<>();
        List<Runnable> sends = new ArrayList<>();
        for (int i = 0; i < prepared.length; i++) {
            int index = i;
            Exchange e = prepared[i];
            Command command = deliveries.get(i).command();
            if (e == null) {
                continue;
            }
            if (e.getException() != null) {
                outcomes[i] = Outcome.of(e.getException(), clock());
            } else if (e.getProperty(CrmKeys.SKIP) != null) {
                LOG.debug("salesforce {}: nothing sent, {}", command.commandId(), e.getProperty(CrmKeys.SKIP));
                outcomes[i] = new Outcome.Done(null);
            } else {
                Matcher m = upsert(e.getMessage());
                if (m == null) {
                    sends.add(() -> outcomes[index] = write(e));
                } else {
                    boolean byId = m.pattern() == UPDATE;
                    String field = byId ? BY_ID : m.group(3);
                    ObjectNode fields;
                    try {
                        fields = fields(e.getMessage());
                    } catch (IllegalStateException notAnObject) {
                        outcomes[i] = new Outcome.Rejected(null, notAnObject.getMessage(), true);
                        continue;
                    }
                    ObjectNode record = JSON.createObjectNode();
                    record.putObject("attributes").put("type", m.group(2));
                    record.setAll(fields.deepCopy());
                    record.put(field, URLDecoder.decode(byId ? m.group(3) : m.group(4), StandardCharsets.UTF_8));
                    String key = m.group(1) + "/" + m.group(2) + "/" + field;
                    Collection c = filling.get(key);
                    if (c == null || c.upserts().size() == MAX_RECORDS) {
                        c = new Collection(m.group(1), m.group(2), field, new ArrayList<>());
                        filling.put(key, c);
                        collections.add(c);
                    }
                    c.upserts().add(new Upsert(i, command, record, fields));
                }
            }
        }
        Map<String, List<Collection>> byVersion = new LinkedHashMap<>();
        collections.forEach(c -> byVersion.computeIfAbsent(c.version(), v -> new ArrayList<>()).add(c));
        for (List<Collection> sameVersion : byVersion.values()) {
            for (int from = 0; from < sameVersion.size(); from += MAX_COLLECTIONS) {
                List<Collection> request = sameVersion.subList(from, Math.min(sameVersion.size(), from + MAX_COLLECTIONS));
                sends.add(() -> send(request, outcomes));
            }
        }
        inFlight().runAll(sends);
        return Outcome.ofWave(outcomes);
    }

    @Override
    public boolean coalescesUpdates() {
        return true;
    }

    /**
     * The rendered request's path when a collection can take it: an upsert by an external id field ({@link #UPSERT})
     * or an update by record id ({@link #UPDATE}); else null.
     */
    private static Matcher upsert(Message m) {
        String method = m.getHeader(SalesforceConnector.RAW_METHOD, String.class);
        String path = m.getHeader(SalesforceConnector.RAW_PATH, String.class);
        if (!"PATCH".equals(method) || path == null) {
            return null;
        }
        Matcher update = UPDATE.matcher(path);
        if (update.matches()) {
            return update;
        }
        Matcher matcher = UPSERT.matcher(path);
        return matcher.matches() && !matcher.group(3).equals(BY_ID) ? matcher : null;
    }

    private static ObjectNode fields(Message m) {
        try {
            String body = m.getBody(String.class);
            return body == null || body.isBlank() ? JSON.createObjectNode() : (ObjectNode) JSON.readTree(body);
        } catch (IOException | ClassCastException e) {
            throw new IllegalStateException("the Salesforce template rendered a body that is not a JSON object", e);
        }
    }

    private Outcome write(Exchange prepared) {
        Exchange done = producer().template().send("direct:salesforce-write", prepared);
        return done.getException() != null ? Outcome.of(done.getException(), clock())
                : new Outcome.Done(done.getProperty(CrmKeys.RECORD_ID, String.class));
    }

    /** One collection as its own request, or several in one composite request. */
    private void send(List<Collection> request, Outcome[] outcomes) {
        String version = request.get(0).version();
        boolean single = request.size() == 1;
        ObjectNode body;
        if (single) {
            body = request.get(0).body();
        } else {
            body = JSON.createObjectNode().put("allOrNone", false);
            ArrayNode subs = body.putArray("compositeRequest");
            for (int k = 0; k < request.size(); k++) {
                subs.addObject().put("method", "PATCH").put("url", request.get(k).url()).put("referenceId", "collection" + k)
                        .set("body", request.get(k).body());
            }
        }
        Exchange done = producer().template().send("direct:salesforce-send", e -> {
            e.getMessage().setHeader(SalesforceConnector.RAW_METHOD, single ? "PATCH" : "POST");
            e.getMessage().setHeader(SalesforceConnector.RAW_PATH, single ? request.get(0).url() : "/services/data/v" + version + "/composite");
            e.getMessage().setBody(body.toString());
        });
        if (done.getException() != null) {
            Outcome failed = Outcome.of(done.getException(), clock());
            request.forEach(c -> c.upserts().forEach(u -> outcomes[u.index()] = failed));
            return;
        }
        try {
            JsonNode answer = JSON.readTree(SalesforceConnector.bodyText(done.getMessage()));
            if (single) {
                results(request.get(0), answer, outcomes);
                return;
            }
            JsonNode subs = answer.path("compositeResponse");
            for (int k = 0; k < request.size(); k++) {
                JsonNode sub = subs.path(k);
                int status = sub.path("httpStatusCode").asInt(502);
                if (status >= 300) {
                    Outcome failed = Outcome.ofStatus(status, sub.path("body").toString(), Map.of(),
                            SalesforceConnector.quota(sub.path("body").toString()), clock());
                    request.get(k).upserts().forEach(u -> outcomes[u.index()] = failed);
                } else {
                    results(request.get(k), sub.path("body"), outcomes);
                }
            }
        } catch (IOException e) {
            Outcome unreadable = new Outcome.Retryable(null, "the answer to a collection is not JSON: " + e.getMessage(), null, false);
            request.forEach(c -> c.upserts().forEach(u -> outcomes[u.index()] = unreadable));
        }
    }

    /** One result per record, in the order of the records. */
    private void results(Collection c, JsonNode results, Outcome[] outcomes) {
        for (int n = 0; n < c.upserts().size(); n++) {
            Upsert u = c.upserts().get(n);
            JsonNode r = results.path(n);
            if (r.path("success").asBoolean(false)) {
                written(c, u, r.path("id").asText(null));
                outcomes[u.index()] = new Outcome.Done(r.path("id").asText(null));
                continue;
            }
            JsonNode error = r.path("errors").path(0);
            String code = error.path("statusCode").asText("UNKNOWN");
            String reason = code + ": " + error.path("message").asText("no result for this record");
            if (code.equals("ENTITY_IS_DELETED")) {
                // the cached caller was deleted or merged away in Salesforce: look again on the retry
                callers.invalidate(u.command().customerE164());
                LOG.info("Salesforce: the record of caller {} is gone (HTTP 400, {}); {} is retried with a fresh lookup",
                        Pii.phone(u.command().customerE164()), code, u.command().commandId());
                outcomes[u.index()] = new Outcome.Retryable(null, reason, null, false);
            } else if (TRANSIENT.contains(code) || r.isMissingNode()) {
                outcomes[u.index()] = new Outcome.Retryable(null, reason, null, code.equals("REQUEST_LIMIT_EXCEEDED"));
            } else {
                outcomes[u.index()] = new Outcome.Rejected(400, reason, false);
            }
        }
    }

    /**
     * After a record was written: an update of the caller's record by its id leaves the cached caller with the fields
     * Salesforce accepted (no lookup for the caller's next command); any other write outdates or drops it.
     */
    private void written(Collection c, Upsert u, String id) {
        String e164 = u.command().customerE164();
        if (c.field().equals(BY_ID) && CONTACT_UPDATES.contains(u.command().action()) && id != null) {
            callers.updated(e164, id, u.fields());
        } else {
            callers.written(u.command().action(), e164);
        }
    }
}
