package io.callbridge.crm.hubspot;

import java.net.http.HttpRequest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.callbridge.config.Setting;
import io.callbridge.config.Settings;
import io.callbridge.crm.CallerSearch;
import io.callbridge.crm.ChangeNotifications;
import io.callbridge.crm.CrmAuth;
import io.callbridge.crm.CrmContext;
import io.callbridge.crm.CrmHttp;
import io.callbridge.crm.PersonDeletion;
import io.callbridge.crm.rest.RestCrm;
import io.callbridge.crm.rest.RestDialect;
import io.callbridge.crm.rest.RestSettings;

/**
 * HubSpot CRM v3 over the shared REST connector: a private-app token as bearer, or an OAuth app's access token
 * refreshed from its refresh token ({@link HubSpotAuth}); callers found on HubSpot's calculated phone properties,
 * 100 requests per 10 s and 5 searches per second.
 */
public final class HubSpotCrm extends RestCrm {

    static final String NAME = "hubspot";
    private static final String P = "callbridge.crm.hubspot.";

    static final Setting TOKEN = Setting.of(P + "token", null, "private-app token (Bearer), unless an OAuth app's `client-id` "
            + "and `refresh-token` are set; dev: the sandbox's");
    static final Setting CLIENT_ID = Setting.of(P + "client-id", null, "an OAuth app's client id: with `client-secret` and "
            + "`refresh-token`, its access tokens (refreshed at `<base-url>/oauth/v1/token`) are used instead of `token`");
    static final Setting CLIENT_SECRET = Setting.of(P + "client-secret", null, "the OAuth app's client secret; set, HubSpot's "
            + "contact webhooks to `/v1/crm-changes/hubspot` are verified with it (HubSpot signs them with it)");
    static final Setting REFRESH_TOKEN = Setting.of(P + "refresh-token", null, "the refresh token the app's installation in "
            + "the portal gave (it lasts until the app is uninstalled)");
    static final Setting REFRESH_AHEAD_SECONDS = Setting.of(P + "refresh-ahead-seconds", "300", "an OAuth access token is "
            + "refreshed this long before it expires (at most a tenth of its lifetime), by one request for all threads");
    static final Setting STATUS_PROPERTY = Setting.of("callbridge.identify.hubspot.status-property", "hs_lead_status",
            "contact property caller lookups show as `status`");
    static final Setting LEAD_STAGES = Setting.of("callbridge.identify.hubspot.lead-stages",
            "subscriber,lead,marketingqualifiedlead,salesqualifiedlead", "lifecycle stages that make a HubSpot contact a `lead`");

    @Override
    public String name() {
        return NAME;
    }

    // 3 of every 100 left for other tools on the same app: the burst of 5 and the even pace then use 92 % of the
    // ceiling and no 10-second interval holds more than 97
    @Override
    protected RestSettings.Limit generalLimit() {
        return new RestSettings.Limit("rate-limit", 100, 10_000, 3);
    }

    @Override
    protected RestSettings.Limit searchLimit() {
        return new RestSettings.Limit("search-limit", 5, 1000, 0);
    }

    @Override
    protected List<Setting> ownSettings() {
        return List.of(TOKEN, CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, REFRESH_AHEAD_SECONDS, STATUS_PROPERTY, LEAD_STAGES);
    }

    @Override
    protected RestDialect dialect(CrmContext context) {
        return new HubSpotDialect();
    }

    /** An OAuth app when its client id or refresh token is set (then all three are needed), else the private-app token. */
    @Override
    protected CrmAuth auth(CrmContext context, String baseUrl) {
        Settings settings = context.settings();
        if (settings.find(CLIENT_ID).isPresent() || settings.find(REFRESH_TOKEN).isPresent()) {
            return new HubSpotAuth(context.http(), baseUrl, required(settings, CLIENT_ID), required(settings, CLIENT_SECRET),
                    required(settings, REFRESH_TOKEN), settings.getLong(REFRESH_AHEAD_SECONDS), context.clock());
        }
        return CrmAuth.fixed(Map.of("Authorization", "Bearer " + required(settings, TOKEN)), baseUrl);
    }

    /** HubSpot's GDPR delete: the contact, its associations and its e-mail history gone for good, not to the recycle bin. */
    @Override
    protected PersonDeletion personDeletion(CrmContext context, CrmAuth auth, String baseUrl) {
        CrmHttp http = context.http();
        return new PersonDeletion(NAME, http, auth, "GDPR delete", (record, credentials) -> http
                .request(baseUrl + "/crm/v3/objects/contacts/gdpr-delete").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CrmHttp.JSON.createObjectNode().put("objectId", record.id).toString())));
    }

    @Override
    protected ChangeNotifications changeNotifications(CrmContext context) {
        return context.settings().find(CLIENT_SECRET).map(secret -> new HubSpotChanges(secret, context.clock())).orElse(null);
    }

    @Override
    protected CallerSearch callerSearch(CrmContext context, CrmAuth auth, String baseUrl) {
        Settings settings = context.settings();
        CrmHttp http = context.http();
        return new HubSpotCallerSearch(http, baseUrl, auth, settings.get(STATUS_PROPERTY),
                Arrays.stream(settings.get(LEAD_STAGES).split(",")).map(String::trim).filter(x -> !x.isEmpty())
                        .collect(Collectors.toSet()));
    }
}
