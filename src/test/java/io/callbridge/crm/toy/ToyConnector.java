package io.callbridge.crm.toy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callbridge.crm.CrmKeys;
import io.callbridge.mapping.Command;
import io.callbridge.mapping.CrmRequest;
import io.callbridge.mapping.LiveMappings;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** Bean {@code toyConnector}: the steps of {@code crm-toy.yaml} that YAML expresses badly. */
public final class ToyConnector {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LiveMappings mappings;
    private final String baseUrl;
    private final String token;

    ToyConnector(LiveMappings mappings, String baseUrl, String token) {
        this.mappings = mappings;
        this.baseUrl = baseUrl;
        this.token = token;
    }

    /** The template's request as camel-http's headers and body, or {@link CrmKeys#SKIP}. */
    public void render(Exchange exchange) throws Exception {
        Command command = exchange.getProperty(CrmKeys.COMMAND, Command.class);
        CrmRequest request = mappings.current().render(command, null);
        if (request == null) {
            exchange.setProperty(CrmKeys.SKIP, "the template has nothing to send");
            return;
        }
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_METHOD, request.method());
        m.setHeader(Exchange.HTTP_PATH, request.path());
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setHeader("Authorization", "Bearer " + token);
        m.setBody(JSON.writeValueAsBytes(request.body()));
        exchange.setProperty("CallbridgeToyUrl", baseUrl);
    }

    /** The id the toy CRM answered, for the outcome. */
    public void written(Exchange exchange) throws Exception {
        String body = exchange.getMessage().getBody(String.class);
        JsonNode answer = body == null || body.isBlank() ? JSON.nullNode() : JSON.readTree(body);
        if (answer.path("id").isTextual()) {
            exchange.setProperty(CrmKeys.RECORD_ID, answer.get("id").asText());
        }
    }
}
