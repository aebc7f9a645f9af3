package io.callbridge.sandbox.hubspot;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.hubspot.HubSpotSchema.AssociationType;
import io.callbridge.sandbox.hubspot.HubSpotSchema.ObjectType;
import io.callbridge.sandbox.hubspot.HubSpotSchema.Property;

/** The portal's records, their associations and owners, with HubSpot's property validation. */
final class HubSpotStore {

    static final class Rec {
        final ObjectType type;
        final long id;
        final Map<String, String> props = new LinkedHashMap<>();
        Instant createdAt;
        Instant updatedAt;
        Instant archivedAt;

        Rec(ObjectType type, long id) {
            this.type = type;
            this.id = id;
        }

        String get(String property) {
            return props.get(property);
        }

        boolean archived() {
            return archivedAt != null;
        }
    }

    record Assoc(String fromType, long fromId, String toType, long toId, int typeId) { }

    /** A team an owner belongs to. */
    record Team(String id, String name, boolean primary) { }

    /** An owner; an archived one is a deactivated user's, listed only with {@code archived=true}. */
    record Owner(String id, String email, String firstName, String lastName, long userId, boolean archived, List<Team> teams) {
        Owner {
            teams = teams == null ? List.of() : List.copyOf(teams);
        }

        Owner(String id, String email, String firstName, String lastName, long userId) {
            this(id, email, firstName, lastName, userId, false, List.of());
        }
    }

    static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private static final long FIRST_ID = 51001;

    private final HubSpotSchema schema;
    private final Clock clock;
    private final String defaultRegion;
    private final Map<String, TreeMap<Long, Rec>> records = new LinkedHashMap<>();
    private ContactChanges contactChanges = (id, type, property, value) -> { };
    private final Set<Assoc> associations = new LinkedHashSet<>();
    /** The same associations by their "from" record: listing thousands of records must not scan them all per record. */
    private final Map<String, List<Assoc>> associationsByFrom = new HashMap<>();
    /** Live records by unique property value ({@code type|property|value in lower case}): no create scans them all. */
    private final Map<String, Rec> uniqueValues = new HashMap<>();
    private final Map<String, Owner> owners = new LinkedHashMap<>();
    private final List<Owner> configuredOwners;
    private long nextId = FIRST_ID;

    HubSpotStore(HubSpotSchema schema, Clock clock, String defaultRegion, List<Owner> configuredOwners) {
        this.schema = schema;
        this.clock = clock;
        this.defaultRegion = defaultRegion;
        this.configuredOwners = List.copyOf(configuredOwners);
        reset();
    }

    void reset() {
        records.clear();
        uniqueValues.clear();
        for (ObjectType t : HubSpotSchema.TYPES) records.put(t.name(), new TreeMap<>());
        associations.clear();
        associationsByFrom.clear();
        owners.clear();
        configuredOwners.forEach(o -> owners.put(o.id(), o));
        nextId = FIRST_ID;
    }

    // ---- owners -------------------------------------------------------------------------------

    Owner addOwner(Owner o) {
        owners.put(o.id(), o);
        return o;
    }

    java.util.Collection<Owner> owners() {
        return owners.values();
    }

    Owner owner(String id) {
        return owners.get(id);
    }

    /** An owner as the seed and the snapshot write it: {@code {id, email, firstName, lastName, userId, archived, teams}}. */
    static Owner ownerFromJson(JsonNode n, long defaultUserId) {
        List<Team> teams = new ArrayList<>();
        for (JsonNode t : n.path("teams")) teams.add(new Team(t.path("id").asText(), t.path("name").asText(""), t.path("primary").asBoolean(false)));
        return new Owner(n.get("id").asText(), n.path("email").isNull() ? null : n.path("email").asText(null),
                n.path("firstName").asText(""), n.path("lastName").asText(""), n.path("userId").asLong(defaultUserId),
                n.path("archived").asBoolean(false), teams);
    }

    // ---- records ------------------------------------------------------------------------------

    Rec get(ObjectType t, String id, String idProperty, boolean archived) {
        if (idProperty != null && !idProperty.equals("hs_object_id")) {
            Property p = schema.property(t, idProperty);
            if (p == null) throw HubSpotException.validation("Property \"" + idProperty + "\" does not exist");
            if (!p.unique()) throw HubSpotException.validation(idProperty + " is not a unique identifier property");
            if (!archived) {
                return uniqueValues.get(uniqueKey(t, idProperty, id));
            }
            for (Rec r : records.get(t.name()).values()) {
                if (r.archived() == archived && id.equalsIgnoreCase(r.get(idProperty) == null ? "" : r.get(idProperty))) return r;
            }
            return null;
        }
        long n;
        try {
            n = Long.parseLong(id);
        } catch (NumberFormatException e) {
            return null;
        }
        Rec r = records.get(t.name()).get(n);
        return r == null || r.archived() != archived ? null : r;
    }

