package io.callbridge.sandbox.salesforce;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.salesforce.SalesforceSchema.Field;
import io.callbridge.sandbox.salesforce.SalesforceSchema.SObject;
import io.callbridge.sandbox.salesforce.SalesforceSchema.Type;

/**
 * The records of one simulated org and Salesforce's validation on create and update. Not thread
 * safe: {@link SalesforceSandbox} serialises access.
 */
final class SalesforceStore {

    static final DateTimeFormatter SF_DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SF_DATETIME_IN = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSS][.SS][.S]xx");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern EMAIL = Pattern.compile("^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$");

    /** Everything that a rollback has to restore; {@code changes}: how many changes were made before it (a rollback publishes none after). */
    record Snapshot(Map<String, ObjectNode> records, Set<String> deleted, long counter, long caseNumber, int changes) { }

    /**
     * A record created, updated or deleted ({@code CREATE}, {@code UPDATE}, {@code DELETE}, as Change Data Capture names them),
     * with the fields whose value it changed (every field set, for a creation; none, for a deletion).
     */
    record Change(String entity, String id, String kind, Map<String, JsonNode> fields, Instant at) { }

    private final SalesforceSchema schema;
    private final Clock clock;
    final String orgId;
    final String userId;
    private Map<String, ObjectNode> records = new LinkedHashMap<>();
    /** Ids by the value of an external id or unique field ({@code prefix|field|value in lower case}): upserts scan nothing. */
    private final Map<String, Set<String>> byValue = new java.util.HashMap<>();
    private Set<String> deleted = new HashSet<>();
    private long counter = 1000;
    private long caseNumber = 1000;
    /** The changes made since {@link #takeChanges}: the request's transaction, published once it is committed. */
    private List<Change> changes = new ArrayList<>();

    SalesforceStore(SalesforceSchema schema, Clock clock) {
        this.schema = schema;
        this.clock = clock;
        this.orgId = SalesforceIds.make("00D", 7);
        this.userId = SalesforceIds.make("005", 1);
        reset();
    }

    void reset() {
        records = new LinkedHashMap<>();
        byValue.clear();
        deleted = new HashSet<>();
        caseNumber = 1000;
        changes = new ArrayList<>();
        ObjectNode user = blank(schema.object("User"));
        user.put("Id", userId);
        user.put("FirstName", "Sandbox");
        user.put("LastName", "Integration");
        user.put("Name", "Sandbox Integration");
        user.put("Email", "integration@callbridge.sandbox");
        user.put("Username", "integration@callbridge.sandbox");
        user.put("IsActive", true);
        stamp(user, now(), true);
        records.put(userId, user);
    }

    Snapshot snapshot() {
        Map<String, ObjectNode> copy = new LinkedHashMap<>();
        records.forEach((k, v) -> copy.put(k, v.deepCopy()));
        return new Snapshot(copy, new HashSet<>(deleted), counter, caseNumber, changes.size());
    }

    void restore(Snapshot s) {
        records = s.records();
        byValue.clear();
        records.values().forEach(r -> index(r, true));
        deleted = s.deleted();
        // ids are never reused, even after a rollback, as in Salesforce
        caseNumber = s.caseNumber();
        changes = new ArrayList<>(changes.subList(0, Math.min(s.changes(), changes.size())));
    }

    /** The records, the deleted ids and both counters, for {@link SalesforceSandbox#snapshot}. */
    ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("counter", counter).put("caseNumber", caseNumber);
        ObjectNode recs = o.putObject("records");
        records.forEach(recs::set);
        deleted.forEach(o.putArray("deleted")::add);
        return o;
    }

    /** Replaces everything with what {@link #toJson} wrote; no change is published for it. */
    void fromJson(JsonNode o) {
        Map<String, ObjectNode> recs = new LinkedHashMap<>();
        o.path("records").fields().forEachRemaining(e -> recs.put(e.getKey(), (ObjectNode) e.getValue().deepCopy()));
        Set<String> gone = new HashSet<>();
        o.path("deleted").forEach(d -> gone.add(d.asText()));
        restore(new Snapshot(recs, gone, counter, o.path("caseNumber").asLong(1000), 0));
        counter = o.path("counter").asLong(counter);
    }

    /** The changes made since the last call, in order; the caller publishes them as committed. */
    List<Change> takeChanges() {
        List<Change> taken = changes;
        changes = new ArrayList<>();
        return taken;
    }

    ObjectNode get(String id) {
        return records.get(id);
    }

    boolean isDeleted(String id) {
        return deleted.contains(id);
    }

    List<ObjectNode> all(SObject type) {
        List<ObjectNode> out = new ArrayList<>();
        for (Map.Entry<String, ObjectNode> e : records.entrySet()) {
            if (SalesforceIds.prefix(e.getKey()).equals(type.keyPrefix())) out.add(e.getValue());
        }
        return out;
    }

    List<ObjectNode> findBy(SObject type, Field field, String value) {
        List<ObjectNode> out = new ArrayList<>();
        if (indexed(field)) {
            for (String id : byValue.getOrDefault(valueKey(type, field, value), Set.of())) {
                out.add(records.get(id));
            }
            return out;
        }
        for (ObjectNode r : all(type)) {
            JsonNode v = r.get(field.name());
            if (v != null && !v.isNull() && v.asText().equalsIgnoreCase(value)) out.add(r);
        }
        return out;
    }

    /** Creates a record; {@code seed} allows Id, CreatedDate and LastModifiedDate and non-createable types. */
    ObjectNode create(SObject type, JsonNode body, String raw, boolean seed) {
        if (!type.createable() && !seed) {
            throw SalesforceException.badRequest("INVALID_TYPE_FOR_OPERATION", "entity type " + type.name() + " does not support insert");
        }
        ObjectNode rec = blank(type);
        Map<String, JsonNode> values = convert(type, body, raw, true, seed);
        String id;
        if (seed && values.containsKey("Id")) {
            id = SalesforceIds.normalize(values.remove("Id").asText());
            if (id == null || !SalesforceIds.prefix(id).equals(type.keyPrefix())) {
                throw SalesforceException.dml("MALFORMED_ID", type.label() + " ID: id value of incorrect type: " + field(body, "Id").asText(), "Id");
            }
            if (records.containsKey(id)) throw SalesforceException.dml("DUPLICATE_VALUE", "duplicate value found: Id duplicates value on record with id: " + id, "Id");
        } else {
            id = SalesforceIds.make(type.keyPrefix(), ++counter);
        }
        for (Field f : type.fields()) {
            if (f.defaultValue() != null) rec.put(f.name(), f.defaultValue());
            if (f.type() == Type.BOOLEAN && f.createable()) rec.put(f.name(), false);
        }
        if (type.field("OwnerId") != null) rec.put("OwnerId", userId);
        values.forEach(rec::set);
        rec.put("Id", id);
        Instant now = now();
        JsonNode created = values.get("CreatedDate");
        stamp(rec, created != null ? parseDateTime(created.asText()) : now, true);
        if (values.containsKey("LastModifiedDate")) {
            rec.set("LastModifiedDate", values.get("LastModifiedDate"));
            rec.set("SystemModstamp", values.get("LastModifiedDate"));
        }
        derive(type, rec, values.keySet(), true);
        checkRequired(type, rec);
        checkUnique(type, rec);
        if (type.name().equals("Case")) rec.put("CaseNumber", String.format("%08d", ++caseNumber));
        records.put(id, rec);
        index(rec, true);
        Map<String, JsonNode> set = new java.util.LinkedHashMap<>();
        rec.fields().forEachRemaining(f -> {
            if (!f.getValue().isNull()) set.put(f.getKey(), f.getValue().deepCopy());
        });
        changes.add(new Change(type.name(), id, "CREATE", set, now()));
        return rec;
    }

    ObjectNode update(SObject type, String id, JsonNode body, String raw) {
        ObjectNode existing = records.get(id);
        if (existing == null) {
            throw deleted.contains(id) ? new SalesforceException(404, SalesforceError.dml("ENTITY_IS_DELETED", "entity is deleted"))
                    : SalesforceException.notFound();
        }
        JsonNode given = body == null ? null : field(body, "Id");
        if (given != null && !id.equals(SalesforceIds.normalize(given.asText()))) {
            throw SalesforceException.dml("INVALID_ID_FIELD", "The Id field should not be specified in the sobject data.", "Id");
        }
        ObjectNode copy = body != null && body.isObject() ? ((ObjectNode) body).deepCopy() : null;
        if (copy != null) removeField(copy, "Id");
        Map<String, JsonNode> values = convert(type, copy == null ? body : copy, raw, false, false);
        ObjectNode rec = existing.deepCopy();
        values.forEach(rec::set);
        derive(type, rec, values.keySet(), false);
        checkRequired(type, rec);
        checkUnique(type, rec);
        stamp(rec, now(), false);
        index(existing, false);
        records.put(id, rec);
        index(rec, true);
        Map<String, JsonNode> changed = new java.util.LinkedHashMap<>();
        rec.fields().forEachRemaining(f -> {
            if (!f.getValue().equals(existing.path(f.getKey()))) changed.put(f.getKey(), f.getValue().deepCopy());
        });
        changes.add(new Change(type.name(), id, "UPDATE", changed, now()));
        return rec;
    }

    void delete(String id) {
        ObjectNode removed = records.remove(id);
        if (removed != null) {
            index(removed, false);
        }
        if (removed == null) {
            throw deleted.contains(id) ? new SalesforceException(404, SalesforceError.dml("ENTITY_IS_DELETED", "entity is deleted"))
                    : SalesforceException.notFound();
        }
        deleted.add(id);
        changes.add(new Change(schema.byKeyPrefix(SalesforceIds.prefix(id)).name(), id, "DELETE", Map.of(), now()));
    }

    /**
     * The value of field {@code name} in a record body, its key in any letter case ({@code Id}, {@code id}, {@code ID}):
     * Salesforce's field names are case-insensitive. Null when absent.
     */
    static JsonNode field(JsonNode body, String name) {
        if (body == null || !body.isObject()) return null;
        JsonNode exact = body.get(name);
        if (exact != null) return exact;
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equalsIgnoreCase(name)) return e.getValue();
        }
        return null;
    }

    /** Removes field {@code name} from a record body, whatever the letter case of its key. */
    static void removeField(ObjectNode body, String name) {
        List<String> keys = new ArrayList<>();
        body.fieldNames().forEachRemaining(k -> { if (k.equalsIgnoreCase(name)) keys.add(k); });
        body.remove(keys);
    }

    // ---- validation ---------------------------------------------------------------------------

    private Map<String, JsonNode> convert(SObject type, JsonNode body, String raw, boolean create, boolean seed) {
        if (body == null || !body.isObject()) {
            throw SalesforceException.badRequest("JSON_PARSER_ERROR", "Cannot deserialize instance of " + type.name()
                    + " from " + (body == null ? "no content" : body.getNodeType().name()) + " or request may be missing a required field at [line:1, column:1]");
        }
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("attributes")) continue;
            Field f = type.field(e.getKey());
            if (f == null) {
                throw SalesforceException.badRequest("INVALID_FIELD", "No such column '" + e.getKey() + "' on sobject of type " + type.name());
            }
            boolean seedable = seed && (f.name().equals("Id") || f.name().equals("CreatedDate") || f.name().equals("LastModifiedDate"));
            if (f.name().equals("Id") && create && !seed) {
                throw SalesforceException.dml("INVALID_FIELD_FOR_INSERT_UPDATE", "Record ID: cannot specify Id in an insert call", "Id");
            }
            if (!seedable && !(seed && !type.createable()) && (create ? !f.createable() : !f.updateable())) {
                throw SalesforceException.dml("INVALID_FIELD_FOR_INSERT_UPDATE", "Unable to create/update fields: " + f.name()
                        + ". Please check the security settings of this field and verify that it is read/write for your profile or permission set.", f.name());
            }
            if (out.containsKey(f.name())) {
                // one field under two spellings ({"LastName": …, "lastname": …}): which one Salesforce keeps is not documented
                throw SalesforceException.badRequest("JSON_PARSER_ERROR", "Duplicate field " + f.name() + " (as " + e.getKey() + ") in the record");
            }
            out.put(f.name(), value(type, f, e.getValue(), raw));
        }
        return out;
    }

    private JsonNode value(SObject type, Field f, JsonNode v, String raw) {
        JsonNodeFactory nf = JsonNodeFactory.instance;
        if (v == null || v.isNull()) {
            if (f.required()) throw requiredMissing(List.of(f.name()));
            return NullNode.getInstance();
        }
        if (v.isContainerNode()) throw parserError(f, v.isObject() ? "START_OBJECT" : "START_ARRAY", v.isObject() ? "{" : "[", raw);
        String text = v.asText();
        switch (f.type()) {
            case BOOLEAN -> {
                if (v.isBoolean()) return v;
                if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) return nf.booleanNode(Boolean.parseBoolean(text.toLowerCase(Locale.ROOT)));
                throw parserError(f, "boolean", text, raw);
            }
            case INT, DOUBLE, CURRENCY, PERCENT -> {
                try {
                    BigDecimal d = new BigDecimal(text.trim());
                    if (f.type() == Type.INT) {
                        try {
                            return nf.numberNode(d.intValueExact());
                        } catch (ArithmeticException e) {
                            throw parserError(f, "int", text, raw);
                        }
                    }
                    return nf.numberNode(d.doubleValue());
                } catch (NumberFormatException e) {
                    throw parserError(f, f.type() == Type.INT ? "int" : "double", text, raw);
                }
            }
            case DATE -> {
                if (!DATE.matcher(text).matches()) throw parserError(f, "date", text, raw);
                try {
                    LocalDate.parse(text);
                } catch (DateTimeParseException e) {
                    throw parserError(f, "date", text, raw);
                }
                return nf.textNode(text);
            }
            case DATETIME -> {
                Instant i = parseDateTime(text);
                if (i == null) throw parserError(f, "datetime", text, raw);
                return nf.textNode(SF_DATETIME.format(i));
            }
            case REFERENCE -> {
                String id = SalesforceIds.normalize(text);
                if (id == null) {
                    throw SalesforceException.dml("MALFORMED_ID", f.label() + ": id value of incorrect type: " + text, f.name());
                }
                SObject target = schema.byKeyPrefix(SalesforceIds.prefix(id));
                if (target == null || f.referenceTo().stream().noneMatch(t -> t.equals(target.name()))) {
                    throw SalesforceException.dml("FIELD_INTEGRITY_EXCEPTION", f.label() + ": id value of incorrect type: " + text, f.name());
                }
                if (!records.containsKey(id)) {
                    if (deleted.contains(id)) throw SalesforceException.dml("ENTITY_IS_DELETED", "entity is deleted", f.name());
                    throw SalesforceException.dml("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", f.name());
                }
                return nf.textNode(id);
            }
            default -> {
                if (f.restricted() && !f.picklist().contains(text)) {
                    throw SalesforceException.dml("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                            f.label() + ": bad value for restricted picklist field: " + text, f.name());
                }
                if (f.type() == Type.EMAIL && !text.isEmpty() && !EMAIL.matcher(text).matches()) {
                    throw SalesforceException.dml("INVALID_EMAIL_ADDRESS", f.label() + ": invalid email address: " + text, f.name());
                }
                if (f.length() > 0 && text.length() > f.length()) {
                    throw SalesforceException.dml("STRING_TOO_LONG", f.label() + ": data value too large: "
                            + (text.length() > 80 ? text.substring(0, 80) + "..." : text) + " (max length=" + f.length() + ")", f.name());
                }
                return text.isEmpty() ? NullNode.getInstance() : nf.textNode(text);
            }
        }
    }

    private void derive(SObject type, ObjectNode rec, Set<String> changed, boolean create) {
        switch (type.name()) {
            case "Contact", "Lead", "User" -> {
                String first = text(rec, "FirstName"), last = text(rec, "LastName");
                rec.put("Name", ((first == null ? "" : first + " ") + (last == null ? "" : last)).trim());
            }
            case "Opportunity" -> {
                String stage = text(rec, "StageName");
                rec.put("IsClosed", "Closed Won".equals(stage) || "Closed Lost".equals(stage));
                rec.put("IsWon", "Closed Won".equals(stage));
            }
            case "Case" -> {
                boolean closed = "Closed".equals(text(rec, "Status"));
                if (closed && !rec.path("IsClosed").asBoolean()) rec.put("ClosedDate", SF_DATETIME.format(now()));
                if (!closed) rec.putNull("ClosedDate");
                rec.put("IsClosed", closed);
            }
            case "Task" -> rec.put("IsClosed", "Completed".equals(text(rec, "Status")));
            case "Event" -> deriveEvent(rec, changed, create);
            default -> { }
        }
    }

    private void deriveEvent(ObjectNode rec, Set<String> changed, boolean create) {
        if (rec.path("IsAllDayEvent").asBoolean()) {
            if (text(rec, "ActivityDate") == null) throw requiredMissing(List.of("ActivityDate"));
            rec.put("DurationInMinutes", 1440);
            return;
        }
        String start = changed.contains("StartDateTime") ? text(rec, "StartDateTime")
                : changed.contains("ActivityDateTime") ? text(rec, "ActivityDateTime")
                : text(rec, "ActivityDateTime") != null ? text(rec, "ActivityDateTime") : text(rec, "StartDateTime");
        if (start == null) throw requiredMissing(List.of("ActivityDateTime"));
        Instant s = parseDateTime(start);
        Long duration = rec.hasNonNull("DurationInMinutes") ? rec.get("DurationInMinutes").asLong() : null;
        String endText = text(rec, "EndDateTime");
        if (changed.contains("EndDateTime") && endText != null) {
            Instant e = parseDateTime(endText);
            if (e.isBefore(s)) throw SalesforceException.dml("FIELD_INTEGRITY_EXCEPTION", "End Date Time: The end date/time can't be before the start date/time.", "EndDateTime");
            long d = (e.toEpochMilli() - s.toEpochMilli()) / 60000;
            if (changed.contains("DurationInMinutes") && duration != null && duration != d) {
                throw SalesforceException.dml("FIELD_INTEGRITY_EXCEPTION", "Duration: Event duration doesn't match the start and end date/time.", "DurationInMinutes");
            }
            duration = d;
        } else if (duration == null && endText != null) {
            duration = (parseDateTime(endText).toEpochMilli() - s.toEpochMilli()) / 60000;
        }
        if (duration == null) throw requiredMissing(List.of("DurationInMinutes"));
        if (duration < 0) throw SalesforceException.dml("FIELD_INTEGRITY_EXCEPTION", "Duration: value outside of valid range on numeric field: " + duration, "DurationInMinutes");
        String normStart = SF_DATETIME.format(s);
        rec.put("ActivityDateTime", normStart);
        rec.put("StartDateTime", normStart);
        rec.put("DurationInMinutes", duration);
        rec.put("EndDateTime", SF_DATETIME.format(s.plusSeconds(duration * 60)));
        rec.put("ActivityDate", normStart.substring(0, 10));
    }

    private void checkRequired(SObject type, ObjectNode rec) {
        List<String> missing = new ArrayList<>();
        for (Field f : type.fields()) {
            if (f.required() && (!rec.hasNonNull(f.name()) || rec.get(f.name()).asText().isEmpty())) missing.add(f.name());
        }
        if (!missing.isEmpty()) throw requiredMissing(missing);
    }

    private static boolean indexed(Field f) {
        return f.externalId() || f.unique();
    }

    private static String valueKey(SObject type, Field f, String value) {
        return type.keyPrefix() + "|" + f.name() + "|" + value.toLowerCase(java.util.Locale.ROOT);
    }

    private void index(ObjectNode rec, boolean add) {
        String id = rec.path("Id").asText("");
        SObject type = id.length() < 3 ? null : schema.objects().stream()
                .filter(t -> t.keyPrefix().equals(SalesforceIds.prefix(id))).findFirst().orElse(null);
        if (type == null) {
            return;
        }
        for (Field f : type.fields()) {
            if (!indexed(f) || !rec.hasNonNull(f.name())) continue;
            String key = valueKey(type, f, rec.get(f.name()).asText());
            if (add) {
                byValue.computeIfAbsent(key, k -> new java.util.LinkedHashSet<>()).add(id);
            } else {
                Set<String> ids = byValue.get(key);
                if (ids != null && ids.remove(id) && ids.isEmpty()) {
                    byValue.remove(key);
                }
            }
        }
    }

    private void checkUnique(SObject type, ObjectNode rec) {
        for (Field f : type.fields()) {
            if (!f.unique() || !f.custom() || !rec.hasNonNull(f.name())) continue;
            for (ObjectNode other : findBy(type, f, rec.get(f.name()).asText())) {
                if (!other.get("Id").asText().equals(rec.get("Id").asText())) {
                    throw SalesforceException.dml("DUPLICATE_VALUE", "duplicate value found: " + f.name()
                            + " duplicates value on record with id: " + other.get("Id").asText());
                }
            }
        }
    }

    private static SalesforceException requiredMissing(List<String> fields) {
        return SalesforceException.dml("REQUIRED_FIELD_MISSING", "Required fields are missing: " + fields.toString().replace(", ", ","),
                fields.toArray(String[]::new));
    }

    private static SalesforceException parserError(Field f, String type, String value, String raw) {
        int line = 1, column = 1;
        if (raw != null) {
            int idx = raw.indexOf(value);
            if (idx >= 0) {
                int end = idx + value.length() + 1;
                for (int i = 0; i < Math.min(end, raw.length()); i++) {
                    if (raw.charAt(i) == '\n') {
                        line++;
                        column = 1;
                    } else {
                        column++;
                    }
                }
            }
        }
        return SalesforceException.badRequest("JSON_PARSER_ERROR", "Cannot deserialize instance of " + type + " from "
                + (value.equals("{") ? "START_OBJECT" : value.equals("[") ? "START_ARRAY" : "VALUE_STRING") + " value " + value
                + " or request may be missing a required field at [line:" + line + ", column:" + column + "]");
    }

    // ---- helpers ------------------------------------------------------------------------------

    static Instant parseDateTime(String text) {
        if (text == null) return null;
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text, SF_DATETIME_IN).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    private Instant now() {
        return clock.instant();
    }

    private void stamp(ObjectNode rec, Instant at, boolean create) {
        String t = SF_DATETIME.format(at);
        if (create) {
            rec.put("CreatedDate", t);
            rec.put("CreatedById", userId);
            rec.put("IsDeleted", false);
        }
        rec.put("LastModifiedDate", t);
        rec.put("LastModifiedById", userId);
        rec.put("SystemModstamp", t);
    }

    private static ObjectNode blank(SObject type) {
        ObjectNode rec = Json.object();
        for (Field f : type.fields()) rec.putNull(f.name());
        return rec;
    }

    /** Adds a newly declared field (null) to existing records of {@code type}. */
    void fieldAdded(SObject type, Field f) {
        for (ObjectNode r : all(type)) {
            if (!r.has(f.name())) r.putNull(f.name());
        }
    }

    private static String text(ObjectNode rec, String field) {
        JsonNode v = rec.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
