package io.callbridge.http;

import java.util.Optional;

import io.callbridge.config.Settings;
import io.vertx.core.Vertx;
import org.apache.camel.CamelContext;
import org.apache.camel.support.LifecycleStrategySupport;

/**
 * The API port as Callbridge serves it: HTTPS from the configured PEM files (or plain HTTP, when asked for by name), the
 * files reloaded when they change, and {@link RequestGate} in front of Camel's router. Camel's platform-http finds the
 * Vert.x bound here and makes its server with it.
 */
public final class HttpServerSetup {

    private HttpServerSetup() {
    }

    /** Before Camel starts its HTTP server; a missing or unreadable certificate stops start-up with the setting to fix. */
    public static void install(CamelContext context, Settings settings, ApiKeys keys) throws Exception {
        Optional<ServerTls> tls = ServerTls.from(settings);
        Vertx vertx = Vertx.vertx();
        Optional<CurrentCertificate> current = Optional.empty();
        Optional<CertificateReloader> reloader = Optional.empty();
        if (tls.isPresent()) {
            try {
                ServerTls.Pem pem = tls.get().read();
                current = Optional.of(tls.get().serve(vertx, pem));
                reloader = Optional.of(new CertificateReloader(tls.get(), pem, current.get(), vertx));
            } catch (IllegalStateException e) {
                vertx.close();
                throw e;
            } catch (Exception e) {
                vertx.close();
                throw new IllegalStateException(ServerTls.CERT_FILE.key() + " and " + ServerTls.KEY_FILE.key()
                        + " cannot be read as PEM: " + e.getMessage());
            }
        }
        Optional<CurrentCertificate> served = current;
        RequestGate gate = new RequestGate(vertx, settings.getLong(HttpSettings.BODY_TIMEOUT_MS),
                tls.map(ServerTls::requiresClientCertificate).orElse(false), keys);
        context.getRegistry().bind("vertx", ServerVertx.around(vertx,
                options -> tls.isPresent() ? tls.get().apply(options, served.get()) : options, gate::around));
        if (reloader.isPresent()) {
            context.addService(reloader.get(), true, true);
        }
        // platform-http leaves a Vert.x it did not make running; this one outlives its server and is closed after it
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopped(CamelContext ctx) {
                vertx.close();
            }
        });
    }
}
