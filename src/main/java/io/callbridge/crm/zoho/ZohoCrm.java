package io.callbridge.crm.zoho;

import java.util.Arrays;
import java.util.List;

import io.callbridge.config.Setting;
import io.callbridge.config.Settings;
import io.callbridge.crm.CallerSearch;
import io.callbridge.crm.ChangeNotifications;
import io.callbridge.crm.CrmAuth;
import io.callbridge.crm.CrmContext;
import io.callbridge.crm.CrmHttp;
import io.callbridge.crm.CrmSettings;
import io.callbridge.crm.rest.RestCrm;
import io.callbridge.crm.rest.RestDialect;
import io.callbridge.crm.rest.RestSettings;

/**
 * Zoho CRM API v8 over the shared REST connector: OAuth 2.0 with a self client's refresh token, refreshed at the
 * data centre's accounts server, whose answer names the API's host ({@code api_domain}); callers found in Contacts
 * and unconverted Leads by every phone field; writes in batches of up to 100 records per module.
 */
public final class ZohoCrm extends RestCrm {

    static final String NAME = "zoho";
    private static final String P = "callbridge.crm.zoho.";

    static final Setting ACCOUNTS_URL = Setting.of(P + "accounts-url", null, "the accounts server of the org's data centre, "
            + "where tokens are refreshed: `https://accounts.zoho.com` (US), `.eu`, `.in`, `.com.au`, `.jp`, `.com.cn`, "
            + "`https://accounts.zohocloud.ca`, `https://accounts.zoho.sa`; the API's host is the `api_domain` it answers; dev: the sandbox");
    static final Setting CLIENT_ID = Setting.of(P + "client-id", null, "the client id of the self client (Zoho API console); dev: the sandbox's");
    static final Setting CLIENT_SECRET = Setting.of(P + "client-secret", null, "its client secret; dev: the sandbox's");
    static final Setting REFRESH_TOKEN = Setting.of(P + "refresh-token", null, "a refresh token granted with scope "
            + "`ZohoCRM.modules.ALL` (it does not expire until revoked); dev: the sandbox's");
    static final Setting REFRESH_AHEAD_SECONDS = Setting.of(P + "refresh-ahead-seconds", "300", "the access token is refreshed "
            + "this long before it expires (at most a tenth of its lifetime), by one request for all threads");
    static final Setting REFRESH_LIMIT = Setting.of(P + "refresh-limit", "10", "token refreshes per 10 minutes at most: Zoho "
            + "refuses more with `Access Denied`; past it, deliveries wait instead of asking");
    static final Setting TRIGGER = Setting.of(P + "trigger", "workflow,approval,blueprint", "the Zoho automations Callbridge's "
            + "writes run (`trigger`): a comma list of `workflow`, `approval`, `blueprint`, or `none`");
    static final Setting CONTACT_PHONE_FIELDS = Setting.of(P + "contact-phone-fields", "Phone,Mobile,Home_Phone,Other_Phone,Asst_Phone",
            "the Contacts fields (API names) a caller's number is looked for in; add custom phone fields here");
    static final Setting LEAD_PHONE_FIELDS = Setting.of(P + "lead-phone-fields", "Phone,Mobile",
            "the Leads fields (API names) a caller's number is looked for in (unconverted leads only)");
    static final Setting WATCH_TOKEN = Setting.of(P + "watch-token", null, "set (at most 50 characters), Zoho's notifications "
            + "to `/v1/crm-changes/zoho` are accepted only when they carry it (Zoho echoes the watch's token; it signs nothing), and "
            + "with `change-url` set Callbridge enables the watch of Contacts and Leads itself (`POST /crm/v8/actions/watch`, "
            + "scope `ZohoCRM.notifications.ALL`) at start and renews it; dev: set");
    static final Setting CHANNEL_ID = Setting.of(P + "channel-id", "1000000077001", "the watch's channel id (a number up to 18 "
            + "digits): another Callbridge watching the same org takes another");
    static final Setting WATCH_HOURS = Setting.of(P + "watch-hours", "24", "how long the watch is asked for, 1 to 168 (Zoho keeps "
            + "a channel a week at most, an hour when asked for more); Callbridge enables it again at half of what Zoho answered");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Setting location() {
        return ACCOUNTS_URL;
    }

    /** Only an override: the API's host is the one the token answer names. */
    @Override
    protected String baseUrl(Settings settings) {
        return settings.get(CrmSettings.BASE_URL.of(NAME));
    }

    // Zoho publishes no per-second limit: API credits per 24 h and concurrent requests per org are what it counts;
    // these windows keep one instance's pace reasonable, the concurrency is max-in-flight
    @Override
    protected RestSettings.Limit generalLimit() {
        return new RestSettings.Limit("rate-limit", 20, 1000, 2);
    }

    @Override
    protected RestSettings.Limit searchLimit() {
        return new RestSettings.Limit("search-limit", 10, 1000, 1);
    }

    @Override
    protected List<Setting> ownSettings() {
        return List.of(ACCOUNTS_URL, CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, REFRESH_AHEAD_SECONDS, REFRESH_LIMIT, TRIGGER,
                CONTACT_PHONE_FIELDS, LEAD_PHONE_FIELDS, WATCH_TOKEN, CHANNEL_ID, WATCH_HOURS);
    }

    @Override
    protected RestDialect dialect(CrmContext context) {
        return new ZohoDialect(list(context.settings().get(TRIGGER)));
    }

    @Override
    protected CrmAuth auth(CrmContext context, String baseUrl) {
        Settings s = context.settings();
        String accounts = s.require(ACCOUNTS_URL, "the connector refreshes its tokens there");
        return new ZohoAuth(context.http(), accounts.replaceAll("/+$", ""), required(s, CLIENT_ID), required(s, CLIENT_SECRET),
                required(s, REFRESH_TOKEN), baseUrl, s.getLong(REFRESH_AHEAD_SECONDS), s.getInt(REFRESH_LIMIT), context.clock());
    }

    /** Its instant notifications, once a watch token is set; the watch is enabled with the connector's own login. */
    @Override
    protected ChangeNotifications changeNotifications(CrmContext context, CrmAuth auth, String baseUrl) {
        Settings s = context.settings();
        return s.find(WATCH_TOKEN).map(token -> {
            if (token.length() > ZohoChanges.MAX_TOKEN) {
                throw new IllegalStateException(WATCH_TOKEN.key() + " has " + token.length() + " characters: Zoho takes " + ZohoChanges.MAX_TOKEN
                        + " at most");
            }
            if (!s.get(CHANNEL_ID).matches("\\d{1,18}")) {
                throw new IllegalStateException(CHANNEL_ID.key() + " must be a number of at most 18 digits");
            }
            long hours = s.getLong(WATCH_HOURS);
            if (hours < 1 || hours > 168) {
                throw new IllegalStateException(WATCH_HOURS.key() + " must be 1 to 168: Zoho gives an hour to a channel asked for longer than a week");
            }
            return new ZohoChanges(token, Long.parseLong(s.get(CHANNEL_ID)), java.time.Duration.ofHours(hours), context.http(), auth,
                    context.clock());
        }).orElse(null);
    }

    @Override
    protected CallerSearch callerSearch(CrmContext context, CrmAuth auth, String baseUrl) {
        Settings settings = context.settings();
        CrmHttp http = context.http();
        return new ZohoCallerSearch(http, auth, list(settings.get(CONTACT_PHONE_FIELDS)), list(settings.get(LEAD_PHONE_FIELDS)));
    }

    private static List<String> list(String commaList) {
        return commaList == null ? List.of() : Arrays.stream(commaList.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }
}
