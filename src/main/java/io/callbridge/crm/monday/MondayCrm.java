package io.callbridge.crm.monday;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.callbridge.config.Setting;
import io.callbridge.config.Settings;
import io.callbridge.crm.CallerSearch;
import io.callbridge.crm.ChangeNotifications;
import io.callbridge.crm.CrmAuth;
import io.callbridge.crm.CrmContext;
import io.callbridge.crm.rest.RestCrm;
import io.callbridge.crm.rest.RestDialect;
import io.callbridge.crm.rest.RestSettings;

/**
 * monday.com's GraphQL API v2 over the shared REST connector: a personal API token (raw in {@code Authorization}) and a
 * pinned {@code API-Version}; a CRM made of boards whose ids and column ids are the deployment's, in
 * {@code mappings/monday/settings.yaml}; paced on monday's complexity budget, not on a request count.
 */
public final class MondayCrm extends RestCrm {

    static final String NAME = "monday";
    private static final String P = "callbridge.crm.monday.";

    static final Setting TOKEN = Setting.of(P + "token", null, "API token (Administration › Connections › Personal API token, or "
            + "the avatar menu › Developers › My access tokens); dev: the sandbox's");
    static final Setting API_VERSION = Setting.of(P + "api-version", "2026-10", "the `API-Version` every request names; pinned, "
            + "because monday's default version moves every quarter");
    static final Setting SIGNING_SECRET = Setting.of(P + "signing-secret", null, "the signing secret of the monday app whose "
            + "token is `token` (Developer Center › the app › Basic information); set, monday's webhooks to "
            + "`/v1/crm-changes/monday` are verified with it (monday signs an app's webhooks with a JWT), and with `change-url` "
            + "Callbridge makes the contacts board's webhooks itself at start");

    @Override
    public String name() {
        return NAME;
    }

    // a personal token's budget: 10 million complexity points per minute (reads and writes together); a tenth left for
    // other tools on the same account
    @Override
    protected RestSettings.Limit generalLimit() {
        return new RestSettings.Limit("complexity-limit", 10_000_000, 60_000, 1_000_000, "complexity points");
    }

    @Override
    protected RestSettings.Limit searchLimit() {
        return new RestSettings.Limit("search-limit", 20, 1000, 2);
    }

    @Override
    protected List<Setting> ownSettings() {
        return List.of(TOKEN, API_VERSION, SIGNING_SECRET);
    }

    @Override
    protected RestDialect dialect(CrmContext context) {
        return new MondayDialect();
    }

    @Override
    protected CrmAuth auth(CrmContext context, String baseUrl) {
        return CrmAuth.fixed(Map.of("Authorization", required(context.settings(), TOKEN), "API-Version",
                context.settings().get(API_VERSION)), baseUrl);
    }

    @Override
    protected CallerSearch callerSearch(CrmContext context, CrmAuth auth, String baseUrl) {
        long reserve = context.settings().getLong(RestSettings.limits(NAME, generalLimit(), "general rate limit").get(2));
        return new MondayCallerSearch(context.http(), auth, context.mappings(), reserve, context.clock());
    }

    @Override
    protected ChangeNotifications changeNotifications(CrmContext context, CrmAuth auth, String baseUrl) {
        return context.settings().find(SIGNING_SECRET).map(secret -> new MondayChanges(secret, context.mappings(), context.http(), auth,
                context.clock())).orElse(null);
    }

    static List<String> list(String commaList) {
        return commaList == null ? List.of() : Arrays.stream(commaList.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }
}
