package io.callbridge.sandbox.pipedrive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.SandboxRequest;
import io.callbridge.sandbox.SandboxResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Pipedrive's company data and the resources the sandbox serves: API v2 organizations, persons (with search), deals,
 * activities and itemSearch over the first three; v1 call logs, notes, users and activity types. Records are kept in
 * their v2 (or v1) answer shape, as the OpenAPI
 * documents describe them; fields without a value are left out unless the document marks them nullable.
 */
final class PipedriveApi {

    static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    static final DateTimeFormatter V1_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    /** A new company's activity types, in their order. */
    static final List<String> DEFAULT_ACTIVITY_TYPES = List.of("call", "meeting", "task", "deadline", "email", "lunch");
    static final Set<String> ICON_KEYS = Set.of("task", "email", "meeting", "deadline", "call", "lunch", "calendar", "downarrow",
            "document", "smartphone", "camera", "scissors", "cogs", "bubble", "uparrow", "checkbox", "signpost", "shuffle",
            "addressbook", "linegraph", "picture", "car", "world", "search", "clip", "sound", "brush", "key", "padlock", "pricetag",
            "suitcase", "finish", "plane", "loop", "wifi", "truck", "cart", "bulb", "bell", "presentation");
    static final Set<String> CALL_OUTCOMES = Set.of("connected", "no_answer", "left_message", "left_voicemail", "wrong_number", "busy");
    /** The fields a search looks in, by record type, as Pipedrive's itemSearch documents them. */
    static final Map<String, Set<String>> SEARCH_FIELDS = Map.of(
            "persons", Set.of("custom_fields", "email", "notes", "phone", "name"),
            "organizations", Set.of("address", "custom_fields", "notes", "name"),
            "deals", Set.of("custom_fields", "notes", "title"));
    static final Set<String> ITEM_TYPES = Set.of("deal", "person", "organization", "product", "lead", "file", "mail_attachment", "project");
    static final Set<String> ITEM_SEARCH_FIELDS = Set.of("address", "code", "custom_fields", "email", "name", "notes", "phone", "title", "description");
    static final int PIPELINE = 1;
    static final List<Integer> STAGES = List.of(1, 2, 3, 4, 5, 6);
    static final List<String> STAGE_NAMES = List.of("Lead In", "Contact Made", "Demo Scheduled", "Proposal Made", "Negotiations Started",
            "Contract Sent");
    static final int MAX_LIMIT = 500;
    /** The ids one v2 list takes ({@code ids}: "up to 100 entity ids"). */
    static final int MAX_IDS = 100;

    record User(long id, String name, String email) { }

    private record Hit(double score, String type, ObjectNode record, List<String> notes, List<String> customFields) { }

    private final Clock clock;
    private final Random random;
    private final String defaultCurrency;
    private final List<User> configuredUsers;
    final Map<Long, User> users = new LinkedHashMap<>();
    final Map<String, TreeMap<Long, ObjectNode>> records = new LinkedHashMap<>();
    final Map<String, ObjectNode> callLogs = new LinkedHashMap<>();
    private final Map<String, Long> nextIds = new LinkedHashMap<>();
    private PersonChanges personChanges = (action, current, previous) -> { };

    PipedriveApi(Clock clock, Random random, String defaultCurrency, List<User> users) {
        this.clock = clock;
        this.random = random;
        this.defaultCurrency = defaultCurrency;
        this.configuredUsers = List.copyOf(users);
        reset();
    }

    void reset() {
        users.clear();
        configuredUsers.forEach(u -> users.put(u.id(), u));
        records.clear();
        for (String t : List.of("organizations", "persons", "deals", "activities", "notes", "activityTypes")) {
            records.put(t, new TreeMap<>());
            nextIds.put(t, 1L);
        }
        defaultActivityTypes(records.get("activityTypes"));
        callLogs.clear();
    }

    private void defaultActivityTypes(TreeMap<Long, ObjectNode> into) {
        for (String key : DEFAULT_ACTIVITY_TYPES) {
            long id = nextId("activityTypes");
            into.put(id, activityType(id, (int) id, capitalise(key), key, key, "FFFFFF", false));
        }
    }

    private ObjectNode activityType(long id, int orderNr, String name, String key, String icon, String color, boolean custom) {
        ObjectNode t = Json.object();
        t.put("id", id);
        t.put("order_nr", orderNr);
        t.put("name", name);
        t.put("key_string", key);
        t.put("icon_key", icon);
        t.put("active_flag", true);
        t.put("color", color);
        t.put("is_custom_flag", custom);
        t.put("add_time", v2Time(now()));
        t.put("update_time", v2Time(now()));
        return t;
    }

    /** Everything a failed seed must undo. */
    record Snapshot(Map<Long, User> users, Map<String, TreeMap<Long, ObjectNode>> records,
                    Map<String, ObjectNode> callLogs, Map<String, Long> nextIds) { }

    Snapshot snapshot() {
        Map<String, TreeMap<Long, ObjectNode>> r = new LinkedHashMap<>();
        records.forEach((k, v) -> {
            TreeMap<Long, ObjectNode> m = new TreeMap<>();
            v.forEach((id, n) -> m.put(id, n.deepCopy()));
            r.put(k, m);
        });
        Map<String, ObjectNode> logs = new LinkedHashMap<>();
        callLogs.forEach((k, v) -> logs.put(k, v.deepCopy()));
        return new Snapshot(new LinkedHashMap<>(users), r, logs, new LinkedHashMap<>(nextIds));
    }

    void restore(Snapshot s) {
        users.clear();
        users.putAll(s.users());
        records.clear();
        records.putAll(s.records());
        callLogs.clear();
        callLogs.putAll(s.callLogs());
        nextIds.clear();
        nextIds.putAll(s.nextIds());
    }

    /** Users, records (organizations among them), call logs and the next ids, for {@link PipedriveSandbox#snapshot}. */
    ObjectNode toJson() {
        ObjectNode o = Json.object();
        ArrayNode us = o.putArray("users");
        users.values().forEach(u -> us.addObject().put("id", u.id()).put("name", u.name()).put("email", u.email()));
        ObjectNode recs = o.putObject("records");
        records.forEach((type, byId) -> {
            ArrayNode a = recs.putArray(type);
            byId.forEach((id, r) -> a.addObject().put("id", id).set("record", r));
        });
        ObjectNode logs = o.putObject("callLogs");
        callLogs.forEach(logs::set);
        ObjectNode next = o.putObject("nextIds");
        nextIds.forEach(next::put);
        return o;
    }

    /** Replaces everything with what {@link #toJson} wrote. */
    void fromJson(JsonNode o) {
        Map<Long, User> us = new LinkedHashMap<>();
        for (JsonNode u : o.path("users")) us.put(u.get("id").asLong(), new User(u.get("id").asLong(), u.path("name").asText(null),
                u.path("email").asText(null)));
        Map<String, TreeMap<Long, ObjectNode>> recs = new LinkedHashMap<>();
        records.keySet().forEach(t -> recs.put(t, new TreeMap<>()));
        o.path("records").fields().forEachRemaining(e -> {
            TreeMap<Long, ObjectNode> byId = recs.computeIfAbsent(e.getKey(), k -> new TreeMap<>());
            e.getValue().forEach(r -> byId.put(r.get("id").asLong(), (ObjectNode) r.get("record").deepCopy()));
        });
        // the older format kept organizations as {"<id>": "<name>"}: read into records, so data directories in it still start
        o.path("organizations").fields().forEachRemaining(e -> {
            long id = Long.parseLong(e.getKey());
            recs.get("organizations").computeIfAbsent(id, k -> organizationRecord(id, e.getValue().asText(), now()));
        });
        Map<String, ObjectNode> logs = new LinkedHashMap<>();
        o.path("callLogs").fields().forEachRemaining(e -> logs.put(e.getKey(), (ObjectNode) e.getValue().deepCopy()));
        Map<String, Long> next = new LinkedHashMap<>(nextIds);
        o.path("nextIds").fields().forEachRemaining(e -> next.put(e.getKey(), e.getValue().asLong()));
        boolean typesKept = o.path("records").has("activityTypes");
        restore(new Snapshot(us, recs, logs, next));
        // a snapshot without activity types (the older format) leaves the company with the default ones
        if (!typesKept) {
            nextIds.put("activityTypes", 1L);
            defaultActivityTypes(records.get("activityTypes"));
        }
    }

