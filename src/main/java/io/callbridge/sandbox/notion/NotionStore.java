package io.callbridge.sandbox.notion;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

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
}
