package io.callbridge.mapping;

import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.support.SandboxClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Sends every request the templates render for an event to a CRM sandbox, as a connector would. */
final class RenderedRequests {

    private RenderedRequests() {
    }

    /** Every rendered request must be accepted, and its {@code find} request must find what it wrote. */
    static void applyAll(Mappings mappings, SandboxClient crm, ObjectNode event, JsonNode contact) throws Exception {
        for (Command command : mappings.plan(event)) {
            CrmRequest request = mappings.render(command, contact);
            if (request == null) {
                continue;
            }
            HttpResponse<String> answer = crm.call(request.method(), request.path(), request.body());
            assertThat(answer.statusCode()).as(command.commandId() + " " + request.body() + " -> " + answer.body())
                    .isBetween(200, 204);
            if (request.find() != null) {
                HttpResponse<String> found = crm.call(request.find().get("method").asText(), request.find().get("path").asText(),
                        request.find().get("body"));
                assertThat(found.body()).as("the find request finds what was just written").contains(command.commandId());
            }
        }
    }
}
