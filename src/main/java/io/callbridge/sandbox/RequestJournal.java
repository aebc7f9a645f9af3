package io.callbridge.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Function;

/**
 * The last requests a CRM received: method, path, the names (never the values) of the query
 * parameters, the Content-Type, the CRM's note on the request ({@link SandboxCrm#journalNote}), status
 * and whether a fault was injected. Query values, other headers and bodies carry tokens and personal
 * data and are never kept.
 *
 * <p>Only the last {@value #CAPACITY} are kept, but each carries {@code seq}, its number since the
 * journal was last cleared: the newest entry's {@code seq} is how many requests the CRM saw in all,
 * which a benchmark needs at rates where the journal rolls over between two reads.
 */
public final class RequestJournal {

    private static final int CAPACITY = 2000;

    private record Entry(long seq, Instant at, String method, String path, java.util.List<String> params, String contentType,
            String note, int status, boolean injected) { }

    private final Deque<Entry> entries = new ArrayDeque<>();
    private final Function<SandboxRequest, String> notes;
    private long recorded;

    public RequestJournal() {
        this(r -> null);
    }

    /** @param notes the CRM's note on a request, or null */
    public RequestJournal(Function<SandboxRequest, String> notes) {
        this.notes = notes;
    }

    public synchronized void record(SandboxRequest request, int status, boolean injected) {
        if (entries.size() == CAPACITY) {
            entries.pollFirst();
        }
        entries.addLast(new Entry(++recorded, Instant.now(), request.method(), maskPath(request.path()), java.util.List.copyOf(request.query().keySet()),
                request.header("content-type"), note(request), status, injected));
    }

    /** A note that cannot be read (a body the CRM refuses as invalid) is none. */
    private String note(SandboxRequest request) {
        try {
            return notes.apply(request);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Path segments that are e-mail addresses (HubSpot {@code idProperty=email}, external-id upserts) are masked. */
    static String maskPath(String path) {
        return path.replaceAll("[^/]*(@|%40)[^/]*", "***");
    }

    public synchronized void clear() {
        entries.clear();
        recorded = 0;
    }

    public synchronized ArrayNode toJson() {
        ArrayNode a = Json.array();
        for (Entry e : entries) {
            ObjectNode o = a.addObject();
            o.put("seq", e.seq());
            o.put("at", e.at().toString());
            o.put("method", e.method());
            o.put("path", e.path());
            if (!e.params().isEmpty()) {
                ArrayNode p = o.putArray("params");
                e.params().forEach(p::add);
            }
            if (e.contentType() != null) o.put("contentType", e.contentType());
            if (e.note() != null) o.put("note", e.note());
            o.put("status", e.status());
            if (e.injected()) o.put("injected", true);
        }
        return a;
    }
}
