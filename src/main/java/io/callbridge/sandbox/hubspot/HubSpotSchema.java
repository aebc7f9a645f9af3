package io.callbridge.sandbox.hubspot;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The portal's object types, their properties (HubSpot's defaults plus custom ones declared through
 * configuration or the property admin) and the HubSpot-defined association types between them.
 */
final class HubSpotSchema {

    /** One CRM object type: plural path name, singular name, object type id. */
    record ObjectType(String name, String singular, String typeId, boolean engagement, List<String> defaultProperties) {
        String createdProperty() {
            return engagement ? "hs_createdate" : "createdate";
        }

        String modifiedProperty() {
            return name.equals("contacts") ? "lastmodifieddate" : "hs_lastmodifieddate";
        }
    }

    /** A property: HubSpot type ({@code string, number, datetime, date, enumeration, bool}), options for enumerations. */
    record Property(String name, String label, String type, String fieldType, List<String> options, boolean unique,
                    boolean readOnly, boolean custom, boolean calculated) {
    }

    /** A HubSpot-defined association type from one object type to another. */
    record AssociationType(String from, String to, int id, int reverseId, String name, boolean isDefault, boolean primary) {
    }

    static final List<ObjectType> TYPES = List.of(
            new ObjectType("contacts", "contact", "0-1", false, List.of("createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname")),
            new ObjectType("companies", "company", "0-2", false, List.of("createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name")),
            new ObjectType("deals", "deal", "0-3", false, List.of("amount", "closedate", "createdate", "dealname", "dealstage", "hs_lastmodifieddate", "hs_object_id", "pipeline")),
            new ObjectType("tickets", "ticket", "0-5", false, List.of("content", "createdate", "hs_lastmodifieddate", "hs_object_id", "hs_pipeline", "hs_pipeline_stage", "hs_ticket_category", "hs_ticket_priority", "subject")),
            new ObjectType("calls", "call", "0-48", true, List.of("hs_createdate", "hs_lastmodifieddate", "hs_object_id")),
            new ObjectType("tasks", "task", "0-27", true, List.of("hs_createdate", "hs_lastmodifieddate", "hs_object_id")),
            new ObjectType("notes", "note", "0-46", true, List.of("hs_createdate", "hs_lastmodifieddate", "hs_object_id")),
            new ObjectType("meetings", "meeting", "0-47", true, List.of("hs_createdate", "hs_lastmodifieddate", "hs_object_id")));

    /**
     * HubSpot's other standard object types (plural name, singular name, type id): their routes answer "not simulated"
     * rather than HubSpot's 400 for a name it cannot resolve, which would tell a client they do not exist.
     */
    private static final List<List<String>> UNSIMULATED_TYPES = List.of(
            List.of("emails", "email", "0-49"), List.of("communications", "communication", "0-18"),
            List.of("postal_mail", "postal_mail", "0-116"), List.of("products", "product", "0-7"),
            List.of("line_items", "line_item", "0-8"), List.of("quotes", "quote", "0-14"), List.of("leads", "lead", "0-136"),
            List.of("feedback_submissions", "feedback_submission", "0-19"), List.of("goal_targets", "goal_target", "0-74"),
            List.of("carts", "cart", "0-142"), List.of("orders", "order", "0-123"), List.of("invoices", "invoice", "0-53"),
            List.of("commerce_payments", "commerce_payment", "0-101"), List.of("subscriptions", "subscription", "0-69"),
            List.of("discounts", "discount", "0-84"), List.of("fees", "fee", "0-85"), List.of("taxes", "tax", "0-86"),
            List.of("users", "user", "0-115"), List.of("appointments", "appointment", "0-421"),
            List.of("courses", "course", "0-410"), List.of("listings", "listing", "0-420"), List.of("services", "service", "0-162"));

    /** Custom object types: {@code 2-<id>} or {@code p<portal>_<name>}; the sandbox simulates none. */
    private static final java.util.regex.Pattern CUSTOM_TYPE = java.util.regex.Pattern.compile("2-\\d+|p\\d+_[a-z0-9_]+");

