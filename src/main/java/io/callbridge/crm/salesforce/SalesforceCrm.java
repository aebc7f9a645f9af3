package io.callbridge.crm.salesforce;

import java.util.List;

import io.callbridge.config.Setting;
import io.callbridge.crm.Candidate;
import io.callbridge.crm.Crm;
import io.callbridge.crm.CrmConnection;
import io.callbridge.crm.CrmContext;
import io.callbridge.crm.PersonDeletion;
import org.apache.camel.component.salesforce.AuthenticationType;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.SalesforceEndpointConfig;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Salesforce through camel-salesforce ({@code routes/crm-salesforce.yaml}): one OAuth session
 * ({@link SalesforceAuth}) for the connector and caller lookups, callers found by one composite request
 * ({@link SalesforceCallerSearch}), commands sent as upserts by their commandId ({@link SalesforceConnector}).
 */
public final class SalesforceCrm implements Crm {

    static final String NAME = "salesforce";
    private static final Logger LOG = LoggerFactory.getLogger(SalesforceCrm.class);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Setting location() {
        return SalesforceSettings.LOGIN_URL;
    }

    @Override
    public List<Setting> settings() {
        return SalesforceSettings.DECLARED;
    }

    @Override
    public CrmConnection connect(CrmContext context) {
        SalesforceSettings s = SalesforceSettings.from(context.settings());
        SalesforceComponent component = component(s);
        if (s.changeEvents()) {
            component.getConfig().setHttpClient(new LongPollingHttpClient(context.camel(), component));
            new ChangeEventSubscription(component, context.camel()).startOnceCamelRuns();
        }
        context.camel().addComponent(NAME, component);
        SalesforceAuth auth = new SalesforceAuth(component, s, context.http());
        auth.readCertificate(context.camel());
        context.metrics().credentials(NAME, auth, context.clock());
        LOG.info("Salesforce: {} login at {}, API v{}, unknown callers: {}, change events: {}", s.flow(), s.loginUrl(), s.apiVersion(),
                s.unknownCaller(), s.changeEvents());
        SalesforceCallerSearch search = new SalesforceCallerSearch(context.http(), auth, s.apiVersion(), s.contactStatusField());
        // a deleted Contact or Lead goes to the org's recycle bin, which Salesforce empties after 15 days
        PersonDeletion deletion = new PersonDeletion(NAME, context.http(), auth, "Contact and Lead delete", (record, credentials) ->
                context.http().request(credentials.apiUrl() + "/services/data/v" + s.apiVersion() + "/sobjects/"
                        + (Candidate.LEAD.equals(record.type) ? "Lead" : "Contact") + "/" + record.id).DELETE());
        // Change Data Capture reaches caller identification through routes/crm-salesforce.yaml, not a webhook
        return CrmConnection.of(search, deletion, null, s.changeEvents(), (callers, routeBeans) -> {
            routeBeans.accept("salesforceConnector", new SalesforceConnector(s, auth, callers, context.mappings(), context.metrics()));
            routeBeans.accept(SalesforceChangeEvents.BEAN, new SalesforceChangeEvents());
            return new SalesforceDelivery(context, callers);
        });
    }

    /** camel-salesforce with the configured OAuth flow; it logs in again by itself on 401 INVALID_SESSION_ID. */
    static SalesforceComponent component(SalesforceSettings s) {
        SalesforceComponent sf = new SalesforceComponent();
        sf.setLoginUrl(s.loginUrl());
        sf.setClientId(s.clientId());
        SalesforceEndpointConfig config = new SalesforceEndpointConfig();
        config.setApiVersion(s.apiVersion());
        sf.setConfig(config);
        // start-up must not depend on Salesforce answering: the session logs in on first use
        sf.setLazyLogin(true);
        sf.setHttpRequestTimeout(s.requestTimeoutMs());
        // every operation Callbridge uses is raw JSON: no generated SObject classes to scan for
        sf.setPackages(SalesforceCrm.class.getPackageName());
        switch (s.flow()) {
            case CLIENT_CREDENTIALS -> {
                sf.setAuthenticationType(AuthenticationType.CLIENT_CREDENTIALS);
                sf.setClientSecret(s.clientSecret());
            }
            case REFRESH_TOKEN -> {
                sf.setAuthenticationType(AuthenticationType.REFRESH_TOKEN);
                sf.setClientSecret(s.clientSecret());
                sf.setRefreshToken(s.refreshToken());
            }
            case JWT -> {
                sf.setAuthenticationType(AuthenticationType.JWT);
                sf.setUserName(s.username());
                KeyStoreParameters ks = new KeyStoreParameters();
                ks.setResource(s.jwtKeystore());
                ks.setType(s.jwtKeystoreType());
                ks.setPassword(s.jwtKeystorePassword());
                sf.setKeystore(ks);
            }
        }
        return sf;
    }
}
