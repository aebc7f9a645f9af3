package io.callbridge.crm.hubspot;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

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
 * HubSpot CRM v3 over the shared REST connector: a private-app (or OAuth access) token as bearer, callers
 * found on HubSpot's calculated phone properties, 100 requests per 10 s and 5 searches per second.
 */
public final class HubSpotCrm extends RestCrm {

    static final String NAME = "hubspot";
    private static final String P = "callbridge.crm.hubspot.";

    static final Setting TOKEN = Setting.of(P + "token", null, "private-app token (Bearer); dev: the sandbox's");
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
        return List.of(TOKEN, STATUS_PROPERTY, LEAD_STAGES);
    }

    @Override
    protected RestDialect dialect(CrmContext context) {
        return new HubSpotDialect();
    }

    @Override
    protected CrmAuth auth(CrmContext context, String baseUrl) {
        Settings settings = context.settings();
        return CrmAuth.fixed(Map.of("Authorization", "Bearer " + required(settings, TOKEN)), baseUrl);
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
