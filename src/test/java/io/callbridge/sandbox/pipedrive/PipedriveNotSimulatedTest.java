package io.callbridge.sandbox.pipedrive;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.SandboxHttp.Resp;
import io.callbridge.sandbox.SandboxRequest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request the simulator does not serve is answered 501 in Pipedrive's error envelope, never with a 404 that an SDK
 * would take for Pipedrive's "no such record"; Pipedrive's own 404s stay.
 */
class PipedriveNotSimulatedTest extends PipedriveTestSupport {

    private static JsonNode notSimulated(Resp r, String methodAndPath) {
        JsonNode b = error(r, SandboxRequest.NOT_SIMULATED);
        assertThat(b.get("error").asText()).isEqualTo("not simulated by the sandbox: " + methodAndPath);
        assertThat(b.get("code").asText()).isEqualTo("NOT_SIMULATED");
        assertThat(b.get("error_info").asText()).isEqualTo(PipedriveException.ERROR_INFO);
        assertThat(b.has("additional_data") && b.get("additional_data").isNull()).as(r.body()).isTrue();
        return b;
    }

    @Test
    void requestsNoHandlerServesAnswer501WithTheMethodAndPath() {
        long person = createPerson("{\"name\":\"Jean Dupont\"}");
        notSimulated(call("GET", "/api/v2/foo?limit=5", null), "GET /api/v2/foo");
        notSimulated(call("GET", "/api/v2/deals/search?term=jean", null), "GET /api/v2/deals/search");
        notSimulated(call("GET", "/api/v2/persons/" + person + "/followers", null), "GET /api/v2/persons/" + person + "/followers");
        notSimulated(call("PUT", "/api/v2/persons/" + person, "{\"name\":\"Jean\"}"), "PUT /api/v2/persons/" + person);
        notSimulated(call("PUT", "/api/v2/persons/999", "{\"name\":\"Jean\"}"), "PUT /api/v2/persons/999");
        notSimulated(call("PUT", "/v1/persons/" + person, "{\"name\":\"Jean\"}"), "PUT /v1/persons/" + person);
        notSimulated(call("GET", "/v1/users/" + OWNER, null), "GET /v1/users/" + OWNER);
        notSimulated(call("GET", "/v1/webhooks/1", null), "GET /v1/webhooks/1");
        notSimulated(call("PATCH", "/v1/notes/1", "{\"content\":\"x\"}"), "PATCH /v1/notes/1");
        notSimulated(call("GET", "/v1", null), "GET /v1");
        notSimulated(raw("GET", "/oauth/authorize?client_id=pd-client", Map.of(), null), "GET /oauth/authorize");
        notSimulated(raw("GET", "/oauth/token", Map.of(), null), "GET /oauth/token");
        notSimulated(raw("GET", "/api/v1/persons", Map.of(), null), "GET /api/v1/persons");
        assertRateLimitHeaders(call("GET", "/api/v2/foo", null));
    }

    @Test
    void pipedrivesOwnAnswersStay() {
        assertThat(error(call("GET", "/api/v2/persons/999", null), 404).get("error").asText()).isEqualTo("Person not found");
        assertThat(error(call("DELETE", "/api/v2/deals/999", null), 404).get("error").asText()).isEqualTo("Deal not found");
        assertThat(error(call("GET", "/v1/notes/999", null), 404).get("error").asText()).isEqualTo("Note not found");
        error(call("GET", "/v1/callLogs/nope", null), 404);
        error(call("GET", "/api/v2/persons/-3", null), 400);
        error(call("GET", "/api/v2/persons/1.5", null), 400);
        error(raw("GET", "/api/v2/foo", Map.of(), null), 401);
    }

    /** The other side of {@link PipedriveContractTest}, which calls every route of ROUTES: every other operation is a 501. */
    @Test
    void everyOperationOfPipedrivesDocumentsOutsideTheRoutesAnswers501() {
        PipedriveContract docs = PipedriveContract.require();
        assertThat(adminCall("PUT", "/rate-limit", "{\"quota\":0}").status()).isEqualTo(200);
        assertThat(adminCall("PUT", "/search-rate-limit", "{\"quota\":0}").status()).isEqualTo(200);
        Set<String> served = new HashSet<>();
        for (String route : PipedriveSandbox.ROUTES) served.add(route.replaceAll("\\{[^}]+}", "{}"));
        List<String> wrong = new ArrayList<>();
        int asked = 0;
        for (String[] op : docs.operations()) {
            String prefix = op[2].startsWith("/oauth/") ? "" : op[0].equals("v2") ? "/api/v2" : "/v1";
            // the token endpoint is served with and without the trailing slash its document writes
            String path = (prefix + op[2]).replaceAll("/$", "");
            if (served.contains(op[1] + " " + path.replaceAll("\\{[^}]+}", "{}"))) continue;
            String concrete = prefix + op[2].replaceAll("\\{[^}]+}", "1");
            String body = Set.of("POST", "PUT", "PATCH").contains(op[1]) ? "{}" : null;
            Resp r = raw(op[1], concrete, Map.of("x-api-token", API_TOKEN), body);
            asked++;
            JsonNode json = r.status() == SandboxRequest.NOT_SIMULATED ? r.json() : null;
            if (json == null || !json.path("error").asText().equals("not simulated by the sandbox: " + op[1] + " " + concrete)
                    || !json.path("code").asText().equals("NOT_SIMULATED") || json.path("success").asBoolean(true)) {
                wrong.add(op[1] + " " + concrete + " -> " + r.status() + " " + r.body());
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(asked).as("operations outside the routes").isGreaterThan(300);
    }
}
