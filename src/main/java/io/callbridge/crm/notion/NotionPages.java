package io.callbridge.crm.notion;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Notion page's properties as the plain values templates and lookups read ({@code record.Email}, not
 * {@code properties.Email.email}): text as its plain text, a select or status as its name, a date as its start, a
 * relation or people property as its first id; an empty property is null, so a template can tell "empty" from "absent".
 */
final class NotionPages {

    static final ObjectMapper JSON = new ObjectMapper();

    private NotionPages() {
    }

    static ObjectNode values(JsonNode page) {
        ObjectNode out = JSON.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = page.path("properties").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            out.set(e.getKey(), value(e.getValue()));
        }
        return out;
    }

    private static JsonNode value(JsonNode property) {
        String type = property.path("type").asText("");
        JsonNode v = property.path(type);
        switch (type) {
            case "title", "rich_text" -> {
                StringBuilder b = new StringBuilder();
                v.forEach(item -> b.append(item.has("plain_text") ? item.path("plain_text").asText("") : item.path("text").path("content").asText("")));
                return b.length() == 0 ? JSON.nullNode() : JSON.getNodeFactory().textNode(b.toString());
            }
            case "select", "status" -> {
                return v.path("name").isTextual() ? v.get("name") : JSON.nullNode();
            }
            case "date" -> {
                return v.path("start").isTextual() ? v.get("start") : JSON.nullNode();
            }
            case "relation", "people" -> {
                return v.path(0).path("id").isTextual() ? v.get(0).get("id") : JSON.nullNode();
            }
            case "phone_number", "email", "url", "number", "checkbox" -> {
                return v.isMissingNode() ? JSON.nullNode() : v;
            }
            default -> {
                return JSON.nullNode();
            }
        }
    }

    /** The page's title (its one property of type {@code title}, whatever the database calls it), or null when empty. */
    static String title(JsonNode page) {
        for (JsonNode p : page.path("properties")) {
            if ("title".equals(p.path("type").asText())) {
                JsonNode v = value(p);
                return v.isTextual() && !v.asText().isBlank() ? v.asText().trim() : null;
            }
        }
        return null;
    }

    /** The first person a people property names, or null. */
    static String firstPerson(JsonNode page, String property) {
        JsonNode id = page.path("properties").path(property).path("people").path(0).path("id");
        return id.isTextual() ? id.asText() : null;
    }
}
