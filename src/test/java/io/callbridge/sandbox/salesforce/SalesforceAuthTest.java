package io.callbridge.sandbox.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.SandboxHttp;
import io.callbridge.sandbox.SandboxHttp.Resp;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** OAuth: every grant, the token answer, revoke, userinfo, expiry and the admin "expire now". */
class SalesforceAuthTest extends SalesforceTestSupport {

    private static String tokenUrl() {
        return base() + "/services/oauth2/token";
    }

    private static Map<String, String> form(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    private static void oauthError(Resp r, String error, String description) {
        assertEquals(400, r.status(), r.body());
        assertEquals(error, r.json().get("error").asText(), r.body());
        assertEquals(description, r.json().get("error_description").asText(), r.body());
    }

    private boolean works(String accessToken) {
        return SandboxHttp.json("GET", data("/sobjects/Contact/describe"), accessToken, null).status() == 200;
    }

    @Test
    void tokenAnswerLooksLikeSalesforce() throws Exception {
        Resp r = SandboxHttp.form(tokenUrl(), form("grant_type", "client_credentials", "client_id", CLIENT_ID, "client_secret", CLIENT_SECRET));
        assertEquals(200, r.status(), r.body());
        JsonNode t = r.json();
        assertTrue(t.get("access_token").asText().matches("00D[0-9A-Za-z]{12}![0-9A-Za-z.]+"), t.toString());
        assertEquals(base(), t.get("instance_url").asText());
        String id = t.get("id").asText();
        assertTrue(id.matches(java.util.regex.Pattern.quote(base()) + "/id/00D[0-9A-Za-z]{15}/005[0-9A-Za-z]{15}"), id);
        assertEquals("Bearer", t.get("token_type").asText());
        long issued = Long.parseLong(t.get("issued_at").asText());
        assertTrue(Math.abs(issued - System.currentTimeMillis()) < 60_000);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(CLIENT_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = Base64.getEncoder().encodeToString(mac.doFinal((id + t.get("issued_at").asText()).getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, t.get("signature").asText());
        assertTrue(r.header("Content-Type").startsWith("application/json"));
        assertTrue(works(t.get("access_token").asText()));
        assertFalse(t.has("refresh_token"));
    }

    @Test
    void clientCredentialsGrant() {
        oauthError(SandboxHttp.form(tokenUrl(), form("grant_type", "client_credentials", "client_id", "other", "client_secret", CLIENT_SECRET)),
                "invalid_client_id", "client identifier invalid");
        oauthError(SandboxHttp.form(tokenUrl(), form("grant_type", "client_credentials", "client_id", CLIENT_ID, "client_secret", "wrong")),
                "invalid_client", "invalid client credentials");
        oauthError(SandboxHttp.form(tokenUrl(), form("grant_type", "client_credentials", "client_id", CLIENT_ID)),
                "invalid_client", "invalid client credentials");
    }

    @Test
    void passwordGrantWithSecurityToken() {
        Resp ok = SandboxHttp.form(tokenUrl(), form("grant_type", "password", "client_id", CLIENT_ID, "client_secret", CLIENT_SECRET,
                "username", USERNAME, "password", "pwTOK"));
        assertEquals(200, ok.status(), ok.body());
        assertTrue(works(ok.json().get("access_token").asText()));
        oauthError(SandboxHttp.form(tokenUrl(), form("grant_type", "password", "client_id", CLIENT_ID, "client_secret", CLIENT_SECRET,
                "username", USERNAME, "password", "pw")), "invalid_grant", "authentication failure");
        oauthError(SandboxHttp.form(tokenUrl(), form("grant_type", "password", "client_id", CLIENT_ID, "client_secret", CLIENT_SECRET,
                "username", "someone@else", "password", "pwTOK")), "invalid_grant", "authentication failure");
    }

    @Test
    void refreshTokenGrant() {
        Resp ok = SandboxHttp.form(tokenUrl(), form("grant_type", "refresh_token", "client_id", CLIENT_ID, "client_secret", CLIENT_SECRET,
                "refresh_token", REFRESH_TOKEN, "format", "json"));
        assertEquals(200, ok.status(), ok.body());
        // camel-salesforce leaves client_secret out when none is configured
        Resp noSecret = SandboxHttp.form(tokenUrl(), form("grant_type", "refresh_token", "client_id", CLIENT_ID, "refresh_token", REFRESH_TOKEN));
        assertEquals(200, noSecret.status(), noSecret.body());
        assertNotEquals(ok.json().get("access_token").asText(), noSecret.json().get("access_token").asText());
        oauthError(SandboxHttp.form(tokenUrl(), form("grant_type", "refresh_token", "client_id", CLIENT_ID, "refresh_token", "nope")),
                "invalid_grant", "expired access/refresh token");
        // parameters in the query string are accepted too, as Salesforce does
        Resp q = SandboxHttp.send("POST", tokenUrl() + "?grant_type=refresh_token&client_id=" + CLIENT_ID + "&refresh_token=" + REFRESH_TOKEN, null, null, null);
        assertEquals(200, q.status(), q.body());
    }

    @Test
    void unsupportedGrantsAndMethods() {
        oauthError(SandboxHttp.form(tokenUrl(), form("grant_type", "magic", "client_id", CLIENT_ID)), "unsupported_grant_type", "grant type not supported");
        oauthError(SandboxHttp.form(tokenUrl(), form("client_id", CLIENT_ID)), "unsupported_grant_type", "grant type not supported");
        oauthError(SandboxHttp.form(tokenUrl(), form("grant_type", "authorization_code", "client_id", CLIENT_ID, "client_secret", CLIENT_SECRET, "code", "x")),
                "invalid_grant", "invalid authorization code");
        assertEquals(405, SandboxHttp.send("GET", tokenUrl(), null, null, null).status());
    }

    // ---- JWT bearer ---------------------------------------------------------------------------

    private static String assertion(String keystore, String iss, String sub, String aud, long exp) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(resource(keystore))) {
            ks.load(in, "sandbox-test".toCharArray());
        }
        String alias = ks.aliases().nextElement();
        PrivateKey key = (PrivateKey) ks.getKey(alias, "sandbox-test".toCharArray());
        Base64.Encoder enc = Base64.getUrlEncoder();
        String header = enc.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8));
        String claims = enc.encodeToString(("{\"iss\":\"" + iss + "\",\"sub\":\"" + sub + "\",\"aud\":\"" + aud + "\",\"exp\":\"" + exp + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(key);
        s.update((header + "." + claims).getBytes(StandardCharsets.UTF_8));
        return header + "." + claims + "." + enc.encodeToString(s.sign());
    }

    private static Resp jwt(String assertion) {
        return SandboxHttp.form(tokenUrl(), form("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion", assertion));
    }

    @Test
    void jwtBearerGrantChecksTheSignatureAgainstTheConfiguredCertificate() throws Exception {
        long exp = Instant.now().plusSeconds(270).getEpochSecond();
        Resp ok = jwt(assertion("jwt-test.p12", CLIENT_ID, USERNAME, base(), exp));
        assertEquals(200, ok.status(), ok.body());
        assertTrue(works(ok.json().get("access_token").asText()));
        assertEquals(200, jwt(assertion("jwt-test.p12", CLIENT_ID, USERNAME, "https://login.salesforce.com", exp)).status());

        oauthError(jwt(assertion("jwt-untrusted.p12", CLIENT_ID, USERNAME, base(), exp)), "invalid_grant", "invalid assertion");
        oauthError(jwt(assertion("jwt-test.p12", CLIENT_ID, USERNAME, "https://evil.example", exp)), "invalid_grant", "audience is invalid");
        oauthError(jwt(assertion("jwt-test.p12", CLIENT_ID, USERNAME, base(), Instant.now().minusSeconds(5).getEpochSecond())),
                "invalid_grant", "expired authorization code");
        oauthError(jwt(assertion("jwt-test.p12", "other-client", USERNAME, base(), exp)), "invalid_client_id", "client identifier invalid");
        oauthError(jwt(assertion("jwt-test.p12", CLIENT_ID, "nobody@example.test", base(), exp)), "invalid_grant", "user hasn't approved this consumer");
        oauthError(jwt("not.a.jwt"), "invalid_grant", "invalid assertion");
        String good = assertion("jwt-test.p12", CLIENT_ID, USERNAME, base(), exp);
        String[] p = good.split("\\.");
        String tampered = p[0] + "." + Base64.getUrlEncoder().encodeToString(("{\"iss\":\"" + CLIENT_ID + "\",\"sub\":\"" + USERNAME
                + "\",\"aud\":\"" + base() + "\",\"exp\":\"" + (exp + 1) + "\"}").getBytes(StandardCharsets.UTF_8)) + "." + p[2];
        oauthError(jwt(tampered), "invalid_grant", "invalid assertion");
    }

    @Test
    void jwtWithoutAConfiguredCertificateIsRefused() throws Exception {
        try (CrmSandbox other = CrmSandbox.start(io.callbridge.sandbox.SandboxSettings.builder().port(0)
                .config("salesforce", Map.of("client-id", CLIENT_ID, "username", USERNAME)).build())) {
            String b = other.baseUrl("salesforce");
            Resp r = SandboxHttp.form(b + "/services/oauth2/token", form("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer",
                    "assertion", assertion("jwt-test.p12", CLIENT_ID, USERNAME, b, Instant.now().plusSeconds(200).getEpochSecond())));
            oauthError(r, "invalid_grant", "invalid assertion");
        }
    }

    // ---- sessions -----------------------------------------------------------------------------

    @Test
    void revokeAnAccessTokenOrTheRefreshToken() {
        String a = login();
        assertTrue(works(a));
        Resp r = SandboxHttp.form(base() + "/services/oauth2/revoke", form("token", a));
        assertEquals(200, r.status(), r.body());
        error(SandboxHttp.json("GET", data("/sobjects/Contact/describe"), a, null), 401, "INVALID_SESSION_ID");
        oauthError(SandboxHttp.form(base() + "/services/oauth2/revoke", form("token", a)), "invalid_token", "invalid token");
        // camel-salesforce revokes with GET ?token=
        String b = login();
        assertEquals(200, SandboxHttp.send("GET", base() + "/services/oauth2/revoke?token=" + SandboxHttp.enc(b), null, null, null).status());
        assertFalse(works(b));

        // revoking the refresh token ends its sessions and the grant
        String c = SandboxHttp.form(tokenUrl(), form("grant_type", "refresh_token", "client_id", CLIENT_ID, "refresh_token", REFRESH_TOKEN))
                .json().get("access_token").asText();
        assertEquals(200, SandboxHttp.form(base() + "/services/oauth2/revoke", form("token", REFRESH_TOKEN)).status());
        assertFalse(works(c));
        oauthError(SandboxHttp.form(tokenUrl(), form("grant_type", "refresh_token", "client_id", CLIENT_ID, "refresh_token", REFRESH_TOKEN)),
                "invalid_grant", "expired access/refresh token");
        // a reset brings the refresh token back
        sandbox.reset("salesforce");
        assertEquals(200, SandboxHttp.form(tokenUrl(), form("grant_type", "refresh_token", "client_id", CLIENT_ID, "refresh_token", REFRESH_TOKEN)).status());
    }

    @Test
    void userinfo() {
        Resp r = SandboxHttp.json("GET", base() + "/services/oauth2/userinfo", token, null);
        assertEquals(200, r.status(), r.body());
        assertEquals(USERNAME, r.json().get("preferred_username").asText());
        assertTrue(r.json().get("user_id").asText().startsWith("005"));
        assertEquals(403, SandboxHttp.json("GET", base() + "/services/oauth2/userinfo", "bogus", null).status());
    }

    @Test
    void expireAllTokensThroughTheAdminApi() {
        String other = login();
        assertTrue(works(token) && works(other));
        assertEquals(204, SandboxHttp.json("POST", admin() + "/tokens/expire", null, null).status());
        Resp r = SandboxHttp.json("GET", data("/sobjects/Contact/describe"), token, null);
        JsonNode e = error(r, 401, "INVALID_SESSION_ID");
        assertEquals("Session expired or invalid", e.get("message").asText());
        assertFalse(works(other));
        assertTrue(works(login()));
    }

    @Test
    void sessionsTimeOutAfterInactivity() {
        io.callbridge.sandbox.MutableClock clock = new io.callbridge.sandbox.MutableClock(Instant.now());
        try (CrmSandbox quick = CrmSandbox.start(settings().clock(clock).config("salesforce", "session-timeout-seconds", "60").build())) {
            String b = quick.baseUrl("salesforce");
            String t = SandboxHttp.form(b + "/services/oauth2/token", form("grant_type", "client_credentials", "client_id", CLIENT_ID,
                    "client_secret", CLIENT_SECRET)).json().get("access_token").asText();
            String url = b + "/services/data/v" + V + "/sobjects/Contact/describe";
            assertEquals(200, SandboxHttp.json("GET", url, t, null).status());
            clock.advance(Duration.ofSeconds(59));
            assertEquals(200, SandboxHttp.json("GET", url, t, null).status(), "activity keeps the session alive");
            clock.advance(Duration.ofSeconds(59));
            assertEquals(200, SandboxHttp.json("GET", url, t, null).status());
            clock.advance(Duration.ofSeconds(60));
            error(SandboxHttp.json("GET", url, t, null), 401, "INVALID_SESSION_ID");
        }
    }
}
