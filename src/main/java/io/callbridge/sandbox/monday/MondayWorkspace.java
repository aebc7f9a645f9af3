package io.callbridge.sandbox.monday;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.Json;

/**
 * The account's structure: users, boards, their columns and status labels, one group ({@code topics}) per board.
 * Declared by a JSON document (the {@code workspace} setting, else {@code monday-workspace.json} beside this class):
 * <pre>
 * {"users": [{"id": "60000001", "name": "…", "email": "…"}, …],        the first one owns the API token ({@code me})
 *  "boards": [{"id": "1000000001", "name": "Contacts", "columns": [
 *      {"id": "name", "title": "Nom", "type": "name"},                  every board has its name column
 *      {"id": "lead_status", "title": "Statut", "type": "status", "labels": ["Nouveau", "Lead", "Client"]},
 *      {"id": "contact", "title": "Contact", "type": "board_relation", "board_ids": ["1000000001"]}, …]}]}
 * </pre>
 * Column types: {@link #TYPES}. Status labels get the indexes 0, 1, 2… in order; labels created by a write
 * ({@code create_labels_if_missing}) take the next free index (5 stays monday's default label) and disappear on reset.
 */
final class MondayWorkspace {

    static final Set<String> TYPES = Set.of("name", "text", "long_text", "numbers", "phone", "email", "date", "status",
            "checkbox", "people", "board_relation");
    static final String GROUP_ID = "topics";
    static final String GROUP_TITLE = "Group Title";

    record User(String id, String name, String email) { }

    static final class Column {
        private final String id;
        private final String title;
        private final String type;
        private final List<String> boardIds;
        private final Map<Integer, String> configuredLabels;
        private final Map<Integer, String> labels = new TreeMap<>();

        Column(String id, String title, String type, List<String> configuredLabels, List<String> boardIds) {
            this.id = id;
            this.title = title;
            this.type = type;
            this.boardIds = List.copyOf(boardIds);
            Map<Integer, String> l = new TreeMap<>();
            for (int i = 0; i < configuredLabels.size(); i++) l.put(i < 5 ? i : i + 1, configuredLabels.get(i));
            this.configuredLabels = Collections.unmodifiableMap(l);
            labels.putAll(l);
        }

        String id() {
            return id;
        }

        String title() {
            return title;
        }

        String type() {
            return type;
        }

        List<String> boardIds() {
            return boardIds;
        }

        synchronized Map<Integer, String> labels() {
            return Collections.unmodifiableMap(new TreeMap<>(labels));
        }

        synchronized Integer indexOf(String label) {
            for (Map.Entry<Integer, String> e : labels.entrySet()) {
                if (e.getValue().equals(label)) return e.getKey();
            }
            return null;
        }

        /** Adds a label (or answers the index it already has). */
        synchronized int addLabel(String label) {
            Integer known = indexOf(label);
            if (known != null) return known;
            int i = 0;
            while (labels.containsKey(i) || i == 5) i++;
            labels.put(i, label);
            return i;
        }

        synchronized void reset() {
            labels.clear();
            labels.putAll(configuredLabels);
        }

        /** The labels as {@link #restoreLabels} takes them back: those written through items are kept with the items. */
        synchronized ObjectNode labelsJson() {
            ObjectNode o = Json.object();
            labels.forEach((k, v) -> o.put(Integer.toString(k), v));
            return o;
        }

        synchronized void restoreLabels(JsonNode o) {
            labels.clear();
            labels.putAll(configuredLabels);
            o.fields().forEachRemaining(e -> labels.put(Integer.parseInt(e.getKey()), e.getValue().asText()));
        }

        /** monday's {@code settings_str}/{@code settings}: the labels of a status column, the boards of a connect-boards column. */
        ObjectNode settings() {
            ObjectNode s = Json.object();
            if (type.equals("status")) {
                ObjectNode l = s.putObject("labels");
                labels().forEach((k, v) -> l.put(Integer.toString(k), v));
            } else if (type.equals("board_relation")) {
                ArrayNode a = s.putArray("boardIds");
                boardIds.forEach(b -> a.add(Long.parseLong(b)));
            }
            return s;
        }
    }

    record Board(String id, String name, Map<String, Column> columns) {
        Column column(String columnId) {
            return columns.get(columnId);
        }
    }

    private final List<User> users;
    private final Map<String, Board> boards;

    private MondayWorkspace(List<User> users, Map<String, Board> boards) {
        this.users = users;
        this.boards = boards;
    }

