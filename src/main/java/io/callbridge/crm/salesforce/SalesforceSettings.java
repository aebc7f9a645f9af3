package io.callbridge.crm.salesforce;

import java.util.Locale;

import io.callbridge.config.Settings;
import io.callbridge.sandbox.salesforce.SalesforceSandbox;

/**
 * The {@code callbridge.crm.salesforce.*} settings of the connector (README, configuration table).
 * Secrets are held here and handed to camel-salesforce only; {@link #toString()} never shows them.
 */
public record SalesforceSettings(String loginUrl, Flow flow, String clientId, String clientSecret, String refreshToken,
        String username, String jwtKeystore, String jwtKeystorePassword, String jwtKeystoreType, String apiVersion,
        UnknownCaller unknownCaller, long requestTimeoutMs) {

    /** The OAuth flow camel-salesforce logs in with. */
    public enum Flow {
        CLIENT_CREDENTIALS, REFRESH_TOKEN, JWT;

        static Flow parse(String s) {
            return switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "client-credentials" -> CLIENT_CREDENTIALS;
                case "refresh-token" -> REFRESH_TOKEN;
                case "jwt", "jwt-bearer" -> JWT;
                default -> throw new IllegalStateException("callbridge.crm.salesforce.auth-flow is '" + s
                        + "'; use client-credentials, refresh-token or jwt");
            };
        }
    }

    /** What happens to a call from a number no Contact or Lead has. */
    public enum UnknownCaller {
        LEAD, CONTACT, UNLINKED;

        static UnknownCaller parse(String s) {
            return switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "lead" -> LEAD;
                case "contact" -> CONTACT;
                case "unlinked" -> UNLINKED;
                default -> throw new IllegalStateException("callbridge.crm.salesforce.unknown-caller is '" + s
                        + "'; use lead, contact or unlinked");
            };
        }
    }

    private static final String P = "callbridge.crm.salesforce.";

    /**
     * Reads and checks the settings; a missing credential stops start-up with the key to set. With the
     * dev sandbox, the sandbox's own client id and secret are the defaults (they protect nothing).
     */
    public static SalesforceSettings from(Settings s) {
        String loginUrl = s.require(P + "login-url", "the Salesforce connector logs in there "
                + "(https://login.salesforce.com, https://test.salesforce.com or your My Domain URL)");
        boolean sandbox = s.getBoolean("callbridge.sandbox.enabled", false);
        String refreshToken = blankToNull(s.get(P + "refresh-token", null));
        String keystore = blankToNull(s.get(P + "jwt-keystore", null));
        String flowName = blankToNull(s.get(P + "auth-flow", null));
        Flow flow = flowName != null ? Flow.parse(flowName)
                : keystore != null ? Flow.JWT : refreshToken != null ? Flow.REFRESH_TOKEN : Flow.CLIENT_CREDENTIALS;
        String clientId = blankToNull(s.get(P + "client-id", sandbox ? SalesforceSandbox.DEFAULT_CLIENT_ID : null));
        String clientSecret = blankToNull(s.get(P + "client-secret", sandbox ? SalesforceSandbox.DEFAULT_CLIENT_SECRET : null));
        String username = blankToNull(s.get(P + "username", null));
        if (clientId == null) {
            throw missing("client-id", "the consumer key of the org's connected app");
        }
        switch (flow) {
            case CLIENT_CREDENTIALS -> {
                if (clientSecret == null) throw missing("client-secret", "the consumer secret of the connected app");
            }
            case REFRESH_TOKEN -> {
                if (refreshToken == null) throw missing("refresh-token", "a refresh token issued to the connected app");
            }
            case JWT -> {
                if (keystore == null) throw missing("jwt-keystore", "a PKCS12 or JKS file with the key whose certificate "
                        + "the connected app holds");
                if (username == null) throw missing("username", "the Salesforce user the JWT bearer flow acts as");
            }
        }
        return new SalesforceSettings(loginUrl.replaceAll("/+$", ""), flow, clientId, clientSecret, refreshToken, username,
                keystore, s.get(P + "jwt-keystore-password", ""), s.get(P + "jwt-keystore-type", "PKCS12"),
                s.get(P + "api-version", "60.0"),
                UnknownCaller.parse(s.get(P + "unknown-caller", "lead")),
                s.getLong(P + "request-timeout-ms", 30_000));
    }

    private static IllegalStateException missing(String key, String what) {
        return new IllegalStateException(P + key + " is not set: the Salesforce connector needs " + what);
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }

    @Override
    public String toString() {
        return "SalesforceSettings[loginUrl=" + loginUrl + ", flow=" + flow + ", apiVersion=" + apiVersion
                + ", unknownCaller=" + unknownCaller + "]";
    }
}
