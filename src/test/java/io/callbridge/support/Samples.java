package io.callbridge.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The sample events shipped in mappings/samples, as integrators see them. */
public final class Samples {

    private Samples() {
    }

    public static ObjectNode event(String name) {
        try {
            return (ObjectNode) Events.parse(Files.readAllBytes(Path.of("mappings/samples", name + ".json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectNode designExample() {
        return event("design-example");
    }

    public static ObjectNode minimal() {
        return event("minimal");
    }

    /** A shipped sample as a new call (its own id and call id) with the customer at {@code e164}, as the assistant posts it. */
    public static ObjectNode call(String sample, String e164) {
        ObjectNode event = event(sample);
        event.put("id", java.util.UUID.randomUUID().toString());
        ObjectNode data = (ObjectNode) event.get("data");
        data.remove("customerE164");
        data.put("outbound".equals(data.path("direction").asText()) ? "to" : "from", e164);
        data.put("callId", "call-" + event.get("id").asText());
        return event;
    }

    /** The minimal sample as a new call: its own id and call id, to the number as the assistant typed it. */
    public static ObjectNode shortCall(String id, String to) {
        ObjectNode event = minimal();
        event.put("id", id);
        ObjectNode data = (ObjectNode) event.get("data");
        data.remove("customerE164");
        data.put("to", to);
        data.put("callId", "call-" + id);
        return event;
    }
}
