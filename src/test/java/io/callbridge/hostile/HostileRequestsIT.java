package io.callbridge.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.callbridge.http.ApiKeys;
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.CrmFixture;
import io.callbridge.support.CrmSandboxes;
import io.callbridge.support.TestBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile requests to the HTTP API, written byte by byte on a socket as an attacker would (a client library would
 * refuse to send most of them): traversal and encoded separators in {@code {phone}} and {@code {crm}}, a NUL, header
 * injection by line folding and bare CR, an oversized header. Each gets a clean 4xx, never a 500 or a dropped
 * connection, and the request after each is answered as usual.
 */
class HostileRequestsIT {

    private static final String ADMIN = "k-hostile-admin";
    private static CrmSandboxes crms;
    private static CallbridgeApp app;

    @BeforeAll
    static void start() {
        crms = CrmSandboxes.start(23, true, List.of(CrmFixture.of("hubspot")));
        CallbridgeApp.Builder b = CallbridgeApp.on(TestBroker.shared()).with("callbridge.api-keys", ApiKeys.hashed(ADMIN) + ":admin")
                .with("callbridge.primary-crm", "hubspot").with("callbridge.http.body-timeout-ms", "2000");
        crms.settings().forEach(b::with);
        app = b.start();
    }

    @AfterAll
    static void stop() {
        app.close();
        crms.close();
    }

    @Test
    void eachHostileRequestGetsAClean4xxAndTheNextRequestIsAnsweredAsUsual() throws Exception {
        String auth = "Authorization: Bearer " + ADMIN + "\r\n";
        Map<String, String> corpus = new java.util.LinkedHashMap<>();
        corpus.put("traversal in {phone}", "GET /v1/callers/..%2F..%2Fetc%2Fpasswd HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n");
        corpus.put("encoded separator in {phone}", "GET /v1/callers/%2B41%2F79%5C123 HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n");
        corpus.put("NUL in {phone}", "GET /v1/callers/%2B4179%00123 HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n");
        corpus.put("traversal in {crm}", "GET /v1/dlq/..%2F..%2Fobserve HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n");
        corpus.put("unknown {crm}", "GET /v1/dlq/hub%00spot HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n");
        corpus.put("dot segments", "GET /v1/dlq/../../etc/passwd HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n");
        corpus.put("header folding", "GET /v1/callers/+41791234567 HTTP/1.1\r\nHost: x\r\nX-Note: a\r\n Authorization: Bearer " + ADMIN
                + "\r\n\r\n");
        corpus.put("bare CR in a header", "GET /v1/callers/+41791234567 HTTP/1.1\r\nHost: x\r\nX-Note: a\rInjected: b\r\n" + auth + "\r\n");
        corpus.put("oversized header", "GET /v1/callers/+41791234567 HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(64 * 1024) + "\r\n"
                + auth + "\r\n");
        String nested = "{\"specversion\":\"1.0\",\"type\":\"x\",\"data\":" + "[".repeat(20_000) + "]".repeat(20_000) + "}";
        corpus.put("deeply nested JSON event", post("/v1/call-events", "application/cloudevents+json", "", nested));
        corpus.put("deeply nested JSON plan", post("/v1/plan", "application/json", auth, nested));
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String> c : corpus.entrySet()) {
            String answer = raw(c.getValue());
            int status = status(answer);
            if (status < 400 || status >= 500) {
                wrong.add(c.getKey() + " → " + (answer.isEmpty() ? "no answer" : answer.lines().findFirst().orElse("")));
            }
            int next = status(raw("GET /v1/dlq/hubspot HTTP/1.1\r\nHost: x\r\n" + auth + "Connection: close\r\n\r\n"));
            if (next != 200) {
                wrong.add("after " + c.getKey() + ", a normal request → " + next);
            }
        }
        assertThat(wrong).isEmpty();
    }

    private static String post(String path, String type, String auth, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: " + type + "\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    @Test
    void aBodyThatArrivesTooSlowlyIs408AndItsConnectionClosedWhileOthersAreServed() throws Exception {
        try (Socket slow = new Socket("localhost", app.httpPort())) {
            slow.setSoTimeout(10_000);
            long start = System.nanoTime();
            // a tenth of the body it announces, then nothing: the connection would be held for as long as the sender likes
            slow.getOutputStream().write(("POST /v1/call-events HTTP/1.1\r\nHost: x\r\nContent-Type: application/cloudevents+json\r\n"
                    + "Content-Length: 500\r\n\r\n{\"specversion\":").getBytes(StandardCharsets.ISO_8859_1));
            slow.getOutputStream().flush();
            assertThat(status(raw("GET /v1/dlq/hubspot HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ADMIN
                    + "\r\nConnection: close\r\n\r\n"))).as("another client meanwhile").isEqualTo(200);
            byte[] answer = slow.getInputStream().readAllBytes();
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            String text = new String(answer, StandardCharsets.ISO_8859_1);
            assertThat(status(text)).as(text).isEqualTo(408);
            assertThat(text).contains("application/problem+json").contains("callbridge.http.body-timeout-ms");
            // readAllBytes returned: the server closed the connection, after the body timeout and well before the read timeout
            assertThat(tookMs).isBetween(1_900L, 9_000L);
        }
    }

    /** One request on its own connection; the answer as text, empty when the server closed without one. */
    private static String raw(String request) throws IOException {
        try (Socket s = new Socket("localhost", app.httpPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            // the status line and headers are enough; stop at the end of the headers or when the server closes
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                if (out.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                    break;
                }
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        } catch (java.net.SocketException e) {
            return "";
        }
    }

    private static int status(String answer) {
        String[] first = answer.lines().findFirst().orElse("").split(" ");
        return first.length > 1 && first[1].matches("\\d{3}") ? Integer.parseInt(first[1]) : -1;
    }
}
