package io.callbridge.http;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Certificates are renewed while Callbridge runs (cert-manager, an ACME client): when the files change, the next
 * handshakes get them. Files are often written one after the other; a pair that does not load (a new certificate
 * with the old key) leaves the served one in place and is tried again at the next check.
 */
final class CertificateReloader extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(CertificateReloader.class);

    private final ServerTls tls;
    private final CurrentCertificate current;
    private final Vertx vertx;
    private ScheduledExecutorService checks;
    private volatile byte[] served;

    CertificateReloader(ServerTls tls, ServerTls.Pem served, CurrentCertificate current, Vertx vertx) {
        this.tls = tls;
        this.served = served.fingerprint();
        this.current = current;
        this.vertx = vertx;
    }

    @Override
    protected void doStart() throws IOException {
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
        ServerTls.Pem now;
        try {
            now = tls.read();
        } catch (IOException e) {
            LOG.warn("TLS files cannot be read ({}); the served certificate stays", e.getClass().getSimpleName());
            return;
        }
        byte[] fingerprint = now.fingerprint();
        if (Arrays.equals(fingerprint, served)) {
            return;
        }
        try {
            tls.serve(current, vertx, now);
        } catch (Exception e) {
            LOG.warn("TLS files changed but are not a certificate and its key yet ({}); the served certificate stays until they are",
                    e.getMessage());
            return;
        }
        served = fingerprint;
        LOG.info("TLS files changed: new connections get the new certificate ({})", tls);
    }
}
