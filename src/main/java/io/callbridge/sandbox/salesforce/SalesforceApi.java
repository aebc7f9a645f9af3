package io.callbridge.sandbox.salesforce;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.SandboxRequest;
import io.callbridge.sandbox.SandboxResponse;
import io.callbridge.sandbox.salesforce.SalesforceSchema.Field;
import io.callbridge.sandbox.salesforce.SalesforceSchema.SObject;

/**
 * The REST resources under {@code /services/data/v{version}/}: sobjects CRUD, upsert by external
 * id, describe, query, search and parameterized search, composite, sObject collections, limits.
 * Authentication and the API limit are checked by {@link SalesforceSandbox} before a request gets
 * here. A resource or sub-resource not listed here answers 501 ({@link SalesforceException#notSimulated}),
 * so that no client takes it for Salesforce's own NOT_FOUND.
 */
final class SalesforceApi {

    static final double MIN_VERSION = 31.0;
    static final double MAX_VERSION = 64.0;
    private static final Pattern REFERENCE = Pattern.compile("@\\{([A-Za-z0-9_]+)\\.([^}]+)}");
    private static final Pattern REFERENCE_ID = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    private final SalesforceSchema schema;
    private final SalesforceStore store;
    private final SoqlRunner soql;
    private final Clock clock;
    private final SalesforceSearch search;
    private final java.util.function.Supplier<ObjectNode> limits;
    private final java.util.function.Supplier<String> identityUrl;
    /** Sub-resources of an sObject type that Salesforce serves and the sandbox does not: 501, not "no such record". */
    private static final Set<String> SOBJECT_RESOURCES = Set.of("updated", "deleted", "listviews", "quickActions", "layouts",
            "compactLayouts", "approvalLayouts", "eventSchema", "relevantItems", "suggestedArticles", "platformaction");

    SalesforceApi(SalesforceSchema schema, SalesforceStore store, Clock clock, java.util.function.Supplier<ObjectNode> limits,
                  java.util.function.Supplier<String> identityUrl) {
        this.schema = schema;
        this.store = store;
        this.clock = clock;
        this.limits = limits;
        this.identityUrl = identityUrl;
        this.soql = new SoqlRunner(store, schema);
        this.search = new SalesforceSearch(schema, store, soql, clock);
    }

    static ObjectNode attributes(SObject type, String id, String version) {
        ObjectNode a = Json.object();
        a.put("type", type.name());
        a.put("url", "/services/data/v" + version + "/sobjects/" + type.name() + "/" + id);
        return a;
    }

    static String versionLabel(double v) {
        int n = (int) v - 56;
        String season = List.of("Winter", "Spring", "Summer").get(Math.floorMod(n, 3));
        return season + " '" + (23 + Math.floorDiv(n, 3));
    }

    static ArrayNode versions() {
        ArrayNode a = Json.array();
        for (double v = MIN_VERSION; v <= MAX_VERSION; v++) {
            String s = String.format("%.1f", v);
            a.addObject().put("label", versionLabel(v)).put("url", "/services/data/v" + s).put("version", s);
        }
        return a;
    }

    /** Answers one request; {@code rest} are the path segments after {@code /services/data/v{version}}. */
    SandboxResponse handle(SandboxRequest req, String version, List<String> rest) {
        try {
            return route(req, version, rest);
        } catch (SalesforceException.Unsimulated e) {
            throw SalesforceException.notSimulated(notSimulated(req, version).errors().get(0).message() + " (" + e.feature() + ")");
        }
    }

    /** The 501 answer to {@code req}, a request (or composite subrequest) under {@code /services/data/v{version}}. */
    static SalesforceException notSimulated(SandboxRequest req, String version) {
        SandboxRequest full = req.path().startsWith("/services/") ? req
                : req.derive(req.method(), "/services/data/v" + version + req.path(), null);
        return SalesforceException.notSimulated(full.notSimulated());
    }

