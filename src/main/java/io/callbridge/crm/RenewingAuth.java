package io.callbridge.crm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Credentials from a login that expire: concurrent requests share one login, and a refusal ({@link #refused})
 * makes the next request log in again, once for everyone, unless somebody already did. A failed login is
 * tried again by the next request; one the CRM refused ({@link CrmException#credentialsRefused()}) only after
 * {@code refusalPause}, so lookups and deliveries waiting for an operator do not ask the CRM's token endpoint
 * again and again. The CRM's own part is {@link #login}.
 */
public abstract class RenewingAuth implements CrmAuth {

    private final AtomicReference<CompletableFuture<Credentials>> current = new AtomicReference<>();
    private final AtomicLong failedLogins = new AtomicLong();
    private final Clock clock;
    private final Duration refusalPause;
    private volatile Instant refusedUntil = Instant.MIN;

    /** A failed login is tried again by the next request, whatever the failure. */
    protected RenewingAuth() {
        this(Clock.systemUTC(), Duration.ZERO);
    }

    protected RenewingAuth(Clock clock, Duration refusalPause) {
        this.clock = clock;
        this.refusalPause = refusalPause;
    }

    /** Logs in; {@code refused} are the credentials the CRM just refused (null at the first login). */
    protected abstract CompletableFuture<Credentials> login(Credentials refused);

    @Override
    public CompletableFuture<Credentials> credentials() {
        while (true) {
            CompletableFuture<Credentials> known = current.get();
            if (known != null && (!known.isCompletedExceptionally() || clock.instant().isBefore(refusedUntil))) {
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
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                if (cause instanceof CrmException crm && crm.credentialsRefused()) {
                    refusedUntil = clock.instant().plus(refusalPause);
                }
                mine.completeExceptionally(cause);
            }
        });
        return mine;
    }
}
