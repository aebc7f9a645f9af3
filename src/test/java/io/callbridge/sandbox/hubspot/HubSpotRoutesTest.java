package io.callbridge.sandbox.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.SandboxHttp;
import io.callbridge.sandbox.SandboxHttp.Resp;
import io.callbridge.sandbox.SandboxRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the simulator serves ({@link HubSpotSandbox#ROUTES}) and how it answers what it does not: 501 in HubSpot's
 * error envelope, never a 404 a client would take for HubSpot's own "no such record".
 */
class HubSpotRoutesTest extends HubSpotTestSupport {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "GET|/crm/v3/pipelines/deals|",
            "GET|/crm/v3/owners/75000001/teams|",
            "DELETE|/crm/v3/owners/75000001|",
            "GET|/crm/v3/properties/contacts/groups|",
            "GET|/crm/v3/objects/emails/51001|",
            "POST|/crm/v3/objects/emails|{\"properties\":{}}",
            "POST|/crm/v3/objects/quotes/search|{}",
            "GET|/crm/v3/objects/2-1234567|",
            "GET|/crm/v3/properties/line_items|",
            "POST|/crm/v3/objects/contacts/merge|{\"primaryObjectId\":\"1\",\"objectIdToMerge\":\"2\"}",
            "POST|/crm/v3/objects/contacts/batch/merge|{\"inputs\":[]}",
            "PUT|/crm/v3/objects/contacts/51001|{\"properties\":{}}",
            "GET|/crm/v3/objects/contacts/51001/associations/companies|",
            "POST|/crm/v4/associations/contacts/companies/batch/read|{\"inputs\":[{\"id\":\"51001\"}]}",
            "POST|/crm/v4/associations/contacts/contacts/batch/archive|{\"inputs\":[]}",
            "GET|/crm/v4/objects/contacts/51001/associations/default/companies/51002|",
            "GET|/crm/v4/objects/contacts/51001/associations/companies/51002|",
            "GET|/oauth/v1/access-tokens/CJabc|",
            "GET|/oauth/v1/token|",
            "GET|/account-info/v3/details|",
            "GET|/crm/v3/objects|"})
    void aRequestNoHandlerServesAnswers501InHubSpotsEnvelope(String method, String path, String body) {
        Resp r = sdk(method, path, body);
        JsonNode b = error(r, SandboxRequest.NOT_SIMULATED, "NOT_SIMULATED");
        assertThat(b.get("message").asText()).isEqualTo("not simulated by the sandbox: " + method + " " + path);
        assertRateLimitHeaders(r);
    }

    @Test
    void theMessageNamesThePathWithoutTheQuery() {
        JsonNode b = error(sdk("GET", "/crm/v3/pipelines/deals?archived=false", null), 501, "NOT_SIMULATED");
        assertThat(b.get("message").asText()).isEqualTo("not simulated by the sandbox: GET /crm/v3/pipelines/deals");
    }

    @Test
    void hubSpotsOwn404sAndValidationErrorsStayAsTheyWere() {
        String contact = create("contacts", "{\"email\":\"jean@example.ch\"}");
        error(sdk("GET", "/crm/v3/objects/contacts/999999", null), 404, "OBJECT_NOT_FOUND");
        error(sdk("PATCH", "/crm/v3/objects/contacts/999999", "{\"properties\":{}}"), 404, "OBJECT_NOT_FOUND");
        error(sdk("GET", "/crm/v3/properties/contacts/no_such_property", null), 404, "OBJECT_NOT_FOUND");
        error(sdk("GET", "/crm/v3/owners/1", null), 404, "OBJECT_NOT_FOUND");
        error(sdk("GET", "/crm/v4/objects/contacts/999999/associations/companies", null), 404, "OBJECT_NOT_FOUND");
        error(sdk("PUT", "/crm/v4/objects/contacts/" + contact + "/associations/default/companies/999999", null), 404, "OBJECT_NOT_FOUND");
        // a name HubSpot cannot resolve to any object type is HubSpot's 400, not a gap of the sandbox
        error(sdk("GET", "/crm/v3/objects/widgets", null), 400, "VALIDATION_ERROR");
        error(sdk("POST", "/crm/v4/associations/contacts/widgets/batch/read", "{\"inputs\":[]}"), 400, "VALIDATION_ERROR");
    }

    @Test
    void everyRouteTheSimulatorListsIsServed() {
        String contact = create("contacts", "{\"email\":\"jean@example.ch\"}");
        String call = create("calls", "{\"hs_timestamp\":\"2026-11-28T09:14:03Z\"}");
        List<String> notServed = new ArrayList<>();
        for (String route : HubSpotSandbox.ROUTES) {
            String[] mp = route.split(" ", 2);
            for (String path : expand(mp[1])) {
                String concrete = path.replace("{objectType}", "contacts").replace("{from}", "calls").replace("{to}", "contacts")
                        .replace("{toId}", contact).replace("{id}", path.startsWith("/crm/v4/") ? call : contact)
                        .replace("{ownerId}", "75000001").replace("{name}", "email");
                Resp r = mp[1].startsWith("/oauth/")
                        ? SandboxHttp.form(base() + concrete, Map.of("grant_type", "refresh_token"))
                        : sdk(mp[0], concrete, mp[0].equals("GET") || mp[0].equals("DELETE") ? null : "{}");
                if (r.status() == SandboxRequest.NOT_SIMULATED) notServed.add(mp[0] + " " + concrete + " -> " + r.body());
            }
        }
        assertThat(notServed).isEmpty();
    }

    /** {@code batch/{create|update}} stands for each action. */
    private static List<String> expand(String path) {
        int bar = path.indexOf('|');
        if (bar < 0) return List.of(path);
        int start = path.lastIndexOf('{', bar), end = path.indexOf('}', bar);
        List<String> out = new ArrayList<>();
        for (String alt : path.substring(start + 1, end).split("\\|")) out.add(path.substring(0, start) + alt + path.substring(end + 1));
        return out;
    }
}