    private SandboxResponse route(SandboxRequest req, String version, List<String> rest) {
        String method = req.method().equals("HEAD") ? "GET" : req.method();
        if (rest.isEmpty()) {
            allow(method, "GET");
            // only what the sandbox serves, so that a client exploring the index finds no 501 there
            ObjectNode o = Json.object();
            for (String r : List.of("limits", "sobjects", "query", "queryAll", "composite", "search")) {
                o.put(r, "/services/data/v" + version + "/" + r);
            }
            if (Double.parseDouble(version) >= 36.0) o.put("parameterizedSearch", "/services/data/v" + version + "/parameterizedSearch");
            o.put("identity", identityUrl.get());
            return SandboxResponse.json(200, o);
        }
        String head = rest.get(0);
        switch (head) {
            case "limits" -> {
                allow(method, "GET");
                if (rest.size() > 1) throw notSimulated(req, version);
                return SandboxResponse.json(200, limits.get());
            }
            case "query", "queryAll" -> {
                allow(method, "GET");
                if (rest.size() == 2) {
                    ObjectNode next = soql.more(rest.get(1), version);
                    if (next == null) throw SalesforceException.badRequest("INVALID_QUERY_LOCATOR", "invalid query locator");
                    return SandboxResponse.json(200, next);
                }
                if (rest.size() > 2) throw notSimulated(req, version);
                String q = req.param("q");
                if (q == null) throw SalesforceException.badRequest("MALFORMED_QUERY", "A query string has to be specified");
                return SandboxResponse.json(200, soql.run(Soql.parse(q, schema, clock), version, batchSize(req)));
            }
            case "search" -> {
                // search/layout, search/scopeOrder, search/suggestions… are Salesforce's, not the sandbox's
                if (rest.size() > 1) throw notSimulated(req, version);
                allow(method, "GET");
                return SandboxResponse.json(200, search.sosl(req.param("q"), version));
            }
            case "parameterizedSearch" -> {
                if (Double.parseDouble(version) < 36.0) throw SalesforceException.notFound();
                if (rest.size() > 1) throw notSimulated(req, version);
                allow(method, "GET", "POST");
                return SandboxResponse.json(200, method.equals("POST") ? search.parameterized(body(req), version) : search.parameterized(req, version));
            }
            case "sobjects" -> {
                return sobjects(req, method, version, rest.subList(1, rest.size()));
            }
            case "composite" -> {
                if (rest.size() == 1) {
                    allow(method, "POST");
                    return composite(req, version);
                }
                if (rest.get(1).equals("sobjects")) return collections(req, method, version, rest.subList(2, rest.size()));
                throw notSimulated(req, version);
            }
            default -> throw notSimulated(req, version);
        }
    }

    /** {@code Sforce-Query-Options: batchSize=n}, 200 to 2000 (default 2000), as Salesforce honours it. */
    private static int batchSize(SandboxRequest req) {
        String h = req.header("sforce-query-options");
        if (h != null) {
            Matcher m = Pattern.compile("batchSize\\s*=\\s*(\\d+)").matcher(h);
            if (m.find()) return Math.max(200, Math.min(2000, Integer.parseInt(m.group(1))));
        }
        return 2000;
    }

    void reset() {
        soql.reset();
    }

    // ---- sobjects -----------------------------------------------------------------------------

    private SandboxResponse sobjects(SandboxRequest req, String method, String version, List<String> rest) {
        if (rest.isEmpty()) {
            allow(method, "GET");
            ObjectNode o = Json.object();
            o.put("encoding", "UTF-8");
            o.put("maxBatchSize", 200);
            ArrayNode a = o.putArray("sobjects");
            for (SObject t : schema.objects()) a.add(objectSummary(t, version));
            return SandboxResponse.json(200, o);
        }
        SObject type = schema.object(rest.get(0));
        if (type == null) throw SalesforceException.notFound();
        if (rest.size() == 1) {
            if (method.equals("POST")) {
                ObjectNode rec = store.create(type, body(req), req.bodyString(), false);
                String id = rec.get("Id").asText();
                ObjectNode o = Json.object().put("id", id).put("success", true);
                o.putArray("errors");
                return SandboxResponse.json(201, o).withHeader("Location", attributes(type, id, version).get("url").asText());
            }
            allow(method, "GET", "POST");
            ObjectNode o = Json.object();
            o.set("objectDescribe", objectSummary(type, version));
            o.putArray("recentItems");
            return SandboxResponse.json(200, o);
        }
        if (rest.size() == 2 && rest.get(1).equals("describe")) {
            allow(method, "GET");
            return SandboxResponse.json(200, describe(type, version));
        }
        if (SOBJECT_RESOURCES.contains(rest.get(1)) || rest.get(1).equals("describe")) throw notSimulated(req, version);
        if (rest.size() == 2) {
            String id = SalesforceIds.normalize(rest.get(1));
            if (id == null || !SalesforceIds.prefix(id).equals(type.keyPrefix())) {
                throw new SalesforceException(404, SalesforceError.of("NOT_FOUND", "Provided external ID field does not exist or is not accessible: " + rest.get(1)));
            }
            switch (method) {
                case "GET" -> {
                    ObjectNode rec = store.get(id);
                    if (rec == null) throw store.isDeleted(id) ? new SalesforceException(404, SalesforceError.of("ENTITY_IS_DELETED", "entity is deleted")) : SalesforceException.notFound();
                    return SandboxResponse.json(200, output(type, rec, version, fieldsParam(type, req)));
                }
                case "PATCH" -> {
                    store.update(type, id, body(req), req.bodyString());
                    return SandboxResponse.empty(204);
                }
                case "DELETE" -> {
                    store.delete(id);
                    return SandboxResponse.empty(204);
                }
                default -> throw notAllowed(method, "GET,PATCH,DELETE,HEAD");
            }
        }
        // a record's related records or blob fields (/sobjects/Account/{id}/Contacts) are not simulated
        if (rest.size() == 3 && SalesforceIds.normalize(rest.get(1)) == null) {
            return byExternalId(req, method, version, type, rest.get(1), rest.get(2));
        }
        throw notSimulated(req, version);
    }

