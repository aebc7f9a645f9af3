package io.callbridge.crm.salesforce;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.callbridge.crm.CrmException;
import io.callbridge.crm.CrmHttp;
import io.callbridge.crm.RenewingAuth;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.internal.SalesforceSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Salesforce session of caller lookups and delivery alike: camel-salesforce's own session, logged in
 * with whichever OAuth flow the settings choose (client credentials, refresh token, JWT bearer). The
 * connector's requests renew it through camel-salesforce on 401 INVALID_SESSION_ID; lookups renew it
 * here ({@link #refused}); either way both then use the new token. Tokens are never logged.
 */
final class SalesforceAuth extends RenewingAuth {

    private static final Logger LOG = LoggerFactory.getLogger(SalesforceAuth.class);

    private final SalesforceComponent component;
    private final SalesforceSettings settings;
    private final CrmHttp http;
    private volatile boolean listening;

    SalesforceAuth(SalesforceComponent component, SalesforceSettings settings, CrmHttp http) {
        this.component = component;
        this.settings = settings;
        this.http = http;
    }

    @Override
    protected CompletableFuture<Credentials> login(Credentials refused) {
        String old = refused == null ? null : refused.headers().get("Authorization").substring("Bearer ".length());
        // camel-salesforce's login blocks: never on the thread of a lookup's caller
        return http.supply(() -> {
            SalesforceSession session = session();
            try {
                // logs in only when nobody did since `old` was refused; else answers the session's current token
                String token = session.login(old);
                return credentials(token, session.getInstanceUrl());
            } catch (SalesforceException e) {
                LOG.warn("Salesforce login at {} refused ({}, HTTP {})", settings.loginUrl(), settings.flow(), e.getStatusCode());
                throw CrmException.failed(SalesforceCrm.NAME, 401, "login (" + settings.flow() + ")", "refused with " + e.getStatusCode());
            }
        });
    }

    private SalesforceSession session() {
        SalesforceSession session = component.getSession();
        if (session == null) {
            throw CrmException.failed(SalesforceCrm.NAME, 503, "login", "camel-salesforce is not started yet");
        }
        if (!listening) {
            listening = true;
            // camel-salesforce renewed the session for a connector request: lookups take the new token at once
            session.addListener(new SalesforceSession.SalesforceSessionListener() {
                @Override
                public void onLogin(String accessToken, String instanceUrl) {
                    renewed(credentials(accessToken, instanceUrl));
                }

                @Override
                public void onLogout() {
                    // the next request logs in again
                }
            });
        }
        return session;
    }

    private static Credentials credentials(String token, String instanceUrl) {
        String url = instanceUrl == null ? "" : instanceUrl.replaceAll("/+$", "");
        return new Credentials(Map.of("Authorization", "Bearer " + token), url);
    }
}
