package io.callbridge.crm.salesforce;

import io.callbridge.config.Settings;
import org.apache.camel.CamelContext;
import org.apache.camel.component.salesforce.AuthenticationType;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.SalesforceEndpointConfig;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the Salesforce connector at start-up: the {@code salesforce} component (camel-salesforce)
 * configured from {@code callbridge.crm.salesforce.*} and the bean {@code salesforceConnector} that
 * {@code routes/crm-salesforce.yaml} calls. With Salesforce disabled the bean is still bound (the
 * routes load either way) but refuses to work, and the component is never created.
 */
public final class SalesforceBeans {

    private static final Logger LOG = LoggerFactory.getLogger(SalesforceBeans.class);

    private SalesforceBeans() {
    }

    public static void bind(CamelContext context, Settings settings) {
        if (!settings.crmEnabled("salesforce")) {
            context.getRegistry().bind("salesforceConnector", new SalesforceConnector(null));
            return;
        }
        SalesforceSettings s = SalesforceSettings.from(settings);
        context.addComponent("salesforce", component(s));
        context.getRegistry().bind("salesforceConnector", new SalesforceConnector(s));
        LOG.info("Salesforce connector: {} login at {}, API v{}, unknown callers: {}", s.flow(), s.loginUrl(),
                s.apiVersion(), s.unknownCaller());
    }

    /** camel-salesforce with the configured OAuth flow; it logs in again by itself on 401 INVALID_SESSION_ID. */
    static SalesforceComponent component(SalesforceSettings s) {
        SalesforceComponent sf = new SalesforceComponent();
        sf.setLoginUrl(s.loginUrl());
        sf.setClientId(s.clientId());
        SalesforceEndpointConfig config = new SalesforceEndpointConfig();
        config.setApiVersion(s.apiVersion());
        sf.setConfig(config);
        // start-up must not depend on Salesforce answering: the connector logs in before its first request
        sf.setLazyLogin(true);
        sf.setHttpRequestTimeout(s.requestTimeoutMs());
        // every operation Callbridge uses is raw JSON: no generated SObject classes to scan for
        sf.setPackages(SalesforceBeans.class.getPackageName());
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
