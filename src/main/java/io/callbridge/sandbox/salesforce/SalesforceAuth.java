package io.callbridge.sandbox.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.SandboxContext;
import io.callbridge.sandbox.SandboxRequest;
import io.callbridge.sandbox.SandboxResponse;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Salesforce's OAuth endpoints: {@code /services/oauth2/token} (password, refresh_token,
 * client_credentials and JWT bearer grants), {@code /services/oauth2/revoke},
 * {@code /services/oauth2/userinfo} and the identity URL {@code /id/{orgId}/{userId}} the token
 * answer names, plus the sessions they create. Sessions time out after
 * {@code session-timeout-seconds} of inactivity (default 7200), as Salesforce sessions do.
 * Secrets are compared in constant time and never logged.
 */
final class SalesforceAuth {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    /** The integration user's time zone, as userinfo and the identity URL give it. */
    private static final String TIME_ZONE = "Europe/Zurich";

    private final SandboxContext context;
    private final SalesforceStore store;
    final String clientId;
    private final String clientSecret;
    final String username;
    private final String password;
    private final String refreshToken;
    private final PublicKey jwtKey;
    private final Duration timeout;
    private final Map<String, Instant> sessions = new HashMap<>();
    private boolean refreshRevoked;

    SalesforceAuth(SandboxContext context, SalesforceStore store) {
        this.context = context;
        this.store = store;
        this.clientId = context.config("client-id", SalesforceSandbox.DEFAULT_CLIENT_ID);
        this.clientSecret = context.config("client-secret", SalesforceSandbox.DEFAULT_CLIENT_SECRET);
        this.username = context.config("username", SalesforceSandbox.DEFAULT_USERNAME);
        this.password = context.config("password", SalesforceSandbox.DEFAULT_PASSWORD) + context.config("security-token", "");
        this.refreshToken = context.config("refresh-token", SalesforceSandbox.DEFAULT_REFRESH_TOKEN);
        this.timeout = Duration.ofSeconds(context.configLong("session-timeout-seconds", 7200));
        String cert = context.config("jwt-certificate", null);
        this.jwtKey = cert == null ? null : publicKey(cert);
    }

    synchronized void reset() {
        sessions.clear();
        refreshRevoked = false;
    }

    synchronized void expireAll() {
        sessions.clear();
    }

    /** True when {@code token} names a live session (and refreshes its inactivity timer). */
    synchronized boolean valid(String token) {
        if (token == null) return false;
        Instant last = sessions.get(token);
        Instant now = context.clock().instant();
        if (last == null) return false;
        if (!now.isBefore(last.plus(timeout))) {
            sessions.remove(token);
            return false;
        }
        sessions.put(token, now);
        return true;
    }

    static String bearer(SandboxRequest req) {
        String h = req.header("authorization");
        if (h == null) return null;
        h = h.trim();
        for (String scheme : List.of("Bearer ", "OAuth ")) {
            if (h.regionMatches(true, 0, scheme, 0, scheme.length())) return h.substring(scheme.length()).trim();
        }
        return null;
    }

    synchronized SandboxResponse token(SandboxRequest req) {
        if (!req.method().equals("POST")) {
            return SandboxResponse.json(405, Json.object().put("error", "invalid_request").put("error_description", "must use HTTP POST"));
        }
        Map<String, String> form = req.form();
        String grant = form.get("grant_type");
        if (grant == null || grant.isBlank()) {
            return oauthError("unsupported_grant_type", "grant type not supported");
        }
        switch (grant) {
            case "password" -> {
                SandboxResponse e = checkClient(form, true);
                if (e != null) return e;
                if (!username.equalsIgnoreCase(form.getOrDefault("username", "")) || !same(password, form.get("password"))) {
                    return oauthError("invalid_grant", "authentication failure");
                }
                return issue(false);
            }
            case "refresh_token" -> {
                SandboxResponse e = checkClient(form, form.containsKey("client_secret"));
                if (e != null) return e;
                if (refreshRevoked || !same(refreshToken, form.get("refresh_token"))) {
                    return oauthError("invalid_grant", "expired access/refresh token");
                }
                return issue(false);
            }
            case "client_credentials" -> {
                SandboxResponse e = checkClient(form, true);
                if (e != null) return e;
                return issue(false);
            }
            case "authorization_code" -> {
                SandboxResponse e = checkClient(form, true);
                if (e != null) return e;
                return oauthError("invalid_grant", "invalid authorization code");
            }
            case JWT_GRANT -> {
                return jwt(form.get("assertion"));
            }
            default -> {
                return oauthError("unsupported_grant_type", "grant type not supported");
            }
        }
    }

    synchronized SandboxResponse revoke(SandboxRequest req) {
        String token = req.form().get("token");
        if (token == null || token.isBlank()) {
            return oauthError("unsupported_token_type", "this token type is not supported");
        }
        if (sessions.remove(token) != null) {
            return SandboxResponse.empty(200);
        }
        if (same(refreshToken, token) && !refreshRevoked) {
            refreshRevoked = true;
            sessions.clear();
            return SandboxResponse.empty(200);
        }
        return oauthError("invalid_token", "invalid token");
    }