    /** Who hears of persons added, changed and deleted (the company's webhooks). */
    interface PersonChanges {
        /** {@code current} null once deleted; {@code previous} the changed fields' former values, the whole person once deleted, null when added. */
        void changed(String action, ObjectNode current, ObjectNode previous);
    }

    void onPersonChange(PersonChanges listener) {
        this.personChanges = listener;
    }

    /** The user the API token or OAuth token belongs to. */
    User tokenUser() {
        return users.values().iterator().next();
    }

    private long nextId(String type) {
        long id = nextIds.get(type);
        nextIds.put(type, id + 1);
        return id;
    }

    /** A record the admin seeds with the id it names, if any; later ids are handed out past it. */
    ObjectNode seed(String type, Long id, JsonNode b) {
        if (id == null) return create(type, b);
        if (id <= 0 || records.get(type).containsKey(id)) throw PipedriveException.validation("id: " + id + " is not a free positive id");
        long next = nextIds.get(type);
        nextIds.put(type, id);
        try {
            return create(type, b);
        } finally {
            nextIds.put(type, Math.max(next, id + 1));
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    static String v2Time(Instant i) {
        return DateTimeFormatter.ISO_INSTANT.format(i.truncatedTo(ChronoUnit.SECONDS));
    }

    // ---- routing ------------------------------------------------------------------------------

    SandboxResponse v2(SandboxRequest req, List<String> s) {
        String m = req.method();
        if (s.isEmpty()) throw notSimulated(req);
        String type = s.get(0);
        if (type.equals("itemSearch") && m.equals("GET") && s.size() == 1) return SandboxResponse.json(200, searchItems(req));
        if (type.equals("itemSearch") && m.equals("GET") && s.size() == 2 && s.get(1).equals("field")) return SandboxResponse.json(200, searchField(req));
        if (!Set.of("organizations", "persons", "deals", "activities").contains(type)) throw notSimulated(req);
        if (s.size() == 2 && s.get(1).equals("search") && type.equals("persons") && m.equals("GET")) return SandboxResponse.json(200, searchPersons(req));
        if (s.size() == 1) {
            if (m.equals("POST")) return ok(create(type, body(req)));
            if (m.equals("GET")) return list(type, req);
            throw notSimulated(req);
        }
        if (s.size() == 2 && Set.of("GET", "PATCH", "DELETE").contains(m)) {
            long id = pathId(req, s.get(1));
            ObjectNode rec = live(type, id);
            switch (m) {
                case "GET" -> {
                    return ok(rec.deepCopy());
                }
                case "PATCH" -> {
                    return ok(update(type, rec, body(req)));
                }
                default -> {
                    rec.put("is_deleted", true);
                    rec.put("update_time", v2Time(now()));
                    if (type.equals("persons")) personChanges.changed("delete", null, rec.deepCopy());
                    return ok(Json.object().put("id", id));
                }
            }
        }
        throw notSimulated(req);
    }

    SandboxResponse v1(SandboxRequest req, List<String> s) {
        String m = req.method();
        if (s.isEmpty()) throw notSimulated(req);
        switch (s.get(0)) {
            case "callLogs" -> {
                if (s.size() == 1 && m.equals("POST")) return ok(createCallLog(body(req)));
                if (s.size() == 1 && m.equals("GET")) return callLogList(req);
                if (s.size() == 2 && (m.equals("GET") || m.equals("DELETE"))) {
                    ObjectNode log = callLogs.get(s.get(1));
                    if (log == null) throw new PipedriveException(404, "Call log not found");
                    if (m.equals("GET")) return ok(log.deepCopy());
                    callLogs.remove(s.get(1));
                    return SandboxResponse.json(200, Json.object().put("success", true));
                }
                throw notSimulated(req);
            }
            case "notes" -> {
                if (s.size() == 1 && m.equals("POST")) return ok(createNote(body(req)));
                if (s.size() == 1 && m.equals("GET")) return noteList(req);
                if (s.size() == 2 && Set.of("GET", "PUT", "DELETE").contains(m)) {
                    long id = pathId(req, s.get(1));
                    ObjectNode note = records.get("notes").get(id);
                    if (note == null || !note.path("active_flag").asBoolean(true)) throw new PipedriveException(404, "Note not found");
                    switch (m) {
                        case "GET" -> {
                            return ok(note.deepCopy());
                        }
                        case "PUT" -> {
                            JsonNode b = body(req);
                            if (b.has("content")) note.put("content", string(b, "content"));
                            note.put("update_time", V1_TIME.format(now()));
                            return ok(note.deepCopy());
                        }
                        default -> {
                            note.put("active_flag", false);
                            return SandboxResponse.json(200, Json.object().put("success", true).put("data", true));
                        }
                    }
                }
                throw notSimulated(req);
            }
            case "activityTypes" -> {
                if (s.size() == 1 && m.equals("GET")) {
                    ArrayNode a = Json.array();
                    records.get("activityTypes").values().forEach(t -> a.add(t.deepCopy()));
                    return ok(a);
                }
                if (s.size() == 1 && m.equals("POST")) return ok(createActivityType(body(req)));
                throw notSimulated(req);
            }
            case "users" -> {
                if (s.size() == 2 && s.get(1).equals("me") && m.equals("GET")) return ok(userJson(tokenUser()));
                if (s.size() == 1 && m.equals("GET")) {
                    ArrayNode a = Json.array();
                    users.values().forEach(u -> a.add(userJson(u)));
                    return ok(a);
                }
                throw notSimulated(req);
            }
            default -> throw notSimulated(req);
        }
    }

    /** The error code of a not-simulated answer, the one every simulator uses, so that one word finds the sandbox's gaps in a log. */
    static final String NOT_SIMULATED = "NOT_SIMULATED";

    /**
     * A request no handler serves: 501 in Pipedrive's error envelope, so that neither an integrator nor an SDK takes a
     * gap of the sandbox for Pipedrive's own 404 of a record that does not exist.
     */
    static PipedriveException notSimulated(SandboxRequest req) {
        return new PipedriveException(SandboxRequest.NOT_SIMULATED, req.notSimulated(), NOT_SIMULATED);
    }

    private static SandboxResponse ok(JsonNode data) {
        ObjectNode o = Json.object();
        o.put("success", true);
        o.set("data", data);
        return SandboxResponse.json(200, o);
    }

    /**
     * The id in a record's path. A word there ({@code /deals/search}, {@code /persons/collection}) names one of
     * Pipedrive's sub-resources, which the sandbox does not serve where it reaches this; anything else must be a positive integer.
     */
    private static long pathId(SandboxRequest req, String s) {
        if (s.matches("[A-Za-z_]+")) throw notSimulated(req);
        try {
            long id = Long.parseLong(s);
            if (id > 0) return id;
        } catch (NumberFormatException e) {
            // refused below
        }
        throw PipedriveException.validation("id: must be integer");
    }

    private ObjectNode live(String type, long id) {
        ObjectNode rec = records.get(type).get(id);
        if (rec == null || rec.path("is_deleted").asBoolean(false)) {
            throw PipedriveException.notFound(switch (type) {
                case "organizations" -> "Organization";
                case "persons" -> "Person";
                case "deals" -> "Deal";
                default -> "Activity";
            });
        }
        return rec;
    }

    // ---- v2 create / update -------------------------------------------------------------------

    ObjectNode create(String type, JsonNode b) {
        requireObject(b);
        Instant now = now();
        ObjectNode r = Json.object();
        long id = nextId(type);
        r.put("id", id);
        switch (type) {
            case "organizations" -> {
                String name = string(b, "name");
                if (name == null || name.isBlank()) throw PipedriveException.validation("name: is required");
                r = organizationRecord(id, name, now);
                applyOrganization(r, b);
            }
            case "persons" -> {
                String name = string(b, "name");
                if (name == null || name.isBlank()) throw PipedriveException.validation("name: is required");
                r.put("owner_id", tokenUser().id());
                r.put("add_time", v2Time(now));
                r.put("update_time", v2Time(now));
                r.putArray("emails");
                r.putArray("phones");
                r.put("is_deleted", false);
                r.put("visible_to", 3);
                r.putArray("label_ids");
                r.putObject("custom_fields");
                applyPerson(r, b);
            }
            case "deals" -> {
                String title = string(b, "title");
                if (title == null || title.isBlank()) throw PipedriveException.validation("title: is required");
                r.put("title", title);
                r.put("owner_id", tokenUser().id());
                r.put("pipeline_id", PIPELINE);
                r.put("stage_id", STAGES.get(0));
                r.put("value", 0);
                r.put("currency", defaultCurrency);
                r.put("add_time", v2Time(now));
                r.put("update_time", v2Time(now));
                r.put("is_deleted", false);
                r.put("is_archived", false);
                r.put("status", "open");
                r.putNull("probability");
                r.putNull("lost_reason");
                r.put("visible_to", 3);
                r.putNull("close_time");
                r.putArray("label_ids");
                r.put("origin", "API");
                r.putNull("origin_id");
                r.putNull("channel");
                r.putNull("channel_id");
                r.putNull("arr");
                r.putNull("mrr");
                r.putNull("acv");
                r.putObject("custom_fields");
                applyDeal(r, b, true);
            }
            default -> {
                r.put("type", "task");
                r.put("owner_id", tokenUser().id());
                r.put("creator_user_id", tokenUser().id());
                r.put("is_deleted", false);
                r.put("add_time", v2Time(now));
                r.put("update_time", v2Time(now));
                r.put("busy", false);
                r.put("done", false);
                r.putArray("participants");
                r.putArray("attendees");
                applyActivity(r, b);
                if (!r.has("subject")) r.put("subject", capitalise(r.get("type").asText()));
            }
        }
        records.get(type).put(id, r);
        if (type.equals("persons")) personChanges.changed("create", r.deepCopy(), null);
        return r.deepCopy();
    }

    private ObjectNode update(String type, ObjectNode r, JsonNode b) {
        requireObject(b);
        ObjectNode copy = r.deepCopy();
        switch (type) {
            case "organizations" -> {
                if (b.has("name") && (string(b, "name") == null || string(b, "name").isBlank())) throw PipedriveException.validation("name: must not be empty");
                applyOrganization(copy, b);
            }
            case "persons" -> {
                if (b.has("name") && (string(b, "name") == null || string(b, "name").isBlank())) throw PipedriveException.validation("name: must not be empty");
                applyPerson(copy, b);
            }
            case "deals" -> {
                if (b.has("title") && (string(b, "title") == null || string(b, "title").isBlank())) throw PipedriveException.validation("title: must not be empty");
                applyDeal(copy, b, false);
            }
            default -> applyActivity(copy, b);
        }
        copy.put("update_time", v2Time(now()));
        ObjectNode previous = Json.object();
        r.fields().forEachRemaining(f -> {
            if (!f.getKey().equals("update_time") && !f.getValue().equals(copy.get(f.getKey()))) previous.set(f.getKey(), f.getValue());
        });
        copy.fieldNames().forEachRemaining(f -> {
            if (!r.has(f)) previous.putNull(f);
        });
        r.removeAll();
        r.setAll(copy);
        if (type.equals("persons") && !previous.isEmpty()) personChanges.changed("change", r.deepCopy(), previous);
        return r.deepCopy();
    }

    /** An organization as v2 answers it, with the fields the document marks nullable present; no address until one is given. */
    private ObjectNode organizationRecord(long id, String name, Instant now) {
        ObjectNode r = Json.object();
        r.put("id", id);
        r.put("name", name.trim());
        r.put("owner_id", tokenUser().id());
        r.put("add_time", v2Time(now));
        r.put("update_time", v2Time(now));
        r.put("is_deleted", false);
        r.put("visible_to", 3);
        r.putArray("label_ids");
        for (String f : List.of("website", "linkedin", "industry", "annual_revenue", "employee_count")) r.putNull(f);
        r.putObject("custom_fields");
        return r;
    }

    private void applyOrganization(ObjectNode r, JsonNode b) {
        if (b.has("name")) r.put("name", string(b, "name").trim());
        if (b.has("owner_id")) r.put("owner_id", user(b, "owner_id"));
        if (b.has("visible_to")) r.put("visible_to", visibleTo(b));
        if (b.has("label_ids")) r.set("label_ids", intArray(b, "label_ids"));
        if (b.has("address")) {
            ObjectNode a = object(b, "address");
            a.fields().forEachRemaining(e -> {
                if (!e.getValue().isTextual()) throw PipedriveException.validation("address." + e.getKey() + ": must be string");
            });
            r.set("address", a);
        }
        for (String f : List.of("website", "linkedin")) {
            if (b.has(f)) r.put(f, string(b, f));
        }
        for (String f : List.of("industry", "annual_revenue", "employee_count")) {
            if (b.has(f)) r.put(f, integer(b, f));
        }
        if (b.has("add_time")) r.put("add_time", v2Time(dateTime(b, "add_time")));
        if (b.has("custom_fields")) mergeCustom(r, b);
    }

    private void applyPerson(ObjectNode r, JsonNode b) {
        if (b.has("name")) {
            String name = string(b, "name").trim();
            r.put("name", name);
            int sp = name.indexOf(' ');
            r.put("first_name", sp < 0 ? name : name.substring(0, sp));
            if (sp < 0) r.remove("last_name");
            else r.put("last_name", name.substring(sp + 1));
        }
        if (b.has("owner_id")) r.put("owner_id", user(b, "owner_id"));
        if (b.has("org_id")) setOrRemove(r, "org_id", organization(b, "org_id"));
        if (b.has("emails")) r.set("emails", contactItems(b, "emails"));
        if (b.has("phones")) r.set("phones", contactItems(b, "phones"));
        if (b.has("im")) r.set("im", contactItems(b, "im"));
        if (b.has("visible_to")) r.put("visible_to", visibleTo(b));
        if (b.has("label_ids")) r.set("label_ids", intArray(b, "label_ids"));
        for (String f : List.of("notes", "birthday", "job_title")) if (b.has(f)) setOrRemove(r, f, string(b, f));
        if (b.has("marketing_status")) {
            String ms = string(b, "marketing_status");
            if (!Set.of("no_consent", "unsubscribed", "subscribed", "archived").contains(ms)) {
                throw PipedriveException.validation("marketing_status: must be equal to one of the allowed values: no_consent, unsubscribed, subscribed, archived");
            }
            r.put("marketing_status", ms);
        }
        if (b.has("postal_address")) r.set("postal_address", object(b, "postal_address"));
        if (b.has("add_time")) r.put("add_time", v2Time(dateTime(b, "add_time")));
        if (b.has("custom_fields")) mergeCustom(r, b);
    }

    private void applyDeal(ObjectNode r, JsonNode b, boolean create) {
        if (b.has("title")) r.put("title", string(b, "title"));
        if (b.has("owner_id")) r.put("owner_id", user(b, "owner_id"));
        if (b.has("person_id")) setOrRemove(r, "person_id", reference(b, "person_id", "persons", "Person"));
        if (b.has("org_id")) setOrRemove(r, "org_id", organization(b, "org_id"));
        if (b.has("pipeline_id")) {
            Long p = integer(b, "pipeline_id");
            if (p == null || p != PIPELINE) throw new PipedriveException(400, "Pipeline not found", "ERR_NOT_FOUND");
            r.put("pipeline_id", p);
        }
        if (b.has("stage_id")) {
            Long st = integer(b, "stage_id");
            if (st == null || !STAGES.contains(st.intValue())) throw new PipedriveException(400, "Stage not found", "ERR_NOT_FOUND");
            if (!create && r.path("stage_id").asLong() != st) r.put("stage_change_time", v2Time(now()));
            r.put("stage_id", st);
        }
        if (b.has("value")) {
            JsonNode v = b.get("value");
            if (!v.isNumber()) throw PipedriveException.validation("value: must be number");
            r.set("value", v);
        }
        if (b.has("currency")) {
            String c = string(b, "currency");
            if (c == null || !c.matches("[A-Z]{3}")) throw PipedriveException.validation("currency: must be a 3-letter ISO currency code");
            r.put("currency", c);
        }
        if (b.has("status")) {
            String st = string(b, "status");
            if (!Set.of("open", "won", "lost").contains(st)) throw PipedriveException.validation("status: must be equal to one of the allowed values: open, won, lost");
            String was = r.path("status").asText("open");
            r.put("status", st);
            Instant now = now();
            if (!st.equals(was) || create) {
                r.remove(List.of("won_time", "lost_time"));
                if (st.equals("open")) r.putNull("close_time");
                else {
                    r.put("close_time", v2Time(now));
                    r.put(st.equals("won") ? "won_time" : "lost_time", v2Time(now));
                }
            }
        }
        if (b.has("probability")) {
            JsonNode p = b.get("probability");
            if (!p.isNull() && !p.isNumber()) throw PipedriveException.validation("probability: must be number");
            r.set("probability", p);
        }
        if (b.has("lost_reason")) r.set("lost_reason", b.get("lost_reason").isNull() ? b.get("lost_reason") : Json.MAPPER.valueToTree(string(b, "lost_reason")));
        if (b.has("visible_to")) r.put("visible_to", visibleTo(b));
        if (b.has("label_ids")) r.set("label_ids", intArray(b, "label_ids"));
        if (b.has("expected_close_date")) {
            String d = string(b, "expected_close_date");
            try {
                r.put("expected_close_date", LocalDate.parse(d).toString());
            } catch (DateTimeParseException | NullPointerException e) {
                throw PipedriveException.validation("expected_close_date: must match format \"date\"");
            }
        }
        if (b.has("custom_fields")) mergeCustom(r, b);
    }

    private void applyActivity(ObjectNode r, JsonNode b) {
        if (b.has("subject")) r.put("subject", string(b, "subject"));
        if (b.has("type")) {
            String t = string(b, "type");
            List<String> active = records.get("activityTypes").values().stream().filter(x -> x.path("active_flag").asBoolean())
                    .map(x -> x.path("key_string").asText()).toList();
            if (t == null || !active.contains(t)) {
                throw new PipedriveException(400, "Activity type '" + t + "' does not exist; known types: " + active, "ERR_SCHEMA_VALIDATION_FAILED");
            }
            r.put("type", t);
        }
        if (b.has("owner_id")) r.put("owner_id", user(b, "owner_id"));
        if (b.has("deal_id")) setOrRemove(r, "deal_id", reference(b, "deal_id", "deals", "Deal"));
        if (b.has("person_id")) setOrRemove(r, "person_id", reference(b, "person_id", "persons", "Person"));
        if (b.has("org_id")) setOrRemove(r, "org_id", organization(b, "org_id"));
        if (b.has("lead_id")) setOrRemove(r, "lead_id", string(b, "lead_id"));
        if (b.has("project_id")) setOrRemove(r, "project_id", integer(b, "project_id"));
        if (b.has("due_date")) {
            String d = string(b, "due_date");
            try {
                r.put("due_date", LocalDate.parse(d).toString());
            } catch (DateTimeParseException | NullPointerException e) {
                throw PipedriveException.validation("due_date: must match format YYYY-MM-DD");
            }
        }
        for (String f : List.of("due_time", "duration")) {
            if (!b.has(f)) continue;
            String t = string(b, f);
            if (t == null || t.isEmpty()) {
                r.remove(f);
                continue;
            }
            if (!t.matches("\\d{2}:\\d{2}")) throw PipedriveException.validation(f + ": must match format HH:MM");
            try {
                LocalTime.parse(t);
            } catch (DateTimeParseException e) {
                if (f.equals("due_time")) throw PipedriveException.validation(f + ": must be a valid time");
            }
            r.put(f, t);
        }
        if (b.has("busy")) r.put("busy", bool(b, "busy"));
        if (b.has("done")) {
            boolean done = bool(b, "done");
            if (done && !r.path("done").asBoolean()) r.put("marked_as_done_time", v2Time(now()));
            if (!done) r.remove("marked_as_done_time");
            r.put("done", done);
        }
        if (b.has("location")) r.set("location", object(b, "location"));
        if (b.has("participants")) {
            JsonNode ps = b.get("participants");
            if (!ps.isArray()) throw PipedriveException.validation("participants: must be array");
            ArrayNode out = Json.array();
            for (JsonNode p : ps) {
                if (!p.isObject() || !p.path("person_id").canConvertToLong() || !p.path("person_id").isIntegralNumber()) {
                    throw PipedriveException.validation("participants: each participant needs an integer person_id");
                }
                live("persons", p.get("person_id").asLong());
                out.addObject().put("person_id", p.get("person_id").asLong()).put("primary", p.path("primary").asBoolean(false));
            }
            r.set("participants", out);
        }
        if (b.has("attendees")) {
            JsonNode a = b.get("attendees");
            if (!a.isArray()) throw PipedriveException.validation("attendees: must be array");
            r.set("attendees", a.deepCopy());
        }
        for (String f : List.of("public_description", "note")) if (b.has(f)) setOrRemove(r, f, string(b, f));
        if (b.has("priority")) setOrRemove(r, "priority", integer(b, "priority"));
        if (r.has("person_id") && r.get("participants").isEmpty()) {
            r.withArray("participants").addObject().put("person_id", r.get("person_id").asLong()).put("primary", true);
        }
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    // ---- field checks -------------------------------------------------------------------------

    private static void requireObject(JsonNode b) {
        if (b == null || !b.isObject()) throw PipedriveException.validation("the request body must be a JSON object");
    }

    static String string(JsonNode b, String f) {
        JsonNode v = b.get(f);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw PipedriveException.validation(f + ": must be string");
        return v.asText();
    }

    static Long integer(JsonNode b, String f) {
        JsonNode v = b.get(f);
        if (v == null || v.isNull()) return null;
        if (!v.isIntegralNumber()) throw PipedriveException.validation(f + ": must be integer");
        return v.asLong();
    }

    private static boolean bool(JsonNode b, String f) {
        JsonNode v = b.get(f);
        if (v == null || !v.isBoolean()) throw PipedriveException.validation(f + ": must be boolean");
        return v.asBoolean();
    }

    private static ObjectNode object(JsonNode b, String f) {
        JsonNode v = b.get(f);
        if (v == null || !v.isObject()) throw PipedriveException.validation(f + ": must be object");
        return (ObjectNode) v.deepCopy();
    }

    private static ArrayNode intArray(JsonNode b, String f) {
        JsonNode v = b.get(f);
        if (v == null || !v.isArray()) throw PipedriveException.validation(f + ": must be array");
        for (JsonNode n : v) if (!n.isIntegralNumber()) throw PipedriveException.validation(f + ": items must be integer");
        return (ArrayNode) v.deepCopy();
    }

    private static int visibleTo(JsonNode b) {
        Long v = integer(b, "visible_to");
        if (v == null || !Set.of(1L, 3L, 5L, 7L).contains(v)) throw PipedriveException.validation("visible_to: must be one of 1, 3, 5, 7");
        return v.intValue();
    }

    /** Emails, phones, IMs: an array of {value, primary, label}; values are kept exactly as typed. */
    private static ArrayNode contactItems(JsonNode b, String f) {
        JsonNode v = b.get(f);
        if (v == null || !v.isArray()) throw PipedriveException.validation(f + ": must be array");
        ArrayNode out = Json.array();
        boolean primarySeen = false;
        for (JsonNode item : v) {
            if (!item.isObject()) throw PipedriveException.validation(f + ": items must be objects {value, primary, label}");
            if (!item.path("value").isTextual()) throw PipedriveException.validation(f + ": value must be string");
            if (item.has("primary") && !item.get("primary").isBoolean()) throw PipedriveException.validation(f + ": primary must be boolean");
            if (item.has("label") && !item.get("label").isTextual()) throw PipedriveException.validation(f + ": label must be string");
            boolean primary = item.path("primary").asBoolean(false) && !primarySeen;
            primarySeen |= primary;
            out.addObject().put("value", item.get("value").asText()).put("primary", primary).put("label", item.path("label").asText("work"));
        }
        if (!primarySeen && !out.isEmpty()) ((ObjectNode) out.get(0)).put("primary", true);
        return out;
    }

    private long user(JsonNode b, String f) {
        Long id = integer(b, f);
        if (id == null || !users.containsKey(id)) throw new PipedriveException(400, "User not found", "ERR_NOT_FOUND");
        return id;
    }

    private Long organization(JsonNode b, String f) {
        Long id = integer(b, f);
        if (id != null) live("organizations", id);
        return id;
    }

    private boolean exists(String type, long id) {
        ObjectNode r = records.get(type).get(id);
        return r != null && !r.path("is_deleted").asBoolean(false);
    }

    /** The name of an organization a record links to; kept for links to one deleted since. */
    private String organizationName(long id) {
        ObjectNode o = records.get("organizations").get(id);
        return o == null ? null : o.path("name").asText(null);
    }

    private Long reference(JsonNode b, String f, String type, String what) {
        Long id = integer(b, f);
        if (id != null) live(type, id);
        return id;
    }

    private static void setOrRemove(ObjectNode r, String f, Object v) {
        if (v == null) r.remove(f);
        else if (v instanceof Long l) r.put(f, l);
        else r.put(f, v.toString());
    }

    private static void mergeCustom(ObjectNode r, JsonNode b) {
        JsonNode c = b.get("custom_fields");
        if (!c.isObject()) throw PipedriveException.validation("custom_fields: must be object");
        r.withObject("custom_fields").setAll((ObjectNode) c.deepCopy());
    }

    private static Instant dateTime(JsonNode b, String f) {
        String s = string(b, f);
        Instant i = s == null ? null : parseTime(s);
        if (i == null) throw PipedriveException.validation(f + ": must be a date-time (YYYY-MM-DD HH:MM:SS or ISO 8601)");
        return i;
    }

    /** {@code YYYY-MM-DD HH:MM:SS} (UTC, as Pipedrive documents) or ISO 8601. */
    static Instant parseTime(String s) {
        try {
            return LocalDateTime.parse(s.trim(), DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // next form
        }
        try {
            return OffsetDateTime.parse(s.trim()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    // ---- lists and search ---------------------------------------------------------------------

    private SandboxResponse list(String type, SandboxRequest req) {
        int limit = limit(req, 100);
        int offset = cursor(req.param("cursor"));
        List<Predicate<ObjectNode>> filters = new ArrayList<>();
        filters.add(r -> !r.path("is_deleted").asBoolean(false));
        for (String f : List.of("owner_id", "person_id", "org_id", "deal_id", "stage_id", "pipeline_id")) {
            String v = req.param(f);
            if (v == null) continue;
            long want = parseLongParam(f, v);
            filters.add(r -> r.path(f).asLong(-1) == want
                    || (f.equals("person_id") && type.equals("activities") && participates(r, want)));
        }
        if (req.param("filter_id") != null) {
            throw new PipedriveException(SandboxRequest.NOT_SIMULATED, req.notSimulated() + " with filter_id (the sandbox holds no filters)",
                    NOT_SIMULATED);
        }
        for (String f : List.of("updated_since", "updated_until")) {
            String v = req.param(f);
            if (v == null) continue;
            Instant at = parseTime(v);
            if (at == null) throw PipedriveException.validation(f + ": must be a date-time in RFC 3339 format");
            boolean since = f.equals("updated_since");
            filters.add(r -> {
                Instant u = Instant.parse(r.path("update_time").asText());
                return since ? !u.isBefore(at) : u.isBefore(at);
            });
        }
        if (req.param("ids") != null) {
            List<Long> ids = new ArrayList<>();
            for (String x : req.param("ids").split(",")) ids.add(parseLongParam("ids", x.trim()));
            if (ids.size() > MAX_IDS) throw PipedriveException.validation("ids: must have at most " + MAX_IDS + " items");
            filters.add(r -> ids.contains(r.get("id").asLong()));
        }
        if (req.param("status") != null && type.equals("deals")) {
            String st = req.param("status");
            filters.add(r -> st.equals("all_not_deleted") || r.path("status").asText().equals(st));
        }
        if (req.param("done") != null && type.equals("activities")) {
            boolean done = Boolean.parseBoolean(req.param("done"));
            filters.add(r -> r.path("done").asBoolean() == done);
        }
        List<ObjectNode> hits = new ArrayList<>();
        for (ObjectNode r : records.get(type).values()) if (filters.stream().allMatch(p -> p.test(r))) hits.add(r);
        String sortBy = req.param("sort_by") == null ? "id" : req.param("sort_by");
        if (!Set.of("id", "update_time", "add_time").contains(sortBy)) throw PipedriveException.validation("sort_by: must be one of id, update_time, add_time");
        Comparator<ObjectNode> c = Comparator.comparing((ObjectNode r) -> r.path(sortBy).asText(""))
                .thenComparingLong(r -> r.get("id").asLong());
        if (sortBy.equals("id")) c = Comparator.comparingLong(r -> r.get("id").asLong());
        if ("desc".equals(req.param("sort_direction"))) c = c.reversed();
        hits.sort(c);
        ArrayNode data = Json.array();
        for (int i = offset; i < Math.min(hits.size(), offset + limit); i++) data.add(hits.get(i).deepCopy());
        ObjectNode o = Json.object();
        o.put("success", true);
        o.set("data", data);
        ObjectNode add = o.putObject("additional_data");
        if (offset + limit < hits.size()) add.put("next_cursor", encodeCursor(offset + limit));
        return SandboxResponse.json(200, o);
    }

    private static boolean participates(ObjectNode activity, long person) {
        for (JsonNode p : activity.path("participants")) if (p.path("person_id").asLong() == person) return true;
        return false;
    }

    private static long parseLongParam(String f, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw PipedriveException.validation(f + ": must be integer");
        }
    }

    private static int limit(SandboxRequest req, int dflt) {
        return limit(req, dflt, MAX_LIMIT);
    }

    private static int limit(SandboxRequest req, int dflt, int max) {
        String l = req.param("limit");
        if (l == null) return dflt;
        int n = (int) parseLongParam("limit", l);
        if (n < 1 || n > max) throw PipedriveException.validation("limit: must be <= " + max + " and >= 1");
        return n;
    }

    static String encodeCursor(int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("o:" + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static int cursor(String c) {
        if (c == null || c.isEmpty()) return 0;
        try {
            String s = new String(Base64.getUrlDecoder().decode(c), StandardCharsets.UTF_8);
            if (s.startsWith("o:")) return Integer.parseInt(s.substring(2));
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw PipedriveException.validation("cursor: invalid cursor");
    }

    /** The search term: at least 2 characters, or 1 with an exact match. */
    private static String term(SandboxRequest req, boolean exact) {
        String term = req.param("term");
        if (term == null) throw PipedriveException.validation("term: is required");
        term = term.trim();
        if (term.length() < (exact ? 1 : 2)) {
            throw PipedriveException.validation("term: must be at least " + (exact ? 1 : 2) + " characters long");
        }
        return term;
    }

    /** A comma list whose every item must be one of {@code allowed}; all of them when absent. */
    private static List<String> commaList(SandboxRequest req, String param, java.util.Collection<String> allowed) {
        String v = req.param(param);
        if (v == null) return new ArrayList<>(allowed);
        List<String> out = new ArrayList<>();
        for (String f : v.split(",")) {
            if (!allowed.contains(f.trim())) throw PipedriveException.validation(param + ": must be one of " + allowed.stream().sorted().toList());
            out.add(f.trim());
        }
        return out;
    }

    /** GET /api/v2/persons/search: term, fields, exact_match, organization_id, limit, cursor. */
    private ObjectNode searchPersons(SandboxRequest req) {
        boolean exact = Boolean.parseBoolean(req.param("exact_match"));
        String term = term(req, exact);
        List<String> fields = commaList(req, "fields", SEARCH_FIELDS.get("persons"));
        Long org = req.param("organization_id") == null ? null : parseLongParam("organization_id", req.param("organization_id"));
        if (req.param("include_fields") != null) commaList(req, "include_fields", Set.of("person.picture"));
        int limit = limit(req, 100);
        int offset = cursor(req.param("cursor"));
        List<Hit> hits = new ArrayList<>();
        for (ObjectNode p : records.get("persons").values()) {
            if (p.path("is_deleted").asBoolean(false)) continue;
            if (org != null && p.path("org_id").asLong(-1) != org) continue;
            Hit h = match("persons", p, term, fields, exact);
            if (h != null) hits.add(h);
        }
        return searchAnswer(hits, offset, limit, false);
    }

    /**
     * GET /api/v2/itemSearch: term, item_types, fields, exact_match, search_for_related_items, include_fields, limit,
     * cursor. The sandbox holds persons, organizations and deals; the other item types are searched and never found.
     */
    private ObjectNode searchItems(SandboxRequest req) {
        boolean exact = Boolean.parseBoolean(req.param("exact_match"));
        String term = term(req, exact);
        List<String> types = commaList(req, "item_types", ITEM_TYPES);
        List<String> fields = commaList(req, "fields", ITEM_SEARCH_FIELDS);
        if (req.param("include_fields") != null) commaList(req, "include_fields", Set.of("deal.cc_email", "person.picture", "product.price"));
        int limit = limit(req, 100, 100);
        int offset = cursor(req.param("cursor"));
        List<Hit> hits = new ArrayList<>();
        for (String type : List.of("persons", "organizations", "deals")) {
            if (!types.contains(singular(type))) continue;
            for (ObjectNode r : records.get(type).values()) {
                if (r.path("is_deleted").asBoolean(false)) continue;
                Hit h = match(type, r, term, fields, exact);
                if (h != null) hits.add(h);
            }
        }
        return searchAnswer(hits, offset, limit, Boolean.parseBoolean(req.param("search_for_related_items")));
    }

    private static String singular(String type) {
        return switch (type) {
            case "persons" -> "person";
            case "organizations" -> "organization";
            default -> "deal";
        };
    }

    /** Hits by score, the best first; equal scores persons, organizations, deals, each by id. */
    private ObjectNode searchAnswer(List<Hit> hits, int offset, int limit, boolean related) {
        List<String> order = List.of("persons", "organizations", "deals");
        hits.sort(Comparator.comparingDouble(Hit::score).reversed().thenComparingInt(h -> order.indexOf(h.type()))
                .thenComparingLong(h -> h.record().get("id").asLong()));
        ObjectNode data = Json.object();
        ArrayNode items = data.putArray("items");
        Set<String> listed = new java.util.HashSet<>();
        List<Hit> page = hits.subList(Math.min(offset, hits.size()), Math.min(hits.size(), offset + limit));
        for (Hit h : page) {
            items.addObject().put("result_score", h.score()).set("item", searchItem(h));
            listed.add(h.type() + h.record().get("id").asLong());
        }
        if (related) {
            ArrayNode rel = data.putArray("related_items");
            for (Hit h : page) {
                long id = h.record().get("id").asLong();
                List<String> relatedTypes = switch (h.type()) {
                    case "persons" -> List.of("deals");
                    case "organizations" -> List.of("deals", "persons");
                    default -> List.of();
                };
                String link = h.type().equals("persons") ? "person_id" : "org_id";
                for (String t : relatedTypes) {
                    records.get(t).descendingMap().values().stream()
                            .filter(r -> !r.path("is_deleted").asBoolean(false) && r.path(link).asLong(-1) == id)
                            .limit(100)
                            .filter(r -> listed.add(t + r.get("id").asLong()))
                            .forEach(r -> rel.addObject().put("result_score", 0).set("item", searchItem(new Hit(0, t, r, List.of(), List.of()))));
                }
            }
        }
        ObjectNode o = Json.object();
        o.put("success", true);
        o.set("data", data);
        ObjectNode add = o.putObject("additional_data");
        if (offset + limit < hits.size()) add.put("next_cursor", encodeCursor(offset + limit));
        return o;
    }

    /** A hit as the search answers show it: a few fields of the record, its links, and the notes and custom field values that matched. */
    private ObjectNode searchItem(Hit h) {
        ObjectNode r = h.record();
        ObjectNode item = Json.object();
        item.put("id", r.get("id").asLong());
        item.put("type", singular(h.type()));
        switch (h.type()) {
            case "persons" -> {
                item.put("name", r.path("name").asText());
                ArrayNode phones = item.putArray("phones");
                r.path("phones").forEach(x -> phones.add(x.path("value").asText()));
                ArrayNode emails = item.putArray("emails");
                r.path("emails").forEach(x -> emails.add(x.path("value").asText()));
                item.put("visible_to", r.path("visible_to").asInt(3));
                item.putObject("owner").put("id", r.path("owner_id").asLong());
                if (r.has("org_id")) item.set("organization", organizationLink(r.get("org_id").asLong()));
            }
            case "organizations" -> {
                item.put("name", r.path("name").asText());
                item.put("address", r.path("address").path("value").asText(null));
                item.put("visible_to", r.path("visible_to").asInt(3));
                item.putObject("owner").put("id", r.path("owner_id").asLong());
            }
            default -> {
                item.put("title", r.path("title").asText());
                item.set("value", r.path("value"));
                item.put("currency", r.path("currency").asText());
                item.put("status", r.path("status").asText());
                item.put("visible_to", r.path("visible_to").asInt(3));
                item.putObject("owner").put("id", r.path("owner_id").asLong());
                int stage = r.path("stage_id").asInt();
                item.putObject("stage").put("id", stage).put("name", STAGE_NAMES.get(STAGES.indexOf(stage)));
                if (r.has("person_id")) {
                    ObjectNode p = records.get("persons").get(r.get("person_id").asLong());
                    item.putObject("person").put("id", r.get("person_id").asLong()).put("name", p == null ? null : p.path("name").asText(null));
                } else {
                    item.putNull("person");
                }
                if (r.has("org_id")) item.set("organization", organizationLink(r.get("org_id").asLong()));
                else item.putNull("organization");
            }
        }
        ArrayNode custom = item.putArray("custom_fields");
        h.customFields().forEach(custom::add);
        ArrayNode notes = item.putArray("notes");
        h.notes().forEach(notes::add);
        if (h.type().equals("deals")) item.put("is_archived", r.path("is_archived").asBoolean(false));
        return item;
    }

    private ObjectNode organizationLink(long id) {
        ObjectNode o = Json.object().put("id", id).put("name", organizationName(id));
        ObjectNode org = records.get("organizations").get(id);
        o.put("address", org == null ? null : org.path("address").path("value").asText(null));
        return o;
    }

    /** The notes (v1) attached to a record: its notes field for a person, and the content of the notes linked to it. */
    private List<String> notesOf(String type, ObjectNode r) {
        List<String> out = new ArrayList<>();
        if (r.hasNonNull("notes")) out.add(r.get("notes").asText());
        String link = switch (type) {
            case "persons" -> "person_id";
            case "organizations" -> "org_id";
            default -> "deal_id";
        };
        long id = r.get("id").asLong();
        for (ObjectNode n : records.get("notes").values()) {
            if (n.path("active_flag").asBoolean(true) && n.path(link).asLong(-1) == id) out.add(n.path("content").asText(""));
        }
        return out;
    }

    /**
     * The record as a hit for {@code term} in those of {@code fields} that its type has, or null. A value equal to the
     * term scores 1, one it begins 0.8, one it contains 0.4 (equal only with {@code exact}); case is ignored. Phone
     * numbers compare by their digits (the formatting typed is ignored, the country code is not: "+41 79…" does not
     * match "079…"), a part of them scoring 0.5.
     */
    private Hit match(String type, ObjectNode r, String term, List<String> fields, boolean exact) {
        String lower = term.toLowerCase(Locale.ROOT);
        double best = 0;
        List<String> matchedNotes = new ArrayList<>(), matchedCustom = new ArrayList<>();
        for (String f : fields) {
            if (!SEARCH_FIELDS.get(type).contains(f)) continue;
            if (f.equals("phone")) {
                String digits = term.replaceAll("\\D", "");
                if (digits.isEmpty()) continue;
                for (JsonNode ph : r.path("phones")) {
                    String have = ph.path("value").asText("").replaceAll("\\D", "");
                    if (have.equals(digits)) best = Math.max(best, 1.0);
                    else if (!exact && digits.length() >= 2 && have.contains(digits)) best = Math.max(best, 0.5);
                }
                continue;
            }
            List<String> values = new ArrayList<>();
            switch (f) {
                case "name" -> values.add(r.path("name").asText(""));
                case "title" -> values.add(r.path("title").asText(""));
                case "email" -> r.path("emails").forEach(e -> values.add(e.path("value").asText("")));
                case "address" -> r.path("address").forEach(v -> values.add(v.asText("")));
                case "notes" -> values.addAll(notesOf(type, r));
                default -> r.path("custom_fields").forEach(v -> {
                    if (v.isValueNode() && !v.isNull()) values.add(v.asText());
                });
            }
            for (String v : values) {
                String lv = v.toLowerCase(Locale.ROOT);
                double score = lv.equals(lower) ? 1.0 : exact || !lv.contains(lower) ? 0 : lv.startsWith(lower) ? 0.8 : 0.4;
                if (score == 0) continue;
                best = Math.max(best, score);
                if (f.equals("notes")) matchedNotes.add(v);
                if (f.equals("custom_fields")) matchedCustom.add(v);
            }
        }
        return best > 0 ? new Hit(best, type, r, matchedNotes, matchedCustom) : null;
    }

    /**
     * GET /api/v2/itemSearch/field: the records of {@code entity_type} whose {@code field} (a record's field or custom
     * field key) has a value that equals, begins with or contains the term (case sensitive), as {@code {id, <field>: value}}.
     */
    private ObjectNode searchField(SandboxRequest req) {
        String match = req.param("match") == null ? "exact" : req.param("match");
        if (!Set.of("exact", "beginning", "middle").contains(match)) throw PipedriveException.validation("match: must be one of exact, beginning, middle");
        String term = term(req, match.equals("exact"));
        String entity = req.param("entity_type");
        if (entity == null) throw PipedriveException.validation("entity_type: is required");
        if (!Set.of("deal", "lead", "person", "organization", "product", "project").contains(entity)) {
            throw PipedriveException.validation("entity_type: must be one of deal, lead, person, organization, product, project");
        }
        String field = req.param("field");
        if (field == null || field.isBlank()) throw PipedriveException.validation("field: is required");
        int limit = limit(req, 100);
        int offset = cursor(req.param("cursor"));
        String type = switch (entity) {
            case "person" -> "persons";
            case "organization" -> "organizations";
            case "deal" -> "deals";
            default -> null;
        };
        List<ObjectNode> found = new ArrayList<>();
        if (type != null) {
            for (ObjectNode r : records.get(type).values()) {
                if (r.path("is_deleted").asBoolean(false)) continue;
                // a person's email and phone fields are its emails and phones
                String key = type.equals("persons") && Set.of("email", "phone").contains(field) ? field + "s" : field;
                JsonNode v = r.has(key) ? r.get(key) : r.path("custom_fields").path(field);
                List<String> values = new ArrayList<>();
                if (v.isArray()) v.forEach(x -> values.add(x.isObject() ? x.path("value").asText("") : x.asText()));
                else if (v.isObject()) values.add(v.path("value").asText(""));
                else if (v.isValueNode() && !v.isNull()) values.add(v.asText());
                for (String s : values) {
                    if (match.equals("exact") ? s.equals(term) : match.equals("beginning") ? s.startsWith(term) : s.contains(term)) {
                        found.add(Json.object().put("id", r.get("id").asLong()).put(field, s));
                        break;
                    }
                }
            }
        }
        ArrayNode data = Json.array();
        for (int i = offset; i < Math.min(found.size(), offset + limit); i++) data.add(found.get(i));
        ObjectNode o = Json.object();
        o.put("success", true);
        o.set("data", data);
        ObjectNode add = o.putObject("additional_data");
        if (offset + limit < found.size()) add.put("next_cursor", encodeCursor(offset + limit));
        return o;
    }

    // ---- v1 call logs and notes ---------------------------------------------------------------

    private ObjectNode createCallLog(JsonNode b) {
        requireObject(b);
        for (String f : List.of("to_phone_number", "outcome", "start_time", "end_time")) {
            if (!b.hasNonNull(f)) throw new PipedriveException(400, "Parameter '" + f + "' is required");
        }
        for (String f : List.of("to_phone_number", "from_phone_number", "subject", "duration", "note", "lead_id", "outcome")) {
            if (b.has(f) && !b.get(f).isNull() && !b.get(f).isTextual()) throw new PipedriveException(400, "Parameter '" + f + "' must be a string");
        }
        String outcome = b.get("outcome").asText();
        if (!CALL_OUTCOMES.contains(outcome)) {
            throw new PipedriveException(400, "Parameter 'outcome' must be one of " + CALL_OUTCOMES.stream().sorted().toList());
        }
        Instant start = parseTime(b.get("start_time").asText()), end = parseTime(b.get("end_time").asText());
        if (start == null || end == null) throw new PipedriveException(400, "Parameters 'start_time' and 'end_time' must be dates in the format YYYY-MM-DD HH:MM:SS (UTC)");
        if (end.isBefore(start)) throw new PipedriveException(400, "Parameter 'end_time' must not be before 'start_time'");
        if (b.hasNonNull("duration") && !b.get("duration").asText().matches("\\d+")) {
            throw new PipedriveException(400, "Parameter 'duration' must be the duration of the call in seconds");
        }
        if (b.hasNonNull("deal_id") && b.hasNonNull("lead_id")) {
            throw new PipedriveException(400, "A call log can be associated with either a deal or a lead, but not both at once");
        }
        Long person = v1Ref(b, "person_id", "persons", "Person");
        Long deal = v1Ref(b, "deal_id", "deals", "Deal");
        Long org = v1Int(b, "org_id");
        if (org != null && !exists("organizations", org)) throw new PipedriveException(404, "Organization not found");
        Long user = v1Int(b, "user_id");
        if (user != null && !users.containsKey(user)) throw new PipedriveException(403, "You are not allowed to create call logs for other users");
        Long activityId = v1Int(b, "activity_id");
        ObjectNode activity;
        if (activityId != null) {
            ObjectNode a = records.get("activities").get(activityId);
            if (a == null || a.path("is_deleted").asBoolean()) throw new PipedriveException(404, "Activity not found");
            if (!a.path("type").asText().equals("call")) throw new PipedriveException(400, "The activity_id must refer to a call type activity");
            activity = a;
            if (activity.has("person_id")) person = activity.get("person_id").asLong();
            if (activity.has("deal_id")) deal = activity.get("deal_id").asLong();
            if (activity.has("org_id")) org = activity.get("org_id").asLong();
        } else {
            ObjectNode in = Json.object();
            in.put("type", "call");
            in.put("subject", b.hasNonNull("subject") ? b.get("subject").asText() : "Call");
            in.put("done", true);
            in.put("due_date", LocalDate.ofInstant(start, ZoneOffset.UTC).toString());
            in.put("due_time", DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC).format(start));
            long secs = java.time.Duration.between(start, end).toSeconds();
            in.put("duration", String.format("%02d:%02d", Math.min(99, secs / 3600), (secs % 3600) / 60));
            if (person != null) in.put("person_id", person);
            if (deal != null) in.put("deal_id", deal);
            if (org != null) in.put("org_id", org);
            if (user != null) in.put("owner_id", user);
            if (b.hasNonNull("note")) in.put("note", b.get("note").asText());
            activity = records.get("activities").get(create("activities", in).get("id").asLong());
        }
        activity.put("update_time", v2Time(now()));
        String id;
        // drawn again while taken: the seeded random source starts over at every start, and kept call logs hold its ids
        do {
            synchronized (random) {
                id = Long.toHexString(random.nextLong() | Long.MIN_VALUE) + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
            }
        } while (callLogs.containsKey(id));
        ObjectNode log = Json.object();
        log.put("id", id);
        log.put("activity_id", activity.get("id").asLong());
        if (person != null) log.put("person_id", person);
        if (org != null) log.put("org_id", org);
        if (deal != null) log.put("deal_id", deal);
        if (b.hasNonNull("lead_id")) log.put("lead_id", b.get("lead_id").asText());
        log.put("subject", b.hasNonNull("subject") ? b.get("subject").asText() : activity.path("subject").asText("Call"));
        if (b.hasNonNull("duration")) log.put("duration", b.get("duration").asText());
        log.put("outcome", outcome);
        if (b.hasNonNull("from_phone_number")) log.put("from_phone_number", b.get("from_phone_number").asText());
        log.put("to_phone_number", b.get("to_phone_number").asText());
        log.put("has_recording", false);
        log.put("start_time", ISO_MILLIS.format(start));
        log.put("end_time", ISO_MILLIS.format(end));
        log.put("user_id", user != null ? user : tokenUser().id());
        log.put("company_id", 7000001);
        if (b.hasNonNull("note")) log.put("note", b.get("note").asText());
        callLogs.put(id, log);
        return log.deepCopy();
    }

    private Long v1Int(JsonNode b, String f) {
        JsonNode v = b.get(f);
        if (v == null || v.isNull()) return null;
        if (!v.isIntegralNumber()) throw new PipedriveException(400, "Parameter '" + f + "' must be an integer");
        return v.asLong();
    }

    private Long v1Ref(JsonNode b, String f, String type, String what) {
        Long id = v1Int(b, f);
        if (id == null) return null;
        ObjectNode r = records.get(type).get(id);
        if (r == null || r.path("is_deleted").asBoolean()) throw new PipedriveException(404, what + " not found");
        return id;
    }

    private SandboxResponse callLogList(SandboxRequest req) {
        int start = req.param("start") == null ? 0 : (int) parseLongParam("start", req.param("start"));
        int limit = req.param("limit") == null ? 20 : (int) parseLongParam("limit", req.param("limit"));
        if (limit < 1 || limit > 50) throw new PipedriveException(400, "Parameter 'limit' must be between 1 and 50");
        List<ObjectNode> all = new ArrayList<>(callLogs.values());
        ArrayNode data = Json.array();
        for (int i = start; i < Math.min(all.size(), start + limit); i++) data.add(all.get(i).deepCopy());
        ObjectNode o = Json.object();
        o.put("success", true);
        o.set("data", data);
        ObjectNode pg = o.putObject("additional_data").putObject("pagination");
        pg.put("start", start);
        pg.put("limit", limit);
        pg.put("more_items_in_collection", start + limit < all.size());
        return SandboxResponse.json(200, o);
    }

    private ObjectNode createNote(JsonNode b) {
        requireObject(b);
        if (!b.hasNonNull("content") || !b.get("content").isTextual() || b.get("content").asText().isBlank()) {
            throw new PipedriveException(400, "Note content is required");
        }
        List<String> links = List.of("deal_id", "person_id", "org_id", "lead_id", "project_id", "task_id");
        if (links.stream().noneMatch(b::hasNonNull)) {
            throw new PipedriveException(400, "Note must have at least one of the following: deal_id, person_id, org_id, lead_id, project_id or task_id");
        }
        Long person = v1Ref(b, "person_id", "persons", "Person");
        Long deal = v1Ref(b, "deal_id", "deals", "Deal");
        Long org = v1Int(b, "org_id");
        if (org != null && !exists("organizations", org)) throw new PipedriveException(404, "Organization not found");
        Long user = v1Int(b, "user_id");
        if (user != null && !users.containsKey(user)) throw new PipedriveException(400, "User not found");
        User u = user == null ? tokenUser() : users.get(user);
        Instant now = now();
        ObjectNode n = Json.object();
        long id = nextId("notes");
        n.put("id", id);
        n.put("active_flag", true);
        n.put("add_time", b.hasNonNull("add_time") ? V1_TIME.format(dateTime(b, "add_time")) : V1_TIME.format(now));
        n.put("content", b.get("content").asText());
        if (deal != null) {
            n.put("deal_id", deal);
            n.putObject("deal").put("title", records.get("deals").get(deal).path("title").asText());
        }
        if (b.hasNonNull("lead_id")) n.put("lead_id", b.get("lead_id").asText());
        n.put("last_update_user_id", u.id());
        if (org != null) {
            n.put("org_id", org);
            n.putObject("organization").put("name", organizationName(org));
        }
        if (person != null) {
            n.put("person_id", person);
            n.putObject("person").put("name", records.get("persons").get(person).path("name").asText());
        }
        Long project = v1Int(b, "project_id");
        if (project != null) n.put("project_id", project);
        Long task = v1Int(b, "task_id");
        if (task != null) n.put("task_id", task);
        for (String flag : List.of("pinned_to_deal_flag", "pinned_to_organization_flag", "pinned_to_person_flag", "pinned_to_project_flag", "pinned_to_task_flag")) {
            JsonNode v = b.get(flag);
            if (v != null && !v.isNull() && !(v.isNumber() && (v.asInt() == 0 || v.asInt() == 1)) && !v.isBoolean()) {
                throw new PipedriveException(400, "Parameter '" + flag + "' must be 0 or 1");
            }
            n.put(flag, v != null && (v.asInt(0) == 1 || v.asBoolean(false)));
        }
        n.put("update_time", V1_TIME.format(now));
        ObjectNode userNode = n.putObject("user");
        userNode.put("email", u.email());
        userNode.put("icon_url", "");
        userNode.put("is_you", u.id() == tokenUser().id());
        userNode.put("name", u.name());
        n.put("user_id", u.id());
        records.get("notes").put(id, n);
        return n.deepCopy();
    }

    private SandboxResponse noteList(SandboxRequest req) {
        ArrayNode data = Json.array();
        for (ObjectNode n : records.get("notes").values()) {
            if (!n.path("active_flag").asBoolean(true)) continue;
            boolean keep = true;
            for (String f : List.of("person_id", "deal_id", "org_id", "user_id")) {
                String v = req.param(f);
                if (v != null && n.path(f).asLong(-1) != parseLongParam(f, v)) keep = false;
            }
            if (keep) data.add(n.deepCopy());
        }
        ObjectNode o = Json.object();
        o.put("success", true);
        o.set("data", data);
        ObjectNode pg = o.putObject("additional_data").putObject("pagination");
        pg.put("start", 0);
        pg.put("limit", 100);
        pg.put("more_items_in_collection", false);
        return SandboxResponse.json(200, o);
    }

    /** {@code POST /v1/activityTypes}: name and icon_key required; the key_string is made from the name, unique in the company. */
    private ObjectNode createActivityType(JsonNode b) {
        requireObject(b);
        if (!b.path("name").isTextual() || b.get("name").asText().isBlank()) throw new PipedriveException(400, "Parameter 'name' is required");
        if (!b.path("icon_key").isTextual() || !ICON_KEYS.contains(b.get("icon_key").asText())) {
            throw new PipedriveException(400, "Parameter 'icon_key' must be one of " + ICON_KEYS.stream().sorted().toList());
        }
        String color = "FFFFFF";
        if (b.hasNonNull("color")) {
            if (!b.get("color").isTextual() || !b.get("color").asText().matches("[0-9A-Fa-f]{6}")) {
                throw new PipedriveException(400, "Parameter 'color' must be a 6-character HEX color");
            }
            color = b.get("color").asText();
        }
        String name = b.get("name").asText().trim();
        String base = java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        if (base.isEmpty()) base = "activity";
        Set<String> taken = new java.util.HashSet<>();
        records.get("activityTypes").values().forEach(t -> taken.add(t.path("key_string").asText()));
        String key = base;
        for (int n = 2; taken.contains(key); n++) key = base + "_" + n;
        int order = records.get("activityTypes").values().stream().mapToInt(t -> t.path("order_nr").asInt()).max().orElse(0) + 1;
        long id = nextId("activityTypes");
        ObjectNode t = activityType(id, order, name, key, b.get("icon_key").asText(), color, true);
        records.get("activityTypes").put(id, t);
        return t.deepCopy();
    }

    private static ObjectNode userJson(User u) {
        ObjectNode o = Json.object();
        o.put("id", u.id());
        o.put("name", u.name());
        o.put("email", u.email());
        o.put("active_flag", true);
        o.put("is_admin", 1);
        o.put("default_currency", "CHF");
        return o;
    }

    // ---- admin --------------------------------------------------------------------------------

    /** Every record of a type (organizations, persons, deals, activities, notes, callLogs, users). */
    JsonNode dump(String type) {
        ArrayNode a = Json.array();
        switch (type) {
            case "callLogs" -> callLogs.values().forEach(l -> a.add(l.deepCopy()));
            case "users" -> users.values().forEach(u -> a.add(userJson(u)));
            default -> {
                TreeMap<Long, ObjectNode> m = records.get(type);
                if (m == null) return null;
                m.values().forEach(r -> a.add(r.deepCopy()));
            }
        }
        return a;
    }

    static JsonNode body(SandboxRequest req) {
        if (!req.hasBody()) throw PipedriveException.validation("the request body must be a JSON object");
        try {
            return Json.parse(req.body());
        } catch (IOException e) {
            throw new PipedriveException(400, "Malformed JSON in request body", "ERR_MALFORMED_JSON");
        }
    }
}
