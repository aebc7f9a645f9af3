package io.callbridge.sandbox.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.SandboxHttp.Resp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Inline associations on create, v4 default and labelled associations, HubSpot-defined type ids. */
class HubSpotAssociationsTest extends HubSpotTestSupport {

    private static final String TS = "\"hs_timestamp\":\"2026-11-28T09:14:03Z\"";

    private static String assoc(String toId, int typeId) {
        return "{\"to\":{\"id\":\"" + toId + "\"},\"types\":[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":" + typeId + "}]}";
    }

    private static List<String> associated(String type, String id, String to) {
        JsonNode o = get("/crm/v3/objects/" + type + "/" + id + "?associations=" + to).json();
        List<String> out = new ArrayList<>();
        o.path("associations").path(to).path("results").forEach(r -> out.add(r.get("id").asText() + ":" + r.get("type").asText()));
        return out;
    }

    @ParameterizedTest
    @CsvSource({
            "calls,194,call_to_contact,calls,contact_to_call",
            "tasks,204,task_to_contact,tasks,contact_to_task",
            "notes,202,note_to_contact,notes,contact_to_note",
            "meetings,200,meeting_to_contact,meetings,contact_to_meeting",
            "deals,3,deal_to_contact,deals,contact_to_deal",
            "tickets,16,ticket_to_contact,tickets,contact_to_ticket"})
    void inlineAssociationsToAContactAreVisibleFromBothSides(String type, int typeId, String forward, String back, String reverse) {
        String contact = create("contacts", "{\"email\":\"jean@example.ch\"}");
        String props = switch (type) {
            case "deals" -> "\"dealname\":\"d\"";
            case "tickets" -> "\"subject\":\"s\",\"hs_pipeline_stage\":\"1\"";
            default -> TS;
        };
        Resp r = post("/crm/v3/objects/" + type, "{\"properties\":{" + props + "},\"associations\":[" + assoc(contact, typeId) + "]}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String id = r.json().get("id").asText();
        assertThat(associated(type, id, "contacts")).containsExactly(contact + ":" + forward);
        assertThat(associated("contacts", contact, back)).containsExactly(id + ":" + reverse);
        // v4 view of the same association, with the reverse type id
        JsonNode v4 = get("/crm/v4/objects/contacts/" + contact + "/associations/" + type).json().get("results").get(0);
        assertThat(v4.get("toObjectId").asText()).isEqualTo(id);
        assertThat(v4.get("associationTypes").get(0).get("category").asText()).isEqualTo("HUBSPOT_DEFINED");
        assertThat(v4.get("associationTypes").get(0).get("typeId").asInt()).isEqualTo(HubSpotSchema.association(typeId).reverseId());
    }

    @ParameterizedTest
    @CsvSource({"calls,204", "calls,202", "tasks,194", "notes,200", "meetings,3", "calls,999", "calls,279"})
    void wrongTypeIdsAreRefusedAndNothingIsCreated(String type, int typeId) {
        String contact = create("contacts", "{\"email\":\"jean@example.ch\"}");
        JsonNode b = error(post("/crm/v3/objects/" + type, "{\"properties\":{" + TS + "},\"associations\":[" + assoc(contact, typeId) + "]}"),
                400, "VALIDATION_ERROR");
        assertThat(b.get("message").asText()).contains(Integer.toString(typeId));
        assertThat(search(type, "{}").get("total").asInt()).isZero();
    }

    @Test
    void associationsToMissingObjectsAndUnknownCategoriesAreRefused() {
        error(post("/crm/v3/objects/calls", "{\"properties\":{" + TS + "},\"associations\":[" + assoc("424242", 194) + "]}"), 400, "VALIDATION_ERROR");
        String contact = create("contacts", "{\"email\":\"jean@example.ch\"}");
        error(post("/crm/v3/objects/calls", "{\"properties\":{" + TS + "},\"associations\":[{\"to\":{\"id\":\"" + contact
                + "\"},\"types\":[{\"associationCategory\":\"USER_DEFINED\",\"associationTypeId\":194}]}]}"), 400, "VALIDATION_ERROR");
    }

    @Test
    void v4DefaultAssociationContactToCompanyAddsThePrimaryOnce() {
        String contact = create("contacts", "{\"email\":\"jean@example.ch\"}");
        String company = create("companies", "{\"name\":\"Dupont SA\"}");
        Resp r = put("/crm/v4/objects/contacts/" + contact + "/associations/default/companies/" + company, null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("status").asText()).isEqualTo("COMPLETE");
        List<Integer> ids = new ArrayList<>();
        r.json().get("results").forEach(x -> ids.add(x.get("associationSpec").get("associationTypeId").asInt()));
        assertThat(ids).containsExactlyInAnyOrder(279, 280, 1, 2);
        assertThat(associated("contacts", contact, "companies")).containsExactlyInAnyOrder(company + ":contact_to_company_unlabeled", company + ":contact_to_company");
        assertThat(associated("companies", company, "contacts")).containsExactlyInAnyOrder(contact + ":company_to_contact_unlabeled", contact + ":company_to_contact");
        // a second company gets the default association only
        String second = create("companies", "{\"name\":\"Autre SA\"}");
        Resp again = put("/crm/v4/objects/contact/" + contact + "/associations/default/company/" + second, null);
        List<Integer> ids2 = new ArrayList<>();
        again.json().get("results").forEach(x -> ids2.add(x.get("associationSpec").get("associationTypeId").asInt()));
        assertThat(ids2).containsExactlyInAnyOrder(279, 280);
        JsonNode labels = get("/crm/v4/associations/contacts/companies/labels").json().get("results");
        assertThat(labels.toString()).contains("279").contains("Primary");
        error(put("/crm/v4/objects/contacts/" + contact + "/associations/default/companies/424242", null), 404, "OBJECT_NOT_FOUND");
    }

    @Test
    void v4LabelledPutChecksTheTypeIdAndDeleteRemovesBothSides() {
        String contact = create("contacts", "{\"email\":\"jean@example.ch\"}");
        String call = create("calls", "{" + TS + "}");
        error(put("/crm/v4/objects/calls/" + call + "/associations/contacts/" + contact,
                "[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":204}]"), 400, "VALIDATION_ERROR");
        Resp ok = put("/crm/v4/objects/calls/" + call + "/associations/contacts/" + contact,
                "[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":194}]");
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
        assertThat(associated("contacts", contact, "calls")).containsExactly(call + ":contact_to_call");
        assertThat(delete("/crm/v4/objects/calls/" + call + "/associations/contacts/" + contact).status()).isEqualTo(204);
        assertThat(associated("contacts", contact, "calls")).isEmpty();
        assertThat(associated("calls", call, "contacts")).isEmpty();
    }

    @Test
    void v4BatchAssociateDefaultAndBatchCreate() {
        String c1 = create("contacts", "{\"email\":\"a@example.ch\"}");
        String c2 = create("contacts", "{\"email\":\"b@example.ch\"}");
        String deal = create("deals", "{\"dealname\":\"d\"}");
        Resp r = post("/crm/v4/associations/deals/contacts/batch/associate/default", "{\"inputs\":[{\"from\":{\"id\":\"" + deal
                + "\"},\"to\":{\"id\":\"" + c1 + "\"}},{\"from\":{\"id\":\"" + deal + "\"},\"to\":{\"id\":\"" + c2 + "\"}}]}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(associated("deals", deal, "contacts")).containsExactlyInAnyOrder(c1 + ":deal_to_contact", c2 + ":deal_to_contact");
        String note = create("notes", "{" + TS + "}");
        Resp created = post("/crm/v4/associations/notes/deals/batch/create", "{\"inputs\":[{\"from\":{\"id\":\"" + note + "\"},\"to\":{\"id\":\""
                + deal + "\"},\"types\":[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":214}]}]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(associated("deals", deal, "notes")).containsExactly(note + ":deal_to_note");
        error(post("/crm/v4/associations/notes/deals/batch/create", "{\"inputs\":[{\"from\":{\"id\":\"" + note + "\"},\"to\":{\"id\":\""
                + deal + "\"},\"types\":[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":202}]}]}"), 400, "VALIDATION_ERROR");
        Resp missing = post("/crm/v4/associations/deals/contacts/batch/associate/default", "{\"inputs\":[{\"from\":{\"id\":\"" + deal
                + "\"},\"to\":{\"id\":\"1\"}}]}");
        assertThat(missing.status()).isEqualTo(207);
        error(post("/crm/v4/associations/notes/calls/batch/associate/default", "{\"inputs\":[]}"), 400, "VALIDATION_ERROR");
    }

    @Test
    void archivingAnObjectRemovesItsAssociations() {
        String contact = create("contacts", "{\"email\":\"jean@example.ch\"}");
        String call = post("/crm/v3/objects/calls", "{\"properties\":{" + TS + "},\"associations\":[" + assoc(contact, 194) + "]}").json().get("id").asText();
        delete("/crm/v3/objects/calls/" + call);
        assertThat(associated("contacts", contact, "calls")).isEmpty();
    }
}
