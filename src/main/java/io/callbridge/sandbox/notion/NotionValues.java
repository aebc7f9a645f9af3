package io.callbridge.sandbox.notion;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.notion.NotionStore.Block;
import io.callbridge.sandbox.notion.NotionStore.Page;
import io.callbridge.sandbox.notion.NotionWorkspace.DataSource;
import io.callbridge.sandbox.notion.NotionWorkspace.Option;
import io.callbridge.sandbox.notion.NotionWorkspace.Property;

/**
 * Page property values and blocks as a request writes them (validated with Notion's limits and messages) and as an
 * answer shows them. Limits (developers.notion.com request-limits): {@code text.content} and {@code text.link.url}
 * 2,000 characters, any rich-text array, people, relation and multi-select array 100, URL 2,000, email 200,
 * phone number 200 (the OAS's generic 100 is not used), children 100 blocks.
 *
 * <p>Choices where the facts are unconfirmed: a select option named on write that the schema lacks is added to the
 * schema (Notion's documented select behaviour), a status option never is (validation_error), since status options
 * cannot be created through the API; a data-source page needs its title property (stricter than Notion, which
 * creates untitled pages: a connector that always names its pages loses nothing).
 */
final class NotionValues {

    static final int MAX_TEXT = 2000;
    static final int MAX_ARRAY = 100;
    static final int MAX_URL = 2000;
    static final int MAX_EMAIL = 200;
    static final int MAX_PHONE = 200;
    static final List<String> BLOCK_TYPES = List.of("paragraph", "heading_1", "heading_2", "heading_3", "bulleted_list_item",
            "numbered_list_item", "quote", "to_do");

    private final NotionWorkspace workspace;
    private final NotionStore store;

    NotionValues(NotionWorkspace workspace, NotionStore store) {
        this.workspace = workspace;
        this.store = store;
    }

    // ---- writing ------------------------------------------------------------------------------

