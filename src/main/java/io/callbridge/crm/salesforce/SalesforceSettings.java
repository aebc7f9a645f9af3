package io.callbridge.crm.salesforce;

import java.util.List;
import java.util.Locale;

import io.callbridge.config.Setting;
import io.callbridge.config.Settings;

/**
 * The {@code callbridge.crm.salesforce.*} settings (README, configuration table), checked at start.
 * Secrets are held here and handed to camel-salesforce only; {@link #toString()} never shows them.
 */
public record SalesforceSettings(String loginUrl, Flow flow, String clientId, String clientSecret, String refreshToken,
        String username, String jwtKeystore, String jwtKeystorePassword, String jwtKeystoreType, String apiVersion,
        UnknownCaller unknownCaller, long requestTimeoutMs, String contactStatusField, boolean changeEvents) {

    private static final String P = "callbridge.crm.salesforce.";

    static final Setting LOGIN_URL = Setting.of(P + "login-url", null, "where camel-salesforce logs in: "
            + "`https://login.salesforce.com`, `https://test.salesforce.com` or the org's My Domain URL; dev: the sandbox");
    static final Setting AUTH_FLOW = Setting.of(P + "auth-flow", null, "`client-credentials`, `refresh-token` or `jwt`; unset: "
            + "`jwt` with a keystore, `refresh-token` with a refresh token, else `client-credentials`");
    static final Setting CLIENT_ID = Setting.of(P + "client-id", null,
            "the connected app's consumer key (every flow); dev: the sandbox's");
    static final Setting CLIENT_SECRET = Setting.of(P + "client-secret", null,
            "its consumer secret (client credentials, refresh token); dev: the sandbox's");
    static final Setting REFRESH_TOKEN = Setting.of(P + "refresh-token", null, "refresh-token flow: a refresh token issued to the integration user");
    static final Setting USERNAME = Setting.of(P + "username", null, "JWT bearer flow: the integration user");
    static final Setting JWT_KEYSTORE = Setting.of(P + "jwt-keystore", null, "JWT bearer flow: the key whose certificate the "
            + "connected app holds (`file:/etc/callbridge/salesforce.p12`; no prefix = classpath)");
    static final Setting JWT_KEYSTORE_PASSWORD = Setting.of(P + "jwt-keystore-password", null, "JWT bearer flow: the keystore's password");
    static final Setting JWT_KEYSTORE_TYPE = Setting.of(P + "jwt-keystore-type", "PKCS12", "JWT bearer flow: the keystore's type");
    static final Setting API_VERSION = Setting.of(P + "api-version", "60.0",
            "REST API version of the connector, the templates (a template setting) and caller lookups");
    static final Setting UNKNOWN_CALLER = Setting.of(P + "unknown-caller", "lead", "a caller no Contact or Lead has: "
            + "`lead` (create one), `contact` (create one), `unlinked` (records without `WhoId`)");
    static final Setting REQUEST_TIMEOUT_MS = Setting.of(P + "request-timeout-ms", "30000",
            "longest a Salesforce request of the connector may take");
    static final Setting CONTACT_STATUS_FIELD = Setting.of("callbridge.identify.salesforce.contact-status-field", null,
            "Contact field shown as `status` by caller lookups (e.g. `Level__c`, `Account.Type`); leads show `Status`");

    static final Setting CHANGE_EVENTS = Setting.of(P + "change-events", "false", "`true`: Callbridge subscribes to Change Data "
            + "Capture on Contact and Lead (Streaming API, `/data/ContactChangeEvent` and `/data/LeadChangeEvent`; select both "
            + "objects in Setup) and a changed record's cached callers are looked up again at the next lookup");

    static final List<Setting> DECLARED = List.of(LOGIN_URL, AUTH_FLOW, CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, USERNAME,
            JWT_KEYSTORE, JWT_KEYSTORE_PASSWORD, JWT_KEYSTORE_TYPE, API_VERSION, UNKNOWN_CALLER, REQUEST_TIMEOUT_MS,
            CONTACT_STATUS_FIELD, CHANGE_EVENTS);

    /** The OAuth flow camel-salesforce logs in with. */
    public enum Flow {
        CLIENT_CREDENTIALS, REFRESH_TOKEN, JWT;

        static Flow parse(String s) {
            return switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "client-credentials" -> CLIENT_CREDENTIALS;
                case "refresh-token" -> REFRESH_TOKEN;
                case "jwt", "jwt-bearer" -> JWT;
                default -> throw new IllegalStateException(AUTH_FLOW.key() + " is '" + s
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
                default -> throw new IllegalStateException(UNKNOWN_CALLER.key() + " is '" + s + "'; use lead, contact or unlinked");
            };
        }
    }

    /** Reads and checks the settings; a missing credential stops start-up with the key to set. */
    public static SalesforceSettings from(Settings s) {
        String loginUrl = s.require(LOGIN_URL, "the Salesforce connector logs in there "
                + "(https://login.salesforce.com, https://test.salesforce.com or your My Domain URL)");
        String refreshToken = s.get(REFRESH_TOKEN);
        String keystore = s.get(JWT_KEYSTORE);
        String flowName = s.get(AUTH_FLOW);
        Flow flow = flowName != null ? Flow.parse(flowName)
                : keystore != null ? Flow.JWT : refreshToken != null ? Flow.REFRESH_TOKEN : Flow.CLIENT_CREDENTIALS;
        String clientId = s.get(CLIENT_ID);
        String clientSecret = s.get(CLIENT_SECRET);
        String username = s.get(USERNAME);
        if (clientId == null) {
            throw missing(CLIENT_ID, "the consumer key of the org's connected app");
        }
        switch (flow) {
            case CLIENT_CREDENTIALS -> {
                if (clientSecret == null) throw missing(CLIENT_SECRET, "the consumer secret of the connected app");
            }
            case REFRESH_TOKEN -> {
                if (refreshToken == null) throw missing(REFRESH_TOKEN, "a refresh token issued to the connected app");
            }
            case JWT -> {
                if (keystore == null) throw missing(JWT_KEYSTORE, "a PKCS12 or JKS file with the key whose certificate "
                        + "the connected app holds");
                if (username == null) throw missing(USERNAME, "the Salesforce user the JWT bearer flow acts as");
            }
        }
        String statusField = s.get(CONTACT_STATUS_FIELD);
        if (statusField != null && !statusField.matches("[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z][A-Za-z0-9_]*)?")) {
            throw new IllegalStateException(CONTACT_STATUS_FIELD.key() + " must be a field name such as Level__c or Account.Type");
        }
        String password = s.get(JWT_KEYSTORE_PASSWORD);
        return new SalesforceSettings(loginUrl.replaceAll("/+$", ""), flow, clientId, clientSecret, refreshToken, username,
                keystore, password == null ? "" : password, s.get(JWT_KEYSTORE_TYPE), s.get(API_VERSION),
                UnknownCaller.parse(s.get(UNKNOWN_CALLER)), s.getLong(REQUEST_TIMEOUT_MS), statusField, s.getBoolean(CHANGE_EVENTS));
    }

    private static IllegalStateException missing(Setting key, String what) {
        return new IllegalStateException(key.key() + " is not set: the Salesforce connector needs " + what);
    }

    @Override
    public String toString() {
        return "SalesforceSettings[loginUrl=" + loginUrl + ", flow=" + flow + ", apiVersion=" + apiVersion
                + ", unknownCaller=" + unknownCaller + ", changeEvents=" + changeEvents + "]";
    }
}
