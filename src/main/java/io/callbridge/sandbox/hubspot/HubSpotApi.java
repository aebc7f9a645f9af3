package io.callbridge.sandbox.hubspot;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.SandboxRequest;
import io.callbridge.sandbox.SandboxResponse;
import io.callbridge.sandbox.hubspot.HubSpotSchema.AssociationType;
import io.callbridge.sandbox.hubspot.HubSpotSchema.ObjectType;
import io.callbridge.sandbox.hubspot.HubSpotSchema.Property;
import io.callbridge.sandbox.hubspot.HubSpotStore.Assoc;
import io.callbridge.sandbox.hubspot.HubSpotStore.Owner;
import io.callbridge.sandbox.hubspot.HubSpotStore.Rec;

/** The {@code /crm/v3} and {@code /crm/v4} resources; answers HubSpot's shapes, throws {@link HubSpotException}. */
final class HubSpotApi {

    private static final Set<String> BATCH_ACTIONS = Set.of("create", "update", "upsert", "read", "archive");
    private static final Set<String> V4_BATCH_ACTIONS = Set.of("associate/default", "create");
    private static final int OWNERS_DEFAULT_LIMIT = 100;
    private static final int OWNERS_MAX_LIMIT = 500;
    /** Owners are the portal's users, older than any record: one fixed date, see docs/sandbox.md. */
    private static final String OWNER_TIMESTAMP = "2026-01-05T08:00:00.000Z";

    private record Link(Rec target, AssociationType type) { }

    private record PlannedUpdate(Rec rec, Map<String, String> values) { }

    private record PlannedAssociation(Rec from, Rec to, List<AssociationType> types) { }

    private final HubSpotSchema schema;
    private final HubSpotStore store;
    private final HubSpotSearch search;
    private final long searchIndexDelayMs;
    private final List<ObjectNode> declared = new ArrayList<>();

    HubSpotApi(HubSpotSchema schema, HubSpotStore store, HubSpotSearch search, long searchIndexDelayMs) {
        this.schema = schema;
        this.store = store;
        this.search = search;
        this.searchIndexDelayMs = searchIndexDelayMs;
    }

    SandboxResponse handle(SandboxRequest req, List<String> s) {
        if (s.size() < 3 || !s.get(0).equals("crm")) throw notSimulated(req);
        String m = req.method();
        if (s.get(1).equals("v3")) {
            switch (s.get(2)) {
                case "owners" -> {
                    if (!m.equals("GET")) throw notSimulated(req);
                    if (s.size() == 3) return SandboxResponse.json(200, ownersPage(req));
                    if (s.size() == 4) return SandboxResponse.json(200, owner(ownerById(req, s.get(3))));
                    throw notSimulated(req);
                }
                case "properties" -> {
                    if (s.size() < 4) throw notSimulated(req);
                    ObjectType t = typeOrFail(req, s.get(3));
                    if (s.size() == 4 && m.equals("GET")) return SandboxResponse.json(200, Json.object().set("results", propertiesJson(t)));
                    if (s.size() == 4 && m.equals("POST")) return SandboxResponse.json(201, declareProperty(t, body(req)));
                    if (s.size() == 5 && m.equals("GET") && !s.get(4).equals("groups")) {
                        Property p = schema.property(t, s.get(4));
                        if (p == null) throw new HubSpotException(404, "OBJECT_NOT_FOUND", "Unable to find property " + s.get(4) + " for object type " + t.typeId());
                        return SandboxResponse.json(200, property(p));
                    }
                    throw notSimulated(req);
                }
                case "objects" -> {
                    return objects(req, s.subList(3, s.size()));
                }
                default -> throw notSimulated(req);
            }
        }
        if (s.get(1).equals("v4")) {
            if (s.get(2).equals("objects")) return v4Objects(req, s.subList(3, s.size()));
            if (s.get(2).equals("associations")) return v4Batch(req, s.subList(3, s.size()));
        }
        throw notSimulated(req);
    }

    /** A request no handler serves: 501, never a 404 a client would take for HubSpot's "no such record". */
    static HubSpotException notSimulated(SandboxRequest req) {
        return new HubSpotException(SandboxRequest.NOT_SIMULATED, HubSpotException.NOT_SIMULATED_CATEGORY, req.notSimulated());
    }

    private static ObjectType type(String name) {
        return HubSpotSchema.type(name);
    }

    /** A simulated type; one HubSpot has but the sandbox does not simulate is a route not simulated, not HubSpot's 400. */
    private static ObjectType typeOrFail(SandboxRequest req, String name) {
        ObjectType t = type(name);
        if (t != null) return t;
        if (HubSpotSchema.isUnsimulatedType(name)) throw notSimulated(req);
        throw new HubSpotException(400, "VALIDATION_ERROR", "Unable to infer object type from: " + name);
    }

    // ---- v3 objects ---------------------------------------------------------------------------