    /** The workspace of the {@code workspace} setting: a JSON document, or the path of a file holding one; blank = the default. */
    static MondayWorkspace load(String setting) {
        try {
            JsonNode doc;
            if (setting == null || setting.isBlank()) {
                try (InputStream in = MondayWorkspace.class.getResourceAsStream("monday-workspace.json")) {
                    if (in == null) throw new IllegalStateException("monday-workspace.json is missing from the class path");
                    doc = Json.MAPPER.readTree(in);
                }
            } else if (setting.trim().startsWith("{")) {
                doc = Json.MAPPER.readTree(setting);
            } else {
                doc = Json.MAPPER.readTree(Files.readString(Path.of(setting.trim())));
            }
            return parse(doc);
        } catch (IOException e) {
            throw new IllegalArgumentException("the workspace is not valid JSON: " + e.getMessage(), e);
        }
    }

    static MondayWorkspace parse(JsonNode doc) {
        if (doc == null || !doc.path("users").isArray() || doc.path("users").isEmpty() || !doc.path("boards").isArray()) {
            throw new IllegalArgumentException("the workspace needs {\"users\": [at least one], \"boards\": [...]}");
        }
        List<User> users = new ArrayList<>();
        for (JsonNode u : doc.get("users")) {
            users.add(new User(required(u, "id"), required(u, "name"), required(u, "email")));
        }
        Map<String, Board> boards = new LinkedHashMap<>();
        for (JsonNode b : doc.get("boards")) {
            String id = required(b, "id");
            if (!id.matches("\\d+")) throw new IllegalArgumentException("board id '" + id + "' is not numeric");
            Map<String, Column> columns = new LinkedHashMap<>();
            for (JsonNode c : b.path("columns")) {
                String type = required(c, "type");
                if (!TYPES.contains(type)) throw new IllegalArgumentException("column type '" + type + "' is not one of " + TYPES);
                List<String> labels = new ArrayList<>();
                c.path("labels").forEach(l -> labels.add(l.asText()));
                List<String> related = new ArrayList<>();
                c.path("board_ids").forEach(r -> related.add(r.asText()));
                String cid = required(c, "id");
                columns.put(cid, new Column(cid, c.path("title").asText(cid), type, labels, related));
            }
            columns.putIfAbsent("name", new Column("name", "Name", "name", List.of(), List.of()));
            if (!columns.get("name").type().equals("name")) throw new IllegalArgumentException("column 'name' of board " + id + " must be of type name");
            boards.put(id, new Board(id, required(b, "name"), Collections.unmodifiableMap(columns)));
        }
        for (Board b : boards.values()) {
            for (Column c : b.columns().values()) {
                for (String r : c.boardIds()) {
                    if (!boards.containsKey(r)) throw new IllegalArgumentException("column " + c.id() + " of board " + b.id() + " connects unknown board " + r);
                }
            }
        }
        return new MondayWorkspace(List.copyOf(users), Collections.unmodifiableMap(boards));
    }

    private static String required(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.asText().isBlank()) throw new IllegalArgumentException("workspace entry " + n + " lacks '" + field + "'");
        return v.asText();
    }

    List<User> users() {
        return users;
    }

    User user(String id) {
        for (User u : users) if (u.id().equals(id)) return u;
        return null;
    }

    /** The user the API token belongs to. */
    User owner() {
        return users.get(0);
    }

    Map<String, Board> boards() {
        return boards;
    }

    Board board(String id) {
        return id == null ? null : boards.get(id);
    }

    /** Labels created by writes are forgotten. */
    /** The status columns' labels by board and column, for {@link MondaySandbox#snapshot}. */
    ObjectNode labelsJson() {
        ObjectNode o = Json.object();
        boards.values().forEach(b -> b.columns().values().forEach(c -> {
            if (!c.type().equals("status")) return;
            ObjectNode board = o.has(b.id()) ? (ObjectNode) o.get(b.id()) : o.putObject(b.id());
            board.set(c.id(), c.labelsJson());
        }));
        return o;
    }

    void restoreLabels(JsonNode o) {
        boards.values().forEach(b -> b.columns().values().forEach(c -> {
            JsonNode kept = o.path(b.id()).path(c.id());
            if (kept.isObject()) c.restoreLabels(kept);
        }));
    }

    void reset() {
        boards.values().forEach(b -> b.columns().values().forEach(Column::reset));
    }
}
