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

    /** The JWT bearer flow's certificate: when it expires, Salesforce refuses every login (the connected app holds its copy). */
    @Override
    public java.util.Set<String> expiring() {
        return settings.flow() == SalesforceSettings.Flow.JWT ? java.util.Set.of("certificate") : java.util.Set.of();
    }

    @Override
    public Map<String, java.time.Instant> expiries() {
        java.time.Instant notAfter = certificateExpiry;
        return notAfter == null ? Map.of() : Map.of("certificate", notAfter);
    }

    private volatile java.time.Instant certificateExpiry;

    /** Reads the certificate's end of validity from the keystore camel-salesforce signs with (once it is loaded). */
    void readCertificate(org.apache.camel.CamelContext camel) {
        if (settings.flow() != SalesforceSettings.Flow.JWT) {
            return;
        }
        try {
            org.apache.camel.support.jsse.KeyStoreParameters parameters = component.getKeystore();
            if (parameters.getCamelContext() == null) {
                parameters.setCamelContext(camel);
            }
            java.security.KeyStore ks = parameters.createKeyStore();
            for (String alias : java.util.Collections.list(ks.aliases())) {
                if (ks.getCertificate(alias) instanceof java.security.cert.X509Certificate x509) {
                    certificateExpiry = x509.getNotAfter().toInstant();
                    return;
                }
            }
        } catch (java.security.GeneralSecurityException | java.io.IOException e) {
            LOG.warn("Salesforce: the JWT keystore's certificate could not be read for its expiry ({})", e.getClass().getSimpleName());
        }
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
