package io.callbridge.sandbox.notion;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.Json;

/**
 * Users, databases and their data sources with property schemas. Loaded from a JSON document (configuration key
 * {@code workspace}: the document itself or a file path; default the resource {@code workspace.json} next to this
 * class): {@code {"users":[{"id","name","email"}], "data_sources":[{"id","database_id","name","properties":
 * {"<name>":{"type", "options":[…] for select/status, "data_source_id" for relation}}}]}}. The schema survives a reset;
 * select options written through pages are added to it (as Notion does) and dropped again on reset.
 */
final class NotionWorkspace {

    static final List<String> TYPES = List.of("title", "rich_text", "phone_number", "email", "date", "select", "status",
            "number", "checkbox", "relation", "url", "people");
    static final List<String> COLORS = List.of("default", "gray", "brown", "orange", "yellow", "green", "blue", "purple", "pink", "red");

    record User(String id, String name, String email) { }

    record Option(String id, String name, String color) { }

    static final class Property {
        final String id;
        final String name;
        final String type;
        final String relationTo;
        final List<Option> declared;
        final List<Option> options = new ArrayList<>();

        Property(String id, String name, String type, String relationTo, List<Option> declared) {
            this.id = id;
            this.name = name;
            this.type = type;
            this.relationTo = relationTo;
            this.declared = declared;
            this.options.addAll(declared);
        }

        Option option(String idOrName, boolean byId) {
            for (Option o : options) if (byId ? o.id().equals(idOrName) : o.name().equals(idOrName)) return o;
            return null;
        }
    }

    static final class DataSource {
        final String id;
        final String databaseId;
        final String name;
        final Map<String, Property> properties = new LinkedHashMap<>();

        DataSource(String id, String databaseId, String name) {
            this.id = id;
            this.databaseId = databaseId;
            this.name = name;
        }

        /** By name (case-sensitive) or by id, as Notion accepts both. */
        Property property(String nameOrId) {
            Property p = properties.get(nameOrId);
            if (p != null) return p;
            for (Property q : properties.values()) if (q.id.equals(nameOrId)) return q;
            return null;
        }

        Property title() {
            for (Property p : properties.values()) if (p.type.equals("title")) return p;
            throw new IllegalStateException("data source " + id + " has no title property");
        }
    }

    private final Map<String, User> users = new LinkedHashMap<>();
    private final Map<String, DataSource> dataSources = new LinkedHashMap<>();

    static NotionWorkspace load(String config) {
        try {
            JsonNode doc;
            if (config == null || config.isBlank()) {
                try (InputStream in = NotionWorkspace.class.getResourceAsStream("workspace.json")) {
                    doc = Json.MAPPER.readTree(in);
                }
            } else if (config.trim().startsWith("{")) {
                doc = Json.MAPPER.readTree(config);
            } else {
                doc = Json.MAPPER.readTree(Files.readAllBytes(Path.of(config.trim())));
            }
            return new NotionWorkspace(doc);
        } catch (IOException e) {
            throw new IllegalArgumentException("workspace: " + e.getMessage(), e);
        }
    }

    private NotionWorkspace(JsonNode doc) {
        for (JsonNode u : doc.path("users")) {
            users.put(u.path("id").asText(), new User(u.path("id").asText(), u.path("name").asText(), u.path("email").asText(null)));
        }
        for (JsonNode d : doc.path("data_sources")) {
            DataSource ds = new DataSource(d.path("id").asText(), d.path("database_id").asText(), d.path("name").asText());
            int i = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = d.path("properties").fields(); it.hasNext(); i++) {
                Map.Entry<String, JsonNode> e = it.next();
                String type = e.getValue().path("type").asText();
                if (!TYPES.contains(type)) throw new IllegalArgumentException("workspace: property " + e.getKey() + " has unsupported type '" + type + "'");
                List<Option> opts = new ArrayList<>();
                int j = 0;
                for (JsonNode o : e.getValue().path("options")) {
                    opts.add(new Option(shortId(ds.id + e.getKey() + o.asText()), o.asText(), COLORS.get(1 + j++ % (COLORS.size() - 1))));
                }
                String pid = type.equals("title") ? "title" : shortId(ds.id + "/" + e.getKey());
                ds.properties.put(e.getKey(), new Property(pid, e.getKey(), type, e.getValue().path("data_source_id").asText(null), opts));
            }
            if (ds.properties.values().stream().filter(p -> p.type.equals("title")).count() != 1) {
                throw new IllegalArgumentException("workspace: data source " + ds.id + " needs exactly one title property");
            }
            dataSources.put(ds.id, ds);
        }
        for (DataSource ds : dataSources.values()) {
            for (Property p : ds.properties.values()) {
                if (p.type.equals("relation") && !dataSources.containsKey(p.relationTo)) {
                    throw new IllegalArgumentException("workspace: relation " + ds.name + "." + p.name + " names no data source");
                }
            }
        }
    }

    /** Notion's property ids are short URL-safe strings; these are derived from the name so they stay fixed. */
    static String shortId(String seed) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        long h = seed.hashCode() & 0xffffffffL;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            sb.append(alphabet.charAt((int) (h % alphabet.length())));
            h /= alphabet.length();
        }
        return sb.toString();
    }

    /** The options of every select and status property (those written through pages among them), for {@link NotionSandbox#snapshot}. */
    ObjectNode optionsJson() {
        ObjectNode o = Json.object();
        for (DataSource ds : dataSources.values()) {
            ObjectNode props = o.putObject(ds.id);
            for (Property p : ds.properties.values()) {
                if (p.options.isEmpty()) continue;
                ArrayNode a = props.putArray(p.name);
                p.options.forEach(x -> a.addObject().put("id", x.id()).put("name", x.name()).put("color", x.color()));
            }
        }
        return o;
    }

    void restoreOptions(JsonNode o) {
        reset();
        for (DataSource ds : dataSources.values()) {
            for (Property p : ds.properties.values()) {
                JsonNode kept = o.path(ds.id).path(p.name);
                if (!kept.isArray()) continue;
                p.options.clear();
                kept.forEach(x -> p.options.add(new Option(x.get("id").asText(), x.get("name").asText(), x.path("color").asText("default"))));
            }
        }
    }

    void reset() {
        for (DataSource ds : dataSources.values()) {
            for (Property p : ds.properties.values()) {
                p.options.clear();
                p.options.addAll(p.declared);
            }
        }
    }

    Collection<DataSource> dataSources() {
        return dataSources.values();
    }

    DataSource dataSource(String id) {
        return dataSources.get(normalizeId(id));
    }

    /** The data sources of a database (one each in the default workspace). */
    List<DataSource> ofDatabase(String databaseId) {
        String id = normalizeId(databaseId);
        List<DataSource> out = new ArrayList<>();
        for (DataSource ds : dataSources.values()) if (ds.databaseId.equals(id)) out.add(ds);
        return out;
    }

    User user(String id) {
        return users.get(normalizeId(id));
    }

    Collection<User> users() {
        return users.values();
    }

    /** Notion accepts ids with or without dashes; answers the dashed form, or the input when it is no UUID. */
    static String normalizeId(String id) {
        if (id == null) return null;
        String hex = id.replace("-", "").toLowerCase(java.util.Locale.ROOT);
        if (!hex.matches("[0-9a-f]{32}")) return id;
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-" + hex.substring(16, 20) + "-" + hex.substring(20);
    }

    static boolean isUuid(String id) {
        return id != null && id.replace("-", "").matches("[0-9a-fA-F]{32}") && (id.length() == 32 || id.length() == 36);
    }
}
