package io.callbridge.http;

import java.util.Optional;

import javax.net.ssl.SSLPeerUnverifiedException;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * What every request passes before Camel's router, so that it holds from the first connection on: a client certificate
 * where mTLS is configured, a manager's key for {@code /observe/metrics} (served by Camel, not by a route that could
 * check it), and a deadline for the body, so a sender trickling a byte at a time cannot hold a connection.
 */
final class RequestGate {

    private static final String HEALTH = "/observe/health";
    private static final String METRICS = "/observe/metrics";

    private final Vertx vertx;
    private final long bodyTimeoutMs;
    private final boolean clientCertificateRequired;
    private final ApiKeys keys;

    RequestGate(Vertx vertx, long bodyTimeoutMs, boolean clientCertificateRequired, ApiKeys keys) {
        this.vertx = vertx;
        this.bodyTimeoutMs = bodyTimeoutMs;
        this.clientCertificateRequired = clientCertificateRequired;
        this.keys = keys;
    }

    Handler<HttpServerRequest> around(Handler<HttpServerRequest> router) {
        return request -> {
            Optional<Problem> refusal = refusal(request);
            if (refusal.isPresent()) {
                answer(request, refusal.get());
                return;
            }
            long deadline = vertx.setTimer(bodyTimeoutMs, t -> {
                if (!request.isEnded()) {
                    tooSlow(request);
                }
            });
            // a request that arrived in time lets go of its timer, so none outlives its request by the whole deadline
            request.end().onComplete(arrived -> vertx.cancelTimer(deadline));
            router.handle(request);
        };
    }

    private Optional<Problem> refusal(HttpServerRequest request) {
        String path = request.path();
        if (clientCertificateRequired && !path.startsWith(HEALTH) && !hasClientCertificate(request)) {
            return Optional.of(Problem.of(401, "Unauthorized", "a client certificate issued by the CAs of "
                    + ServerTls.CLIENT_CA_FILE.key() + " is required"));
        }
        if (path.startsWith(METRICS)) {
            try {
                keys.requireManager(request.getHeader("Authorization"));
            } catch (ApiKeys.UnauthorizedException e) {
                request.response().putHeader("WWW-Authenticate", "Bearer");
                return Optional.of(Problem.of(401, "Unauthorized", e.getMessage()));
            } catch (ApiKeys.ForbiddenException e) {
                return Optional.of(Problem.of(403, "Forbidden", e.getMessage()));
            }
        }
        return Optional.empty();
    }

    private static boolean hasClientCertificate(HttpServerRequest request) {
        if (!request.isSSL()) {
            return false;
        }
        try {
            return !request.connection().peerCertificates().isEmpty();
        } catch (SSLPeerUnverifiedException e) {
            return false;
        }
    }

    private void tooSlow(HttpServerRequest request) {
        if (request.response().headWritten()) {
            if (request.version() == HttpVersion.HTTP_2) {
                request.response().reset();
            } else {
                request.connection().close();
            }
            return;
        }
        answer(request, Problem.of(408, "Request timeout", "the body did not arrive within " + bodyTimeoutMs + " ms ("
                + HttpSettings.BODY_TIMEOUT_MS.key() + ")"));
    }

    private static void answer(HttpServerRequest request, Problem problem) {
        request.response().setStatusCode(problem.status()).putHeader("Content-Type", Problem.CONTENT_TYPE);
        if (request.version() == HttpVersion.HTTP_2) {
            // one stream of a shared connection: the others go on
            request.response().end(problem.toJson());
            return;
        }
        // the body may not have been read: the connection cannot carry another request
        request.response().putHeader("Connection", "close").end(problem.toJson()).onComplete(done -> request.connection().close());
    }
}
