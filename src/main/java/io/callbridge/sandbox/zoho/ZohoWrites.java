package io.callbridge.sandbox.zoho;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.zoho.ZohoField.Type;

/**
 * Insert, update and upsert of records, one record at a time: each is checked as Zoho checks it (unknown field API
 * names, data types and lengths, mandatory fields, lookups to existing records, the Calls and Events rules, unique
 * fields) and answers its own {@code SUCCESS} or error; a refused record changes nothing.
 *
 * <p>Checks run in that order and the first failure is the record's answer. Unique values compare without letter
 * case (an e-mail address, a command id); Zoho's exact comparison is not documented.
 *
 * <p>Calls: {@code Call_Duration} ({@code mm:ss}) is required unless the call is {@code Missed} or its
 * {@code Outgoing_Call_Status} is {@code Scheduled}; its absence answers INVALID_DATA on {@code Call_Duration}, as
 * Zoho's Kaizen #38 lists it. {@code Call_Type} cannot change on update, nor can the owner of a completed call.
 */
final class ZohoWrites {

    /** Keys Zoho sets itself; a write that sends them is not refused, they are just not taken. */
    private static final Set<String> SYSTEM_KEYS = Set.of("id", "Created_Time", "Modified_Time", "Created_By", "Modified_By");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,4}):([0-5]\\d)");

    private final ZohoSchema schema;
    private final ZohoStore store;
    private final Clock clock;
    private RecordChanges recordChanges = (module, operation, id) -> { };

    /** Who hears of records inserted, updated and deleted (the org's notification channels). */
    interface RecordChanges {
        /** {@code operation}: {@code insert}, {@code update} or {@code delete}, as Zoho's notifications name them. */
        void changed(ZohoModule module, String operation, String id);
    }

    void onRecordChange(RecordChanges listener) {
        this.recordChanges = listener;
    }

    ZohoWrites(ZohoSchema schema, ZohoStore store, Clock clock) {
        this.schema = schema;
        this.store = store;
        this.clock = clock;
    }

    /** One answer per record, in order. */
    List<ObjectNode> insert(ZohoModule m, JsonNode data) {
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            try {
                out.add(success(insertOne(m, data.get(i), i, false), "record added"));
            } catch (ZohoError e) {
                out.add(e.body());
            }
        }
        return out;
    }

    /** Each record names its {@code id}; {@code pathId} (from {@code PUT /{module}/{id}}) stands in for it. */
    List<ObjectNode> update(ZohoModule m, JsonNode data, String pathId) {
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            try {
                JsonNode in = object(data.get(i), i);
                String id = pathId != null ? pathId : in.path("id").asText(null);
                if (id == null || id.isBlank()) throw ZohoError.mandatory(i, "id");
                ObjectNode existing = store.get(m.apiName(), id);
                if (existing == null) throw ZohoError.invalidId(id);
                out.add(success(updateOne(m, existing, in, i), "record updated"));
            } catch (ZohoError e) {
                out.add(e.body());
            }
        }
        return out;
    }

    /**
     * Deletes each record by id, one answer per id in order: {@code record deleted} with the id, or the id's INVALID_DATA
     * when the module holds no such record. Records that point at it keep their lookup (Zoho clears it: not simulated).
     */
    List<ObjectNode> delete(ZohoModule m, List<String> ids) {
        List<ObjectNode> out = new ArrayList<>();
        for (String id : ids) {
            if (store.remove(m.apiName(), id) == null) {
                out.add(ZohoError.invalidId(id).body());
                continue;
            }
            ObjectNode ok = Json.object().put("code", "SUCCESS");
            ok.putObject("details").put("id", id);
            out.add(ok.put("message", "record deleted").put("status", "success"));
            recordChanges.changed(m, "delete", id);
        }
        return out;
    }

    /**
     * Updates the record an upsert field matches (the first of {@code checkFields} the record has a value for
     * that an existing record shares), else inserts.
     */
    List<ObjectNode> upsert(ZohoModule m, JsonNode data, List<String> checkFields) {
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            try {
                JsonNode in = object(data.get(i), i);
                ObjectNode match = null;
                String matchedOn = null;
                for (String f : checkFields) {
                    JsonNode v = in.get(f);
                    if (v == null || v.isNull() || v.asText().isBlank()) continue;
                    match = findEqual(m, f, v, null);
                    if (match != null) {
                        matchedOn = f;
                        break;
                    }
                }
                ObjectNode r;
                if (match != null) {
                    r = success(updateOne(m, match, in, i), "record updated");
                    r.put("action", "update").put("duplicate_field", matchedOn);
                } else {
                    r = success(insertOne(m, in, i, false), "record added");
                    r.put("action", "insert").putNull("duplicate_field");
                }
                out.add(r);
            } catch (ZohoError e) {
                out.add(e.body());
            }
        }
        return out;
    }

    /**
     * Creates one record or throws the record's error. Seeding may also give {@code id}, {@code $converted} (Leads),
     * {@code Created_Time} and {@code Modified_Time}.
     */
    ObjectNode insertOne(ZohoModule m, JsonNode raw, int index, boolean seeding) {
        JsonNode in = object(raw, index);
        Map<String, JsonNode> values = values(m, in, index);
        for (ZohoField f : m.fields()) {
            if (f.mandatory() && blank(values.get(f.apiName()))) throw ZohoError.mandatory(index, f.apiName());
        }
        ObjectNode merged = Json.object();
        values.forEach(merged::set);
        rules(m, null, merged, index);
        duplicates(m, values, index, null);

        String id = store.nextId();
        String now = schema.format(clock.instant());
        String created = now, modified = now;
        boolean converted = false;
        if (seeding) {
            if (in.has("id")) {
                if (!store.usableId(in.get("id").asText())) throw ZohoError.invalidData(index, "id", "bigint");
                id = in.get("id").asText();
            }
            created = seedTime(in, "Created_Time", index, now);
            modified = seedTime(in, "Modified_Time", index, created);
            converted = in.path("$converted").asBoolean(false);
        }
        ObjectNode r = Json.object();
        r.put("id", id);
        r.set("Owner", schema.defaultUser().minified());
        values.forEach((k, v) -> {
            if (!v.isNull()) r.set(k, v);
        });
        computed(m, r);
        r.put("Created_Time", created);
        r.put("Modified_Time", modified);
        r.set("Created_By", schema.defaultUser().minified());
        r.set("Modified_By", schema.defaultUser().minified());
        if (m.apiName().equals("Leads")) r.put("$converted", converted);
        store.put(m.apiName(), r);
        recordChanges.changed(m, "insert", id);
        return r;
    }

    private ObjectNode updateOne(ZohoModule m, ObjectNode existing, JsonNode in, int index) {
        Map<String, JsonNode> values = values(m, in, index);
        for (Map.Entry<String, JsonNode> e : values.entrySet()) {
            ZohoField f = m.field(e.getKey());
            if (f != null && f.mandatory() && blank(e.getValue())) throw ZohoError.mandatory(index, f.apiName());
        }
        ObjectNode merged = existing.deepCopy();
        values.forEach((k, v) -> {
            if (v.isNull()) merged.remove(k);
            else merged.set(k, v);
        });
        rules(m, existing, merged, index);
        duplicates(m, values, index, existing.get("id").asText());
        values.forEach((k, v) -> {
            if (v.isNull()) existing.remove(k);
            else existing.set(k, v);
        });
        computed(m, existing);
        existing.put("Modified_Time", schema.format(clock.instant()));
        existing.set("Modified_By", schema.defaultUser().minified());
        recordChanges.changed(m, "update", existing.get("id").asText());
        return existing;
    }

    // ---- checks -------------------------------------------------------------------------------

    private static JsonNode object(JsonNode raw, int index) {
        if (raw == null || !raw.isObject()) throw ZohoError.invalidData(index, null, "jsonobject");
        return raw;
    }

    /** The record's values as they are stored (null = cleared), after the per-field checks. */
    private Map<String, JsonNode> values(ZohoModule m, JsonNode in, int index) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        boolean hasWhat = m.field("What_Id") != null;
        for (Iterator<Map.Entry<String, JsonNode>> it = in.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            JsonNode v = e.getValue();
            if (SYSTEM_KEYS.contains(k) || k.equals("$converted")) continue;
            if (k.equals("$se_module") && hasWhat) continue; // read with What_Id
            ZohoField f = m.field(k);
            if (f == null) throw ZohoError.invalidData(index, k, null);
            if (f.type() == Type.READ_ONLY) continue;
            if (v.isNull() || (v.isTextual() && v.asText().isEmpty())) {
                out.put(k, NullNode.getInstance());
                if (f.type() == Type.WHAT) out.put("$se_module", NullNode.getInstance());
                continue;
            }
            out.put(k, value(m, f, v, in, index));
            if (f.type() == Type.WHAT) out.put("$se_module", TextNode.valueOf(in.get("$se_module").asText()));
        }
        return out;
    }

    private JsonNode value(ZohoModule m, ZohoField f, JsonNode v, JsonNode in, int index) {
        String k = f.apiName();
        Type t = f.type();
        if (t.isText()) {
            if (!v.isTextual()) throw ZohoError.invalidData(index, k, t.expected);
            String s = v.asText();
            if (s.length() > t.maxLength) throw ZohoError.tooLong(index, k, t.maxLength);
            if (t == Type.EMAIL && !EMAIL.matcher(s).matches()) throw ZohoError.invalidData(index, k, t.expected);
            if (t == Type.PICKLIST && !f.picklist().isEmpty() && !f.picklist().contains(s)) throw ZohoError.invalidData(index, k, t.expected);
            if (t == Type.DURATION && !DURATION.matcher(s).matches()) throw ZohoError.invalidData(index, k, t.expected);
            return v;
        }
        switch (t) {
            case INTEGER -> {
                if (!v.isIntegralNumber()) throw ZohoError.invalidData(index, k, t.expected);
                return v;
            }
            case DOUBLE -> {
                if (!v.isNumber()) throw ZohoError.invalidData(index, k, t.expected);
                return v;
            }
            case BOOLEAN -> {
                if (!v.isBoolean()) throw ZohoError.invalidData(index, k, t.expected);
                return v;
            }
            case DATETIME -> {
                Instant at = v.isTextual() ? ZohoSchema.parseDateTime(v.asText()) : null;
                if (at == null) throw ZohoError.invalidData(index, k, t.expected);
                return TextNode.valueOf(schema.format(at));
            }
            case DATE -> {
                try {
                    if (!v.isTextual() || !v.asText().matches("\\d{4}-\\d{2}-\\d{2}")) throw ZohoError.invalidData(index, k, t.expected);
                    LocalDate.parse(v.asText());
                    return v;
                } catch (DateTimeParseException e) {
                    throw ZohoError.invalidData(index, k, t.expected);
                }
            }
            case JSON_ARRAY -> {
                if (!v.isArray()) throw ZohoError.invalidData(index, k, t.expected);
                return v;
            }
            case OWNER -> {
                ZohoSchema.User u = schema.user(idOf(v));
                if (u == null) throw ZohoError.invalidData(index, k, t.expected);
                return u.minified();
            }
            case LOOKUP -> {
                String id = idOf(v);
                for (String target : f.targets()) {
                    ObjectNode r = store.get(target, id);
                    if (r != null) return lookup(schema.module(target), r);
                }
                throw ZohoError.invalidData(index, k, t.expected);
            }
            case WHAT -> {
                String se = in.path("$se_module").asText(null);
                if (se == null || !f.targets().contains(se)) throw ZohoError.invalidData(index, "$se_module", "text");
                ObjectNode r = store.get(se, idOf(v));
                if (r == null) throw ZohoError.invalidData(index, k, t.expected);
                return lookup(schema.module(se), r);
            }
            case PARENT -> {
                String module = v.path("module").isObject() ? v.path("module").path("api_name").asText(null) : v.path("module").asText(null);
                if (module == null || !f.targets().contains(module)) throw ZohoError.invalidData(index, k + ".module", "jsonobject");
                ObjectNode r = store.get(module, idOf(v));
                if (r == null) throw ZohoError.invalidData(index, k, t.expected);
                ObjectNode o = lookup(schema.module(module), r);
                o.set("module", schema.module(module).minified());
                return o;
            }
            default -> throw new IllegalStateException("no check for " + t);
        }
    }

    /** A lookup's id: {@code {"id": "…"}} as v8 sends it. */
    private static String idOf(JsonNode v) {
        if (!v.isObject()) return null;
        JsonNode id = v.get("id");
        return id == null || !(id.isTextual() || id.isIntegralNumber()) ? null : id.asText();
    }

    private static ObjectNode lookup(ZohoModule target, ObjectNode r) {
        ObjectNode o = Json.object();
        JsonNode name = r.get(target.nameField());
        o.put("name", name == null ? "" : name.asText());
        o.put("id", r.get("id").asText());
        return o;
    }

    /** Module rules over the record as it would be ({@code merged}); {@code before} is null on insert. */
    private void rules(ZohoModule m, ObjectNode before, ObjectNode merged, int index) {
        if (m.apiName().equals("Calls")) {
            String type = merged.path("Call_Type").asText(null);
            if (before != null && !before.path("Call_Type").asText().equals(type)) throw ZohoError.invalidData(index, "Call_Type", "picklist");
            if (!openCall(merged) && blank(merged.get("Call_Duration"))) throw ZohoError.invalidData(index, "Call_Duration", "text");
            if (before != null && !openCall(before) && !before.path("Owner").path("id").asText().equals(merged.path("Owner").path("id").asText())) {
                throw ZohoError.invalidData(index, "Owner", "ownerlookup");
            }
        }
        if (m.apiName().equals("Events")) {
            Instant start = ZohoSchema.parseDateTime(merged.path("Start_DateTime").asText(null));
            Instant end = ZohoSchema.parseDateTime(merged.path("End_DateTime").asText(null));
            if (start != null && end != null && end.isBefore(start)) throw ZohoError.invalidData(index, "End_DateTime", "datetime");
        }
    }

    /** A call that has not taken place as a conversation: missed, or scheduled. */
    private static boolean openCall(ObjectNode call) {
        return "Missed".equals(call.path("Call_Type").asText()) || "Scheduled".equals(call.path("Outgoing_Call_Status").asText());
    }

    private void duplicates(ZohoModule m, Map<String, JsonNode> values, int index, String selfId) {
        for (ZohoField f : m.fields()) {
            JsonNode v = values.get(f.apiName());
            if (!f.unique() || blank(v)) continue;
            ObjectNode other = findEqual(m, f.apiName(), v, selfId);
            if (other != null) {
                ObjectNode dup = Json.object();
                dup.put("id", other.get("id").asText());
                dup.set("module", m.minified());
                dup.set("Owner", other.get("Owner").deepCopy());
                throw ZohoError.duplicate(index, f.apiName(), dup);
            }
        }
    }

    /** Another record of {@code m} whose {@code field} has this value (text without letter case, numbers by value). */
    ObjectNode findEqual(ZohoModule m, String field, JsonNode value, String exceptId) {
        for (ObjectNode r : store.all(m.apiName())) {
            if (r.get("id").asText().equals(exceptId)) continue;
            JsonNode mine = r.get(field);
            if (mine != null && same(mine, value)) return r;
        }
        return null;
    }

    private static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) return new BigDecimal(a.asText()).compareTo(new BigDecimal(b.asText())) == 0;
        if (a.isValueNode() && b.isValueNode()) return a.asText().equalsIgnoreCase(b.asText());
        return false;
    }

    private static boolean blank(JsonNode v) {
        return v == null || v.isNull() || (v.isTextual() && v.asText().isBlank());
    }

    /** Full_Name of people, the seconds of a call. */
    private static void computed(ZohoModule m, ObjectNode r) {
        if (m.field("Full_Name") != null) {
            String first = r.path("First_Name").asText(""), last = r.path("Last_Name").asText("");
            r.put("Full_Name", (first.isBlank() ? last : first + " " + last).trim());
        }
        if (m.field("Call_Duration_in_seconds") != null) {
            Matcher d = DURATION.matcher(r.path("Call_Duration").asText(""));
            if (d.matches()) r.put("Call_Duration_in_seconds", Integer.parseInt(d.group(1)) * 60 + Integer.parseInt(d.group(2)));
            else r.remove("Call_Duration_in_seconds");
        }
    }

    private String seedTime(JsonNode in, String key, int index, String fallback) {
        if (!in.has(key)) return fallback;
        Instant at = ZohoSchema.parseDateTime(in.get(key).asText(null));
        if (at == null) throw ZohoError.invalidData(index, key, "datetime");
        return schema.format(at);
    }

    private ObjectNode success(ObjectNode r, String message) {
        ObjectNode details = Json.object();
        details.put("Modified_Time", r.get("Modified_Time").asText());
        details.set("Modified_By", r.get("Modified_By").deepCopy());
        details.put("Created_Time", r.get("Created_Time").asText());
        details.put("id", r.get("id").asText());
        details.set("Created_By", r.get("Created_By").deepCopy());
        ObjectNode o = Json.object();
        o.put("code", "SUCCESS");
        o.set("details", details);
        o.put("message", message);
        o.put("status", "success");
        return o;
    }
}
