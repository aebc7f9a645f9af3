package io.callbridge.crm.rest;

import io.callbridge.crm.RateWindow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.callbridge.config.Setting;
import io.callbridge.config.Settings;
import io.callbridge.crm.CallerSearch;
import io.callbridge.crm.ChangeNotifications;
import io.callbridge.crm.Crm;
import io.callbridge.crm.CrmAuth;
import io.callbridge.crm.CrmConnection;
import io.callbridge.crm.CrmContext;
import io.callbridge.crm.CrmHttp;
import io.callbridge.crm.CrmSettings;
import io.callbridge.crm.PersonDeletion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CRM spoken to over plain REST, behind the shared connector ({@code routes/crm-rest.yaml} and
 * {@link RestConnector}): what a CRM of this kind adds is its dialect, its authentication, its caller
 * search, its vendor's rate limits and its own settings. Its routes call the bean {@code <name>Connector}.
 */
public abstract class RestCrm implements Crm {

    private static final Logger LOG = LoggerFactory.getLogger(RestCrm.class);

    /** The vendor's general rate-limit window. */
    protected abstract RestSettings.Limit generalLimit();

    /**
     * The vendor's window for searches (caller lookups, the templates' {@code find}); null when the vendor counts
     * searches in its one general budget (Notion), so that both draw on the same window.
     */
    protected abstract RestSettings.Limit searchLimit();

    /** The keys this CRM reads besides the shared ones (credentials, what its lookups show). */
    protected abstract List<Setting> ownSettings();

    protected abstract RestDialect dialect(CrmContext context);

    /** Its credentials, from its settings; a missing one stops start-up with the key to set. */
    protected abstract CrmAuth auth(CrmContext context, String baseUrl);

    /** Its caller search, with the CRM's credentials; {@code context} has the settings and the mappings. */
    protected abstract CallerSearch callerSearch(CrmContext context, CrmAuth auth, String baseUrl);

    /** How the CRM deletes a person's record, when an admin erases the person; null when it cannot be asked to. */
    protected PersonDeletion personDeletion(CrmContext context, CrmAuth auth, String baseUrl) {
        return null;
    }

    /** How the CRM tells of changed contacts (its webhooks, verified), when its settings allow; null when not. */
    protected ChangeNotifications changeNotifications(CrmContext context) {
        return null;
    }

    /** The same, for a CRM whose notifications are asked for through its API (monday's {@code create_webhook}). */
    protected ChangeNotifications changeNotifications(CrmContext context, CrmAuth auth, String baseUrl) {
        return changeNotifications(context);
    }

    @Override
    public Setting location() {
        return CrmSettings.BASE_URL.of(name());
    }

    /** The CRM's API; null when the login answers it (its credentials then carry it). */
    protected String baseUrl(Settings settings) {
        return settings.require(CrmSettings.BASE_URL.of(name()), "the " + name() + " connector needs the CRM's address");
    }

    @Override
    public List<Setting> settings() {
        List<Setting> all = new ArrayList<>(ownSettings());
        all.addAll(RestSettings.limits(name(), generalLimit(), "general rate limit"));
        if (searchLimit() != null) {
            all.addAll(RestSettings.limits(name(), searchLimit(), "search rate limit"));
        }
        return List.copyOf(all);
    }

    @Override
    public CrmConnection connect(CrmContext context) {
        RestSettings s = RestSettings.from(context.settings(), name(), baseUrl(context.settings()), generalLimit(), searchLimit());
        CrmAuth auth = auth(context, s.baseUrl());
        context.metrics().credentials(name(), auth, context.clock());
        context.metrics().rateLimitRemaining(name(), s.general(), RateWindow::announcedRemaining);
        CallerSearch search = CallerSearch.paced(callerSearch(context, auth, s.baseUrl()), s.search(), s.general());
        LOG.info("{}: {} (rate {}, search {}, unknown callers: {})", name(), s.baseUrl() != null ? s.baseUrl()
                : "the address its login answers", s.general(), s.search(),
                s.unknownCaller().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        return CrmConnection.of(search, personDeletion(context, auth, s.baseUrl()), changeNotifications(context, auth, s.baseUrl()), (callers, routeBeans) -> {
            RestConnector connector = new RestConnector(name(), dialect(context), auth, s, callers, context.mappings(), context.camel(),
                    context.clock(), context.metrics());
            routeBeans.accept(name() + "Connector", connector);
            return connector;
        });
    }

    /** A credential the CRM cannot be reached without. */
    protected static String required(Settings settings, Setting key) {
        return settings.require(key, "the connector cannot authenticate");
    }
}