    private SandboxResponse objects(SandboxRequest req, List<String> s) {
        if (s.isEmpty()) throw notSimulated(req);
        ObjectType t = typeOrFail(req, s.get(0));
        String m = req.method();
        if (s.size() == 1) {
            if (m.equals("POST")) return SandboxResponse.json(201, createOne(t, body(req)));
            if (m.equals("GET")) return SandboxResponse.json(200, listPage(t, req));
            throw notSimulated(req);
        }
        if (s.size() == 2 && s.get(1).equals("search") && m.equals("POST")) {
            JsonNode b = body(req);
            // HubSpot's search index lags behind writes: objects created within the delay are not found yet
            java.time.Instant indexed = store.now().minusMillis(searchIndexDelayMs);
            List<Rec> candidates = store.all(t, false).stream().filter(x -> !x.createdAt.isAfter(indexed)).toList();
            HubSpotSearch.Result r = search.search(t, candidates, b);
            List<String> props = new ArrayList<>();
            b.path("properties").forEach(p -> props.add(p.asText()));
            ObjectNode o = Json.object();
            o.put("total", r.total());
            ArrayNode results = o.putArray("results");
            for (Rec rec : r.page()) results.add(output(rec, props.isEmpty() ? null : props, List.of(), false));
            if (r.nextAfter() != null) o.putObject("paging").putObject("next").put("after", Integer.toString(r.nextAfter()));
            return SandboxResponse.json(200, o);
        }
        if (s.size() == 3 && s.get(1).equals("batch") && m.equals("POST")) {
            if (!BATCH_ACTIONS.contains(s.get(2))) throw notSimulated(req);
            return batch(t, s.get(2), body(req));
        }
        if (s.size() == 2 && s.get(1).equals("gdpr-delete") && m.equals("POST")) return gdprDelete(t, body(req));
        if (s.size() == 2) {
            String id = s.get(1);
            String idProperty = req.param("idProperty");
            boolean archived = Boolean.parseBoolean(req.param("archived"));
            switch (m) {
                case "GET" -> {
                    Rec r = store.get(t, id, idProperty, archived);
                    if (r == null && idProperty == null && !id.matches("\\d+")) {
                        throw new HubSpotException(404, "OBJECT_NOT_FOUND", "Object not found.  objectId are usually numeric.", null, context("id", id), null);
                    }
                    if (r == null) throw HubSpotException.notFound();
                    return SandboxResponse.json(200, output(r, csv(req.param("properties")), csv(req.param("associations")), false));
                }
                case "PATCH" -> {
                    Rec r = store.get(t, id, idProperty, false);
                    if (r == null) throw HubSpotException.notFound();
                    JsonNode b = body(req);
                    store.update(r, store.validate(t, b.get("properties"), false));
                    return SandboxResponse.json(200, output(r, null, List.of(), true));
                }
                case "DELETE" -> {
                    Rec r = store.get(t, id, null, false);
                    if (r != null) store.archive(r);
                    return SandboxResponse.empty(204);
                }
                default -> throw notSimulated(req);
            }
        }
        throw notSimulated(req);
    }

    /**
     * The contact and its associations are gone for good: not restorable, not listed as archived. By {@code idProperty}
     * {@code email}, an address nobody has answers 204 too (HubSpot blocklists it; the sandbox keeps no blocklist).
     */
    private SandboxResponse gdprDelete(ObjectType t, JsonNode body) {
        if (!t.name().equals("contacts")) throw HubSpotException.validation("GDPR delete is only available for contacts");
        String objectId = body == null ? null : body.path("objectId").asText(null);
        if (objectId == null || objectId.isBlank()) throw HubSpotException.validation("objectId is required");
        String idProperty = body.path("idProperty").asText(null);
        Rec r = store.get(t, objectId, idProperty, false);
        if (r == null) r = store.get(t, objectId, idProperty, true);
        if (r == null && idProperty == null) throw HubSpotException.notFound();
        if (r != null) store.purge(r);
        return SandboxResponse.empty(204);
    }

    private ObjectNode listPage(ObjectType t, SandboxRequest req) {
        int limit = parseInt(req.param("limit"), 10);
        if (limit < 1 || limit > 100) throw HubSpotException.validation("limit must be between 1 and 100");
        int after = parseInt(req.param("after"), 0);
        List<Rec> all = store.all(t, Boolean.parseBoolean(req.param("archived")));
        ObjectNode o = Json.object();
        ArrayNode results = o.putArray("results");
        List<String> props = csv(req.param("properties"));
        List<String> assoc = csv(req.param("associations"));
        int end = Math.min(all.size(), after + limit);
        for (int i = Math.min(after, all.size()); i < end; i++) results.add(output(all.get(i), props.isEmpty() ? null : props, assoc, false));
        if (end < all.size()) o.putObject("paging").putObject("next").put("after", Integer.toString(end));
        return o;
    }

