package io.callbridge.sandbox.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.SandboxHttp;
import io.callbridge.sandbox.SandboxHttp.Resp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /crm/v3/owners} and {@code /crm/v3/owners/{ownerId}} as {@code @hubspot/api-client} 13.5.0 calls them:
 * {@code ownersApi.getPage(email, after, limit, archived)} on {@code /crm/v3/owners/} (its trailing slash kept when a
 * query follows), {@code getById(ownerId, idProperty, archived)}; booleans as {@code true}/{@code false}, the e-mail's
 * {@code @} as {@code %40}.
 */
class HubSpotOwnersTest extends HubSpotTestSupport {

    private static final String LEA = "60100001", LUC = "60100002", GONE = "60100003";

    @BeforeEach
    void ownersOfThePortal() {
        Resp r = SandboxHttp.json("POST", admin() + "/owners", null, "["
                + "{\"id\":\"" + LEA + "\",\"email\":\"lea.favre@example.test\",\"firstName\":\"Léa\",\"lastName\":\"Favre\",\"userId\":9100001,"
                + "\"teams\":[{\"id\":\"368389\",\"name\":\"Ventes Romandie\",\"primary\":true},{\"id\":\"368390\",\"name\":\"Support\",\"primary\":false}]},"
                + "{\"id\":\"" + LUC + "\",\"email\":\"luc.blanc@example.test\",\"firstName\":\"Luc\",\"lastName\":\"Blanc\",\"userId\":9100002},"
                + "{\"id\":\"" + GONE + "\",\"email\":\"ancien@example.test\",\"firstName\":\"Paul\",\"lastName\":\"Ancien\",\"userId\":9100003,\"archived\":true}]");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    private static List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("results").forEach(o -> out.add(o.get("id").asText()));
        return out;
    }