    /** Validates every value of {@code properties} against the schema; answers the stored values by property name. */
    Map<String, JsonNode> properties(DataSource ds, JsonNode properties, boolean create) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (properties != null && !properties.isNull() && !properties.isObject()) {
            throw NotionError.body("properties", "an object", properties.getNodeType().toString().toLowerCase());
        }
        List<Runnable> optionAdds = new ArrayList<>();
        if (properties != null && properties.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Property p = ds.property(e.getKey());
                if (p == null) throw NotionError.validation(e.getKey() + " is not a property that exists.");
                out.put(p.name, value(p, e.getValue(), "properties." + e.getKey(), optionAdds));
            }
        }
        if (create && !out.containsKey(ds.title().name)) {
            throw NotionError.body("properties." + ds.title().name, "defined", "undefined");
        }
        optionAdds.forEach(Runnable::run);
        return out;
    }

    private JsonNode value(Property p, JsonNode v, String path, List<Runnable> optionAdds) {
        if (!v.isObject()) throw NotionError.body(path, "an object", kind(v));
        JsonNode x = v.get(p.type);
        if (x == null) {
            for (String t : NotionWorkspace.TYPES) {
                if (v.has(t)) throw NotionError.validation(p.name + " is expected to be " + p.type + ".");
            }
            throw NotionError.body(path + "." + p.type, "defined", "undefined");
        }
        String at = path + "." + p.type;
        switch (p.type) {
            case "title", "rich_text" -> {
                return richText(x, at);
            }
            case "phone_number" -> {
                return limitedString(x, at, MAX_PHONE);
            }
            case "email" -> {
                return limitedString(x, at, MAX_EMAIL);
            }
            case "url" -> {
                return limitedString(x, at, MAX_URL);
            }
            case "number" -> {
                if (!x.isNull() && !x.isNumber()) throw NotionError.body(at, "a number or `null`", kind(x));
                return x;
            }
            case "checkbox" -> {
                if (!x.isBoolean()) throw NotionError.body(at, "a boolean", kind(x));
                return x;
            }
            case "date" -> {
                return date(x, at);
            }
            case "select", "status" -> {
                return option(p, x, at, optionAdds);
            }
            case "people" -> {
                ArrayNode out = array(x, at);
                ArrayNode stored = Json.array();
                for (int i = 0; i < out.size(); i++) {
                    String id = out.get(i).path("id").asText(null);
                    if (id == null) throw NotionError.body(at + "[" + i + "].id", "defined", "undefined");
                    if (!NotionWorkspace.isUuid(id)) throw NotionError.body(at + "[" + i + "].id", "a valid uuid", id);
                    if (workspace.user(id) == null) throw NotionError.notFound("user", id);
                    stored.addObject().put("object", "user").put("id", NotionWorkspace.normalizeId(id));
                }
                return stored;
            }
            case "relation" -> {
                ArrayNode out = array(x, at);
                ArrayNode stored = Json.array();
                for (int i = 0; i < out.size(); i++) {
                    String id = out.get(i).path("id").asText(null);
                    if (id == null) throw NotionError.body(at + "[" + i + "].id", "defined", "undefined");
                    if (!NotionWorkspace.isUuid(id)) throw NotionError.body(at + "[" + i + "].id", "a valid uuid", id);
                    Page target = store.page(NotionWorkspace.normalizeId(id));
                    if (target == null) throw NotionError.notFound("page", id);
                    if (!target.dataSourceId.equals(p.relationTo)) {
                        throw NotionError.validation("Relation " + p.name + " can only point to pages of data source " + p.relationTo + ".");
                    }
                    stored.addObject().put("id", target.id);
                }
                return stored;
            }
            default -> throw new IllegalStateException(p.type);
        }
    }

    private static ArrayNode array(JsonNode x, String at) {
        if (!x.isArray()) throw NotionError.body(at, "an array", kind(x));
        if (x.size() > MAX_ARRAY) throw NotionError.body(at + ".length", "≤ `" + MAX_ARRAY + "`", x.size());
        return (ArrayNode) x;
    }

    private static JsonNode limitedString(JsonNode x, String at, int max) {
        if (x.isNull()) return NullNode.getInstance();
        if (!x.isTextual()) throw NotionError.body(at, "a string or `null`", kind(x));
        int len = x.asText().length();
        if (len > max) throw NotionError.body(at + ".length", "≤ `" + max + "`", len);
        return x;
    }

    private static JsonNode date(JsonNode x, String at) {
        if (x.isNull()) return NullNode.getInstance();
        if (!x.isObject()) throw NotionError.body(at, "an object or `null`", kind(x));
        if (!x.path("start").isTextual()) throw NotionError.body(at + ".start", "defined", "undefined");
        ObjectNode out = Json.object();
        out.put("start", isoDate(x.get("start").asText(), at + ".start"));
        JsonNode end = x.get("end");
        if (end == null || end.isNull()) out.putNull("end");
        else if (end.isTextual()) out.put("end", isoDate(end.asText(), at + ".end"));
        else throw NotionError.body(at + ".end", "a string or `null`", kind(end));
        JsonNode tz = x.get("time_zone");
        if (tz == null || tz.isNull()) out.putNull("time_zone");
        else if (tz.isTextual()) out.put("time_zone", tz.asText());
        else throw NotionError.body(at + ".time_zone", "a string or `null`", kind(tz));
        return out;
    }

    private static String isoDate(String s, String at) {
        try {
            if (s.length() == 10) return LocalDate.parse(s).toString();
            OffsetDateTime.parse(s);
            return s;
        } catch (DateTimeParseException e) {
            throw NotionError.body(at, "a valid ISO 8601 date string", s);
        }
    }

    private JsonNode option(Property p, JsonNode x, String at, List<Runnable> optionAdds) {
        if (x.isNull()) return NullNode.getInstance();
        if (!x.isObject()) throw NotionError.body(at, "an object or `null`", kind(x));
        Option o;
        if (x.hasNonNull("id")) {
            o = p.option(x.get("id").asText(), true);
            if (o == null) throw NotionError.validation("Invalid " + p.type + " option id `" + x.get("id").asText() + "` for property " + p.name + ".");
        } else if (x.path("name").isTextual()) {
            String name = x.get("name").asText();
            if (name.length() > 100) throw NotionError.body(at + ".name.length", "≤ `100`", name.length());
            if (p.type.equals("select") && name.contains(",")) throw NotionError.validation("Select option names cannot contain commas.");
            o = p.option(name, false);
            if (o == null && p.type.equals("status")) {
                throw NotionError.validation("Invalid status option. Status option \"" + name + "\" does not exist for property " + p.name + ".");
            }
            if (o == null) {
                Option created = new Option(NotionWorkspace.shortId(p.id + name), name, "default");
                optionAdds.add(() -> { if (p.option(name, false) == null) p.options.add(created); });
                o = created;
            }
        } else {
            throw NotionError.body(at + ".name", "defined", "undefined");
        }
        return Json.object().put("id", o.id()).put("name", o.name()).put("color", o.color());
    }

    /** Request rich text ({@code [{"text":{"content","link"},"annotations"}]}) as Notion answers it. */
    static ArrayNode richText(JsonNode x, String at) {
        ArrayNode in = array(x, at);
        ArrayNode out = Json.array();
        for (int i = 0; i < in.size(); i++) {
            JsonNode item = in.get(i);
            String ip = at + "[" + i + "]";
            if (!item.isObject()) throw NotionError.body(ip, "an object", kind(item));
            String type = item.path("type").asText("text");
            if (!type.equals("text") || !item.path("text").isObject()) throw NotionError.body(ip + ".text", "defined", "undefined");
            JsonNode content = item.path("text").get("content");
            if (content == null || !content.isTextual()) throw NotionError.body(ip + ".text.content", "a string", content == null ? "undefined" : kind(content));
            if (content.asText().length() > MAX_TEXT) throw NotionError.body(ip + ".text.content.length", "≤ `" + MAX_TEXT + "`", content.asText().length());
            JsonNode link = item.path("text").get("link");
            String url = null;
            if (link != null && !link.isNull()) {
                url = link.path("url").asText(null);
                if (url == null) throw NotionError.body(ip + ".text.link.url", "defined", "undefined");
                if (url.length() > MAX_URL) throw NotionError.body(ip + ".text.link.url.length", "≤ `" + MAX_URL + "`", url.length());
            }
            ObjectNode o = out.addObject();
            o.put("type", "text");
            ObjectNode t = o.putObject("text");
            t.put("content", content.asText());
            if (url == null) t.putNull("link");
            else t.putObject("link").put("url", url);
            ObjectNode a = o.putObject("annotations");
            JsonNode ra = item.path("annotations");
            for (String k : List.of("bold", "italic", "strikethrough", "underline", "code")) a.put(k, ra.path(k).asBoolean(false));
            a.put("color", ra.path("color").asText("default"));
            o.put("plain_text", content.asText());
            if (url == null) o.putNull("href");
            else o.put("href", url);
        }
        return out;
    }

    /** Request blocks at {@code at} (e.g. {@code children}) as blocks of {@code page}; nothing is stored. */
    static List<Block> blocks(JsonNode children, String at, String pageId, Instant now, String user, Supplier<String> ids) {
        if (children == null || children.isNull()) return List.of();
        ArrayNode in = array(children, at);
        List<Block> out = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            JsonNode b = in.get(i);
            String bp = at + "[" + i + "]";
            if (!b.isObject()) throw NotionError.body(bp, "an object", kind(b));
            String type = b.path("type").asText(null);
            if (type == null) {
                for (String t : BLOCK_TYPES) if (b.has(t)) type = t;
            }
            if (type == null || !BLOCK_TYPES.contains(type)) {
                throw NotionError.body(bp + "." + (type == null ? "paragraph" : type), "defined", "undefined");
            }
            JsonNode content = b.path(type);
            if (!content.isObject()) throw NotionError.body(bp + "." + type, "an object", kind(content));
            // older versions named the array "text"; both are read
            JsonNode rt = content.has("rich_text") ? content.get("rich_text") : content.get("text");
            String field = content.has("rich_text") || !content.has("text") ? "rich_text" : "text";
            if (rt == null) throw NotionError.body(bp + "." + type + ".rich_text", "defined", "undefined");
            ArrayNode text = richText(rt, bp + "." + type + "." + field);
            Boolean checked = type.equals("to_do") ? content.path("checked").asBoolean(false) : null;
            out.add(new Block(ids.get(), pageId, type, text, checked, now, user));
        }
        return out;
    }

    static String kind(JsonNode n) {
        return n.isNull() ? "null" : n.isTextual() ? n.asText() : n.toString();
    }

    // ---- answering ----------------------------------------------------------------------------

    /** Every property of the schema with its value, {@code {"id","type",<type>:…}}; unset values as Notion shows them. */
    static ObjectNode render(DataSource ds, Page page) {
        ObjectNode props = Json.object();
        for (Property p : ds.properties.values()) {
            ObjectNode v = props.putObject(p.name);
            v.put("id", p.id).put("type", p.type);
            JsonNode stored = page.values.get(p.name);
            if (stored != null) v.set(p.type, stored.deepCopy());
            else switch (p.type) {
                case "title", "rich_text", "people", "relation" -> v.putArray(p.type);
                case "checkbox" -> v.put(p.type, false);
                default -> v.putNull(p.type);
            }
        }
        return props;
    }

    static ObjectNode renderBlock(Block b, String version, String userId) {
        ObjectNode o = Json.object();
        o.put("object", "block").put("id", b.id());
        ObjectNode parent = o.putObject("parent");
        parent.put("type", "page_id").put("page_id", b.pageId());
        o.put("created_time", NotionSandbox.time(b.createdTime())).put("last_edited_time", NotionSandbox.time(b.createdTime()));
        o.putObject("created_by").put("object", "user").put("id", b.createdBy());
        o.putObject("last_edited_by").put("object", "user").put("id", b.createdBy());
        o.put("has_children", false);
        if (version.compareTo("2026-03-11") < 0) o.put("archived", false);
        o.put("in_trash", false);
        o.put("type", b.type());
        ObjectNode c = o.putObject(b.type());
        c.set("rich_text", b.richText().deepCopy());
        c.put("color", "default");
        if (b.checked() != null) c.put("checked", b.checked());
        return o;
    }

    static String newId(java.util.Random r) {
        synchronized (r) {
            return new UUID((r.nextLong() & ~0xF000L) | 0x4000L, (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
        }
    }
}
