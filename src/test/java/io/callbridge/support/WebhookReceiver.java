package io.callbridge.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A webhook receiver such as Zapier or n8n, over real HTTP on a local port: records every POST, answers
 * 2xx unless told otherwise (a scripted sequence, or a rule for some commands), and serves the check URL
 * {@code GET /check/<commandId>}. It can be stopped and started again on the same port.
 */
public final class WebhookReceiver implements AutoCloseable {

    public record Received(String commandId, JsonNode body, Map<String, List<String>> headers, long atMillis, int answered) {
        public String header(String name) {
            for (Map.Entry<String, List<String>> h : headers.entrySet()) {
                if (h.getKey().equalsIgnoreCase(name)) {
                    return h.getValue().get(0);
                }
            }
            return null;
        }
    }

    public record Answer(int status, String body, Map<String, String> headers) {
    }

    private final int port;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Deque<Answer> script = new ConcurrentLinkedDeque<>();
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private volatile Predicate<String> alwaysFail = id -> false;
    private volatile long delayMillis;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicInteger answering = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger mostAtOnce = new java.util.concurrent.atomic.AtomicInteger();
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> answeringPerCaller = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger callerOverlaps = new java.util.concurrent.atomic.AtomicInteger();
    private HttpServer server;

    public WebhookReceiver(int port) {
        this.port = port;
    }

    public static WebhookReceiver start(int port) {
        WebhookReceiver r = new WebhookReceiver(port);
        r.start();
        return r;
    }

    public synchronized void start() {
        try {
            server = HttpServer.create(new InetSocketAddress("localhost", port), 50);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/hook", this::hook);
        server.createContext("/check/", this::check);
        server.start();
    }

    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    public String url() {
        return "http://localhost:" + port + "/hook";
    }

    public String checkUrl() {
        return "http://localhost:" + port + "/check";
    }

    /** The next POSTs get these answers, in order; afterwards 200 again. */
    public void script(Answer... answers) {
        script.addAll(List.of(answers));
    }

    /** Commands matching this always get a 500 (a poison record). */
    public void alwaysFail(Predicate<String> commandIds) {
        alwaysFail = commandIds;
    }

    /** Takes this long to answer each POST, like a slow workflow tool. */
    public void slow(java.time.Duration delay) {
        delayMillis = delay.toMillis();
    }

    /** Pretends the command arrived before (as after a crash between the POST and its acknowledgement). */
    public void alreadyHas(String commandId) {
        accepted.add(commandId);
    }

    /** The most POSTs this receiver was answering at the same moment since it was cleared. */
    public int mostAtOnce() {
        return mostAtOnce.get();
    }

    /** How often a POST arrived while another one for the same caller ({@code event.data.customerE164}) was being answered. */
    public int callerOverlaps() {
        return callerOverlaps.get();
    }

    /** Commands whose POST has started arriving, answered or not. */
    public Set<String> arriving() {
        return Set.copyOf(inFlight);
    }

    public List<Received> received() {
        return new ArrayList<>(received);
    }

    /** Only the POSTs answered with a 2xx: what the receiver has taken in. */
    public List<Received> acknowledged() {
        return received.stream().filter(r -> r.answered() / 100 == 2).toList();
    }

    public List<Received> acknowledged(String commandId) {
        return acknowledged().stream().filter(r -> r.commandId().equals(commandId)).toList();
    }

    public void clear() {
        received.clear();
        inFlight.clear();
        script.clear();
        accepted.clear();
        alwaysFail = id -> false;
        delayMillis = 0;
        mostAtOnce.set(0);
        callerOverlaps.set(0);
    }

    private void hook(HttpExchange ex) throws IOException {
        if (!ex.getRequestMethod().equals("POST")) {
            respond(ex, new Answer(200, "", Map.of()));
            return;
        }
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        JsonNode json = Events.parse(body);
        String commandId = json.path("commandId").asText();
        inFlight.add(commandId);
        java.util.concurrent.atomic.AtomicInteger sameCaller = answeringPerCaller.computeIfAbsent(
                json.at("/event/data/customerE164").asText(), k -> new java.util.concurrent.atomic.AtomicInteger());
        if (sameCaller.incrementAndGet() > 1) {
            callerOverlaps.incrementAndGet();
        }
        mostAtOnce.accumulateAndGet(answering.incrementAndGet(), Math::max);
        try {
            if (delayMillis > 0) {
                // the receiver's own processing time, on its own thread: nothing in Callbridge waits by sleeping
                java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(delayMillis));
            }
        } finally {
            answering.decrementAndGet();
            sameCaller.decrementAndGet();
        }
        Answer answer = alwaysFail.test(commandId) ? new Answer(500, "{\"error\":\"cannot process this one\"}", Map.of())
                : script.isEmpty() ? new Answer(200, "{\"ok\":true}", Map.of()) : script.poll();
        received.add(new Received(commandId, json, Map.copyOf(ex.getRequestHeaders()), System.currentTimeMillis(), answer.status()));
        if (answer.status() / 100 == 2) {
            accepted.add(commandId);
        }
        respond(ex, answer);
    }

    private void check(HttpExchange ex) throws IOException {
        String id = URLDecoder.decode(ex.getRequestURI().getRawPath().substring("/check/".length()), StandardCharsets.UTF_8);
        respond(ex, accepted.contains(id) ? new Answer(200, "{}", Map.of()) : new Answer(404, "{}", Map.of()));
    }

    private static void respond(HttpExchange ex, Answer answer) throws IOException {
        byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
        answer.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(out);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