    private static JsonNode ok(Resp r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    @Test
    void getPageByEmailAnswersThatOwnerInHubSpotsShape() {
        JsonNode page = ok(sdk("GET", "/crm/v3/owners/?email=lea.favre%40example.test&archived=false", null));
        assertThat(ids(page)).containsExactly(LEA);
        assertThat(page.has("paging")).isFalse();
        JsonNode lea = page.get("results").get(0);
        assertThat(lea.get("id").isTextual()).isTrue();
        assertThat(lea.get("email").asText()).isEqualTo("lea.favre@example.test");
        assertThat(lea.get("type").asText()).isEqualTo("PERSON");
        assertThat(lea.get("firstName").asText()).isEqualTo("Léa");
        assertThat(lea.get("lastName").asText()).isEqualTo("Favre");
        assertThat(lea.get("userId").isIntegralNumber()).isTrue();
        assertThat(lea.get("userId").asLong()).isEqualTo(9100001);
        assertThat(lea.get("userIdIncludingInactive").asLong()).isEqualTo(9100001);
        assertThat(Instant.parse(lea.get("createdAt").asText())).isBeforeOrEqualTo(Instant.parse(lea.get("updatedAt").asText()));
        assertThat(lea.get("archived").asBoolean()).isFalse();
        assertThat(lea.get("teams")).hasSize(2);
        assertThat(lea.get("teams").get(0).get("id").asText()).isEqualTo("368389");
        assertThat(lea.get("teams").get(0).get("name").asText()).isEqualTo("Ventes Romandie");
        assertThat(lea.get("teams").get(0).get("primary").asBoolean()).isTrue();
        assertThat(ok(sdk("GET", "/crm/v3/owners/?email=luc.blanc%40example.test", null)).get("results").get(0).has("teams"))
                .as("teams only when the owner has some").isFalse();
    }

    @Test
    void theEmailFilterIsExactIgnoringCaseAndNeverFallsBackToEveryOwner() {
        assertThat(ids(ok(sdk("GET", "/crm/v3/owners/?email=LEA.Favre%40Example.test", null)))).containsExactly(LEA);
        assertThat(ids(ok(sdk("GET", "/crm/v3/owners/?email=lea%40example.test", null)))).isEmpty();
        assertThat(ids(ok(sdk("GET", "/crm/v3/owners/?email=nobody%40example.test&archived=false", null)))).isEmpty();
        assertThat(ids(ok(sdk("GET", "/crm/v3/owners/?email=ancien%40example.test&archived=false", null))))
                .as("an archived owner is not an active one").isEmpty();
        assertThat(ids(ok(sdk("GET", "/crm/v3/owners/?email=ancien%40example.test&archived=true", null)))).containsExactly(GONE);
    }

    @Test
    void limitAndAfterPageThroughTheActiveOwners() {
        JsonNode first = ok(sdk("GET", "/crm/v3/owners/?limit=2&archived=false", null));
        assertThat(ids(first)).containsExactly("75000001", "75000002");
        String after = first.get("paging").get("next").get("after").asText();
        JsonNode second = ok(sdk("GET", "/crm/v3/owners/?after=" + after + "&limit=2&archived=false", null));
        assertThat(ids(second)).containsExactly(LEA, LUC);
        assertThat(second.has("paging")).as("the last page has no next").isFalse();
        assertThat(ids(ok(sdk("GET", "/crm/v3/owners", null)))).as("no parameters: 100 active owners at most")
                .containsExactly("75000001", "75000002", LEA, LUC);
        assertThat(ids(ok(sdk("GET", "/crm/v3/owners/?limit=500", null)))).hasSize(4);
        JsonNode tooMany = error(sdk("GET", "/crm/v3/owners/?limit=501", null), 400, "VALIDATION_ERROR");
        assertThat(tooMany.get("context").get("limit").get(0).asText()).isEqualTo("Must be less than or equal to 500");
        error(sdk("GET", "/crm/v3/owners/?limit=0", null), 400, "VALIDATION_ERROR");
        error(sdk("GET", "/crm/v3/owners/?archived=maybe", null), 400, "VALIDATION_ERROR");
    }

    @Test
    void archivedTrueListsOnlyTheDeactivatedUsersOwners() {
        JsonNode page = ok(sdk("GET", "/crm/v3/owners/?archived=true", null));
        assertThat(ids(page)).containsExactly(GONE);
        JsonNode gone = page.get("results").get(0);
        assertThat(gone.get("archived").asBoolean()).isTrue();
        assertThat(gone.get("userId").isNull()).as("a deactivated user's id is kept in userIdIncludingInactive only").isTrue();
        assertThat(gone.get("userIdIncludingInactive").asLong()).isEqualTo(9100003);
    }

    @Test
    void getByIdFindsAnOwnerByIdOrByUserId() {
        JsonNode byId = ok(sdk("GET", "/crm/v3/owners/" + LEA, null));
        assertThat(byId.get("email").asText()).isEqualTo("lea.favre@example.test");
        assertThat(ok(sdk("GET", "/crm/v3/owners/" + LEA + "?idProperty=id&archived=false", null)).get("id").asText()).isEqualTo(LEA);
        JsonNode byUser = ok(sdk("GET", "/crm/v3/owners/9100002?idProperty=userId&archived=false", null));
        assertThat(byUser.get("id").asText()).isEqualTo(LUC);
        assertThat(byUser.get("userId").asLong()).isEqualTo(9100002);
        JsonNode idIsNoUserId = error(sdk("GET", "/crm/v3/owners/" + LEA + "?idProperty=userId", null), 404, "OBJECT_NOT_FOUND");
        assertThat(idIsNoUserId.get("message").asText()).isNotBlank();
        error(sdk("GET", "/crm/v3/owners/9100002", null), 404, "OBJECT_NOT_FOUND");
        error(sdk("GET", "/crm/v3/owners/" + LEA + "?idProperty=email", null), 400, "VALIDATION_ERROR");
    }

    @Test
    void getByIdOfAnArchivedOwnerNeedsArchivedTrue() {
        error(sdk("GET", "/crm/v3/owners/" + GONE, null), 404, "OBJECT_NOT_FOUND");
        error(sdk("GET", "/crm/v3/owners/" + GONE + "?idProperty=id&archived=false", null), 404, "OBJECT_NOT_FOUND");
        JsonNode gone = ok(sdk("GET", "/crm/v3/owners/" + GONE + "?idProperty=id&archived=true", null));
        assertThat(gone.get("archived").asBoolean()).isTrue();
        assertThat(ok(sdk("GET", "/crm/v3/owners/9100003?idProperty=userId&archived=true", null)).get("id").asText()).isEqualTo(GONE);
        error(sdk("GET", "/crm/v3/owners/" + LEA + "?archived=true", null), 404, "OBJECT_NOT_FOUND");
    }

    @Test
    void anArchivedOwnerCannotOwnRecords() {
        propertyError(post("/crm/v3/objects/contacts", "{\"properties\":{\"hubspot_owner_id\":\"" + GONE + "\"}}"), "INVALID_OWNER_ID", "hubspot_owner_id");
        assertThat(post("/crm/v3/objects/contacts", "{\"properties\":{\"hubspot_owner_id\":\"" + LEA + "\"}}").status()).isEqualTo(201);
    }

    @Test
    void aSnapshotKeepsArchivedOwnersAndTeams() {
        HubSpotStore store = new HubSpotStore(new HubSpotSchema(), Clock.fixed(Instant.parse("2026-11-28T09:00:00Z"), ZoneOffset.UTC), "CH", List.of());
        store.addOwner(new HubSpotStore.Owner("7", "a@example.test", "A", "B", 8, true,
                List.of(new HubSpotStore.Team("1", "Ventes", true))));
        HubSpotStore restored = new HubSpotStore(new HubSpotSchema(), Clock.systemUTC(), "CH", List.of());
        restored.fromJson(store.toJson());
        assertThat(restored.owner("7")).isEqualTo(store.owner("7"));
    }
}
