package io.callbridge.sandbox.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.SandboxHttp;
import io.callbridge.sandbox.SandboxHttp.Resp;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Batch create, update, upsert, read and archive; at most 100 inputs. */
class HubSpotBatchTest extends HubSpotTestSupport {

    private static String inputs(int n, String template) {
        StringBuilder b = new StringBuilder("{\"inputs\":[");
        for (int i = 0; i < n; i++) b.append(i == 0 ? "" : ",").append(template.replace("#", Integer.toString(i)));
        return b.append("]}").toString();
    }

    @Test
    void batchCreateAnswersEveryObjectAndAtMost100Inputs() {
        Resp r = post("/crm/v3/objects/contacts/batch/create", inputs(100, "{\"properties\":{\"email\":\"c#@example.ch\"}}"));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().get("status").asText()).isEqualTo("COMPLETE");
        assertThat(r.json().get("results")).hasSize(100);
        assertThat(r.json().get("startedAt").asText()).isNotEmpty();
        JsonNode tooMany = error(post("/crm/v3/objects/contacts/batch/create", inputs(101, "{\"properties\":{\"firstname\":\"x#\"}}")), 400, "VALIDATION_ERROR");
        assertThat(tooMany.get("message").asText()).contains("101").contains("100");
    }

    @Test
    void anInvalidInputFailsTheWholeBatchCreate() {
        error(post("/crm/v3/objects/calls/batch/create", "{\"inputs\":[{\"properties\":{\"hs_timestamp\":\"2026-11-28T09:00:00Z\"}},"
                + "{\"properties\":{\"hs_call_status\":\"COMPLETED\"}}]}"), 400, "VALIDATION_ERROR");
        assertThat(SandboxHttp.json("GET", admin() + "/records/calls", null, null).json()).isEmpty();
    }

    @Test
    void withAnObjectWriteTraceIdOnEveryInputABadInputIsReportedOnItsOwnAndTheOthersLand() {
        Resp r = post("/crm/v3/objects/calls/batch/create", "{\"inputs\":["
                + "{\"objectWriteTraceId\":\"cmd-1\",\"properties\":{\"hs_timestamp\":\"2026-11-28T09:00:00Z\"}},"
                + "{\"objectWriteTraceId\":\"cmd-2\",\"properties\":{\"hs_call_status\":\"COMPLETED\"}},"
                + "{\"objectWriteTraceId\":\"cmd-3\",\"properties\":{\"hs_timestamp\":\"2026-11-28T10:00:00Z\"}}]}");
        assertThat(r.status()).as(r.body()).isEqualTo(207);
        assertThat(r.json().get("numErrors").asInt()).isEqualTo(1);
        assertThat(r.json().get("results")).extracting(x -> x.get("objectWriteTraceId").asText()).containsExactlyInAnyOrder("cmd-1", "cmd-3");
        JsonNode e = r.json().get("errors").get(0);
        assertThat(e.get("category").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(e.at("/context/objectWriteTraceId/0").asText()).isEqualTo("cmd-2");
        assertThat(SandboxHttp.json("GET", admin() + "/records/calls", null, null).json()).hasSize(2);
    }

    @Test
    void withoutTraceIdsOnEveryInputTheBatchStaysAllOrNothing() {
        error(post("/crm/v3/objects/calls/batch/create", "{\"inputs\":["
                + "{\"objectWriteTraceId\":\"cmd-1\",\"properties\":{\"hs_timestamp\":\"2026-11-28T09:00:00Z\"}},"
                + "{\"properties\":{\"hs_call_status\":\"COMPLETED\"}}]}"), 400, "VALIDATION_ERROR");
        assertThat(SandboxHttp.json("GET", admin() + "/records/calls", null, null).json()).isEmpty();
    }

    @Test
    void batchUpdateAnswers207ForMissingIds() {
        String a = create("companies", "{\"name\":\"A\"}");
        Resp ok = post("/crm/v3/objects/companies/batch/update", "{\"inputs\":[{\"id\":\"" + a + "\",\"properties\":{\"city\":\"Lausanne\"}}]}");
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.json().get("results").get(0).get("properties").get("city").asText()).isEqualTo("Lausanne");
        Resp partial = post("/crm/v3/objects/companies/batch/update", "{\"inputs\":[{\"id\":\"" + a + "\",\"properties\":{\"city\":\"Genève\"}},"
                + "{\"id\":\"999\",\"properties\":{\"city\":\"Bern\"}}]}");
        assertThat(partial.status()).as(partial.body()).isEqualTo(207);
        assertThat(partial.json().get("numErrors").asInt()).isEqualTo(1);
        JsonNode e = partial.json().get("errors").get(0);
        assertThat(e.get("category").asText()).isEqualTo("OBJECT_NOT_FOUND");
        assertThat(e.get("context").get("ids").get(0).asText()).isEqualTo("999");
        assertThat(partial.json().get("results")).hasSize(1);
    }

    @Test
    void batchUpdateWithTraceIdsReportsEachBadInputOnItsOwn() {
        String a = create("companies", "{\"name\":\"A\"}");
        String b = create("companies", "{\"name\":\"B\"}");
        Resp r = post("/crm/v3/objects/companies/batch/update", "{\"inputs\":["
                + "{\"objectWriteTraceId\":\"u-1\",\"id\":\"" + a + "\",\"properties\":{\"city\":\"Lausanne\"}},"
                + "{\"objectWriteTraceId\":\"u-2\",\"id\":\"" + b + "\",\"properties\":{\"no_such_property\":\"x\"}},"
                + "{\"objectWriteTraceId\":\"u-3\",\"id\":\"999\",\"properties\":{\"city\":\"Bern\"}}]}");
        assertThat(r.status()).as(r.body()).isEqualTo(207);
        assertThat(r.json().get("results")).hasSize(1);
        assertThat(r.json().at("/results/0/objectWriteTraceId").asText()).isEqualTo("u-1");
        assertThat(r.json().at("/results/0/properties/city").asText()).isEqualTo("Lausanne");
        assertThat(r.json().get("errors")).extracting(e -> e.at("/context/objectWriteTraceId/0").asText()).containsExactlyInAnyOrder("u-2", "u-3");
        assertThat(r.json().get("errors")).extracting(e -> e.get("category").asText()).containsExactlyInAnyOrder("VALIDATION_ERROR", "OBJECT_NOT_FOUND");
    }

    @Test
    void upsertByEmailCreatesOrUpdates() {
        String existing = create("contacts", "{\"email\":\"jean@example.ch\",\"firstname\":\"Jean\"}");
        Resp r = post("/crm/v3/objects/contacts/batch/upsert", "{\"inputs\":["
                + "{\"id\":\"JEAN@example.ch\",\"idProperty\":\"email\",\"properties\":{\"lastname\":\"Dupont\"}},"
                + "{\"id\":\"new@example.ch\",\"idProperty\":\"email\",\"properties\":{\"firstname\":\"Neu\"}}]}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode res = r.json().get("results");
        assertThat(res.get(0).get("id").asText()).isEqualTo(existing);
        assertThat(res.get(0).get("new").asBoolean()).isFalse();
        assertThat(res.get(0).get("properties").get("lastname").asText()).isEqualTo("Dupont");
        assertThat(res.get(1).get("new").asBoolean()).isTrue();
        assertThat(res.get(1).get("properties").get("email").asText()).isEqualTo("new@example.ch");
    }

    @Test
    void upsertByAUniqueCustomPropertyMakesRetriesIdempotent() {
        String body = "{\"inputs\":[{\"id\":\"evt-1:r1:0\",\"idProperty\":\"" + CUSTOM_UNIQUE + "\",\"properties\":"
                + "{\"hs_timestamp\":\"2026-11-28T09:14:03Z\",\"hs_call_title\":\"Appel\"}}]}";
        JsonNode first = post("/crm/v3/objects/calls/batch/upsert", body).json().get("results").get(0);
        JsonNode second = post("/crm/v3/objects/calls/batch/upsert", body).json().get("results").get(0);
        assertThat(first.get("new").asBoolean()).isTrue();
        assertThat(second.get("new").asBoolean()).isFalse();
        assertThat(second.get("id").asText()).isEqualTo(first.get("id").asText());
        assertThat(SandboxHttp.json("GET", admin() + "/records/calls", null, null).json()).hasSize(1);
        // a property without unique values cannot identify records
        error(post("/crm/v3/objects/calls/batch/upsert", "{\"inputs\":[{\"id\":\"x\",\"idProperty\":\"hs_call_title\",\"properties\":{}}]}"), 400, "VALIDATION_ERROR");
        error(post("/crm/v3/objects/calls/batch/upsert", "{\"inputs\":[{\"id\":\"x\",\"idProperty\":\"nope\",\"properties\":{}}]}"), 400, "VALIDATION_ERROR");
    }

    @Test
    void batchReadByIdOrUniquePropertyWith207ForMissing() {
        String a = create("contacts", "{\"email\":\"a@example.ch\",\"phone\":\"021 555 00 00\"}");
        Resp r = post("/crm/v3/objects/contacts/batch/read", "{\"properties\":[\"phone\"],\"inputs\":[{\"id\":\"" + a + "\"}]}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("results").get(0).get("properties").get("phone").asText()).isEqualTo("021 555 00 00");
        Resp byEmail = post("/crm/v3/objects/contacts/batch/read", "{\"idProperty\":\"email\",\"properties\":[\"email\"],"
                + "\"inputs\":[{\"id\":\"a@example.ch\"},{\"id\":\"missing@example.ch\"}]}");
        assertThat(byEmail.status()).isEqualTo(207);
        assertThat(byEmail.json().get("results").get(0).get("id").asText()).isEqualTo(a);
        assertThat(byEmail.json().get("errors").get(0).get("context").get("ids").get(0).asText()).isEqualTo("missing@example.ch");
    }

    @Test
    void parallelUpsertsOfOneIdCreateExactlyOneObject() throws Exception {
        String body = "{\"inputs\":[{\"id\":\"evt-9:r1:0\",\"idProperty\":\"" + CUSTOM_UNIQUE + "\",\"properties\":"
                + "{\"hs_timestamp\":\"2026-11-28T09:14:03Z\"}}]}";
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            java.util.List<java.util.concurrent.Future<Resp>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 24; i++) answers.add(pool.submit(() -> post("/crm/v3/objects/calls/batch/upsert", body)));
            java.util.Set<String> ids = new java.util.HashSet<>();
            for (java.util.concurrent.Future<Resp> f : answers) {
                Resp r = f.get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                ids.add(r.json().get("results").get(0).get("id").asText());
            }
            assertThat(ids).hasSize(1);
            assertThat(SandboxHttp.json("GET", admin() + "/records/calls", null, null).json()).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void batchArchive() {
        String a = create("deals", "{\"dealname\":\"a\"}");
        assertThat(post("/crm/v3/objects/deals/batch/archive", "{\"inputs\":[{\"id\":\"" + a + "\"}]}").status()).isEqualTo(204);
        error(get("/crm/v3/objects/deals/" + a), 404, "OBJECT_NOT_FOUND");
    }
}