    /** A type HubSpot knows (standard or custom) that the sandbox does not simulate. */
    static boolean isUnsimulatedType(String nameOrId) {
        if (nameOrId == null) return false;
        String n = nameOrId.toLowerCase(Locale.ROOT);
        return CUSTOM_TYPE.matcher(n).matches() || UNSIMULATED_TYPES.stream().anyMatch(t -> t.contains(n));
    }

    /** The singular name of a standard type HubSpot has and the sandbox does not simulate ({@code email}, {@code quote}...). */
    static boolean isUnsimulatedSingular(String name) {
        return name != null && UNSIMULATED_TYPES.stream().anyMatch(t -> t.get(1).equals(name));
    }

    /** Default pipeline of deals: stage ids. */
    static final List<String> DEAL_STAGES = List.of("appointmentscheduled", "qualifiedtobuy", "presentationscheduled",
            "decisionmakerboughtin", "contractsent", "closedwon", "closedlost");
    /** Default ticket pipeline "0": stage ids 1 New, 2 Waiting on contact, 3 Waiting on us, 4 Closed. */
    static final List<String> TICKET_STAGES = List.of("1", "2", "3", "4");

    private static final List<AssociationType> ASSOCIATIONS = new ArrayList<>();

    static {
        // from, to, id, reverse id, default (unlabeled) or primary
        pair("contacts", "companies", 279, 280, true, false);
        pair("contacts", "companies", 1, 2, false, true);
        pair("deals", "contacts", 3, 4, true, false);
        pair("deals", "companies", 341, 342, true, false);
        pair("deals", "companies", 5, 6, false, true);
        pair("tickets", "contacts", 16, 15, true, false);
        pair("tickets", "companies", 339, 340, true, false);
        pair("tickets", "companies", 26, 25, false, true);
        pair("tickets", "deals", 28, 27, true, false);
        pair("calls", "contacts", 194, 193, true, false);
        pair("calls", "companies", 182, 181, true, false);
        pair("calls", "deals", 206, 205, true, false);
        pair("calls", "tickets", 220, 219, true, false);
        pair("tasks", "contacts", 204, 203, true, false);
        pair("tasks", "companies", 192, 191, true, false);
        pair("tasks", "deals", 216, 215, true, false);
        pair("tasks", "tickets", 230, 229, true, false);
        pair("notes", "contacts", 202, 201, true, false);
        pair("notes", "companies", 190, 189, true, false);
        pair("notes", "deals", 214, 213, true, false);
        pair("notes", "tickets", 228, 227, true, false);
        pair("meetings", "contacts", 200, 199, true, false);
        pair("meetings", "companies", 188, 187, true, false);
        pair("meetings", "deals", 212, 211, true, false);
        pair("meetings", "tickets", 226, 225, true, false);
    }

    private static void pair(String a, String b, int id, int reverse, boolean isDefault, boolean primary) {
        String sa = singular(a), sb = singular(b);
        String suffix = isDefault && hasPrimary(a, b) ? "_unlabeled" : "";
        ASSOCIATIONS.add(new AssociationType(a, b, id, reverse, sa + "_to_" + sb + suffix, isDefault, primary));
        ASSOCIATIONS.add(new AssociationType(b, a, reverse, id, sb + "_to_" + sa + suffix, isDefault, primary));
    }

    private static boolean hasPrimary(String a, String b) {
        return b.equals("companies") && (a.equals("contacts") || a.equals("deals") || a.equals("tickets"));
    }

    private static String singular(String plural) {
        for (ObjectType t : TYPES) if (t.name().equals(plural)) return t.singular();
        throw new IllegalArgumentException(plural);
    }

    private final Map<String, Map<String, Property>> properties = new LinkedHashMap<>();

