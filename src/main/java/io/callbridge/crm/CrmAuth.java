package io.callbridge.crm;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * How requests to one CRM are authenticated: one object per CRM, shared by caller lookups and delivery.
 * Credentials that expire are renewed by {@link RenewingAuth}, written once for every CRM.
 */
public interface CrmAuth {

    /** What authenticates a request now: its headers, and the API's URL when the login answers one (Salesforce's instance URL). */
    record Credentials(Map<String, String> headers, String apiUrl) {

        @Override
        public String toString() {
            return "Credentials[" + headers.keySet() + ", " + apiUrl + "]"; // never the token itself
        }
    }

    /** The credentials of the next request; may log in first. Fails with a {@link CrmException} when the login is refused. */
    CompletableFuture<Credentials> credentials();

    /** The CRM refused {@code used} (401): the next {@link #credentials()} renews them, once for everyone. */
    void refused(Credentials used);

    /** The credentials whose expiry this auth can tell ({@code access_token}, {@code refresh_token}, {@code certificate}). */
    default java.util.Set<String> expiring() {
        return java.util.Set.of();
    }

    /** When each of {@link #expiring()} expires, as far as known now. */
    default Map<String, java.time.Instant> expiries() {
        return Map.of();
    }

    /** Logins and token refreshes that failed since start. */
    default long refusedRenewals() {
        return 0;
    }

    /** Credentials that never change (a private-app token, an API key). */
    static CrmAuth fixed(Map<String, String> headers, String apiUrl) {
        CompletableFuture<Credentials> same = CompletableFuture.completedFuture(new Credentials(Map.copyOf(headers), apiUrl));
        return new CrmAuth() {
            @Override
            public CompletableFuture<Credentials> credentials() {
                return same;
            }

            @Override
            public void refused(Credentials used) {
                // nothing to renew: the CRM's 401 is retried like an outage, and says so in the log
            }
        };
    }
}