    private static int parseInt(String s, int dflt) {
        if (s == null || s.isBlank()) return dflt;
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw HubSpotException.validation("'" + s + "' is not a number");
        }
    }

    /** Validates properties and inline associations, creates, associates. */
    ObjectNode createOne(ObjectType t, JsonNode input) {
        if (input == null || !input.isObject()) throw HubSpotException.validation("Invalid input JSON: expected an object with properties");
        Map<String, String> values = store.validate(t, input.get("properties"), true);
        List<Link> links = inlineAssociations(t, input.get("associations"));
        Rec r = store.create(t, values);
        for (Link l : links) store.associate(r, l.target(), l.type());
        return output(r, null, List.of(), true);
    }

    private List<Link> inlineAssociations(ObjectType t, JsonNode associations) {
        List<Link> out = new ArrayList<>();
        if (associations == null || associations.isNull()) return out;
        if (!associations.isArray()) throw HubSpotException.validation("associations must be an array");
        for (JsonNode a : associations) {
            String toId = a.path("to").path("id").asText(null);
            if (toId == null) throw HubSpotException.validation("an association needs to.id");
            JsonNode types = a.path("types");
            if (!types.isArray() || types.isEmpty()) throw HubSpotException.validation("an association needs types [{associationCategory, associationTypeId}]");
            for (JsonNode spec : types) {
                AssociationType at = associationType(t.name(), null, spec);
                Rec target = recordById(at.to(), toId);
                if (target == null) {
                    throw new HubSpotException(400, "VALIDATION_ERROR", "One or more associations are invalid: "
                            + HubSpotSchema.type(at.to()).singular() + " " + toId + " does not exist", null, context("ids", toId), null);
                }
                out.add(new Link(target, at));
            }
        }
        return out;
    }

    /** Checks category and type id; {@code to} may be null (inline associations name no target type). */
    private static AssociationType associationType(String from, String to, JsonNode spec) {
        String category = spec.path("associationCategory").asText(spec.path("category").asText(""));
        int id = spec.path("associationTypeId").asInt(spec.path("typeId").asInt(-1));
        AssociationType at = HubSpotSchema.association(id);
        if (!category.equals("HUBSPOT_DEFINED")) {
            throw HubSpotException.validation("associationCategory " + (category.isEmpty() ? "(missing)" : category)
                    + " is not valid here: the sandbox knows HUBSPOT_DEFINED association types only");
        }
        if (at == null || !at.from().equals(from) || (to != null && !at.to().equals(to))) {
            String toText = to == null ? (at == null ? "any object type" : at.to()) : to;
            throw new HubSpotException(400, "VALIDATION_ERROR", "invalid association type id " + id + " from " + from + " to " + toText
                    + "; valid ids: " + validIds(from, to), null, context("associationTypeId", Integer.toString(id)), null);
        }
        return at;
    }

    private static List<Integer> validIds(String from, String to) {
        List<Integer> ids = new ArrayList<>();
        for (ObjectType t : HubSpotSchema.TYPES) {
            if (to != null && !t.name().equals(to)) continue;
            HubSpotSchema.associations(from, t.name()).forEach(a -> ids.add(a.id()));
        }
        return ids;
    }

    private Rec recordById(String type, String id) {
        try {
            return store.find(type, Long.parseLong(id));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static ObjectNode context(String key, String... values) {
        ObjectNode c = Json.object();
        ArrayNode a = c.putArray(key);
        for (String v : values) a.add(v);
        return c;
    }

    // ---- batch --------------------------------------------------------------------------------

    private SandboxResponse batch(ObjectType t, String action, JsonNode body) {
        JsonNode inputs = body.path("inputs");
        if (!inputs.isArray()) throw HubSpotException.validation("inputs must be an array");
        if (inputs.size() > maxBatch()) {
            throw HubSpotException.validation("Batch input size " + inputs.size() + " is above the maximum of " + maxBatch() + " inputs.");
        }
        String startedAt = HubSpotStore.ISO_MILLIS.format(store.now());
        ArrayNode results = Json.array();
        ArrayNode errors = Json.array();
        int status = 200;
        switch (action) {
            case "create" -> {
                if (everyInputTraced(inputs)) {
                    // multi-status mode: each input stands or falls on its own, errors name its objectWriteTraceId
                    for (JsonNode in : inputs) {
                        String trace = in.get("objectWriteTraceId").asText();
                        try {
                            // createOne checks everything before it writes: a refused input left nothing to undo
                            results.add(createOne(t, in).put("objectWriteTraceId", trace));
                        } catch (HubSpotException e) {
                            ObjectNode error = e.body();
                            ObjectNode context = error.has("context") ? (ObjectNode) error.get("context") : error.putObject("context");
                            context.putArray("objectWriteTraceId").add(trace);
                            errors.add(error);
                        }
                    }
                    status = errors.isEmpty() ? 201 : 207;
                    break;
                }
                HubSpotStore.Snapshot snap = store.snapshot();
                try {
                    for (JsonNode in : inputs) results.add(createOne(t, in));
                } catch (HubSpotException e) {
                    store.restore(snap);
                    throw e;
                }
                status = 201;
            }
            case "update" -> {
                if (everyInputTraced(inputs)) {
                    // multi-status mode: each input stands or falls on its own, errors name its objectWriteTraceId
                    for (JsonNode in : inputs) {
                        String trace = in.get("objectWriteTraceId").asText();
                        try {
                            String id = in.path("id").asText(null);
                            if (id == null) throw HubSpotException.validation("each input needs an id");
                            Rec r = store.get(t, id, in.path("idProperty").asText(null), false);
                            if (r == null) {
                                errors.add(batchError("OBJECT_NOT_FOUND", "Could not get some " + t.name()
                                        + " objects, they may be deleted or not exist. Check that ids are valid.", List.of(id)));
                                ((ObjectNode) errors.get(errors.size() - 1).get("context")).putArray("objectWriteTraceId").add(trace);
                                continue;
                            }
                            // validate and update check everything before they write: a refused input left nothing to undo
                            store.update(r, store.validate(t, in.get("properties"), false));
                            results.add(output(r, null, List.of(), true).put("objectWriteTraceId", trace));
                        } catch (HubSpotException e) {
                            ObjectNode error = e.body();
                            ObjectNode context = error.has("context") ? (ObjectNode) error.get("context") : error.putObject("context");
                            context.putArray("objectWriteTraceId").add(trace);
                            errors.add(error);
                        }
                    }
                    break;
                }
                List<PlannedUpdate> planned = new ArrayList<>();
                List<String> missing = new ArrayList<>();
                String idProperty = null;
                for (JsonNode in : inputs) {
                    String id = in.path("id").asText(null);
                    if (id == null) throw HubSpotException.validation("each input needs an id");
                    idProperty = in.path("idProperty").asText(null);
                    Rec r = store.get(t, id, idProperty, false);
                    if (r == null) {
                        missing.add(id);
                        continue;
                    }
                    planned.add(new PlannedUpdate(r, store.validate(t, in.get("properties"), false)));
                }
                HubSpotStore.Snapshot snap = store.snapshot();
                try {
                    for (PlannedUpdate p : planned) store.update(p.rec(), p.values());
                } catch (HubSpotException e) {
                    store.restore(snap);
                    throw e;
                }
                for (PlannedUpdate p : planned) results.add(output(p.rec(), null, List.of(), true));
                if (!missing.isEmpty()) errors.add(batchError("OBJECT_NOT_FOUND", "Could not get some " + t.name() + " objects, they may be deleted or not exist. Check that ids are valid.", missing));
            }
            case "upsert" -> {
                HubSpotStore.Snapshot snap = store.snapshot();
                try {
                    for (JsonNode in : inputs) {
                        String id = in.path("id").asText(null);
                        String idProperty = in.path("idProperty").asText(null);
                        if (id == null || idProperty == null) throw HubSpotException.validation("each upsert input needs id and idProperty");
                        Property p = schema.property(t, idProperty);
                        if (p == null) throw HubSpotException.validation("Property \"" + idProperty + "\" does not exist");
                        if (!p.unique() || p.name().equals("hs_object_id")) {
                            throw HubSpotException.validation(idProperty + " is not a unique property; upsert needs a property with unique values (e.g. email)");
                        }
                        Rec r = store.get(t, id, idProperty, false);
                        ObjectNode o;
                        if (r == null) {
                            ObjectNode props = in.path("properties").isObject() ? ((ObjectNode) in.get("properties")).deepCopy() : Json.object();
                            props.put(idProperty, id);
                            o = createOne(t, Json.object().set("properties", props));
                            o.put("new", true);
                        } else {
                            store.update(r, store.validate(t, in.get("properties"), false));
                            o = output(r, null, List.of(), true);
                            o.put("new", false);
                        }
                        results.add(o);
                    }
                } catch (HubSpotException e) {
                    store.restore(snap);
                    throw e;
                }
            }
            case "read" -> {
                List<String> props = new ArrayList<>();
                body.path("properties").forEach(p -> props.add(p.asText()));
                String idProperty = body.path("idProperty").asText(null);
                boolean archived = body.path("archived").asBoolean(false);
                List<String> missing = new ArrayList<>();
                for (JsonNode in : inputs) {
                    String id = in.path("id").asText(null);
                    if (id == null) throw HubSpotException.validation("each input needs an id");
                    Rec r = store.get(t, id, idProperty, archived);
                    if (r == null) missing.add(id);
                    else results.add(output(r, props.isEmpty() ? null : props, List.of(), false));
                }
                if (!missing.isEmpty()) errors.add(batchError("OBJECT_NOT_FOUND", "Could not get some " + t.name() + " objects, they may be deleted or not exist. Check that ids are valid.", missing));
            }
            case "archive" -> {
                for (JsonNode in : inputs) {
                    Rec r = store.get(t, in.path("id").asText(""), null, false);
                    if (r != null) store.archive(r);
                }
                return SandboxResponse.empty(204);
            }
            default -> throw new IllegalArgumentException("not a batch action: " + action);
        }
        ObjectNode o = Json.object();
        o.put("status", "COMPLETE");
        o.set("results", results);
        if (!errors.isEmpty()) {
            o.put("numErrors", errors.size());
            o.set("errors", errors);
            status = 207;
        }
        o.put("startedAt", startedAt);
        o.put("completedAt", HubSpotStore.ISO_MILLIS.format(store.now()));
        return SandboxResponse.json(status, o);
    }

    /** HubSpot answers per input (207) only when every input carries a unique objectWriteTraceId. */
    private static boolean everyInputTraced(JsonNode inputs) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (JsonNode in : inputs) {
            if (!in.path("objectWriteTraceId").isTextual() || !seen.add(in.get("objectWriteTraceId").asText())) {
                return false;
            }
        }
        return inputs.size() > 0;
    }

    private static int maxBatch() {
        return HubSpotSandbox.MAX_BATCH;
    }

    private static ObjectNode batchError(String category, String message, List<String> ids) {
        ObjectNode e = Json.object();
        e.put("status", "error");
        e.put("category", category);
        e.put("message", message);
        e.set("context", context("ids", ids.toArray(String[]::new)));
        return e;
    }

    // ---- v4 associations ----------------------------------------------------------------------

    /** {@code /crm/v4/objects/{from}/{id}/associations/...}. */
    private SandboxResponse v4Objects(SandboxRequest req, List<String> s) {
        if (s.size() < 4 || !s.get(2).equals("associations")) throw notSimulated(req);
        ObjectType from = typeOrFail(req, s.get(0));
        String m = req.method();
        if (s.size() == 6 && s.get(3).equals("default") && m.equals("PUT")) {
            ObjectType to = typeOrFail(req, s.get(4));
            requirePair(from, to);
            Rec a = existing(from, s.get(1));
            Rec b = existing(to, s.get(5));
            ArrayNode results = Json.array();
            for (AssociationType at : store.associateDefault(a, b)) {
                results.add(defaultResult(from, a, to, b, at.id()));
                results.add(defaultResult(to, b, from, a, at.reverseId()));
            }
            ObjectNode o = Json.object();
            String now = HubSpotStore.ISO_MILLIS.format(store.now());
            o.put("status", "COMPLETE");
            o.set("results", results);
            o.put("startedAt", now);
            o.put("completedAt", now);
            return SandboxResponse.json(200, o);
        }
        if (s.get(3).equals("default")) throw notSimulated(req);
        ObjectType to = typeOrFail(req, s.get(3));
        if (s.size() == 4 && m.equals("GET")) {
            requirePair(from, to);
            Rec a = existing(from, s.get(1));
            Map<Long, ArrayNode> byTarget = new LinkedHashMap<>();
            for (Assoc as : store.associationsOf(a, to.name())) {
                AssociationType at = HubSpotSchema.association(as.typeId());
                ObjectNode t = byTarget.computeIfAbsent(as.toId(), k -> Json.array()).addObject();
                t.put("category", "HUBSPOT_DEFINED");
                t.put("typeId", as.typeId());
                if (at.primary()) t.put("label", "Primary");
                else t.putNull("label");
            }
            ObjectNode o = Json.object();
            ArrayNode results = o.putArray("results");
            byTarget.forEach((id, types) -> {
                ObjectNode r = results.addObject();
                r.put("toObjectId", id);
                r.set("associationTypes", types);
            });
            return SandboxResponse.json(200, o);
        }
        if (s.size() == 5 && (m.equals("DELETE") || m.equals("PUT"))) {
            requirePair(from, to);
            Rec a = existing(from, s.get(1));
            Rec b = existing(to, s.get(4));
            if (m.equals("DELETE")) {
                store.dissociate(a, b);
                return SandboxResponse.empty(204);
            }
            if (m.equals("PUT")) {
                JsonNode specs = body(req);
                if (!specs.isArray() || specs.isEmpty()) throw HubSpotException.validation("the body must be an array of {associationCategory, associationTypeId}");
                List<AssociationType> types = new ArrayList<>();
                for (JsonNode spec : specs) types.add(associationType(from.name(), to.name(), spec));
                types.forEach(at -> store.associate(a, b, at));
                ObjectNode o = Json.object();
                o.put("fromObjectTypeId", from.typeId());
                o.put("fromObjectId", a.id);
                o.put("toObjectTypeId", to.typeId());
                o.put("toObjectId", b.id);
                ArrayNode labels = o.putArray("labels");
                types.stream().filter(AssociationType::primary).forEach(x -> labels.add("Primary"));
                return SandboxResponse.json(201, o);
            }
        }
        throw notSimulated(req);
    }

    private static ObjectNode defaultResult(ObjectType ft, Rec from, ObjectType tt, Rec to, int typeId) {
        ObjectNode r = Json.object();
        r.putObject("from").put("id", Long.toString(from.id));
        r.putObject("to").put("id", Long.toString(to.id));
        r.putObject("associationSpec").put("associationCategory", "HUBSPOT_DEFINED").put("associationTypeId", typeId);
        return r;
    }

    /** {@code /crm/v4/associations/{from}/{to}/...}. */
    private SandboxResponse v4Batch(SandboxRequest req, List<String> s) {
        if (s.size() < 3) throw notSimulated(req);
        ObjectType from = typeOrFail(req, s.get(0));
        ObjectType to = typeOrFail(req, s.get(1));
        boolean listLabels = s.size() == 3 && s.get(2).equals("labels") && req.method().equals("GET");
        boolean batch = req.method().equals("POST") && s.size() >= 4 && s.get(2).equals("batch")
                && V4_BATCH_ACTIONS.contains(String.join("/", s.subList(3, s.size())));
        if (!listLabels && !batch) throw notSimulated(req);
        requirePair(from, to);
        if (listLabels) {
            ObjectNode o = Json.object();
            ArrayNode results = o.putArray("results");
            for (AssociationType at : HubSpotSchema.associations(from.name(), to.name())) {
                ObjectNode r = results.addObject();
                r.put("category", "HUBSPOT_DEFINED");
                r.put("typeId", at.id());
                if (at.primary()) r.put("label", "Primary");
                else r.putNull("label");
            }
            return SandboxResponse.json(200, o);
        }
        String action = String.join("/", s.subList(3, s.size()));
        JsonNode inputs = body(req).path("inputs");
        if (!inputs.isArray()) throw HubSpotException.validation("inputs must be an array");
        if (inputs.size() > maxBatch()) throw HubSpotException.validation("Batch input size " + inputs.size() + " is above the maximum of " + maxBatch() + " inputs.");
        String startedAt = HubSpotStore.ISO_MILLIS.format(store.now());
        ArrayNode results = Json.array();
        List<String> missing = new ArrayList<>();
        switch (action) {
            case "associate/default" -> {
                for (JsonNode in : inputs) {
                    Rec a = recordById(from.name(), in.path("from").path("id").asText(""));
                    Rec b = recordById(to.name(), in.path("to").path("id").asText(""));
                    if (a == null || b == null) {
                        missing.add(a == null ? in.path("from").path("id").asText("") : in.path("to").path("id").asText(""));
                        continue;
                    }
                    for (AssociationType at : store.associateDefault(a, b)) {
                        results.add(defaultResult(from, a, to, b, at.id()));
                        results.add(defaultResult(to, b, from, a, at.reverseId()));
                    }
                }
            }
            case "create" -> {
                List<PlannedAssociation> planned = new ArrayList<>();
                for (JsonNode in : inputs) {
                    List<AssociationType> types = new ArrayList<>();
                    JsonNode specs = in.path("types");
                    if (!specs.isArray() || specs.isEmpty()) throw HubSpotException.validation("each input needs types [{associationCategory, associationTypeId}]");
                    for (JsonNode spec : specs) types.add(associationType(from.name(), to.name(), spec));
                    Rec a = recordById(from.name(), in.path("from").path("id").asText(""));
                    Rec b = recordById(to.name(), in.path("to").path("id").asText(""));
                    if (a == null || b == null) {
                        missing.add(a == null ? in.path("from").path("id").asText("") : in.path("to").path("id").asText(""));
                        continue;
                    }
                    planned.add(new PlannedAssociation(a, b, types));
                }
                for (PlannedAssociation p : planned) {
                    List<AssociationType> types = p.types();
                    Rec a = p.from(), b = p.to();
                    types.forEach(at -> store.associate(a, b, at));
                    ObjectNode o = results.addObject();
                    o.put("fromObjectTypeId", from.typeId());
                    o.put("fromObjectId", a.id);
                    o.put("toObjectTypeId", to.typeId());
                    o.put("toObjectId", b.id);
                    ArrayNode labels = o.putArray("labels");
                    types.stream().filter(AssociationType::primary).forEach(x -> labels.add("Primary"));
                }
            }
            default -> throw new IllegalArgumentException("not a v4 batch action: " + action);
        }
        ObjectNode o = Json.object();
        o.put("status", "COMPLETE");
        o.set("results", results);
        int status = action.equals("create") ? 201 : 200;
        if (!missing.isEmpty()) {
            ArrayNode errors = o.putArray("errors");
            errors.add(batchError("OBJECT_NOT_FOUND", "No " + from.singular() + " or " + to.singular() + " with these ids", missing));
            o.put("numErrors", errors.size());
            status = 207;
        }
        o.put("startedAt", startedAt);
        o.put("completedAt", HubSpotStore.ISO_MILLIS.format(store.now()));
        return SandboxResponse.json(status, o);
    }

    private static void requirePair(ObjectType from, ObjectType to) {
        if (HubSpotSchema.defaultAssociation(from.name(), to.name()) == null) {
            throw HubSpotException.validation("HubSpot defines no association between " + from.name() + " and " + to.name());
        }
    }

    private Rec existing(ObjectType t, String id) {
        Rec r = recordById(t.name(), id);
        if (r == null) {
            throw new HubSpotException(404, "OBJECT_NOT_FOUND", "No " + t.singular() + " with id " + id + " exists", null, context("ids", id), null);
        }
        return r;
    }

    // ---- output -------------------------------------------------------------------------------

    /**
     * A record as HubSpot answers it: {@code all} gives every property with a value (create/update answers),
     * otherwise the requested ones (null when unset) or the type's defaults, always with the system ones.
     */
    ObjectNode output(Rec r, List<String> requested, List<String> associationTypes, boolean all) {
        ObjectNode o = Json.object();
        o.put("id", Long.toString(r.id));
        ObjectNode props = o.putObject("properties");
        if (all) {
            new java.util.TreeMap<>(r.props).forEach(props::put);
        } else {
            Set<String> names = new LinkedHashSet<>(requested == null || requested.isEmpty() ? r.type.defaultProperties() : requested);
            names.add("hs_object_id");
            names.add(r.type.createdProperty());
            names.add(r.type.modifiedProperty());
            for (String n : new java.util.TreeSet<>(names)) {
                if (schema.property(r.type, n) == null) continue; // HubSpot ignores unknown requested properties
                props.put(n, r.get(n));
            }
        }
        o.put("createdAt", HubSpotStore.ISO_MILLIS.format(r.createdAt));
        o.put("updatedAt", HubSpotStore.ISO_MILLIS.format(r.updatedAt));
        o.put("archived", r.archived());
        if (r.archived()) o.put("archivedAt", HubSpotStore.ISO_MILLIS.format(r.archivedAt));
        if (associationTypes != null && !associationTypes.isEmpty()) {
            ObjectNode assoc = Json.object();
            for (String name : associationTypes) {
                ObjectType to = type(name);
                if (to == null) continue;
                ArrayNode results = Json.array();
                for (Assoc a : store.associationsOf(r, to.name())) {
                    results.addObject().put("id", Long.toString(a.toId())).put("type", HubSpotSchema.association(a.typeId()).name());
                }
                if (!results.isEmpty()) assoc.putObject(name).set("results", results);
            }
            if (!assoc.isEmpty()) o.set("associations", assoc);
        }
        return o;
    }

    /** Every record of a type with all its properties and associations (admin view). */
    ArrayNode dump(ObjectType t) {
        ArrayNode a = Json.array();
        List<String> others = HubSpotSchema.TYPES.stream().map(ObjectType::name).toList();
        for (Rec r : store.all(t, false)) a.add(output(r, null, others, true));
        return a;
    }

    ArrayNode ownersJson() {
        ArrayNode a = Json.array();
        store.owners().forEach(o -> a.add(owner(o)));
        return a;
    }

    /**
     * {@code GET /crm/v3/owners}: the active owners, or only the archived ones with {@code archived=true}, those with
     * {@code email} (compared ignoring case) if given, in the order they were added; {@code limit} 1 to 500 (100),
     * {@code after} the {@code paging.next.after} of the previous page.
     */
    private ObjectNode ownersPage(SandboxRequest req) {
        int limit = queryInt(req, "limit", OWNERS_DEFAULT_LIMIT);
        if (limit < 1 || limit > OWNERS_MAX_LIMIT) {
            throw invalidParameter("limit", limit < 1 ? "Must be greater than or equal to 1" : "Must be less than or equal to " + OWNERS_MAX_LIMIT);
        }
        int after = queryInt(req, "after", 0);
        if (after < 0) throw invalidParameter("after", "Must be a paging cursor from a previous answer");
        boolean archived = queryBoolean(req, "archived");
        String email = req.param("email");
        List<Owner> matching = store.owners().stream()
                .filter(o -> o.archived() == archived)
                .filter(o -> email == null || (o.email() != null && o.email().equalsIgnoreCase(email.trim())))
                .toList();
        ObjectNode page = Json.object();
        ArrayNode results = page.putArray("results");
        int end = Math.min(matching.size(), after + limit);
        for (int i = Math.min(after, matching.size()); i < end; i++) results.add(owner(matching.get(i)));
        if (end < matching.size()) page.putObject("paging").putObject("next").put("after", Integer.toString(end));
        return page;
    }

    /** {@code GET /crm/v3/owners/{ownerId}}: by {@code id} or, with {@code idProperty=userId}, by the user's id. */
    private Owner ownerById(SandboxRequest req, String ownerId) {
        String idProperty = req.param("idProperty") == null ? "id" : req.param("idProperty");
        if (!idProperty.equals("id") && !idProperty.equals("userId")) {
            throw invalidParameter("idProperty", "Must be one of [id, userId]");
        }
        boolean archived = queryBoolean(req, "archived");
        for (Owner o : store.owners()) {
            String key = idProperty.equals("id") ? o.id() : Long.toString(o.userId());
            if (key.equals(ownerId) && o.archived() == archived) return o;
        }
        throw HubSpotException.notFound();
    }

    private static int queryInt(SandboxRequest req, String name, int dflt) {
        String v = req.param(name);
        if (v == null || v.isBlank()) return dflt;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw invalidParameter(name, "'" + v + "' is not a number");
        }
    }

    /** {@code true} or {@code false} as the SDKs send them; anything else is refused rather than read as false. */
    private static boolean queryBoolean(SandboxRequest req, String name) {
        String v = req.param(name);
        if (v == null || v.isEmpty() || v.equalsIgnoreCase("false")) return false;
        if (v.equalsIgnoreCase("true")) return true;
        throw invalidParameter(name, "'" + v + "' is not a boolean (true or false)");
    }

    /** HubSpot's answer to a query parameter it refuses: the reasons in {@code context.<name>} and in {@code errors[]}. */
    private static HubSpotException invalidParameter(String name, String reason) {
        ObjectNode context = context(name, reason);
        ArrayNode errors = Json.array();
        errors.addObject().put("message", "Invalid " + name + " value.").put("in", "query").put("code", "400")
                .put("subCategory", "INVALID_PARAMETER").set("context", context.deepCopy());
        return new HubSpotException(400, "VALIDATION_ERROR", "Invalid " + name + " value: " + reason, errors, context, null);
    }

    /**
     * An owner as HubSpot answers it; an archived owner's user is deactivated, so its {@code userId} is null and
     * {@code userIdIncludingInactive} keeps the id. {@code teams} only when the owner has some.
     */
    private static ObjectNode owner(Owner o) {
        ObjectNode n = Json.object();
        n.put("id", o.id());
        n.put("email", o.email());
        n.put("type", "PERSON");
        n.put("firstName", o.firstName());
        n.put("lastName", o.lastName());
        if (o.archived()) n.putNull("userId");
        else n.put("userId", o.userId());
        n.put("userIdIncludingInactive", o.userId());
        n.put("createdAt", OWNER_TIMESTAMP);
        n.put("updatedAt", OWNER_TIMESTAMP);
        n.put("archived", o.archived());
        if (!o.teams().isEmpty()) {
            ArrayNode teams = n.putArray("teams");
            o.teams().forEach(t -> teams.addObject().put("id", t.id()).put("name", t.name()).put("primary", t.primary()));
        }
        return n;
    }

    ArrayNode propertiesJson(ObjectType t) {
        ArrayNode a = Json.array();
        for (Property p : schema.properties(t)) a.add(property(p));
        return a;
    }

    private static ObjectNode property(Property p) {
        ObjectNode n = Json.object();
        n.put("name", p.name());
        n.put("label", p.label());
        n.put("type", p.type());
        n.put("fieldType", p.fieldType());
        n.put("groupName", "sandbox");
        ArrayNode opts = n.putArray("options");
        int i = 0;
        for (String v : p.options()) opts.addObject().put("label", v).put("value", v).put("displayOrder", i++).put("hidden", false);
        n.put("hasUniqueValue", p.unique());
        n.put("calculated", p.calculated());
        n.put("hubspotDefined", !p.custom());
        n.putObject("modificationMetadata").put("readOnlyValue", p.readOnly()).put("readOnlyDefinition", !p.custom()).put("archivable", p.custom());
        return n;
    }

    ObjectNode declareProperty(ObjectType t, JsonNode b) {
        if (b == null || !b.isObject()) throw HubSpotException.validation("a property needs {name, label, type, fieldType, options}");
        List<String> options = new ArrayList<>();
        b.path("options").forEach(o -> options.add(o.isObject() ? o.path("value").asText() : o.asText()));
        try {
            ObjectNode answer = property(schema.declare(t, b.path("name").asText(null), b.path("label").asText(null),
                    b.path("type").asText("string"), b.path("fieldType").asText(null), options, b.path("hasUniqueValue").asBoolean(false)));
            declared.add(Json.object().put("objectType", t.name()).set("body", b.deepCopy()));
            return answer;
        } catch (IllegalStateException e) {
            throw new HubSpotException(409, "OBJECT_ALREADY_EXISTS", e.getMessage());
        } catch (IllegalArgumentException e) {
            throw HubSpotException.validation(e.getMessage());
        }
    }

    /** The properties declared at run time (API or admin), each {@code {objectType, body}}, for a snapshot to declare again. */
    ArrayNode declaredJson() {
        ArrayNode a = Json.array();
        declared.forEach(a::add);
        return a;
    }

    /** A reset drops the properties declared at run time ({@link HubSpotSchema#resetCustom}). */
    void forgetDeclared() {
        declared.clear();
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static List<String> csv(String s) {
        if (s == null || s.isBlank()) return List.of();
        return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    private static JsonNode body(SandboxRequest req) {
        if (!req.hasBody()) throw HubSpotException.validation("Invalid input JSON on line 1, column 1: No content to map due to end-of-input");
        try {
            return Json.parse(req.body());
        } catch (IOException e) {
            throw HubSpotException.validation("Invalid input JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

}
