package io.callbridge.sandbox.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.SandboxHttp;
import io.callbridge.sandbox.SandboxHttp.Resp;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The identity URL the token answer names ({@code id}) and the version index lists ({@code identity}). jsforce 3.10's
 * {@code conn.identity()} GETs it with {@code ?format=json&oauth_token=<token>} and its Bearer header.
 */
class SalesforceIdentityTest extends SalesforceTestSupport {

    private static String idUrl() {
        Resp r = SandboxHttp.form(base() + "/services/oauth2/token", Map.of("grant_type", "client_credentials",
                "client_id", CLIENT_ID, "client_secret", CLIENT_SECRET));
        return r.json().get("id").asText();
    }

    private Resp identity(String url, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        return SandboxHttp.send(b.build());
    }

    @Test
    void theIdentityUrlAnswersTheDocumentedUserAndOrgDetails() {
        String id = idUrl();
        assertEquals(id, get("/").json().get("identity").asText(), "the version index names the same identity URL");
        Resp r = identity(id + "?format=json&oauth_token=" + SandboxHttp.enc(token), token);
        assertEquals(200, r.status(), r.body());
        assertTrue(r.header("Content-Type").startsWith("application/json"), r.header("Content-Type"));
        JsonNode o = r.json();
        assertEquals(List.of("id", "asserted_user", "user_id", "organization_id", "username", "nick_name", "display_name", "email",
                "email_verified", "first_name", "last_name", "timezone", "photos", "addr_street", "addr_city", "addr_state", "addr_country",
                "addr_zip", "mobile_phone", "mobile_phone_verified", "is_lightning_login_user", "status", "urls", "active", "user_type",
                "language", "locale", "utcOffset", "last_modified_date", "is_app_installed"), keys(o));
        assertEquals(id, o.get("id").asText());
        String[] parts = id.split("/");
        assertEquals(parts[parts.length - 1], o.get("user_id").asText());
        assertEquals(parts[parts.length - 2], o.get("organization_id").asText());
        assertTrue(o.get("asserted_user").asBoolean());
        assertEquals(USERNAME, o.get("username").asText());
        assertEquals("Sandbox Integration", o.get("display_name").asText());
        assertTrue(o.get("active").asBoolean());
        JsonNode urls = o.get("urls");
        assertEquals(List.of("enterprise", "metadata", "partner", "rest", "sobjects", "search", "query", "recent", "tooling_soap",
                "tooling_rest", "profile", "feeds", "groups", "users", "feed_items", "feed_elements", "custom_domain"), keys(urls));
        assertEquals(base() + "/services/data/v{version}/", urls.get("rest").asText());
        assertEquals(base() + "/services/data/v{version}/sobjects/", urls.get("sobjects").asText());
        assertEquals(base() + "/services/Soap/u/{version}/" + o.get("organization_id").asText().substring(0, 15), urls.get("partner").asText());
        // the version parameter fills the placeholder in; the token alone, as a parameter, is enough
        JsonNode latest = identity(id + "?version=latest&oauth_token=" + SandboxHttp.enc(token), null).json();
        assertEquals(base() + "/services/data/v" + String.format("%.1f", SalesforceApi.MAX_VERSION) + "/", latest.get("urls").get("rest").asText());
        assertEquals(base() + "/services/data/v56.0/query/", identity(id + "?version=56.0", token).json().get("urls").get("query").asText());
    }

    @Test
    void identityErrorsAreTheIdentityServicesBareCodes() {
        String id = idUrl();
        assertIdentityError(identity(id + "?format=json&oauth_token=nope", "nope"), 403, "Bad_OAuth_Token");
        assertIdentityError(identity(id, null), 403, "Missing_OAuth_Token");
        String org = id.split("/")[id.split("/").length - 2];
        String user = id.substring(id.lastIndexOf('/') + 1);
        assertIdentityError(identity(base() + "/id/" + SalesforceIds.make("00D", 8) + "/" + user, token), 403, "Wrong_Org");
        assertIdentityError(identity(base() + "/id/" + org + "/" + SalesforceIds.make("005", 99), token), 404, "Bad_Id");
        assertIdentityError(identity(id + "?version=v60", token), 406, "Invalid_Version");
        // an expired session is refused like a wrong one
        assertEquals(204, SandboxHttp.json("POST", admin() + "/tokens/expire", null, null).status());
        assertIdentityError(identity(id, token), 403, "Bad_OAuth_Token");
    }

    private static void assertIdentityError(Resp r, int status, String code) {
        assertEquals(status, r.status(), r.body());
        assertEquals(code, r.body());
    }
}
