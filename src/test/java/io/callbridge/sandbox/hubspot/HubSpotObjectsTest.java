package io.callbridge.sandbox.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.SandboxHttp;
import io.callbridge.sandbox.SandboxHttp.Resp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** CRM v3 objects over real HTTP: create, get, update, archive, list, owners, computed phone numbers. */
class HubSpotObjectsTest extends HubSpotTestSupport {

    private static final String ISO = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";

    @Test
    void createdContactCarriesHubSpotSystemPropertiesAndStringIds() {
        Resp r = post("/crm/v3/objects/contacts", "{\"properties\":{\"email\":\"jean.dupont@example.ch\",\"firstname\":\"Jean\","
                + "\"lastname\":\"Dupont\",\"phone\":\"079 123 45 67\"}}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode c = r.json();
        assertThat(c.get("id").isTextual()).isTrue();
        assertThat(c.get("id").asText()).matches("\\d+");
        JsonNode p = c.get("properties");
        assertThat(p.get("hs_object_id").asText()).isEqualTo(c.get("id").asText());
        String now = HubSpotStore.ISO_MILLIS.format(clock.instant());
        assertThat(p.get("createdate").asText()).matches(ISO).isEqualTo(now);
        assertThat(p.get("lastmodifieddate").asText()).matches(ISO);
        assertThat(p.get("phone").asText()).as("stored as typed").isEqualTo("079 123 45 67");
        assertThat(c.get("createdAt").asText()).isEqualTo(now);
        assertThat(c.get("updatedAt").asText()).matches(ISO);
        assertThat(c.get("archived").asBoolean()).isFalse();
        assertRateLimitHeaders(r);
    }

    @Test
    void getAnswersDefaultPropertiesOrTheRequestedOnesWithNullsForUnsetValues() {
        String id = create("contacts", "{\"email\":\"a@example.ch\",\"phone\":\"+41 21 555 00 00\"}");
        JsonNode d = get("/crm/v3/objects/contacts/" + id).json();
        assertThat(d.get("properties").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname");
        assertThat(d.get("properties").get("firstname").isNull()).isTrue();
        JsonNode q = get("/crm/v3/objects/contacts/" + id + "?properties=phone,company,no_such_property").json();
        assertThat(q.get("properties").get("phone").asText()).isEqualTo("+41 21 555 00 00");
        assertThat(q.get("properties").get("company").isNull()).isTrue();
        assertThat(q.get("properties").has("no_such_property")).as("HubSpot ignores unknown requested properties").isFalse();
        assertThat(q.get("properties").has("hs_object_id")).isTrue();
        // by a unique property
        JsonNode byEmail = get("/crm/v3/objects/contacts/A@EXAMPLE.CH?idProperty=email").json();
        assertThat(byEmail.get("id").asText()).isEqualTo(id);
        error(get("/crm/v3/objects/contacts/999999999"), 404, "OBJECT_NOT_FOUND");
        // an email without idProperty=email is taken for an object id, as HubSpot does
        JsonNode notNumeric = error(get("/crm/v3/objects/contacts/a@example.ch"), 404, "OBJECT_NOT_FOUND");
        assertThat(notNumeric.get("message").asText()).isEqualTo("Object not found.  objectId are usually numeric.");
        assertThat(notNumeric.get("context").get("id").get(0).asText()).isEqualTo("a@example.ch");
        error(get("/crm/v3/objects/contacts/x@example.ch?idProperty=firstname"), 400, "VALIDATION_ERROR");
    }

    @Test
    void patchUpdatesAndMaintainsModificationDates() {
        String id = create("contacts", "{\"email\":\"b@example.ch\",\"firstname\":\"Anne\"}");
        String created = HubSpotStore.ISO_MILLIS.format(clock.instant());
        clock.advance(Duration.ofMinutes(5));
        String modified = HubSpotStore.ISO_MILLIS.format(clock.instant());
        Resp r = patch("/crm/v3/objects/contacts/" + id, "{\"properties\":{\"firstname\":\"Annie\",\"mobilephone\":\"+41 79 765 43 21\"}}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode p = r.json().get("properties");
        assertThat(p.get("firstname").asText()).isEqualTo("Annie");
        assertThat(p.get("lastmodifieddate").asText()).isEqualTo(modified);
        assertThat(p.get("createdate").asText()).isEqualTo(created);
        assertThat(r.json().get("updatedAt").asText()).isEqualTo(modified);
        assertThat(p.get("hs_searchable_calculated_mobile_number").asText()).isEqualTo("797654321");
        // an empty string clears a value
        JsonNode cleared = patch("/crm/v3/objects/contacts/" + id, "{\"properties\":{\"firstname\":\"\"}}").json();
        assertThat(cleared.get("properties").has("firstname")).isFalse();
        error(patch("/crm/v3/objects/contacts/424242", "{\"properties\":{\"firstname\":\"X\"}}"), 404, "OBJECT_NOT_FOUND");
        // non-contacts keep hs_lastmodifieddate
        String deal = create("deals", "{\"dealname\":\"Produit X\",\"dealstage\":\"qualifiedtobuy\",\"amount\":\"20000\"}");
        clock.advance(Duration.ofMinutes(1));
        JsonNode d = patch("/crm/v3/objects/deals/" + deal, "{\"properties\":{\"amount\":25000}}").json();
        assertThat(d.get("properties").get("amount").asText()).isEqualTo("25000");
        assertThat(d.get("properties").get("hs_lastmodifieddate").asText()).isEqualTo(HubSpotStore.ISO_MILLIS.format(clock.instant()));
        assertThat(d.get("properties").get("pipeline").asText()).isEqualTo("default");
    }

    @Test
    void archiveHidesTheObjectExceptWithArchivedTrue() {
        String id = create("companies", "{\"name\":\"Dupont SA\",\"domain\":\"dupont.ch\"}");
        Resp del = delete("/crm/v3/objects/companies/" + id);
        assertThat(del.status()).isEqualTo(204);
        assertRateLimitHeaders(del);
        error(get("/crm/v3/objects/companies/" + id), 404, "OBJECT_NOT_FOUND");
        JsonNode archived = get("/crm/v3/objects/companies/" + id + "?archived=true").json();
        assertThat(archived.get("archived").asBoolean()).isTrue();
        assertThat(archived.get("archivedAt").asText()).matches(ISO);
        assertThat(delete("/crm/v3/objects/companies/" + id).status()).as("archiving again is idempotent").isEqualTo(204);
    }

    @Test
    void gdprDeleteRemovesTheContactForGoodByIdOrByEmail() {
        String id = create("contacts", "{\"email\":\"oubli@example.ch\",\"phone\":\"+41 79 111 22 33\"}");
        String other = create("contacts", "{\"email\":\"reste@example.ch\"}");
        Resp del = post("/crm/v3/objects/contacts/gdpr-delete", "{\"objectId\":\"" + id + "\"}");
        assertThat(del.status()).as(del.body()).isEqualTo(204);
        assertThat(del.body()).isEmpty();
        assertRateLimitHeaders(del);
        error(get("/crm/v3/objects/contacts/" + id), 404, "OBJECT_NOT_FOUND");
        error(get("/crm/v3/objects/contacts/" + id + "?archived=true"), 404, "OBJECT_NOT_FOUND");
        assertThat(search("contacts", "{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"hs_searchable_calculated_phone_number\","
                + "\"operator\":\"EQ\",\"value\":\"791112233\"}]}]}").get("total").asInt()).isZero();
        error(post("/crm/v3/objects/contacts/gdpr-delete", "{\"objectId\":\"" + id + "\"}"), 404, "OBJECT_NOT_FOUND");

        assertThat(post("/crm/v3/objects/contacts/gdpr-delete", "{\"objectId\":\"reste@example.ch\",\"idProperty\":\"email\"}")
                .status()).isEqualTo(204);
        error(get("/crm/v3/objects/contacts/" + other), 404, "OBJECT_NOT_FOUND");
        assertThat(post("/crm/v3/objects/contacts/gdpr-delete", "{\"objectId\":\"nobody@example.ch\",\"idProperty\":\"email\"}")
                .status()).as("an unknown address is blocklisted by HubSpot, not refused").isEqualTo(204);
        error(post("/crm/v3/objects/contacts/gdpr-delete", "{}"), 400, "VALIDATION_ERROR");
        error(post("/crm/v3/objects/companies/gdpr-delete", "{\"objectId\":\"1\"}"), 400, "VALIDATION_ERROR");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "contacts|{\"email\":\"c@example.ch\"}|createdate",
            "companies|{\"name\":\"ACME\"}|createdate",
            "deals|{\"dealname\":\"D\",\"dealstage\":\"appointmentscheduled\"}|createdate",
            "tickets|{\"subject\":\"Broken\",\"hs_pipeline_stage\":\"1\",\"hs_ticket_priority\":\"HIGH\"}|createdate",
            "calls|{\"hs_timestamp\":\"2026-11-28T09:14:03Z\",\"hs_call_direction\":\"INBOUND\",\"hs_call_status\":\"COMPLETED\",\"hs_call_duration\":\"242000\"}|hs_createdate",
            "tasks|{\"hs_timestamp\":\"1796032800000\",\"hs_task_subject\":\"Rappeler\",\"hs_task_status\":\"NOT_STARTED\",\"hs_task_priority\":\"HIGH\",\"hs_task_type\":\"CALL\"}|hs_createdate",
            "notes|{\"hs_timestamp\":\"2026-11-28T09:14:03Z\",\"hs_note_body\":\"Résumé\"}|hs_createdate",
            "meetings|{\"hs_timestamp\":\"2026-11-30T09:00:00Z\",\"hs_meeting_title\":\"Démo\",\"hs_meeting_outcome\":\"SCHEDULED\"}|hs_createdate"})
    void everyObjectTypeCanBeCreatedReadAndListed(String type, String properties, String created) {
        String id = create(type, properties);
        JsonNode o = get("/crm/v3/objects/" + type + "/" + id).json();
        assertThat(o.get("id").asText()).isEqualTo(id);
        assertThat(o.get("properties").get(created).asText()).matches(ISO);
        assertThat(o.get("properties").get("hs_object_id").asText()).isEqualTo(id);
        JsonNode list = get("/crm/v3/objects/" + type + "?limit=10").json();
        assertThat(list.get("results")).hasSize(1);
        // the singular name and the object type id address the same objects
        String singular = HubSpotSchema.type(type).singular();
        assertThat(get("/crm/v3/objects/" + singular + "/" + id).status()).isEqualTo(200);
        assertThat(get("/crm/v3/objects/" + HubSpotSchema.type(type).typeId() + "/" + id).status()).isEqualTo(200);
    }

    @Test
    void datetimesAreAcceptedAsMillisOrIsoAndStoredAsIso() {
        String id = create("tasks", "{\"hs_timestamp\":\"1796032800000\",\"hs_task_subject\":\"X\"}");
        JsonNode t = get("/crm/v3/objects/tasks/" + id + "?properties=hs_timestamp").json();
        assertThat(t.get("properties").get("hs_timestamp").asText()).isEqualTo("2026-11-30T10:00:00.000Z");
    }

    @Test
    void listPagesWithAfter() {
        for (int i = 0; i < 5; i++) create("companies", "{\"name\":\"C" + i + "\"}");
        JsonNode p1 = get("/crm/v3/objects/companies?limit=2&properties=name").json();
        assertThat(p1.get("results")).hasSize(2);
        String after = p1.get("paging").get("next").get("after").asText();
        JsonNode p3 = get("/crm/v3/objects/companies?limit=2&after=4").json();
        assertThat(p3.get("results")).hasSize(1);
        assertThat(p3.has("paging")).isFalse();
        assertThat(after).isEqualTo("2");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "079 123 45 67|791234567|+41791234567",
            "+41 79 123 45 67|791234567|+41791234567",
            "0041791234567|791234567|+41791234567",
            "+41 (0)21 555 00 00|215550000|+41215550000",
            "+33 1 23 45 67 89|123456789|+33123456789",
            "+1 (415) 555-2671|4155552671|+14155552671",
            "021/555.00.00|215550000|+41215550000"})
    void searchablePhoneNumbersAreTheNationalSignificantDigits(String typed, String searchable, String e164) {
        String id = create("contacts", "{\"phone\":\"" + typed + "\",\"mobilephone\":\"" + typed + "\"}");
        JsonNode p = get("/crm/v3/objects/contacts/" + id + "?properties=phone,hs_searchable_calculated_phone_number,"
                + "hs_searchable_calculated_mobile_number,hs_calculated_phone_number").json().get("properties");
        assertThat(p.get("phone").asText()).isEqualTo(typed);
        assertThat(p.get("hs_searchable_calculated_phone_number").asText()).isEqualTo(searchable);
        assertThat(p.get("hs_searchable_calculated_mobile_number").asText()).isEqualTo(searchable);
        assertThat(p.get("hs_calculated_phone_number").asText()).isEqualTo(e164);
    }

    @Test
    void ownersAreListedAndOwnerIdsChecked() {
        JsonNode owners = get("/crm/v3/owners").json().get("results");
        assertThat(owners).isNotEmpty();
        String ownerId = owners.get(0).get("id").asText();
        assertThat(owners.get(0).get("email").asText()).contains("@");
        assertThat(get("/crm/v3/owners/" + ownerId).json().get("id").asText()).isEqualTo(ownerId);
        error(get("/crm/v3/owners/1"), 404, "OBJECT_NOT_FOUND");
        String id = create("contacts", "{\"email\":\"o@example.ch\",\"hubspot_owner_id\":\"" + ownerId + "\"}");
        assertThat(get("/crm/v3/objects/contacts/" + id + "?properties=hubspot_owner_id").json().get("properties")
                .get("hubspot_owner_id").asText()).isEqualTo(ownerId);
        propertyError(post("/crm/v3/objects/contacts", "{\"properties\":{\"hubspot_owner_id\":\"123\"}}"), "INVALID_OWNER_ID", "hubspot_owner_id");
        // owners can be seeded through the admin API
        Resp seeded = SandboxHttp.json("POST", admin() + "/seed", null,
                "{\"owners\":[{\"id\":\"555\",\"email\":\"lea@example.test\",\"firstName\":\"Léa\",\"lastName\":\"Favre\"}],"
                        + "\"contacts\":[{\"email\":\"s@example.ch\",\"hubspot_owner_id\":\"555\"}]}");
        assertThat(seeded.status()).as(seeded.body()).isEqualTo(201);
        assertThat(seeded.json().get("contacts")).hasSize(1);
        assertThat(get("/crm/v3/owners/555").json().get("firstName").asText()).isEqualTo("Léa");
    }

    @Test
    void adminListsRecordsWithAllPropertiesAndAssociations() {
        String contact = create("contacts", "{\"email\":\"l@example.ch\"}");
        post("/crm/v3/objects/notes", "{\"properties\":{\"hs_timestamp\":\"2026-11-28T09:00:00Z\",\"hs_note_body\":\"n\"},"
                + "\"associations\":[{\"to\":{\"id\":\"" + contact + "\"},\"types\":[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":202}]}]}");
        JsonNode all = SandboxHttp.json("GET", admin() + "/records", null, null).json();
        assertThat(all.get("contacts")).hasSize(1);
        assertThat(all.get("notes").get(0).get("associations").get("contacts").get("results").get(0).get("id").asText()).isEqualTo(contact);
        JsonNode notes = SandboxHttp.json("GET", admin() + "/records/notes", null, null).json();
        assertThat(notes).hasSize(1);
        assertThat(List.of(SandboxHttp.json("GET", admin() + "/records/nothing", null, null).status())).containsExactly(404);
        assertThat(Map.of()).isEmpty();
    }
}
