package io.callbridge.crm;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Credentials from a login that expire: concurrent requests share one login, and a refusal ({@link #refused})
 * makes the next request log in again, once for everyone, unless somebody already did. A failed login is
 * tried again by the next request. The CRM's own part is {@link #login}.
 */
public abstract class RenewingAuth implements CrmAuth {

    private final AtomicReference<CompletableFuture<Credentials>> current = new AtomicReference<>();
    private final AtomicLong failedLogins = new AtomicLong();

    /** Logs in; {@code refused} are the credentials the CRM just refused (null at the first login). */
    protected abstract CompletableFuture<Credentials> login(Credentials refused);

    @Override
    public CompletableFuture<Credentials> credentials() {
        while (true) {
            CompletableFuture<Credentials> known = current.get();
            if (known != null && !known.isCompletedExceptionally()) {
                return known;
            }
            CompletableFuture<Credentials> started = replace(known, null);
            if (started != null) {
                return started;
            }
        }
    }

    @Override
    public void refused(Credentials used) {
        CompletableFuture<Credentials> known = current.get();
        if (known != null && known.isDone() && !known.isCompletedExceptionally() && known.join().equals(used)) {
            replace(known, used);
        }
    }

    @Override
    public long refusedRenewals() {
        return failedLogins.get();
    }

    /** Someone else (a component's own session handling) logged in: later requests use these. */
    protected void renewed(Credentials fresh) {
        current.set(CompletableFuture.completedFuture(fresh));
    }

    /** Starts a login in place of {@code known}; null when another thread replaced it first. */
    private CompletableFuture<Credentials> replace(CompletableFuture<Credentials> known, Credentials refused) {
        CompletableFuture<Credentials> mine = new CompletableFuture<>();
        if (!current.compareAndSet(known, mine)) {
            return null;
        }
        CompletableFuture<Credentials> login;
        try {
            login = login(refused);
        } catch (RuntimeException e) {
            login = CompletableFuture.failedFuture(e);
        }
        login.whenComplete((ok, failure) -> {
            if (failure == null) {
                mine.complete(ok);
            } else {
                failedLogins.incrementAndGet();
                mine.completeExceptionally(failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure);
            }
        });
        return mine;
    }
}
