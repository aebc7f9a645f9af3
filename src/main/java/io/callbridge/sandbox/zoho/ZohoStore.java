package io.callbridge.sandbox.zoho;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.Json;

/**
 * The records of every module, in creation order, each kept as Zoho answers it (lookups as {@code {name, id}},
 * times formatted). Ids are 19-digit strings unique across modules, as Zoho's are; they count up from the same
 * start after every reset, so a test run replays.
 */
final class ZohoStore {

    private static final long ID_BASE = 4_876_876_000_000_000_000L;
    private static final long FIRST_ID = 412_001;

    /** A copy of the whole store, to undo a seed that fails half way. */
    record Snapshot(Map<String, LinkedHashMap<String, ObjectNode>> records, long next) { }

    private Map<String, LinkedHashMap<String, ObjectNode>> records = new LinkedHashMap<>();
    private long next = FIRST_ID;
    /** Each record's place in creation order, which page tokens continue from ({@link ZohoPageTokens}). */
    private final Map<String, Long> sequence = new java.util.HashMap<>();
    private long created;

    String nextId() {
        String id;
        do {
            id = Long.toString(ID_BASE + next++);
        } while (find(id) != null);
        return id;
    }

    /** A free id given by a seed: 18 or 19 digits, as Zoho's are. */
    boolean usableId(String id) {
        return id != null && id.matches("\\d{18,19}") && find(id) == null;
    }

    ObjectNode get(String module, String id) {
        Map<String, ObjectNode> m = records.get(module);
        return m == null || id == null ? null : m.get(id);
    }

    /** The record with this id in any module, or null. */
    ObjectNode find(String id) {
        for (Map<String, ObjectNode> m : records.values()) {
            ObjectNode r = m.get(id);
            if (r != null) return r;
        }
        return null;
    }

    List<ObjectNode> all(String module) {
        Map<String, ObjectNode> m = records.get(module);
        return m == null ? List.of() : new ArrayList<>(m.values());
    }

    void put(String module, ObjectNode record) {
        String id = record.get("id").asText();
        records.computeIfAbsent(module, k -> new LinkedHashMap<>()).put(id, record);
        sequence.computeIfAbsent(id, k -> ++created);
    }

    /** The record's place in creation order (records of one module come in that order from {@link #all}). */
    long sequence(String id) {
        return sequence.get(id);
    }

    /** Removes the record; answers it, or null when the module holds no such id. */
    ObjectNode remove(String module, String id) {
        Map<String, ObjectNode> m = records.get(module);
        ObjectNode removed = m == null || id == null ? null : m.remove(id);
        if (removed != null) sequence.remove(id);
        return removed;
    }

    void clear() {
        records = new LinkedHashMap<>();
        next = FIRST_ID;
        sequence.clear();
    }

    Snapshot snapshot() {
        Map<String, LinkedHashMap<String, ObjectNode>> copy = new LinkedHashMap<>();
        records.forEach((k, v) -> {
            LinkedHashMap<String, ObjectNode> m = new LinkedHashMap<>();
            v.forEach((id, r) -> m.put(id, r.deepCopy()));
            copy.put(k, m);
        });
        return new Snapshot(copy, next);
    }

    void restore(Snapshot s) {
        records = s.records();
        next = s.next();
        sequence.clear();
        records.values().forEach(m -> m.keySet().forEach(id -> sequence.put(id, ++created)));
    }

    /** The records of every module and the next id, for {@link ZohoSandbox#snapshot}. */
    ObjectNode toJson() {
        ObjectNode o = Json.object().put("next", next);
        ObjectNode modules = o.putObject("records");
        records.forEach((module, byId) -> {
            com.fasterxml.jackson.databind.node.ArrayNode a = modules.putArray(module);
            byId.values().forEach(a::add);
        });
        return o;
    }

    /** Replaces everything with what {@link #toJson} wrote. */
    void fromJson(JsonNode o) {
        Map<String, LinkedHashMap<String, ObjectNode>> modules = new LinkedHashMap<>();
        o.path("records").fields().forEachRemaining(e -> {
            LinkedHashMap<String, ObjectNode> byId = new LinkedHashMap<>();
            e.getValue().forEach(r -> byId.put(r.get("id").asText(), (ObjectNode) r.deepCopy()));
            modules.put(e.getKey(), byId);
        });
        restore(new Snapshot(modules, o.path("next").asLong(FIRST_ID)));
    }
}
