package io.callbridge.crm.notion;

import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.notion.NotionSandbox;
import io.callbridge.support.ConnectorHarness;
import io.callbridge.support.Events;
import io.callbridge.support.OffsetClock;
import io.callbridge.support.Samples;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A workspace in French, whose databases call their title "Nom": nothing to configure, because the templates write the
 * title by its id and lookups read the property of type title.
 */
class NotionTitlesIT {

    private static NotionFixture.Workspace workspace;
    private static ConnectorHarness cb;

    @BeforeAll
    static void start() throws Exception {
        ObjectNode doc;
        try (InputStream in = NotionSandbox.class.getResourceAsStream("workspace.json")) {
            doc = (ObjectNode) Events.JSON.readTree(in);
        }
        for (JsonNode ds : doc.path("data_sources")) {
            ObjectNode props = (ObjectNode) ds.get("properties");
            ObjectNode renamed = Events.JSON.createObjectNode();
            props.fields().forEachRemaining(e -> renamed.set(e.getKey().equals("Name") ? "Nom" : e.getKey(), e.getValue()));
            ((ObjectNode) ds).set("properties", renamed);
        }
        workspace = NotionFixture.Workspace.start(Map.of("workspace", doc.toString()), new OffsetClock());
        cb = ConnectorHarness.start("notion", workspace.connectorSettings(), workspace, "+417961");
    }

    @AfterAll
    static void stop() throws Exception {
        if (cb != null) {
            cb.close();
        }
    }

    @Test
    void callsArePagesTitledInTheDatabasesOwnTitleAndTheCallerIsNamedFromIt() {
        String e164 = cb.newNumber();
        ObjectNode p = Events.JSON.createObjectNode();
        p.putObject("Nom").putArray("title").addObject().putObject("text").put("content", "Jeanne Martin");
        p.putObject("Phone").put("phone_number", "0" + e164.substring(3));
        String contact = workspace.create(NotionFixture.CONTACTS, p);
        ObjectNode event = Samples.call("minimal", e164);

        cb.app().post(event);

        cb.awaitDelivered(event, List.of("log-call:0", "enrich-contact:0"));
        List<JsonNode> calls = workspace.of(NotionFixture.CALLS, contact);
        assertThat(calls).hasSize(1);
        assertThat(NotionFixture.text(calls.get(0), "Nom")).startsWith("Appel sortant - ");
        HttpResponse<String> lookup = Events.send(HttpRequest.newBuilder(URI.create(cb.app().uri("/v1/callers/"
                + URLEncoder.encode(e164, StandardCharsets.UTF_8)).toString())).header("Authorization", "Bearer " + ConnectorHarness.ADMIN).GET().build());
        assertThat(lookup.statusCode()).as(lookup.body()).isEqualTo(200);
        assertThat(Events.parse(lookup.body().getBytes(StandardCharsets.UTF_8)).get("displayName").asText()).isEqualTo("Jeanne Martin");
    }
}
