package io.callbridge.crm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs a wave's sends, up to {@code callbridge.crm.<crm>.max-in-flight} at once. A wave holds one command per
 * caller, so its sends never overtake one another for the same caller. Threads come and go with the load.
 */
public final class InFlight {

    private final String crm;
    private final int max;
    private final ExecutorService senders;

    public InFlight(String crm, int max) {
        this.crm = crm;
        this.max = Math.max(1, max);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(this.max, this.max, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
            Thread t = new Thread(runnable, "callbridge-" + crm + "-send");
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        this.senders = pool;
    }

    /**
     * Runs every send and returns when all are finished. A send must turn its failures into outcomes itself; if the
     * calling thread is interrupted, the sends not finished are cancelled and the thread keeps its interrupt flag.
     */
    public void runAll(List<Runnable> sends) {
        if (sends.size() <= 1 || max == 1) {
            sends.forEach(Runnable::run);
            return;
        }
        List<Future<?>> running = new ArrayList<>(sends.size());
        sends.forEach(send -> running.add(senders.submit(send)));
        try {
            for (Future<?> f : running) {
                f.get();
            }
        } catch (InterruptedException e) {
            running.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(crm + ": a send failed without an outcome", e.getCause());
        }
    }
}
