package io.callbridge.sandbox.notion;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.Json;

/** Pages and their child blocks, in creation order; values are kept in the form Notion answers them. */
final class NotionStore {

    static final class Page {
        final String id;
        final String dataSourceId;
        final Instant createdTime;
        final String createdBy;
        Instant lastEditedTime;
        String lastEditedBy;
        boolean inTrash;
        final Map<String, JsonNode> values = new LinkedHashMap<>();
        final List<Block> children = new ArrayList<>();
        final long seq;

        Page(String id, String dataSourceId, Instant now, String user, long seq) {
            this.id = id;
            this.dataSourceId = dataSourceId;
            this.createdTime = now;
            this.lastEditedTime = now;
            this.createdBy = user;
            this.lastEditedBy = user;
            this.seq = seq;
        }
    }

    record Block(String id, String pageId, String type, ArrayNode richText, Boolean checked, Instant createdTime, String createdBy) {
        String plainText() {
            StringBuilder sb = new StringBuilder();
            for (JsonNode t : richText) sb.append(t.path("plain_text").asText());
            return sb.toString();
        }
    }

    private final Map<String, Page> pages = new LinkedHashMap<>();
    private final Map<String, Block> blocks = new LinkedHashMap<>();
    private long seq;

    void clear() {
        pages.clear();
        blocks.clear();
        seq = 0;
    }

    Page create(String id, String dataSourceId, Instant now, String user) {
        Page p = new Page(id, dataSourceId, now, user, seq++);
        pages.put(id, p);
        return p;
    }

    void addBlock(Page p, Block b, int at) {
        p.children.add(at, b);
        blocks.put(b.id(), b);
    }

    Page page(String id) {
        return pages.get(id);
    }

    Block block(String id) {
        return blocks.get(id);
    }

    List<Page> pages(String dataSourceId) {
        List<Page> out = new ArrayList<>();
        for (Page p : pages.values()) if (dataSourceId == null || p.dataSourceId.equals(dataSourceId)) out.add(p);
        return out;
    }

    /** For seed: forget pages created after a failure. */
    void removeAfter(long seqExclusive) {
        pages.values().removeIf(p -> {
            if (p.seq < seqExclusive) return false;
            p.children.forEach(b -> blocks.remove(b.id()));
            return true;
        });
        seq = seqExclusive;
    }

    long nextSeq() {
        return seq;
    }

    /** The pages with their values and child blocks, for {@link NotionSandbox#snapshot}. */
    ObjectNode toJson() {
        ObjectNode o = Json.object().put("seq", seq);
        ArrayNode a = o.putArray("pages");
        for (Page p : pages.values()) {
            ObjectNode n = a.addObject().put("id", p.id).put("dataSourceId", p.dataSourceId).put("createdTime", p.createdTime.toString())
                    .put("createdBy", p.createdBy).put("lastEditedTime", p.lastEditedTime.toString()).put("lastEditedBy", p.lastEditedBy)
                    .put("inTrash", p.inTrash).put("seq", p.seq);
            ObjectNode values = n.putObject("values");
            p.values.forEach(values::set);
            ArrayNode children = n.putArray("children");
            for (Block b : p.children) {
                ObjectNode c = children.addObject().put("id", b.id()).put("type", b.type()).put("createdTime", b.createdTime().toString())
                        .put("createdBy", b.createdBy());
                c.set("richText", b.richText());
                if (b.checked() != null) c.put("checked", b.checked());
            }
        }
        return o;
    }

    /** Replaces everything with what {@link #toJson} wrote. */
    void fromJson(JsonNode o) {
        clear();
        for (JsonNode n : o.path("pages")) {
            Page p = new Page(n.get("id").asText(), n.get("dataSourceId").asText(), Instant.parse(n.get("createdTime").asText()),
                    n.path("createdBy").asText(null), n.get("seq").asLong());
            p.lastEditedTime = Instant.parse(n.get("lastEditedTime").asText());
            p.lastEditedBy = n.path("lastEditedBy").asText(null);
            p.inTrash = n.path("inTrash").asBoolean();
            n.path("values").fields().forEachRemaining(e -> p.values.put(e.getKey(), e.getValue()));
            for (JsonNode c : n.path("children")) {
                addBlock(p, new Block(c.get("id").asText(), p.id, c.get("type").asText(), (ArrayNode) c.get("richText"),
                        c.has("checked") ? c.get("checked").asBoolean() : null, Instant.parse(c.get("createdTime").asText()),
                        c.path("createdBy").asText(null)), p.children.size());
            }
            pages.put(p.id, p);
        }
        seq = o.path("seq").asLong();
    }
}
