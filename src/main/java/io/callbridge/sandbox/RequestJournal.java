package io.callbridge.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The last requests a CRM received: method, path (never the query string, headers or body, which
 * carry tokens and personal data), status and whether a fault was injected.
 */
public final class RequestJournal {

    private static final int CAPACITY = 2000;

    private record Entry(Instant at, String method, String path, int status, boolean injected) { }

    private final Deque<Entry> entries = new ArrayDeque<>();

    public synchronized void record(String method, String path, int status, boolean injected) {
        if (entries.size() == CAPACITY) {
            entries.pollFirst();
        }
        entries.addLast(new Entry(Instant.now(), method, path, status, injected));
    }

    public synchronized void clear() {
        entries.clear();
    }

    public synchronized ArrayNode toJson() {
        ArrayNode a = Json.array();
        for (Entry e : entries) {
            ObjectNode o = a.addObject();
            o.put("at", e.at().toString());
            o.put("method", e.method());
            o.put("path", e.path());
            o.put("status", e.status());
            if (e.injected()) o.put("injected", true);
        }
        return a;
    }
}
