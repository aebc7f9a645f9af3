package io.callbridge.crm.notion;

import java.nio.file.Path;
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
 * Notion's public API over the shared REST connector: an internal integration's secret as a Bearer token and a
 * pinned {@code Notion-Version}; a CRM made of databases whose data source ids and property names are the
 * deployment's, in {@code mappings/notion/settings.yaml}; one page per request (Notion has no batch endpoint), paced
 * under its one budget of about three requests a second.
 */
public final class NotionCrm extends RestCrm {

    static final String NAME = "notion";
    private static final String P = "callbridge.crm.notion.";
    /** The first version whose databases hold data sources, which the templates write to and query. */
    static final String FIRST_DATA_SOURCE_VERSION = "2025-09-03";

    static final Setting TOKEN = Setting.of(P + "token", null, "the internal integration's secret (`ntn_…`, Settings › Connections › "
            + "Develop or manage integrations); share each database with the integration; the API is `https://api.notion.com`; "
            + "dev: the sandbox's");
    static final Setting NOTION_VERSION = Setting.of(P + "notion-version", FIRST_DATA_SOURCE_VERSION, "the `Notion-Version` every request "
            + "names, " + FIRST_DATA_SOURCE_VERSION + " or later (the templates write to data sources, which older versions do not have)");
    static final Setting VERIFICATION_TOKEN = Setting.of(P + "verification-token", null, "the verification token Notion sent "
            + "when the integration's webhook subscription was made (see `received-token-path`); set, Notion's webhooks to "
            + "`/v1/crm-changes/notion` are verified with it (`X-Notion-Signature`)");
    static final Setting RECEIVED_TOKEN_PATH = Setting.of(P + "received-token-path", null, "where the verification token "
            + "Notion sends to `/v1/crm-changes/notion` is written, readable by its owner only (the path is logged, never the "
            + "token), to paste in Notion's webhook settings and into `verification-token`; set, Callbridge answers Notion's "
            + "verification request");

    @Override
    public String name() {
        return NAME;
    }

    // Notion allows an average of 3 requests per second per integration, with short bursts, counting every request
    // alike: 25 per 10 s leaves room for lookups and other tools
    @Override
    protected RestSettings.Limit generalLimit() {
        return new RestSettings.Limit("rate-limit", 30, 10_000, 5);
    }

    /** None: Notion's queries draw on the same budget as its writes. */
    @Override
    protected RestSettings.Limit searchLimit() {
        return null;
    }

    @Override
    protected List<Setting> ownSettings() {
        return List.of(TOKEN, NOTION_VERSION, VERIFICATION_TOKEN, RECEIVED_TOKEN_PATH);
    }

    @Override
    protected RestDialect dialect(CrmContext context) {
        return new NotionDialect(context.mappings());
    }

    @Override
    protected CrmAuth auth(CrmContext context, String baseUrl) {
        Settings s = context.settings();
        String version = s.get(NOTION_VERSION).trim();
        if (!version.matches("\\d{4}-\\d{2}-\\d{2}") || version.compareTo(FIRST_DATA_SOURCE_VERSION) < 0) {
            throw new IllegalStateException(NOTION_VERSION.key() + " must be a version date from " + FIRST_DATA_SOURCE_VERSION
                    + " on (the templates write to data sources), not '" + version + "'");
        }
        return CrmAuth.fixed(Map.of("Authorization", "Bearer " + required(s, TOKEN), "Notion-Version", version), baseUrl);
    }

    /** Active once either setting is: the file receives the token, the token checks the events. */
    @Override
    protected ChangeNotifications changeNotifications(CrmContext context) {
        Settings s = context.settings();
        if (s.find(VERIFICATION_TOKEN).isEmpty() && s.find(RECEIVED_TOKEN_PATH).isEmpty()) {
            return null;
        }
        return new NotionChanges(s.find(VERIFICATION_TOKEN).orElse(null), s.find(RECEIVED_TOKEN_PATH).map(Path::of).orElse(null),
                context.mappings(), context.clock());
    }

    @Override
    protected CallerSearch callerSearch(CrmContext context, CrmAuth auth, String baseUrl) {
        return new NotionCallerSearch(context.http(), auth, context.mappings(), new NotionDialect(context.mappings()));
    }
}
