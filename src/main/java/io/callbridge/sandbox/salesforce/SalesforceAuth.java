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
 * client_credentials and JWT bearer grants), {@code /services/oauth2/revoke} and
 * {@code /services/oauth2/userinfo}, plus the sessions they create. Sessions time out after
 * {@code session-timeout-seconds} of inactivity (default 7200), as Salesforce sessions do.
 * Secrets are compared in constant time and never logged.
 */
final class SalesforceAuth {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";

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
        o.put("zoneinfo", "Europe/Zurich");
        return SandboxResponse.json(200, o);
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
