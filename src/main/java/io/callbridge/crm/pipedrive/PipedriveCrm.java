package io.callbridge.crm.pipedrive;

import java.util.List;
import java.util.Map;

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
 * Pipedrive API v1/v2 over the shared REST connector: the company's API token ({@code x-api-token}), an OAuth app's
 * access token refreshed from its refresh token ({@link PipedriveAuth}), or a fixed OAuth access token (bearer), for
 * lookups and delivery alike; persons found by their phone digits; 80 requests and 10 searches per 2 s.
 */
public final class PipedriveCrm extends RestCrm {

    static final String NAME = "pipedrive";
    private static final String P = "callbridge.crm.pipedrive.";

    static final Setting TOKEN = Setting.of(P + "token", null, "API token (`x-api-token`); dev: the sandbox's");
    static final Setting OAUTH_TOKEN = Setting.of(P + "oauth-token", null,
            "an OAuth access token (`Bearer`) used instead of the API token, by the connector and caller lookups");
    static final Setting CLIENT_ID = Setting.of(P + "client-id", null, "an OAuth app's client id: with `client-secret` and "
            + "`refresh-token`, its access tokens (refreshed at `oauth-url`) are used instead of `token` and `oauth-token`");
    static final Setting CLIENT_SECRET = Setting.of(P + "client-secret", null, "the OAuth app's client secret");
    static final Setting REFRESH_TOKEN = Setting.of(P + "refresh-token", null, "the refresh token of the app's installation "
            + "(Pipedrive may answer a new one with each access token: Callbridge then uses the newest until it restarts)");
    static final Setting OAUTH_URL = Setting.of(P + "oauth-url", "https://oauth.pipedrive.com",
            "where the OAuth app's tokens are refreshed (`/oauth/token`)");
    static final Setting REFRESH_AHEAD_SECONDS = Setting.of(P + "refresh-ahead-seconds", "300", "an OAuth access token is "
            + "refreshed this long before it expires (at most a tenth of its lifetime), by one request for all threads");
    static final Setting WEBHOOK_USER = Setting.of(P + "webhook-user", "callbridge", "the HTTP Basic user Pipedrive's person "
            + "webhook sends to `/v1/crm-changes/pipedrive` (with `webhook-password`)");
    static final Setting WEBHOOK_PASSWORD = Setting.of(P + "webhook-password", null, "set, Pipedrive's person webhooks to "
            + "`/v1/crm-changes/pipedrive` are accepted with this HTTP Basic password only (Pipedrive signs nothing), and with "
            + "`change-url` set Callbridge creates the webhook itself at start (`POST /v1/webhooks`; one already there for that URL "
            + "is kept); dev: set");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected RestSettings.Limit generalLimit() {
        return new RestSettings.Limit("rate-limit", 80, 2000, 4);
    }

    @Override
    protected RestSettings.Limit searchLimit() {
        return new RestSettings.Limit("search-limit", 10, 2000, 1);
    }

    @Override
    protected List<Setting> ownSettings() {
        return List.of(TOKEN, OAUTH_TOKEN, CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, OAUTH_URL, REFRESH_AHEAD_SECONDS, WEBHOOK_USER,
                WEBHOOK_PASSWORD);
    }

    @Override
    protected RestDialect dialect(CrmContext context) {
        return new PipedriveDialect();
    }

    /** An OAuth app when its client id or refresh token is set (then all three are needed); else a fixed token. */
    @Override
    protected CrmAuth auth(CrmContext context, String baseUrl) {
        Settings settings = context.settings();
        if (settings.find(CLIENT_ID).isPresent() || settings.find(REFRESH_TOKEN).isPresent()) {
            return new PipedriveAuth(context.http(), settings.require(OAUTH_URL, "the connector refreshes its tokens there"),
                    required(settings, CLIENT_ID), required(settings, CLIENT_SECRET), required(settings, REFRESH_TOKEN),
                    settings.getLong(REFRESH_AHEAD_SECONDS), context.clock());
        }
        String oauth = settings.get(OAUTH_TOKEN);
        return CrmAuth.fixed(oauth != null ? Map.of("Authorization", "Bearer " + oauth) : Map.of("x-api-token", required(settings, TOKEN)),
                baseUrl);
    }

    /** Pipedrive's person delete: the person is marked deleted at once and purged by Pipedrive after 30 days. */
    @Override
    protected PersonDeletion personDeletion(CrmContext context, CrmAuth auth, String baseUrl) {
        CrmHttp http = context.http();
        return new PersonDeletion(NAME, http, auth, "person delete", (record, credentials) -> http
                .request(baseUrl + "/api/v2/persons/" + record.id).DELETE());
    }

    /** Its person webhooks, once a password for them is set; created with the connector's own credentials. */
    @Override
    protected ChangeNotifications changeNotifications(CrmContext context, CrmAuth auth, String baseUrl) {
        Settings settings = context.settings();
        return settings.find(WEBHOOK_PASSWORD).map(password -> new PipedriveChanges(settings.get(WEBHOOK_USER), password, context.http(),
                auth, baseUrl, context.clock())).orElse(null);
    }

    @Override
    protected CallerSearch callerSearch(CrmContext context, CrmAuth auth, String baseUrl) {
        Settings settings = context.settings();
        CrmHttp http = context.http();
        return new PipedriveCallerSearch(http, baseUrl, auth);
    }
}