    private SandboxResponse byExternalId(SandboxRequest req, String method, String version, SObject type, String fieldName, String value) {
        Field field = type.field(fieldName);
        if (field == null || !(field.externalId() || field.name().equals("Id"))) {
            throw new SalesforceException(404, SalesforceError.of("NOT_FOUND", "Provided external ID field does not exist or is not accessible: " + fieldName));
        }
        List<ObjectNode> matches;
        if (field.name().equals("Id")) {
            String id = SalesforceIds.normalize(value);
            ObjectNode r = id == null ? null : store.get(id);
            matches = r == null || !SalesforceIds.prefix(id).equals(type.keyPrefix()) ? List.of() : List.of(r);
        } else {
            matches = store.findBy(type, field, value);
        }
        if (matches.size() > 1) {
            ArrayNode a = Json.array();
            for (ObjectNode m : matches) a.add(attributes(type, m.get("Id").asText(), version).get("url").asText());
            return SandboxResponse.json(300, a);
        }
        switch (method) {
            case "GET" -> {
                if (matches.isEmpty()) throw SalesforceException.notFound();
                return SandboxResponse.json(200, output(type, matches.get(0), version, fieldsParam(type, req)));
            }
            case "DELETE" -> {
                if (matches.isEmpty()) throw SalesforceException.notFound();
                store.delete(matches.get(0).get("Id").asText());
                return SandboxResponse.empty(204);
            }
            case "PATCH" -> {
                JsonNode body = body(req);
                if (!body.isObject()) throw SalesforceException.badRequest("JSON_PARSER_ERROR", "Cannot deserialize instance of " + type.name() + " from " + body.getNodeType());
                if (field.name().equals("Id") && matches.isEmpty()) throw SalesforceException.notFound();
                Upserted u = upsert(type, field, value, matches, (ObjectNode) body, req.bodyString());
                ObjectNode o = Json.object().put("id", u.id()).put("success", true);
                o.putArray("errors");
                o.put("created", u.created());
                if (u.created()) {
                    return SandboxResponse.json(201, o).withHeader("Location", attributes(type, u.id(), version).get("url").asText());
                }
                if (Double.parseDouble(version) < 46.0) return SandboxResponse.empty(204);
                return SandboxResponse.json(200, o);
            }
            default -> throw notAllowed(method, "GET,PATCH,DELETE,HEAD");
        }
    }

    private record Upserted(String id, boolean created) {
    }

    /** Upsert of one record by an external id field: created when nothing matches, else the match updated. */
    private Upserted upsert(SObject type, Field field, String value, List<ObjectNode> matches, ObjectNode body, String bodyString) {
        ObjectNode b = body.deepCopy();
        JsonNode inBody = SalesforceStore.field(b, field.name());
        if (inBody != null && !inBody.isNull() && !inBody.asText().equalsIgnoreCase(value)) {
            throw SalesforceException.dml("INVALID_FIELD", "The value of the external ID field " + field.name()
                    + " in the request body doesn't match the value in the URL", field.name());
        }
        if (matches.isEmpty()) {
            SalesforceStore.removeField(b, field.name());
            b.put(field.name(), value);
            return new Upserted(store.create(type, b, bodyString, false).get("Id").asText(), true);
        }
        String id = matches.get(0).get("Id").asText();
        store.update(type, id, b, bodyString);
        return new Upserted(id, false);
    }