    SandboxResponse userinfo(SandboxRequest req) {
        if (!valid(bearer(req))) {
            return SandboxResponse.text(403, "text/plain;charset=UTF-8", "Bad_OAuth_Token");
        }
        ObjectNode o = Json.object();
        o.put("sub", idUrl());
        o.put("user_id", store.userId);
        o.put("organization_id", store.orgId);
        o.put("preferred_username", username);
        o.put("name", "Sandbox Integration");
        o.put("email", "integration@callbridge.sandbox");
        o.put("zoneinfo", TIME_ZONE);
        return SandboxResponse.json(200, o);
    }

    /**
     * {@code GET /id/{orgId}/{userId}}: the identity URL, with the session's token as a Bearer header or the
     * {@code oauth_token} parameter (jsforce sends both). Its errors are bare codes, as Salesforce's identity service
     * answers them: 403 {@code Missing_OAuth_Token}, {@code Bad_OAuth_Token}, {@code Wrong_Org}; 404 {@code Bad_Id}.
     * Its URLs hold {@code {version}} unless the {@code version} parameter (a number or {@code latest}) names one.
     */
    SandboxResponse identity(SandboxRequest req, String org, String user) {
        String token = bearer(req);
        if (token == null) token = req.param("oauth_token");
        if (token == null) token = req.param("access_token");
        if (token == null) return identityError(403, "Missing_OAuth_Token");
        if (!valid(token)) return identityError(403, "Bad_OAuth_Token");
        if (!store.orgId.equals(SalesforceIds.normalize(org))) return identityError(403, "Wrong_Org");
        String userId = SalesforceIds.normalize(user);
        ObjectNode u = userId == null || !SalesforceIds.prefix(userId).equals("005") ? null : store.get(userId);
        if (u == null) return identityError(404, "Bad_Id");
        if ("xml".equalsIgnoreCase(req.param("format"))) {
            return SandboxResponse.json(SandboxRequest.NOT_SIMULATED, Json.array().add(
                    SalesforceError.of(SalesforceException.NOT_SIMULATED_CODE, req.notSimulated() + " (format=xml)").toJson()));
        }
        String version = req.param("version");
        if (version == null) {
            version = "{version}";
        } else if (version.equalsIgnoreCase("latest")) {
            version = String.format("%.1f", SalesforceApi.MAX_VERSION);
        } else if (!version.matches("\\d+\\.\\d")) {
            return identityError(406, "Invalid_Version");
        }
        String base = loginBase();
        String org15 = store.orgId.substring(0, 15);
        ObjectNode o = Json.object();
        o.put("id", base + "/id/" + store.orgId + "/" + userId);
        o.put("asserted_user", userId.equals(store.userId));
        o.put("user_id", userId);
        o.put("organization_id", store.orgId);
        o.put("username", userId.equals(store.userId) ? username : u.path("Username").asText());
        o.put("nick_name", username.contains("@") ? username.substring(0, username.indexOf('@')) : username);
        o.put("display_name", u.path("Name").asText());
        o.put("email", u.path("Email").asText(null));
        o.put("email_verified", true);
        o.put("first_name", u.path("FirstName").asText(null));
        o.put("last_name", u.path("LastName").asText(null));
        o.put("timezone", TIME_ZONE);
        ObjectNode photos = o.putObject("photos");
        photos.put("picture", base + "/profilephoto/005/F");
        photos.put("thumbnail", base + "/profilephoto/005/T");
        for (String a : List.of("addr_street", "addr_city", "addr_state", "addr_country", "addr_zip")) o.putNull(a);
        o.set("mobile_phone", u.path("Phone").isTextual() ? u.get("Phone") : Json.MAPPER.nullNode());
        o.put("mobile_phone_verified", false);
        o.put("is_lightning_login_user", false);
        o.putObject("status").putNull("created_date").putNull("body");
        ObjectNode urls = o.putObject("urls");
        urls.put("enterprise", base + "/services/Soap/c/" + version + "/" + org15);
        urls.put("metadata", base + "/services/Soap/m/" + version + "/" + org15);
        urls.put("partner", base + "/services/Soap/u/" + version + "/" + org15);
        String rest = base + "/services/data/v" + version + "/";
        urls.put("rest", rest);
        urls.put("sobjects", rest + "sobjects/");
        urls.put("search", rest + "search/");
        urls.put("query", rest + "query/");
        urls.put("recent", rest + "recent/");
        urls.put("tooling_soap", base + "/services/Soap/T/" + version + "/" + org15);
        urls.put("tooling_rest", rest + "tooling/");
        urls.put("profile", base + "/" + userId);
        urls.put("feeds", rest + "chatter/feeds");
        urls.put("groups", rest + "chatter/groups");
        urls.put("users", rest + "chatter/users");
        urls.put("feed_items", rest + "chatter/feed-items");
        urls.put("feed_elements", rest + "chatter/feed-elements");
        urls.put("custom_domain", base);
        o.put("active", u.path("IsActive").asBoolean(true));
        o.put("user_type", "STANDARD");
        o.put("language", "en_US");
        o.put("locale", "en_US");
        o.put("utcOffset", java.time.ZoneId.of(TIME_ZONE).getRules().getStandardOffset(context.clock().instant()).getTotalSeconds() * 1000L);
        o.put("last_modified_date", u.path("LastModifiedDate").asText(null));
        o.put("is_app_installed", true);
        return SandboxResponse.json(200, o);
    }

