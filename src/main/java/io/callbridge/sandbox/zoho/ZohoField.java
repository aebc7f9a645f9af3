package io.callbridge.sandbox.zoho;

import java.util.List;
import java.util.Set;

/**
 * One field of a module: its API name, data type, and the rules a write must meet (mandatory, unique, maximum
 * length, allowed picklist values, the modules a lookup may point to).
 *
 * @param picklist allowed values of a restricted picklist, or empty: any text is accepted (Zoho stores an unknown
 *                 value of an unrestricted picklist as given)
 * @param targets  modules a lookup may point to; empty for other types
 */
record ZohoField(String apiName, Type type, boolean mandatory, boolean unique, boolean custom, Set<String> picklist,
                 List<String> targets) {

    /** Data types, with the {@code expected_data_type} Zoho names in INVALID_DATA and their maximum length. */
    enum Type {
        TEXT("text", 255), TEXTAREA("textarea", 32000), EMAIL("email", 100), PHONE("phone", 30), INTEGER("integer", 0),
        DOUBLE("double", 0), BOOLEAN("boolean", 0), DATETIME("datetime", 0), DATE("date", 0), PICKLIST("picklist", 255),
        /** mm:ss, stored as text (Calls' Call_Duration). */
        DURATION("text", 10),
        LOOKUP("lookup", 0), OWNER("ownerlookup", 0),
        /** What_Id: a lookup whose module travels in {@code $se_module}. */
        WHAT("lookup", 0),
        /** Notes' Parent_Id: {@code {"module":{"api_name"}, "id"}}. */
        PARENT("lookup", 0),
        /** Events' Participants: kept as sent. */
        JSON_ARRAY("jsonarray", 0),
        /** Set by the CRM (Full_Name, Call_Duration_in_seconds); a write that sends it is ignored for that key. */
        READ_ONLY("text", 0);

        final String expected;
        final int maxLength;

        Type(String expected, int maxLength) {
            this.expected = expected;
            this.maxLength = maxLength;
        }

        boolean isText() {
            return this == TEXT || this == TEXTAREA || this == EMAIL || this == PHONE || this == PICKLIST || this == DURATION;
        }

        boolean isLookup() {
            return this == LOOKUP || this == OWNER || this == WHAT || this == PARENT;
        }
    }

    static ZohoField of(String apiName, Type type) {
        return new ZohoField(apiName, type, false, false, false, Set.of(), List.of());
    }

    ZohoField asMandatory() {
        return new ZohoField(apiName, type, true, unique, custom, picklist, targets);
    }

    ZohoField asUnique() {
        return new ZohoField(apiName, type, mandatory, true, custom, picklist, targets);
    }

    ZohoField asCustom() {
        return new ZohoField(apiName, type, mandatory, unique, true, picklist, targets);
    }

    ZohoField restrictedTo(String... values) {
        return new ZohoField(apiName, type, mandatory, unique, custom, Set.of(values), targets);
    }

    ZohoField to(String... modules) {
        return new ZohoField(apiName, type, mandatory, unique, custom, picklist, List.of(modules));
    }
}