    List<Rec> all(ObjectType t, boolean archived) {
        List<Rec> out = new ArrayList<>();
        for (Rec r : records.get(t.name()).values()) if (r.archived() == archived) out.add(r);
        return out;
    }

    Rec find(String typeName, long id) {
        Rec r = records.get(typeName).get(id);
        return r == null || r.archived() ? null : r;
    }

    /** Validates and creates; the caller has checked associations. */
    Rec create(ObjectType t, Map<String, String> values) {
        checkUnique(t, values, null);
        Rec r = new Rec(t, nextId++);
        Instant now = now();
        r.createdAt = now;
        r.updatedAt = now;
        r.props.putAll(values);
        if (t.name().equals("deals")) r.props.putIfAbsent("pipeline", "default");
        if (t.name().equals("tickets")) r.props.putIfAbsent("hs_pipeline", "0");
        system(r);
        records.get(t.name()).put(r.id, r);
        indexUnique(r, true);
        contactChanged(r, "contact.creation", null, null);
        return r;
    }

    void update(Rec r, Map<String, String> values) {
        checkUnique(r.type, values, r);
        indexUnique(r, false);
        Map<String, String> changed = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (!java.util.Objects.equals(r.props.get(k), v)) changed.put(k, v);
            if (v == null) r.props.remove(k);
            else r.props.put(k, v);
        });
        r.updatedAt = now();
        system(r);
        indexUnique(r, true);
        changed.forEach((k, v) -> contactChanged(r, "contact.propertyChange", k, v));
    }

    /** Who hears of contact changes (the portal's webhook subscriptions). */
    interface ContactChanges {
        /** {@code property} and {@code value} only for {@code contact.propertyChange}. */
        void changed(long objectId, String subscriptionType, String property, String value);
    }

    void onContactChange(ContactChanges listener) {
        this.contactChanges = listener;
    }

    private void contactChanged(Rec r, String subscriptionType, String property, String value) {
        if (r.type.name().equals("contacts")) contactChanges.changed(r.id, subscriptionType, property, value);
    }

    void archive(Rec r) {
        hide(r);
        contactChanged(r, "contact.deletion", null, null);
    }

    private void hide(Rec r) {
        indexUnique(r, false);
        r.archivedAt = now();
        r.updatedAt = r.archivedAt;
        associations.removeIf(a -> (a.fromType().equals(r.type.name()) && a.fromId() == r.id)
                || (a.toType().equals(r.type.name()) && a.toId() == r.id));
        reindexAssociations();
    }

    /** GDPR delete: archived, then dropped, so that no listing (archived included) and no id finds it again. */
    void purge(Rec r) {
        if (!r.archived()) hide(r);
        records.get(r.type.name()).remove(r.id);
        contactChanged(r, "contact.privacyDeletion", null, null);
    }

    private void system(Rec r) {
        String ts = ISO_MILLIS.format(r.createdAt);
        r.props.put("hs_object_id", Long.toString(r.id));
        r.props.put(r.type.createdProperty(), ts);
        r.props.put("createdate", ts);
        r.props.put(r.type.modifiedProperty(), ISO_MILLIS.format(r.updatedAt));
        if (r.type.name().equals("contacts")) {
            calculatePhone(r, "phone", "hs_searchable_calculated_phone_number", "hs_calculated_phone_number");
            calculatePhone(r, "mobilephone", "hs_searchable_calculated_mobile_number", "hs_calculated_mobile_number");
        }
    }

    private void calculatePhone(Rec r, String source, String searchable, String e164) {
        String raw = r.get(source);
        if (raw == null || raw.isBlank()) {
            r.props.remove(searchable);
            r.props.remove(e164);
            return;
        }
        try {
            PhoneNumber n = PHONES.parse(raw, defaultRegion);
            r.props.put(searchable, PHONES.getNationalSignificantNumber(n));
            r.props.put(e164, PHONES.format(n, PhoneNumberUtil.PhoneNumberFormat.E164));
        } catch (NumberParseException e) {
            String digits = raw.replaceAll("\\D", "");
            if (digits.isEmpty()) r.props.remove(searchable);
            else r.props.put(searchable, digits);
            r.props.remove(e164);
        }
    }

    /** HubSpot's {@code hs_searchable_calculated_*} value for a number as typed. */
    String searchableNumber(String raw) {
        try {
            return PHONES.getNationalSignificantNumber(PHONES.parse(raw, defaultRegion));
        } catch (NumberParseException e) {
            return raw.replaceAll("\\D", "");
        }
    }

    private void checkUnique(ObjectType t, Map<String, String> values, Rec self) {
        for (Map.Entry<String, String> e : values.entrySet()) {
            Property p = schema.property(t, e.getKey());
            if (p == null || !p.unique() || e.getValue() == null || p.readOnly()) continue;
            Rec other = uniqueValues.get(uniqueKey(t, e.getKey(), e.getValue()));
            if (other != null && other != self) {
                String what = Character.toUpperCase(t.singular().charAt(0)) + t.singular().substring(1);
                throw new HubSpotException(409, "CONFLICT", what + " already exists. Existing ID: " + other.id);
            }
        }
    }

    /** Adds (or removes) a live record's unique property values to (from) the index. */
    private void indexUnique(Rec r, boolean add) {
        for (Map.Entry<String, String> e : r.props.entrySet()) {
            Property p = schema.property(r.type, e.getKey());
            if (p == null || !p.unique() || e.getValue() == null) continue;
            String key = uniqueKey(r.type, e.getKey(), e.getValue());
            if (add) {
                uniqueValues.putIfAbsent(key, r);
            } else {
                uniqueValues.remove(key, r);
            }
        }
    }

    private static String uniqueKey(ObjectType t, String property, String value) {
        return t.name() + "|" + property + "|" + value.toLowerCase(java.util.Locale.ROOT);
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    // ---- property validation ------------------------------------------------------------------

    /**
     * Checks {@code properties} of a create or update as HubSpot does and answers the stored values
     * (strings; null clears). Refuses unknown properties, read-only ones, invalid options, owners, emails,
     * numbers and dates, and a missing {@code hs_timestamp} on engagements (create).
     */
    Map<String, String> validate(ObjectType t, JsonNode properties, boolean create) {
        Map<String, String> out = new LinkedHashMap<>();
        ArrayNode problems = Json.array();
        if (properties != null && !properties.isNull() && !properties.isObject()) {
            throw HubSpotException.validation("Invalid input JSON on line 1: properties must be an object");
        }
        if (properties != null && properties.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String name = e.getKey();
                JsonNode v = e.getValue();
                Property p = schema.property(t, name);
                if (p == null) {
                    problems.add(problem(name, "PROPERTY_DOESNT_EXIST", "Property \"" + name + "\" does not exist"));
                    continue;
                }
                if (p.readOnly()) {
                    if (name.equals("hs_object_id") || p.calculated() || !create) {
                        problems.add(problem(name, "READ_ONLY_VALUE", "\"" + name + "\" is a read only property; its value cannot be set."));
                    }
                    continue;
                }
                String text = v == null || v.isNull() ? null : v.isValueNode() ? v.asText() : v.toString();
                if (text == null || text.isEmpty()) {
                    out.put(name, null);
                    continue;
                }
                String problem = checkValue(p, text);
                if (problem != null) {
                    problems.add(problem(name, problem, message(p, text, problem)));
                    continue;
                }
                out.put(name, normalise(p, text));
            }
        }
        if (!problems.isEmpty()) throw propertyErrors(problems);
        List<String> missing = new ArrayList<>();
        if (create && t.engagement() && out.get("hs_timestamp") == null) missing.add("hs_timestamp");
        if (create && t.name().equals("tickets") && out.get("hs_pipeline_stage") == null) missing.add("hs_pipeline_stage");
        if (!missing.isEmpty()) {
            // HubSpot: {"message":"Error creating TASK. Some required properties were not set.","context":{"properties":[...]}}
            ObjectNode context = Json.object();
            ArrayNode names = context.putArray("properties");
            missing.forEach(names::add);
            throw new HubSpotException(400, "VALIDATION_ERROR", "Error creating " + t.singular().toUpperCase(Locale.ROOT)
                    + ". Some required properties were not set.", null, context, null);
        }
        return out;
    }

    private String checkValue(Property p, String text) {
        if (p.name().equals("hubspot_owner_id")) {
            Owner o = owners.get(text);
            return o != null && !o.archived() ? null : "INVALID_OWNER_ID";
        }
        switch (p.type()) {
            case "enumeration" -> {
                if (p.options().contains(text)) return null;
                return "INVALID_OPTION";
            }
            case "number" -> {
                try {
                    new BigDecimal(text.trim());
                    return text.equals(text.trim()) ? null : "INVALID_DECIMAL";
                } catch (NumberFormatException e) {
                    return "INVALID_DECIMAL";
                }
            }
            case "datetime", "date" -> {
                return parseInstant(text) == null ? "INVALID_DATE" : null;
            }
            case "bool" -> {
                return text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false") ? null : "INVALID_BOOLEAN";
            }
            default -> {
                if (p.name().equals("email") && !text.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) return "INVALID_EMAIL";
                return null;
            }
        }
    }

    private static String message(Property p, String text, String code) {
        return switch (code) {
            case "INVALID_OPTION" -> text + " was not one of the allowed options: " + p.options().stream()
                    .map(o -> "[label: \"" + o + "\"\nvalue: \"" + o + "\"\n]").toList();
            case "INVALID_OWNER_ID" -> text + " is not a valid owner id";
            case "INVALID_EMAIL" -> "Email address " + text + " is invalid";
            case "INVALID_DATE" -> text + " is not a valid date or datetime (ISO 8601 or milliseconds since the epoch)";
            case "INVALID_BOOLEAN" -> text + " is not a valid boolean (true or false)";
            default -> text + " is not a valid number";
        };
    }

    private static String normalise(Property p, String text) {
        return switch (p.type()) {
            case "datetime" -> ISO_MILLIS.format(parseInstant(text));
            case "date" -> LocalDate.ofInstant(parseInstant(text), ZoneOffset.UTC).toString();
            case "bool" -> text.toLowerCase(Locale.ROOT);
            case "number" -> text.trim();
            default -> text;
        };
    }

    /** Milliseconds since the epoch, ISO 8601 instant/offset date-time, or a date (midnight UTC). */
    static Instant parseInstant(String text) {
        String s = text.trim();
        if (s.matches("-?\\d{1,15}")) return Instant.ofEpochMilli(Long.parseLong(s));
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            // next form
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            // next form
        }
        try {
            return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static ObjectNode problem(String name, String code, String message) {
        ObjectNode o = Json.object();
        o.put("isValid", false);
        o.put("message", message);
        o.put("error", code);
        o.put("name", name);
        o.put("localizedErrorMessage", message);
        return o;
    }

    /** HubSpot's answer for invalid properties: the problems as JSON inside the message, and as {@code errors}. */
    static HubSpotException propertyErrors(ArrayNode problems) {
        ArrayNode errors = Json.array();
        for (JsonNode p : problems) {
            ObjectNode e = errors.addObject();
            e.put("message", p.get("message").asText());
            e.put("code", p.get("error").asText());
            e.putObject("context").putArray("propertyName").add(p.get("name").asText());
        }
        return new HubSpotException(400, "VALIDATION_ERROR", "Property values were not valid: " + problems, errors, null, null);
    }

    // ---- associations -------------------------------------------------------------------------

    /** Adds an association and its reverse. */
    void associate(Rec from, Rec to, AssociationType type) {
        index(new Assoc(from.type.name(), from.id, to.type.name(), to.id, type.id()));
        index(new Assoc(to.type.name(), to.id, from.type.name(), from.id, type.reverseId()));
    }

    private void index(Assoc a) {
        if (associations.add(a)) {
            associationsByFrom.computeIfAbsent(a.fromType() + "#" + a.fromId(), k -> new ArrayList<>()).add(a);
        }
    }

    private void reindexAssociations() {
        associationsByFrom.clear();
        List<Assoc> all = new ArrayList<>(associations);
        associations.clear();
        all.forEach(this::index);
    }

    /** The default association, plus the primary one where HubSpot has it and none exists yet. */
    List<AssociationType> associateDefault(Rec from, Rec to) {
        List<AssociationType> made = new ArrayList<>();
        AssociationType d = HubSpotSchema.defaultAssociation(from.type.name(), to.type.name());
        associate(from, to, d);
        made.add(d);
        AssociationType primary = HubSpotSchema.primaryAssociation(from.type.name(), to.type.name());
        if (primary != null && associationsOf(from, to.type.name()).stream().noneMatch(a -> a.typeId() == primary.id())) {
            associate(from, to, primary);
            made.add(primary);
        }
        return made;
    }

    void dissociate(Rec from, Rec to) {
        associations.removeIf(a -> (a.fromType().equals(from.type.name()) && a.fromId() == from.id && a.toType().equals(to.type.name()) && a.toId() == to.id)
                || (a.fromType().equals(to.type.name()) && a.fromId() == to.id && a.toType().equals(from.type.name()) && a.toId() == from.id));
        reindexAssociations();
    }

    List<Assoc> associationsOf(Rec from, String toType) {
        List<Assoc> out = new ArrayList<>();
        for (Assoc a : associationsByFrom.getOrDefault(from.type.name() + "#" + from.id, List.of())) {
            if (a.toType().equals(toType)) out.add(a);
        }
        return out;
    }

    Set<Assoc> allAssociations() {
        return associations;
    }

    /** For a test's or seed's convenience: the snapshot restore of a failed batch. */
    record Snapshot(Map<String, TreeMap<Long, Rec>> records, Set<Assoc> associations, long nextId) { }

    Snapshot snapshot() {
        Map<String, TreeMap<Long, Rec>> copy = new LinkedHashMap<>();
        records.forEach((k, v) -> {
            TreeMap<Long, Rec> m = new TreeMap<>();
            v.forEach((id, r) -> {
                Rec c = new Rec(r.type, r.id);
                c.props.putAll(r.props);
                c.createdAt = r.createdAt;
                c.updatedAt = r.updatedAt;
                c.archivedAt = r.archivedAt;
                m.put(id, c);
            });
            copy.put(k, m);
        });
        return new Snapshot(copy, new LinkedHashSet<>(associations), nextId);
    }

    void restore(Snapshot s) {
        records.clear();
        records.putAll(s.records());
        uniqueValues.clear();
        records.values().forEach(m -> m.values().forEach(r -> {
            if (!r.archived()) indexUnique(r, true);
        }));
        associations.clear();
        associations.addAll(s.associations());
        reindexAssociations();
        nextId = s.nextId();
    }

    /** The records, associations, owners and the next id, for {@link HubSpotSandbox#snapshot}. */
    ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("nextId", nextId);
        ObjectNode recs = o.putObject("records");
        records.forEach((type, byId) -> {
            ArrayNode a = recs.putArray(type);
            byId.values().forEach(r -> {
                ObjectNode n = a.addObject().put("id", r.id).put("createdAt", r.createdAt.toString()).put("updatedAt", r.updatedAt.toString());
                if (r.archivedAt != null) n.put("archivedAt", r.archivedAt.toString());
                ObjectNode props = n.putObject("properties");
                r.props.forEach(props::put);
            });
        });
        ArrayNode assocs = o.putArray("associations");
        associations.forEach(x -> assocs.addObject().put("fromType", x.fromType()).put("fromId", x.fromId()).put("toType", x.toType())
                .put("toId", x.toId()).put("typeId", x.typeId()));
        ArrayNode own = o.putArray("owners");
        for (Owner w : owners.values()) {
            ObjectNode n = own.addObject().put("id", w.id()).put("email", w.email()).put("firstName", w.firstName())
                    .put("lastName", w.lastName()).put("userId", w.userId()).put("archived", w.archived());
            ArrayNode teams = n.putArray("teams");
            w.teams().forEach(t -> teams.addObject().put("id", t.id()).put("name", t.name()).put("primary", t.primary()));
        }
        return o;
    }

    /** Replaces everything with what {@link #toJson} wrote. */
    void fromJson(JsonNode o) {
        Map<String, TreeMap<Long, Rec>> recs = new LinkedHashMap<>();
        for (ObjectType t : HubSpotSchema.TYPES) recs.put(t.name(), new TreeMap<>());
        for (Iterator<Map.Entry<String, JsonNode>> it = o.path("records").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            ObjectType t = HubSpotSchema.type(e.getKey());
            if (t == null) throw new IllegalArgumentException("unknown object type " + e.getKey());
            for (JsonNode n : e.getValue()) {
                Rec r = new Rec(t, n.get("id").asLong());
                r.createdAt = Instant.parse(n.get("createdAt").asText());
                r.updatedAt = Instant.parse(n.get("updatedAt").asText());
                r.archivedAt = n.hasNonNull("archivedAt") ? Instant.parse(n.get("archivedAt").asText()) : null;
                n.path("properties").fields().forEachRemaining(p -> r.props.put(p.getKey(), p.getValue().isNull() ? null : p.getValue().asText()));
                recs.get(t.name()).put(r.id, r);
            }
        }
        Set<Assoc> assocs = new LinkedHashSet<>();
        for (JsonNode n : o.path("associations")) {
            assocs.add(new Assoc(n.get("fromType").asText(), n.get("fromId").asLong(), n.get("toType").asText(), n.get("toId").asLong(),
                    n.get("typeId").asInt()));
        }
        owners.clear();
        for (JsonNode n : o.path("owners")) {
            addOwner(ownerFromJson(n, n.path("userId").asLong()));
        }
        restore(new Snapshot(recs, assocs, o.path("nextId").asLong(FIRST_ID)));
    }
}