    private static SandboxResponse identityError(int status, String code) {
        return SandboxResponse.text(status, "text/plain;charset=UTF-8", code);
    }

    private SandboxResponse jwt(String assertion) {
        if (assertion == null || assertion.isBlank()) return oauthError("invalid_request", "assertion is required");
        String[] parts = assertion.split("\\.");
        if (parts.length != 3) return oauthError("invalid_grant", "invalid assertion");
        JsonNode header, claims;
        byte[] sig;
        try {
            header = Json.parse(Base64.getUrlDecoder().decode(parts[0]));
            claims = Json.parse(Base64.getUrlDecoder().decode(parts[1]));
            sig = Base64.getUrlDecoder().decode(parts[2]);
        } catch (Exception e) {
            return oauthError("invalid_grant", "invalid assertion");
        }
        if (!"RS256".equals(header.path("alg").asText())) return oauthError("invalid_grant", "invalid assertion");
        if (!clientId.equals(claims.path("iss").asText())) return oauthError("invalid_client_id", "client identifier invalid");
        if (jwtKey == null) return oauthError("invalid_grant", "invalid assertion");
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initVerify(jwtKey);
            s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!s.verify(sig)) return oauthError("invalid_grant", "invalid assertion");
        } catch (Exception e) {
            return oauthError("invalid_grant", "invalid assertion");
        }
        String aud = claims.path("aud").asText("").replaceAll("/+$", "");
        if (!List.of(loginBase(), "https://login.salesforce.com", "https://test.salesforce.com").contains(aud)) {
            return oauthError("invalid_grant", "audience is invalid");
        }
        long exp;
        try {
            exp = Long.parseLong(claims.path("exp").asText());
        } catch (NumberFormatException e) {
            return oauthError("invalid_grant", "invalid assertion");
        }
        if (exp <= context.clock().instant().getEpochSecond()) return oauthError("invalid_grant", "expired authorization code");
        if (!username.equalsIgnoreCase(claims.path("sub").asText())) {
            return oauthError("invalid_grant", "user hasn't approved this consumer");
        }
        return issue(true);
    }

    private SandboxResponse checkClient(Map<String, String> form, boolean secretRequired) {
        if (!clientId.equals(form.get("client_id"))) return oauthError("invalid_client_id", "client identifier invalid");
        if (secretRequired && !same(clientSecret, form.get("client_secret"))) return oauthError("invalid_client", "invalid client credentials");
        return null;
    }

    private SandboxResponse issue(boolean jwt) {
        byte[] random = new byte[48];
        RANDOM.nextBytes(random);
        String token = store.orgId.substring(0, 15) + "!" + Base64.getUrlEncoder().withoutPadding().encodeToString(random).replace('-', 'x').replace('_', 'y');
        Instant now = context.clock().instant();
        sessions.put(token, now);
        String issuedAt = Long.toString(now.toEpochMilli());
        ObjectNode o = Json.object();
        o.put("access_token", token);
        if (jwt) o.put("scope", "api");
        o.put("instance_url", loginBase());
        o.put("id", idUrl());
        o.put("token_type", "Bearer");
        o.put("issued_at", issuedAt);
        o.put("signature", hmac(idUrl() + issuedAt));
        return SandboxResponse.json(200, o);
    }

    private String hmac(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(clientSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    String idUrl() {
        return loginBase() + "/id/" + store.orgId + "/" + store.userId;
    }

    private String loginBase() {
        return context.baseUrl();
    }

    private static SandboxResponse oauthError(String error, String description) {
        return SandboxResponse.json(400, Json.object().put("error", error).put("error_description", description));
    }

    private static boolean same(String expected, String given) {
        if (given == null) return false;
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    /** A PEM certificate or public key, given inline or as a file path. */
    static PublicKey publicKey(String pemOrPath) {
        try {
            String pem = pemOrPath.contains("-----BEGIN") ? pemOrPath : Files.readString(Path.of(pemOrPath));
            if (pem.contains("BEGIN CERTIFICATE")) {
                return CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))).getPublicKey();
            }
            String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64)));
        } catch (Exception e) {
            throw new IllegalArgumentException("jwt-certificate is neither a PEM certificate nor a PEM public key (nor a file holding one): " + e.getMessage(), e);
        }
    }
}
