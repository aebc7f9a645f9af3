package io.callbridge.http;

import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Vert.x refuses an oversized body, an unknown path or a wrong method before any Camel route runs,
 * with a plain-text answer. These handlers give those refusals the same problem+json shape as
 * everything else.
 */
public final class VertxProblemHandlers {

    private final long maxBodyBytes;
    private final java.util.function.Consumer<String> refusedTooLarge;

    /** @param refusedTooLarge told the path of each body refused as too large (intake counts its own) */
    public VertxProblemHandlers(long maxBodyBytes, java.util.function.Consumer<String> refusedTooLarge) {
        this.maxBodyBytes = maxBodyBytes;
        this.refusedTooLarge = refusedTooLarge;
    }

    public void install(CamelContext context, int port) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null) {
            throw new IllegalStateException("No platform-http router on port " + port);
        }
        router.route().order(Integer.MIN_VALUE).handler(this::refuseDeclaredOversize);
        router.route().failureHandler(this::onFailure);
        // last in line: reached only when no route took the request
        router.route().order(Integer.MAX_VALUE).handler(ctx -> notRouted(context, router, ctx));
    }

    private static void notRouted(CamelContext context, VertxPlatformHttpRouter router, RoutingContext ctx) {
        if (context.isStopping()) {
            // the routes are gone because Callbridge is shutting down: a client should retry elsewhere or later
            ctx.response().putHeader("Retry-After", "5");
            write(ctx, Problem.of(503, "Service unavailable", "Callbridge is shutting down; nothing was accepted."));
            return;
        }
        String path = ctx.normalizedPath();
        boolean known = router.getRoutes().stream()
                .map(Route::getPath)
                .filter(p -> p != null && !p.equals("/"))
                .anyMatch(p -> path.matches(p.replaceAll(":[^/]+", "[^/]+")));
        write(ctx, known
                ? Problem.of(405, "Method not allowed", ctx.request().method() + " is not supported at " + path)
                : Problem.of(404, "Not found", "No resource at " + path));
    }

    /** A declared Content-Length over the limit is refused before a byte of the body is read. */
    private void refuseDeclaredOversize(RoutingContext ctx) {
        String length = ctx.request().getHeader("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > maxBodyBytes) {
                    write(ctx, tooLarge(ctx));
                    return;
                }
            } catch (NumberFormatException e) {
                write(ctx, Problem.of(400, "Bad request", "Content-Length is not a number"));
                return;
            }
        }
        ctx.next();
    }

    private void onFailure(RoutingContext ctx) {
        if (ctx.response().headWritten()) {
            ctx.next();
            return;
        }
        int status = ctx.statusCode();
        if (status == 413) {
            write(ctx, tooLarge(ctx));
        } else if (status == 404 || status == 405 || status == 415 || status == 400) {
            write(ctx, Problem.of(status, status == 415 ? "Unsupported media type" : "Bad request", null));
        } else {
            write(ctx, Problem.of(500, "Internal error", "The request could not be processed."));
        }
    }

    private Problem tooLarge(RoutingContext ctx) {
        refusedTooLarge.accept(ctx.normalizedPath());
        return Problem.of(413, "Payload too large", "The body exceeds the limit of " + maxBodyBytes
                + " bytes (callbridge.http.max-body-bytes)");
    }

    private static void write(RoutingContext ctx, Problem problem) {
        ctx.response().setStatusCode(problem.status())
                .putHeader("Content-Type", Problem.CONTENT_TYPE)
                .putHeader("Connection", "close")
                .end(problem.toJson());
    }

}