    HubSpotSchema() {
        for (ObjectType t : TYPES) properties.put(t.name(), new LinkedHashMap<>());
        for (ObjectType t : TYPES) {
            system(t.name(), "hs_object_id", "number");
            system(t.name(), t.createdProperty(), "datetime");
            system(t.name(), t.modifiedProperty(), "datetime");
            if (!t.createdProperty().equals("createdate")) system(t.name(), "createdate", "datetime");
            std(t.name(), "hubspot_owner_id", "enumeration");
            std(t.name(), "hs_createdate", "datetime");
        }
        strings("contacts", "email", "firstname", "lastname", "phone", "mobilephone", "company", "jobtitle", "website",
                "address", "city", "zip", "state", "country", "salutation", "fax", "message", "hs_language", "industry");
        enumeration("contacts", "lifecyclestage", "subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead",
                "opportunity", "customer", "evangelist", "other");
        enumeration("contacts", "hs_lead_status", "NEW", "OPEN", "IN_PROGRESS", "OPEN_DEAL", "UNQUALIFIED",
                "ATTEMPTED_TO_CONTACT", "CONNECTED", "BAD_TIMING");
        std("contacts", "notes_last_contacted", "datetime");
        std("contacts", "hs_last_contacted", "datetime");
        calculated("contacts", "hs_searchable_calculated_phone_number");
        calculated("contacts", "hs_searchable_calculated_mobile_number");
        calculated("contacts", "hs_calculated_phone_number");
        calculated("contacts", "hs_calculated_mobile_number");
        properties.get("contacts").put("email", new Property("email", "Email", "string", "text", List.of(), true, false, false, false));

        strings("companies", "name", "domain", "phone", "website", "address", "city", "zip", "state", "country", "industry", "description");
        std("companies", "numberofemployees", "number");
        std("companies", "annualrevenue", "number");
        enumeration("companies", "lifecyclestage", "subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead",
                "opportunity", "customer", "evangelist", "other");

        strings("deals", "dealname", "description", "deal_currency_code");
        std("deals", "amount", "number");
        std("deals", "closedate", "datetime");
        enumeration("deals", "pipeline", "default");
        enumeration("deals", "dealstage", DEAL_STAGES.toArray(String[]::new));
        enumeration("deals", "dealtype", "newbusiness", "existingbusiness");
        enumeration("deals", "hs_priority", "low", "medium", "high");

        strings("tickets", "subject", "content", "hs_ticket_category");
        enumeration("tickets", "hs_pipeline", "0");
        enumeration("tickets", "hs_pipeline_stage", TICKET_STAGES.toArray(String[]::new));
        enumeration("tickets", "hs_ticket_priority", "LOW", "MEDIUM", "HIGH", "URGENT");
        enumeration("tickets", "source_type", "CHAT", "EMAIL", "FORM", "PHONE");

        for (String e : List.of("calls", "tasks", "notes", "meetings")) {
            std(e, "hs_timestamp", "datetime");
            strings(e, "hs_attachment_ids");
        }
        strings("calls", "hs_call_title", "hs_call_body", "hs_call_from_number", "hs_call_to_number", "hs_call_recording_url",
                "hs_call_disposition", "hs_call_callee_object_type");
        std("calls", "hs_call_duration", "number");
        enumeration("calls", "hs_call_direction", "INBOUND", "OUTBOUND");
        enumeration("calls", "hs_call_status", "BUSY", "CALLING_CRM_USER", "CANCELED", "COMPLETED", "CONNECTING", "FAILED",
                "IN_PROGRESS", "MISSED", "NO_ANSWER", "QUEUED", "RINGING");
        strings("tasks", "hs_task_subject", "hs_task_body");
        std("tasks", "hs_task_reminders", "string");
        enumeration("tasks", "hs_task_status", "NOT_STARTED", "IN_PROGRESS", "WAITING", "COMPLETED", "DEFERRED");
        enumeration("tasks", "hs_task_priority", "NONE", "LOW", "MEDIUM", "HIGH");
        enumeration("tasks", "hs_task_type", "CALL", "EMAIL", "LINKED_IN", "MEETING", "TODO");
        strings("notes", "hs_note_body");
        strings("meetings", "hs_meeting_title", "hs_meeting_body", "hs_internal_meeting_notes", "hs_meeting_external_url",
                "hs_meeting_location");
        std("meetings", "hs_meeting_start_time", "datetime");
        std("meetings", "hs_meeting_end_time", "datetime");
        enumeration("meetings", "hs_meeting_outcome", "SCHEDULED", "COMPLETED", "RESCHEDULED", "NO_SHOW", "CANCELED");
    }

    private void system(String type, String name, String t) {
        properties.get(type).put(name, new Property(name, label(name), t, fieldType(t), List.of(), name.equals("hs_object_id"), true, false, false));
    }

