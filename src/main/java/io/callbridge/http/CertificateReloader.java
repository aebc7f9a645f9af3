package io.callbridge.http;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Certificates are renewed while Callbridge runs (cert-manager, an ACME client): when the files change, the servers take
 * them for new connections. Files are often written one after the other; a pair that does not load (a new certificate
 * with the old key) leaves the served one in place and is tried again at the next check.
 */
final class CertificateReloader extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(CertificateReloader.class);

    private final ServerTls tls;
    private final Vertx vertx;
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService checks;
    private volatile byte[] served;

    CertificateReloader(ServerTls tls, Vertx vertx) {
        this.tls = tls;
        this.vertx = vertx;
    }

    void serves(HttpServer server) {
        servers.add(server);
    }

    @Override
    protected void doStart() throws IOException {
        served = tls.fingerprint();
        checks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "callbridge-tls-reload");
            t.setDaemon(true);
            return t;
        });
        checks.scheduleWithFixedDelay(this::check, tls.reloadIntervalMs(), tls.reloadIntervalMs(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        if (checks != null) {
            checks.shutdownNow();
        }
    }

    private void check() {
        byte[] now;
        try {
            now = tls.fingerprint();
        } catch (IOException e) {
            LOG.warn("TLS files cannot be read ({}); the served certificate stays", e.getClass().getSimpleName());
            return;
        }
        if (ServerTls.same(now, served)) {
            return;
        }
        try {
            tls.check(vertx);
        } catch (Exception e) {
            LOG.warn("TLS files changed but are not a certificate and its key yet ({}); the served certificate stays until they are",
                    e.getMessage());
            return;
        }
        for (HttpServer server : servers) {
            server.updateSSLOptions(tls.sslOptions(), true).onComplete(r -> {
                if (r.succeeded()) {
                    served = now;
                    LOG.info("TLS files changed: new connections get the new certificate ({})", tls);
                } else {
                    LOG.warn("TLS files changed but do not load ({}); the served certificate stays until they do",
                            r.cause().getMessage());
                }
            });
        }
    }
}
