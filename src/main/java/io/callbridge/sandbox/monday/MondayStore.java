package io.callbridge.sandbox.monday;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.Json;

/**
 * The items of every board, in creation order, and their updates. Item ids are numeric strings increasing from
 * {@link #FIRST_ITEM_ID}, update ids from {@link #FIRST_UPDATE_ID}; a reset starts both again.
 */
final class MondayStore {

    static final long FIRST_ITEM_ID = 9_000_000_001L;
    static final long FIRST_UPDATE_ID = 800_000_001L;

    /** A column's value as monday stores it ({@code value}, a JSON value) and shows it ({@code text}). */
    record Cell(JsonNode value, String text) { }

    record Update(String id, String itemId, String body, String creatorId, Instant createdAt) { }

    static final class Item {
        final String id;
        final String boardId;
        final String groupId;
        final Instant createdAt;
        String name;
        Instant updatedAt;
        final Map<String, Cell> cells = new LinkedHashMap<>();
        final List<Update> updates = new ArrayList<>();

        Item(String id, String boardId, String groupId, String name, Instant createdAt) {
            this.id = id;
            this.boardId = boardId;
            this.groupId = groupId;
            this.name = name;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
        }

        Item copy() {
            Item c = new Item(id, boardId, groupId, name, createdAt);
            c.updatedAt = updatedAt;
            c.cells.putAll(cells);
            c.updates.addAll(updates);
            return c;
        }
    }

    record Snapshot(Map<String, Item> items, long nextItem, long nextUpdate) { }

    /** Who hears of what happens to items (the account's webhooks). */
    interface ItemEvents {
        void created(Item item);

        /** {@code before} or {@code after} null: the column was empty, or is now. */
        void columnChanged(Item item, String columnId, Cell before, Cell after);

        void renamed(Item item, String before);

        void deleted(Item item);
    }

    private static final ItemEvents NOBODY = new ItemEvents() {
        @Override
        public void created(Item item) { }

        @Override
        public void columnChanged(Item item, String columnId, Cell before, Cell after) { }

        @Override
        public void renamed(Item item, String before) { }

        @Override
        public void deleted(Item item) { }
    };

    private ItemEvents events = NOBODY;

    private final Map<String, Item> items = new LinkedHashMap<>();
    private long nextItem = FIRST_ITEM_ID;
    private long nextUpdate = FIRST_UPDATE_ID;

    Item create(String boardId, String groupId, String name, Instant now) {
        Item i = new Item(Long.toString(nextItem++), boardId, groupId, name, now);
        items.put(i.id, i);
        return i;
    }

    void onItemEvents(ItemEvents listener) {
        this.events = listener;
    }

    ItemEvents events() {
        return events;
    }

    /** The item is gone, as {@code delete_item} leaves it (its updates with it). */
    void delete(Item item) {
        items.remove(item.id);
        events.deleted(item);
    }

    Update addUpdate(Item item, String body, String creatorId, Instant now) {
        Update u = new Update(Long.toString(nextUpdate++), item.id, body, creatorId, now);
        item.updates.add(u);
        return u;
    }

    Item item(String id) {
        return id == null ? null : items.get(id);
    }

    /** The items of a board in creation order. */
    List<Item> board(String boardId) {
        List<Item> out = new ArrayList<>();
        for (Item i : items.values()) if (i.boardId.equals(boardId)) out.add(i);
        return out;
    }

    List<Item> all() {
        return new ArrayList<>(items.values());
    }

    void clear() {
        items.clear();
        nextItem = FIRST_ITEM_ID;
        nextUpdate = FIRST_UPDATE_ID;
    }

    Snapshot snapshot() {
        Map<String, Item> copy = new LinkedHashMap<>();
        items.forEach((k, v) -> copy.put(k, v.copy()));
        return new Snapshot(copy, nextItem, nextUpdate);
    }

    void restore(Snapshot s) {
        items.clear();
        items.putAll(s.items());
        nextItem = s.nextItem();
        nextUpdate = s.nextUpdate();
    }

    /** The items with their cells and updates and both counters, for {@link MondaySandbox#snapshot}. */
    ObjectNode toJson() {
        ObjectNode o = Json.object().put("nextItem", nextItem).put("nextUpdate", nextUpdate);
        ArrayNode a = o.putArray("items");
        for (Item i : items.values()) {
            ObjectNode n = a.addObject().put("id", i.id).put("boardId", i.boardId).put("groupId", i.groupId).put("name", i.name)
                    .put("createdAt", i.createdAt.toString()).put("updatedAt", i.updatedAt.toString());
            ObjectNode cells = n.putObject("cells");
            i.cells.forEach((column, c) -> cells.putObject(column).put("text", c.text()).set("value", c.value()));
            ArrayNode updates = n.putArray("updates");
            i.updates.forEach(u -> updates.addObject().put("id", u.id()).put("body", u.body()).put("creatorId", u.creatorId())
                    .put("createdAt", u.createdAt().toString()));
        }
        return o;
    }

    /** Replaces everything with what {@link #toJson} wrote. */
    void fromJson(JsonNode o) {
        Map<String, Item> copy = new LinkedHashMap<>();
        for (JsonNode n : o.path("items")) {
            Item i = new Item(n.get("id").asText(), n.get("boardId").asText(), n.path("groupId").asText(null), n.path("name").asText(null),
                    Instant.parse(n.get("createdAt").asText()));
            i.updatedAt = Instant.parse(n.get("updatedAt").asText());
            n.path("cells").fields().forEachRemaining(e -> i.cells.put(e.getKey(),
                    new Cell(e.getValue().get("value"), e.getValue().path("text").isNull() ? null : e.getValue().path("text").asText())));
            for (JsonNode u : n.path("updates")) {
                i.updates.add(new Update(u.get("id").asText(), i.id, u.path("body").asText(null), u.path("creatorId").asText(null),
                        Instant.parse(u.get("createdAt").asText())));
            }
            copy.put(i.id, i);
        }
        restore(new Snapshot(copy, o.path("nextItem").asLong(FIRST_ITEM_ID), o.path("nextUpdate").asLong(FIRST_UPDATE_ID)));
    }
}
