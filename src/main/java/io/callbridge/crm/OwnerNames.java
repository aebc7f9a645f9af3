package io.callbridge.crm;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owner (user) names of a CRM whose search results carry only the owner id, or other names a record refers to by id (a
 * Pipedrive person's organization): loaded once, refreshed in the background every {@code maxAgeMillis}, never waited
 * for by a lookup. A name not (yet) known is left out of the profile.
 */
public final class OwnerNames {

    private static final Logger LOG = LoggerFactory.getLogger(OwnerNames.class);

    private final String crm;
    private final String what;
    private final Supplier<CompletableFuture<Map<String, String>>> loader;
    private final long maxAgeMillis;
    private final AtomicBoolean loading = new AtomicBoolean();
    private volatile Map<String, String> names = Map.of();
    private volatile long loadedAt = Long.MIN_VALUE;

    public OwnerNames(String crm, Supplier<CompletableFuture<Map<String, String>>> loader, long maxAgeMillis) {
        this(crm, "owner names", loader, maxAgeMillis);
    }

    /** @param what what the names are, for the log ("organization names") */
    public OwnerNames(String crm, String what, Supplier<CompletableFuture<Map<String, String>>> loader, long maxAgeMillis) {
        this.crm = crm;
        this.what = what;
        this.loader = loader;
        this.maxAgeMillis = maxAgeMillis;
    }

    public String name(String ownerId) {
        refreshIfOld();
        return ownerId == null ? null : names.get(ownerId);
    }

    public void refreshIfOld() {
        long now = System.currentTimeMillis();
        if (loadedAt != Long.MIN_VALUE && now - loadedAt < maxAgeMillis) {
            return;
        }
        if (!loading.compareAndSet(false, true)) {
            return;
        }
        try {
            loader.get().whenComplete((loaded, failure) -> {
                if (failure != null) {
                    LOG.warn("{} {} could not be loaded ({}); profiles leave them out until they are", crm, what,
                            failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                                    ? failure.getCause().getMessage() : failure.getMessage());
                    loadedAt = System.currentTimeMillis() - maxAgeMillis + 30_000; // retry in 30 s
                } else {
                    names = Map.copyOf(loaded);
                    loadedAt = System.currentTimeMillis();
                }
                loading.set(false);
            });
        } catch (RuntimeException e) {
            loading.set(false);
            throw e;
        }
    }
}
