package io.callbridge.crm.pipedrive;

import java.util.List;
import java.util.Map;

import io.callbridge.config.Setting;
import io.callbridge.config.Settings;
import io.callbridge.crm.CallerSearch;
import io.callbridge.crm.CrmAuth;
import io.callbridge.crm.CrmContext;
import io.callbridge.crm.CrmHttp;
import io.callbridge.crm.rest.RestCrm;
import io.callbridge.crm.rest.RestDialect;
import io.callbridge.crm.rest.RestSettings;

/**
 * Pipedrive API v1/v2 over the shared REST connector: the company's API token ({@code x-api-token}) or an
 * OAuth access token (bearer), for lookups and delivery alike; persons found by their phone digits;
 * 80 requests and 10 searches per 2 s.
 */
public final class PipedriveCrm extends RestCrm {

    static final String NAME = "pipedrive";
    private static final String P = "callbridge.crm.pipedrive.";

    static final Setting TOKEN = Setting.of(P + "token", null, "API token (`x-api-token`); dev: the sandbox's");
    static final Setting OAUTH_TOKEN = Setting.of(P + "oauth-token", null,
            "an OAuth access token (`Bearer`) used instead of the API token, by the connector and caller lookups");

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
        return List.of(TOKEN, OAUTH_TOKEN);
    }

    @Override
    protected RestDialect dialect(CrmContext context) {
        return new PipedriveDialect();
    }

    @Override
    protected CrmAuth auth(CrmContext context, String baseUrl) {
        Settings settings = context.settings();
        String oauth = settings.get(OAUTH_TOKEN);
        return CrmAuth.fixed(oauth != null ? Map.of("Authorization", "Bearer " + oauth) : Map.of("x-api-token", required(settings, TOKEN)),
                baseUrl);
    }

    @Override
    protected CallerSearch callerSearch(CrmContext context, CrmAuth auth, String baseUrl) {
        Settings settings = context.settings();
        CrmHttp http = context.http();
        return new PipedriveCallerSearch(http, baseUrl, auth);
    }
}
