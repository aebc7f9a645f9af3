package io.callbridge.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

import io.callbridge.http.Problem;
import org.apache.camel.Exchange;

/**
 * The console's three files, read once from the classpath ({@code console/}). Only these names are served, so
 * no path from a request ever reaches the class loader. The page loads without a key; its data calls need one.
 */
public final class ConsoleAssets {

    private static final Map<String, String> TYPES = Map.of("index.html", "text/html; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8", "console.css", "text/css; charset=utf-8");
    /** Everything from Callbridge itself: no inline script, no other origin, never framed. */
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    private final Map<String, byte[]> files;

    public ConsoleAssets() {
        this.files = Map.of("index.html", read("index.html"), "console.js", read("console.js"), "console.css", read("console.css"));
    }

    public void page(Exchange exchange) {
        answer(exchange, "index.html");
    }

    /** {@code /console/{file}}: one of the files, else 404. */
    public void file(Exchange exchange) {
        String name = exchange.getMessage().getHeader("file", String.class);
        if (name == null || !files.containsKey(name)) {
            exchange.getMessage().removeHeaders("*");
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, Problem.CONTENT_TYPE);
            exchange.getMessage().setBody(Problem.of(404, "Not found", "the console has no such file").toJson());
            return;
        }
        answer(exchange, name);
    }

    private void answer(Exchange exchange, String name) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, TYPES.get(name));
        exchange.getMessage().setHeader("Content-Security-Policy", POLICY);
        exchange.getMessage().setHeader("X-Content-Type-Options", "nosniff");
        exchange.getMessage().setHeader("Referrer-Policy", "no-referrer");
        // the files change only with a new build; an operator never sees a stale script after an upgrade
        exchange.getMessage().setHeader("Cache-Control", "no-cache");
        exchange.getMessage().setBody(files.get(name));
    }

    private static byte[] read(String name) {
        try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream("console/" + name)) {
            if (in == null) {
                throw new IllegalStateException("console/" + name + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