    /**
     * {@code PATCH /composite/sobjects/{SObject}/{ExternalIdField}}: up to 200 records upserted by the field, each
     * carrying its value; one result per record, in order ({@code id, success, errors, created}). Every result says
     * {@code created}, a failed one too: whether the record was (or, rolled back or refused, would have been) inserted,
     * as Salesforce answers it (jsforce's own tests against an org expect {@code created: true} on records an
     * allOrNone failure rolled back).
     */
    private SandboxResponse upsertCollection(SandboxRequest req, SObject type, String fieldName) {
        Field field = type.field(fieldName);
        if (field == null || !field.externalId()) {
            throw new SalesforceException(404, SalesforceError.of("NOT_FOUND", "Provided external ID field does not exist or is not accessible: " + fieldName));
        }
        JsonNode body = body(req);
        JsonNode records = body.get("records");
        if (records == null || !records.isArray()) throw SalesforceException.badRequest("JSON_PARSER_ERROR", "Required field is missing: records");
        if (records.size() > 200) throw SalesforceException.badRequest("EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than 200 records into this call");
        List<JsonNode> list = new ArrayList<>();
        records.forEach(list::add);
        // a value given twice would make the second record update the first one's insert: Salesforce refuses both
        Map<String, Integer> seen = new java.util.HashMap<>();
        for (JsonNode r : list) {
            JsonNode v = SalesforceStore.field(r, field.name());
            if (v != null && !v.isNull()) seen.merge(v.asText().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
        }
        boolean[] created = new boolean[list.size()];
        int[] index = {0};
        SandboxResponse answer = collectionWrite(list, body.path("allOrNone").asBoolean(false), r -> {
            int k = index[0]++;
            if (!r.isObject()) throw SalesforceException.dml("JSON_PARSER_ERROR", "each record must be an object");
            String typeName = r.path("attributes").path("type").asText(type.name());
            if (!typeName.equalsIgnoreCase(type.name())) {
                throw SalesforceException.dml("INVALID_TYPE", "sObject type '" + typeName + "' does not match the type of the request, " + type.name());
            }
            JsonNode value = SalesforceStore.field(r, field.name());
            if (value == null || value.isNull() || value.asText().isBlank()) {
                throw SalesforceException.dml("MISSING_ARGUMENT", field.name() + " not specified", field.name());
            }
            if (seen.get(value.asText().toLowerCase(java.util.Locale.ROOT)) > 1) {
                throw SalesforceException.dml("DUPLICATE_EXTERNAL_ID", "Duplicate external id specified: " + value.asText(), field.name());
            }
            List<ObjectNode> matches = store.findBy(type, field, value.asText());
            if (matches.size() > 1) {
                throw SalesforceException.dml("DUPLICATE_EXTERNAL_ID", field.name() + ": more than one record found for external id field: "
                        + matches.stream().map(m -> m.get("Id").asText()).toList(), field.name());
            }
            created[k] = matches.isEmpty();
            ObjectNode fields = ((ObjectNode) r).deepCopy();
            fields.remove("attributes");
            return upsert(type, field, value.asText(), matches, fields, null).id();
        });
        JsonNode results = Json.parseOrNull(answer.body());
        for (int k = 0; k < results.size(); k++) {
            ((ObjectNode) results.get(k)).put("created", created[k]);
        }
        return SandboxResponse.json(200, results);
    }

    private Set<String> fieldsParam(SObject type, SandboxRequest req) {
        String f = req.param("fields");
        if (f == null || f.isBlank()) return null;
        Set<String> out = new LinkedHashSet<>();
        for (String name : f.split(",")) {
            Field field = type.field(name.trim());
            if (field == null) {
                throw SalesforceException.badRequest("INVALID_FIELD", "No such column '" + name.trim() + "' on entity '" + type.name() + "'. If you are attempting"
                        + " to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.");
            }
            out.add(field.name());
        }
        return out;
    }

    static ObjectNode output(SObject type, ObjectNode rec, String version, Set<String> fields) {
        ObjectNode o = Json.object();
        o.set("attributes", attributes(type, rec.get("Id").asText(), version));
        rec.fields().forEachRemaining(e -> {
            if (fields == null || fields.contains(e.getKey()) || e.getKey().equals("Id")) o.set(e.getKey(), e.getValue());
        });
        return o;
    }

    private ObjectNode objectSummary(SObject t, String version) {
        ObjectNode o = Json.object();
        o.put("name", t.name());
        o.put("label", t.label());
        o.put("keyPrefix", t.keyPrefix());
        o.put("custom", false);
        o.put("createable", t.createable());
        o.put("updateable", t.createable());
        o.put("deletable", t.createable());
        o.put("queryable", true);
        ObjectNode urls = o.putObject("urls");
        String base = "/services/data/v" + version + "/sobjects/" + t.name();
        urls.put("sobject", base);
        urls.put("describe", base + "/describe");
        urls.put("rowTemplate", base + "/{ID}");
        return o;
    }

    private ObjectNode describe(SObject t, String version) {
        ObjectNode o = objectSummary(t, version);
        ArrayNode fields = o.putArray("fields");
        for (Field f : t.fields()) {
            ObjectNode d = fields.addObject();
            d.put("name", f.name());
            d.put("label", f.label());
            d.put("type", f.type().soapName);
            d.put("length", f.type().textual() ? f.length() : 0);
            d.put("nillable", !f.required() && !f.type().equals(SalesforceSchema.Type.BOOLEAN) && !f.name().equals("Id"));
            d.put("createable", f.createable());
            d.put("updateable", f.updateable());
            d.put("externalId", f.externalId());
            d.put("unique", f.unique());
            d.put("custom", f.custom());
            d.put("filterable", !(f.type() == SalesforceSchema.Type.TEXTAREA && f.length() > 255));
            d.put("restrictedPicklist", f.restricted());
            d.put("defaultedOnCreate", f.defaultValue() != null || f.name().equals("OwnerId") || !f.createable());
            ArrayNode pl = d.putArray("picklistValues");
            for (String v : f.picklist()) {
                pl.addObject().put("active", true).put("defaultValue", v.equals(f.defaultValue())).put("label", v).put("value", v);
            }
            ArrayNode refs = d.putArray("referenceTo");
            f.referenceTo().forEach(refs::add);
            if (f.relationshipName() != null) d.put("relationshipName", f.relationshipName());
            else d.putNull("relationshipName");
        }
        return o;
    }

    // ---- composite ----------------------------------------------------------------------------

    private SandboxResponse composite(SandboxRequest req, String version) {
        JsonNode body = body(req);
        JsonNode subs = body.get("compositeRequest");
        if (subs == null || !subs.isArray()) {
            throw SalesforceException.badRequest("JSON_PARSER_ERROR", "Required field is missing: compositeRequest");
        }
        if (subs.size() > 25) {
            throw SalesforceException.badRequest("INVALID_API_INPUT", "Composite request can have at most 25 subrequests");
        }
        boolean allOrNone = body.path("allOrNone").asBoolean(false);
        Set<String> refIds = new LinkedHashSet<>();
        for (JsonNode s : subs) {
            String ref = s.path("referenceId").asText(null);
            if (ref == null || !REFERENCE_ID.matcher(ref).matches()) {
                throw SalesforceException.badRequest("INVALID_API_INPUT", "Invalid reference id: " + ref + ". Reference ids must start with a letter and contain only alphanumeric characters and underscores.");
            }
            if (!refIds.add(ref)) throw SalesforceException.badRequest("INVALID_API_INPUT", "Duplicate ReferenceId provided in the request: " + ref);
            if (!s.hasNonNull("method") || !s.hasNonNull("url")) {
                throw SalesforceException.badRequest("INVALID_API_INPUT", "Each subrequest needs method and url: " + ref);
            }
        }
        boolean writes = false;
        for (JsonNode sub : subs) {
            writes |= !sub.get("method").asText().equalsIgnoreCase("GET");
        }
        // a copy of the whole org, only when a rollback may need it
        SalesforceStore.Snapshot snapshot = allOrNone && writes ? store.snapshot() : null;
        Map<String, JsonNode> results = new LinkedHashMap<>();
        List<ObjectNode> responses = new ArrayList<>();
        boolean failed = false;
        int failedIndex = -1;
        for (JsonNode s : subs) {
            String ref = s.get("referenceId").asText();
            ObjectNode r = Json.object();
            if (failed && allOrNone) break;
            SandboxResponse sub;
            try {
                String url = resolve(s.get("url").asText(), results);
                JsonNode b = s.get("body");
                byte[] bytes = null;
                if (b != null && !b.isNull()) {
                    bytes = Json.MAPPER.writeValueAsBytes(resolveJson(b, results));
                }
                sub = dispatchSub(req, s.get("method").asText(), url, bytes, version);
            } catch (SalesforceException e) {
                sub = SandboxResponse.json(e.status(), e.body());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            JsonNode subBody = sub.body().length == 0 ? Json.MAPPER.nullNode() : Json.parseOrNull(sub.body());
            r.set("body", subBody == null ? Json.MAPPER.getNodeFactory().textNode(sub.bodyString()) : subBody);
            ObjectNode headers = r.putObject("httpHeaders");
            if (sub.headers().containsKey("Location")) headers.put("Location", sub.headers().get("Location"));
            r.put("httpStatusCode", sub.status());
            r.put("referenceId", ref);
            responses.add(r);
            if (sub.status() >= 400) {
                if (!failed) failedIndex = responses.size() - 1;
                failed = true;
            } else {
                results.put(ref, subBody);
            }
        }
        if (failed && allOrNone) {
            if (snapshot != null) {
                store.restore(snapshot);
            }
            List<ObjectNode> rolled = new ArrayList<>();
            for (int k = 0; k < subs.size(); k++) {
                if (k == failedIndex) {
                    rolled.add(responses.get(k));
                    continue;
                }
                ObjectNode r = Json.object();
                r.set("body", Json.array().add(SalesforceError.of("PROCESSING_HALTED",
                        "The transaction was rolled back since another operation in the same transaction failed.").toJson()));
                r.putObject("httpHeaders");
                r.put("httpStatusCode", 400);
                r.put("referenceId", subs.get(k).get("referenceId").asText());
                rolled.add(r);
            }
            responses = rolled;
        }
        ObjectNode out = Json.object();
        ArrayNode a = out.putArray("compositeResponse");
        responses.forEach(a::add);
        return SandboxResponse.json(200, out);
    }

    private SandboxResponse dispatchSub(SandboxRequest parent, String method, String url, byte[] body, String version) {
        Matcher m = Pattern.compile("^/services/data/v(\\d+\\.\\d)(/.*)?$").matcher(url.split("\\?")[0]);
        if (!m.matches()) {
            throw SalesforceException.badRequest("INVALID_API_INPUT", "The url of a composite subrequest must start with /services/data/vXX.X: " + url);
        }
        if (!m.group(1).equals(version)) {
            throw SalesforceException.badRequest("INVALID_API_INPUT", "All subrequests must use the version of the composite request (v" + version + "): " + url);
        }
        SandboxRequest sub = parent.derive(method, url.substring(("/services/data/v" + version).length()), body);
        List<String> segs = sub.segments();
        // of the composite resources, only sObject Collections may be a subrequest
        if (!segs.isEmpty() && segs.get(0).equals("composite") && !(segs.size() > 1 && segs.get(1).equals("sobjects"))) {
            throw SalesforceException.badRequest("INVALID_API_INPUT", "Composite subrequests cannot be composite requests");
        }
        return handle(sub, version, segs);
    }

    private String resolve(String text, Map<String, JsonNode> results) {
        Matcher m = REFERENCE.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            JsonNode v = lookup(results, m.group(1), m.group(2));
            if (v == null || v.isNull() || v.isMissingNode()) {
                throw new SalesforceException(400, SalesforceError.of("PROCESSING_HALTED",
                        "Invalid reference specified. No value for " + m.group(1) + "." + m.group(2) + " found in " + m.group(1)
                                + ". Provided referenceId ensure you only reference previous subrequests."));
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(v.isValueNode() ? v.asText() : v.toString()));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private JsonNode resolveJson(JsonNode node, Map<String, JsonNode> results) {
        if (node.isTextual()) {
            String t = node.asText();
            Matcher whole = REFERENCE.matcher(t);
            if (whole.matches()) {
                JsonNode v = lookup(results, whole.group(1), whole.group(2));
                if (v == null || v.isMissingNode()) resolve(t, results); // throws PROCESSING_HALTED
                return v;
            }
            return Json.MAPPER.getNodeFactory().textNode(resolve(t, results));
        }
        if (node.isObject()) {
            ObjectNode o = Json.object();
            node.fields().forEachRemaining(e -> o.set(e.getKey(), resolveJson(e.getValue(), results)));
            return o;
        }
        if (node.isArray()) {
            ArrayNode a = Json.array();
            node.forEach(n -> a.add(resolveJson(n, results)));
            return a;
        }
        return node;
    }

    /** Walks {@code id}, {@code records[0].Id}, {@code Account.Name} in an earlier result. */
    private static JsonNode lookup(Map<String, JsonNode> results, String ref, String path) {
        JsonNode cur = results.get(ref);
        if (cur == null) return null;
        for (String part : path.split("\\.")) {
            Matcher idx = Pattern.compile("^([^\\[]+)((\\[\\d+])*)$").matcher(part);
            if (!idx.matches()) return null;
            cur = cur.get(idx.group(1));
            if (cur == null) return null;
            Matcher each = Pattern.compile("\\[(\\d+)]").matcher(idx.group(2));
            while (each.find()) {
                cur = cur.get(Integer.parseInt(each.group(1)));
                if (cur == null) return null;
            }
        }
        return cur;
    }

    // ---- sObject collections ------------------------------------------------------------------

    private SandboxResponse collections(SandboxRequest req, String method, String version, List<String> rest) {
        if (rest.size() > 2) throw notSimulated(req, version);
        if (method.equals("GET") || (method.equals("POST") && rest.size() == 1)) {
            if (rest.size() != 1) throw SalesforceException.notFound();
            SObject type = schema.object(rest.get(0));
            if (type == null) throw SalesforceException.notFound();
            List<String> ids = new ArrayList<>();
            Set<String> fields;
            if (method.equals("POST")) {
                JsonNode b = body(req);
                b.path("ids").forEach(n -> ids.add(n.asText()));
                List<String> fl = new ArrayList<>();
                b.path("fields").forEach(n -> fl.add(n.asText()));
                fields = fieldsParam(type, req.derive("GET", "/?fields=" + String.join(",", fl), null));
            } else {
                String p = req.param("ids");
                if (p == null || p.isBlank()) throw SalesforceException.badRequest("INVALID_API_INPUT", "ids parameter is required");
                ids.addAll(List.of(p.split(",")));
                if (req.param("fields") == null) throw SalesforceException.badRequest("INVALID_API_INPUT", "fields parameter is required");
                fields = fieldsParam(type, req);
            }
            ArrayNode a = Json.array();
            for (String raw : ids) {
                String id = SalesforceIds.normalize(raw.trim());
                ObjectNode rec = id == null || !SalesforceIds.prefix(id).equals(type.keyPrefix()) ? null : store.get(id);
                if (rec == null) a.addNull();
                else a.add(output(type, rec, version, fields));
            }
            return SandboxResponse.json(200, a);
        }
        if (rest.size() == 2) {
            if (!method.equals("PATCH")) throw notAllowed(method, "PATCH");
            SObject type = schema.object(rest.get(0));
            if (type == null) throw SalesforceException.notFound();
            return upsertCollection(req, type, rest.get(1));
        }
        SObject pathType = null;
        if (rest.size() == 1 && (method.equals("PATCH") || method.equals("DELETE"))) {
            pathType = schema.object(rest.get(0));
            if (pathType == null) throw SalesforceException.notFound();
        } else if (!rest.isEmpty()) {
            throw SalesforceException.notFound();
        }
        SObject defaultType = pathType;
        if (method.equals("DELETE")) {
            String p = req.param("ids");
            if (p == null || p.isBlank()) throw SalesforceException.badRequest("INVALID_API_INPUT", "ids parameter is required");
            boolean allOrNone = Boolean.parseBoolean(req.param("allOrNone"));
            return collectionWrite(List.of(p.split(",")), allOrNone, raw -> {
                String id = SalesforceIds.normalize(raw.trim());
                if (id == null || (defaultType != null && !SalesforceIds.prefix(id).equals(defaultType.keyPrefix()))) {
                    throw SalesforceException.dml("MALFORMED_ID", "malformed id " + raw);
                }
                store.delete(id);
                return id;
            });
        }
        if (!method.equals("POST") && !method.equals("PATCH")) throw notAllowed(method, "GET,POST,PATCH,DELETE");
        JsonNode body = body(req);
        JsonNode records = body.get("records");
        if (records == null || !records.isArray()) throw SalesforceException.badRequest("JSON_PARSER_ERROR", "Required field is missing: records");
        if (records.size() > 200) throw SalesforceException.badRequest("EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than 200 records into this call");
        boolean allOrNone = body.path("allOrNone").asBoolean(false);
        List<JsonNode> list = new ArrayList<>();
        records.forEach(list::add);
        boolean create = method.equals("POST");
        return collectionWrite(list, allOrNone, r -> {
            String typeName = r.path("attributes").path("type").asText(defaultType == null ? null : defaultType.name());
            if (typeName == null) throw SalesforceException.dml("INVALID_FIELD", "No SObject Type defined in JSON");
            SObject type = schema.object(typeName);
            if (type == null) throw SalesforceException.dml("INVALID_TYPE", "sObject type '" + typeName + "' is not supported.");
            JsonNode given = SalesforceStore.field(r, "Id");
            if (create) {
                if (given != null) throw SalesforceException.dml("INVALID_FIELD", "Can't specify an ID in a create request", "Id");
                return store.create(type, r, null, false).get("Id").asText();
            }
            String id = SalesforceIds.normalize(given == null ? "" : given.asText(""));
            if (id == null) throw SalesforceException.dml("MISSING_ARGUMENT", "Id not specified in an update call", "Id");
            store.update(type, id, r, null);
            return id;
        });
    }

    private interface Op<T> {
        String apply(T item);
    }

    private <T> SandboxResponse collectionWrite(List<T> items, boolean allOrNone, Op<T> op) {
        SalesforceStore.Snapshot snapshot = allOrNone ? store.snapshot() : null;
        ArrayNode out = Json.array();
        boolean failed = false;
        List<String> ids = new ArrayList<>();
        for (T item : items) {
            ObjectNode r = out.addObject();
            try {
                String id = op.apply(item);
                ids.add(id);
                r.put("id", id);
                r.put("success", true);
                r.putArray("errors");
            } catch (SalesforceException e) {
                failed = true;
                ids.add(null);
                r.putNull("id");
                r.put("success", false);
                ArrayNode errs = r.putArray("errors");
                e.errors().forEach(err -> errs.add(err.toCollectionJson()));
            }
        }
        if (failed && allOrNone) {
            store.restore(snapshot);
            for (JsonNode n : out) {
                ObjectNode r = (ObjectNode) n;
                if (r.get("success").asBoolean()) {
                    r.putNull("id");
                    r.put("success", false);
                    r.putArray("errors").add(SalesforceError.dml("ALL_OR_NONE_OPERATION_ROLLED_BACK",
                            "Record rolled back because not all records were valid and the request was using AllOrNone header").toCollectionJson());
                }
            }
        }
        return SandboxResponse.json(200, out);
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static void allow(String method, String... allowed) {
        for (String a : allowed) if (a.equals(method)) return;
        throw notAllowed(method, String.join(",", allowed) + (List.of(allowed).contains("GET") ? ",HEAD" : ""));
    }

    private static SalesforceException notAllowed(String method, String allowed) {
        return new SalesforceException(405, SalesforceError.of("METHOD_NOT_ALLOWED", "HTTP Method '" + method + "' not allowed. Allowed are " + allowed));
    }

    static JsonNode body(SandboxRequest req) {
        if (!req.hasBody()) {
            throw SalesforceException.badRequest("JSON_PARSER_ERROR", "The HTTP entity body is required, but this request has no entity body.");
        }
        try {
            return Json.parse(req.body());
        } catch (JsonProcessingException e) {
            String loc = e.getLocation() == null ? "" : " at [line:" + e.getLocation().getLineNr() + ", column:" + e.getLocation().getColumnNr() + "]";
            throw SalesforceException.badRequest("JSON_PARSER_ERROR", e.getOriginalMessage() + loc);
        } catch (IOException e) {
            throw SalesforceException.badRequest("JSON_PARSER_ERROR", String.valueOf(e.getMessage()));
        }
    }
}
