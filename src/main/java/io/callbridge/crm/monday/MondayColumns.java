package io.callbridge.crm.monday;

import com.fasterxml.jackson.databind.JsonNode;

/** What a column value written by Callbridge shows as text, the way monday shows it (for the cached caller's record). */
final class MondayColumns {

    private MondayColumns() {
    }

    /** {@code {"phone":…}} → the number, {@code {"email":…}} → the address, {@code {"label":…}} → the label, … */
    static String text(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isValueNode()) {
            return value.asText();
        }
        for (String field : new String[] {"phone", "email", "label", "text", "date", "checked"}) {
            if (value.path(field).isValueNode()) {
                return value.get(field).asText();
            }
        }
        return value.toString();
    }
}
