package io.callbridge.sandbox.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.SandboxHttp;
import io.callbridge.sandbox.SandboxHttp.Resp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** HubSpot's property validation and error bodies. */
class HubSpotValidationTest extends HubSpotTestSupport {

    @ParameterizedTest
    @ValueSource(strings = {"calls", "tasks", "notes", "meetings"})
    void engagementsRequireHsTimestamp(String type) {
        JsonNode b = error(post("/crm/v3/objects/" + type, "{\"properties\":{}}"), 400, "VALIDATION_ERROR");
        assertThat(b.get("message").asText()).isEqualTo("Error creating " + HubSpotSchema.type(type).singular().toUpperCase()
                + ". Some required properties were not set.");
        assertThat(b.get("context").get("properties").get(0).asText()).isEqualTo("hs_timestamp");
        assertThat(SandboxHttp.json("GET", admin() + "/records/" + type, null, null).json()).as("nothing written").isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "calls|hs_call_direction|inbound|INBOUND",
            "calls|hs_call_status|DONE|COMPLETED",
            "tasks|hs_task_priority|URGENT|HIGH",
            "tasks|hs_task_status|OPEN|NOT_STARTED",
            "tasks|hs_task_type|PHONE|CALL",
            "tickets|hs_ticket_priority|CRITICAL|URGENT",
            "deals|dealstage|won|closedwon",
            "tickets|hs_pipeline_stage|5|4"})
    void enumerationsRefuseValuesOutsideTheirOptions(String type, String property, String wrong, String right) {
        String base = switch (type) {
            case "tickets" -> property.equals("hs_pipeline_stage") ? "\"subject\":\"x\"" : "\"subject\":\"x\",\"hs_pipeline_stage\":\"1\"";
            case "deals" -> "\"dealname\":\"x\"";
            default -> "\"hs_timestamp\":\"2026-11-28T09:14:03Z\"";
        };
        JsonNode b = propertyError(post("/crm/v3/objects/" + type, "{\"properties\":{" + base + ",\"" + property + "\":\"" + wrong + "\"}}"),
                "INVALID_OPTION", property);
        assertThat(b.get("message").asText()).contains(wrong + " was not one of the allowed options").contains(right);
        String id = create(type, "{" + base + ",\"" + property + "\":\"" + right + "\"}");
        propertyError(patch("/crm/v3/objects/" + type + "/" + id, "{\"properties\":{\"" + property + "\":\"" + wrong + "\"}}"), "INVALID_OPTION", property);
    }

    @Test
    void aDuplicateEmailAnswers409WithTheExistingId() {
        String id = create("contacts", "{\"email\":\"jean.dupont@example.ch\"}");
        JsonNode b = error(post("/crm/v3/objects/contacts", "{\"properties\":{\"email\":\"JEAN.DUPONT@example.ch\"}}"), 409, "CONFLICT");
        assertThat(b.get("message").asText()).isEqualTo("Contact already exists. Existing ID: " + id);
        String other = create("contacts", "{\"email\":\"other@example.ch\"}");
        JsonNode u = error(patch("/crm/v3/objects/contacts/" + other, "{\"properties\":{\"email\":\"jean.dupont@example.ch\"}}"), 409, "CONFLICT");
        assertThat(u.get("message").asText()).endsWith("Existing ID: " + id);
    }

    @Test
    void unknownPropertiesAreRefusedUntilDeclaredByAPortalAdmin() {
        propertyError(post("/crm/v3/objects/contacts", "{\"properties\":{\"email\":\"x@example.ch\",\"callbridge_lead_score\":\"86\"}}"),
                "PROPERTY_DOESNT_EXIST", "callbridge_lead_score");
        Resp declared = SandboxHttp.json("POST", admin() + "/properties/contacts", null,
                "{\"name\":\"callbridge_lead_score\",\"label\":\"Lead score\",\"type\":\"number\",\"fieldType\":\"number\"}");
        assertThat(declared.status()).as(declared.body()).isEqualTo(201);
        String id = create("contacts", "{\"email\":\"x@example.ch\",\"callbridge_lead_score\":\"86\"}");
        assertThat(get("/crm/v3/objects/contacts/" + id + "?properties=callbridge_lead_score").json().get("properties")
                .get("callbridge_lead_score").asText()).isEqualTo("86");
        propertyError(patch("/crm/v3/objects/contacts/" + id, "{\"properties\":{\"callbridge_lead_score\":\"high\"}}"), "INVALID_DECIMAL", "callbridge_lead_score");
        // visible through the properties API, and twice is a conflict
        assertThat(get("/crm/v3/properties/contacts/callbridge_lead_score").json().get("type").asText()).isEqualTo("number");
        assertThat(SandboxHttp.json("POST", admin() + "/properties/contacts", null, "{\"name\":\"callbridge_lead_score\"}").status()).isEqualTo(409);
        // an enumeration declared with options
        SandboxHttp.json("POST", admin() + "/properties/calls", null, "{\"name\":\"callbridge_sentiment\",\"type\":\"enumeration\","
                + "\"options\":[{\"label\":\"Positive\",\"value\":\"positive\"},{\"label\":\"Negative\",\"value\":\"negative\"}]}");
        propertyError(post("/crm/v3/objects/calls", "{\"properties\":{\"hs_timestamp\":\"2026-11-28T09:00:00Z\",\"callbridge_sentiment\":\"meh\"}}"),
                "INVALID_OPTION", "callbridge_sentiment");
        // a reset forgets admin-declared properties (configured ones stay)
        sandbox.reset("hubspot");
        propertyError(post("/crm/v3/objects/contacts", "{\"properties\":{\"callbridge_lead_score\":\"1\"}}"), "PROPERTY_DOESNT_EXIST", "callbridge_lead_score");
        assertThat(get("/crm/v3/properties/contacts/" + CUSTOM_UNIQUE).status()).isEqualTo(200);
    }

    @Test
    void propertiesCanAlsoBeCreatedThroughThePropertiesApi() {
        Resp r = post("/crm/v3/properties/deals", "{\"name\":\"callbridge_source\",\"label\":\"Source\",\"type\":\"string\",\"fieldType\":\"text\",\"groupName\":\"dealinformation\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        create("deals", "{\"dealname\":\"d\",\"callbridge_source\":\"voice\"}");
        assertThat(get("/crm/v3/properties/deals").json().get("results").toString()).contains("callbridge_source");
        error(get("/crm/v3/properties/deals/nope"), 404, "OBJECT_NOT_FOUND");
    }

    @Test
    void ticketsRequireAPipelineStage() {
        JsonNode b = error(post("/crm/v3/objects/tickets", "{\"properties\":{\"subject\":\"x\"}}"), 400, "VALIDATION_ERROR");
        assertThat(b.get("context").get("properties").get(0).asText()).isEqualTo("hs_pipeline_stage");
        assertThat(create("tickets", "{\"subject\":\"x\",\"hs_pipeline_stage\":\"1\"}")).isNotEmpty();
    }

    @Test
    void readOnlyAndCalculatedPropertiesCannotBeWritten() {
        propertyError(post("/crm/v3/objects/contacts", "{\"properties\":{\"hs_searchable_calculated_phone_number\":\"791234567\"}}"),
                "READ_ONLY_VALUE", "hs_searchable_calculated_phone_number");
        propertyError(post("/crm/v3/objects/contacts", "{\"properties\":{\"hs_object_id\":\"1\"}}"), "READ_ONLY_VALUE", "hs_object_id");
    }

    @Test
    void emailsDatesAndSeveralProblemsAtOnce() {
        propertyError(post("/crm/v3/objects/contacts", "{\"properties\":{\"email\":\"not-an-email\"}}"), "INVALID_EMAIL", "email");
        propertyError(post("/crm/v3/objects/calls", "{\"properties\":{\"hs_timestamp\":\"yesterday\"}}"), "INVALID_DATE", "hs_timestamp");
        JsonNode b = error(post("/crm/v3/objects/calls", "{\"properties\":{\"hs_call_direction\":\"IN\",\"colour\":\"red\"}}"), 400, "VALIDATION_ERROR");
        assertThat(b.get("errors")).hasSize(2);
    }

    @Test
    void malformedBodiesAndUnknownTypesAnswerHubSpotErrors() {
        error(post("/crm/v3/objects/contacts", "{\"properties\":"), 400, "VALIDATION_ERROR");
        error(post("/crm/v3/objects/contacts", null), 400, "VALIDATION_ERROR");
        error(post("/crm/v3/objects/widgets", "{\"properties\":{}}"), 400, "VALIDATION_ERROR");
        // a path the simulator does not route is its gap, not HubSpot's 404 (HubSpotRoutesTest)
        error(get("/crm/v3/nothing"), 501, "NOT_SIMULATED");
        error(get("/crm/v2/objects/contacts"), 501, "NOT_SIMULATED");
    }
}
