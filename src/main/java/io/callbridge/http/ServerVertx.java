package io.callbridge.http;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.UnaryOperator;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.impl.VertxInternal;

/**
 * The Vert.x that Camel's platform-http finds in the registry and runs its server on. Camel builds that server's options
 * itself and has no setting for client certificates, TLS versions or idle connections, and it hands requests to its
 * router from the first accepted connection on. So the server is made here: with Callbridge's options, and with a gate
 * every request passes before the router, so no request is served by a server that is not yet secured.
 */
final class ServerVertx {

    private ServerVertx() {
    }

    /**
     * @param options  what Callbridge adds to Camel's server options
     * @param gate     wraps the handler Camel installs (the router): the wrapper decides whether a request reaches it
     */
    static Vertx around(Vertx vertx, UnaryOperator<HttpServerOptions> options, UnaryOperator<Handler<HttpServerRequest>> gate) {
        // VertxInternal, not Vertx: Vert.x's own code casts the instance it is given
        return (Vertx) Proxy.newProxyInstance(ServerVertx.class.getClassLoader(), new Class<?>[] {VertxInternal.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("createHttpServer") && args != null && args.length == 1
                            && args[0] instanceof HttpServerOptions o) {
                        return gated(vertx.createHttpServer(options.apply(new HttpServerOptions(o))), gate);
                    }
                    return delegate(vertx, method, args);
                });
    }

    private static HttpServer gated(HttpServer server, UnaryOperator<Handler<HttpServerRequest>> gate) {
        InvocationHandler handler = new InvocationHandler() {
            @Override
            @SuppressWarnings("unchecked")
            public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
                if (method.getName().equals("requestHandler") && args != null && args.length == 1 && args[0] != null) {
                    server.requestHandler(gate.apply((Handler<HttpServerRequest>) args[0]));
                    return proxy;
                }
                Object result = delegate(server, method, args);
                // the fluent setters answer the server itself: the caller keeps the gated one
                return result == server ? proxy : result;
            }
        };
        return (HttpServer) Proxy.newProxyInstance(ServerVertx.class.getClassLoader(), new Class<?>[] {HttpServer.class}, handler);
    }

    private static Object delegate(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