    private void calculated(String type, String name) {
        properties.get(type).put(name, new Property(name, label(name), "string", "text", List.of(), false, true, false, true));
    }

    private void std(String type, String name, String t) {
        properties.get(type).put(name, new Property(name, label(name), t, fieldType(t), List.of(), false, false, false, false));
    }

    private void strings(String type, String... names) {
        for (String n : names) std(type, n, "string");
    }

    private void enumeration(String type, String name, String... options) {
        properties.get(type).put(name, new Property(name, label(name), "enumeration", "select", List.of(options), false, false, false, false));
    }

    private static String fieldType(String type) {
        return switch (type) {
            case "number" -> "number";
            case "datetime", "date" -> "date";
            case "enumeration" -> "select";
            case "bool" -> "booleancheckbox";
            default -> "text";
        };
    }

    private static String label(String name) {
        String s = name.replace("hs_", "").replace('_', ' ');
        return s.isEmpty() ? name : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    // ---- lookups ------------------------------------------------------------------------------

    /** By plural name, singular name or object type id ({@code contacts}, {@code contact}, {@code 0-1}). */
    static ObjectType type(String nameOrId) {
        if (nameOrId == null) return null;
        String n = nameOrId.toLowerCase(Locale.ROOT);
        for (ObjectType t : TYPES) {
            if (t.name().equals(n) || t.singular().equals(n) || t.typeId().equals(n)) return t;
        }
        return null;
    }

    Property property(ObjectType type, String name) {
        return properties.get(type.name()).get(name);
    }

    Collection<Property> properties(ObjectType type) {
        return properties.get(type.name()).values();
    }

    /** Declares a custom property; refuses names HubSpot reserves and duplicates. */
    Property declare(ObjectType type, String name, String label, String propertyType, String fieldType, List<String> options,
                     boolean unique) {
        if (name == null || !name.matches("[a-z][a-z0-9_]{0,99}")) {
            throw new IllegalArgumentException("property name must be lower case letters, digits and underscores, starting with a letter: " + name);
        }
        if (name.startsWith("hs_")) throw new IllegalArgumentException("property names starting with hs_ are reserved: " + name);
        if (properties.get(type.name()).containsKey(name)) {
            throw new IllegalStateException("A property named '" + name + "' already exists.");
        }
        String t = propertyType == null ? "string" : propertyType;
        if (!Set.of("string", "number", "datetime", "date", "enumeration", "bool").contains(t)) {
            throw new IllegalArgumentException("unknown property type " + t + " (string, number, datetime, date, enumeration, bool)");
        }
        if (t.equals("enumeration") && (options == null || options.isEmpty())) {
            throw new IllegalArgumentException("an enumeration property needs options");
        }
        Property p = new Property(name, label == null ? label(name) : label, t, fieldType == null ? fieldType(t) : fieldType,
                options == null ? List.of() : List.copyOf(options), unique, false, true, false);
        properties.get(type.name()).put(name, p);
        return p;
    }

    void resetCustom(Map<String, List<Property>> configured) {
        for (Map<String, Property> m : properties.values()) m.values().removeIf(Property::custom);
        configured.forEach((t, ps) -> ps.forEach(p -> properties.get(t).put(p.name(), p)));
    }

    static AssociationType association(int typeId) {
        for (AssociationType a : ASSOCIATIONS) if (a.id() == typeId) return a;
        return null;
    }

    /** The default (unlabeled) association type between two object types, or null when HubSpot defines none. */
    static AssociationType defaultAssociation(String from, String to) {
        for (AssociationType a : ASSOCIATIONS) if (a.from().equals(from) && a.to().equals(to) && a.isDefault()) return a;
        return null;
    }

    static AssociationType primaryAssociation(String from, String to) {
        for (AssociationType a : ASSOCIATIONS) if (a.from().equals(from) && a.to().equals(to) && a.primary()) return a;
        return null;
    }

    static List<AssociationType> associations(String from, String to) {
        List<AssociationType> out = new ArrayList<>();
        for (AssociationType a : ASSOCIATIONS) if (a.from().equals(from) && a.to().equals(to)) out.add(a);
        return out;
    }
}
