package io.callbridge.sandbox;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CRM sandbox: one HTTP server with each simulated CRM under {@code /<crm>} and the admin API
 * under {@code /_sandbox}. Start it with {@link #start(SandboxSettings)}, close it with {@link #close()}.
 *
 * <p>Admin API (JSON; meant for development and tests, bind it to localhost only):
 * <pre>
 * GET    /_sandbox                          the CRMs served, their base URLs and the seed
 * POST   /_sandbox/reset                    resets every CRM
 * GET    /_sandbox/{crm}/records[?type=T]   records (all, or of one type)
 * GET    /_sandbox/{crm}/records/{type}     records of one type
 * GET    /_sandbox/{crm}/records/{type}/count   how many: {"count": n}
 * POST   /_sandbox/{crm}/seed               loads records (the CRM's seed format); answers the ids
 * POST   /_sandbox/{crm}/reset              records, sessions, faults, rate-limit usage, journal; re-seeds randomness
 * GET    /_sandbox/{crm}/faults             fault-injection state
 * PUT    /_sandbox/{crm}/faults             replaces it (see {@link FaultInjector}); PATCH changes only what is given
 * DELETE /_sandbox/{crm}/faults             switches every fault off
 * POST   /_sandbox/{crm}/faults/script      appends scripted answers
 * POST   /_sandbox/{crm}/tokens/expire      expires every access token now
 * POST   /_sandbox/{crm}/tokens/revoke      an admin revokes the app: its refresh token is refused, its access tokens with it
 * POST   /_sandbox/{crm}/tokens/restore     the revoked refresh token is accepted again
 * GET    /_sandbox/{crm}/rate-limit         {windowSeconds, quota, used, remaining, resetsAt}
 * PUT    /_sandbox/{crm}/rate-limit         {windowSeconds, quota}; starts a fresh window
 * GET    /_sandbox/{crm}/requests           the last requests (method, path, parameter names, content type, the CRM's note, status; no values, tokens or bodies)
 * DELETE /_sandbox/{crm}/requests           clears that journal
 * any    /_sandbox/{crm}/...                CRM-specific (e.g. Salesforce custom fields: /_sandbox/salesforce/fields)
 * </pre>
 */
public final class CrmSandbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CrmSandbox.class);
    private static final long MAX_BODY = 16L * 1024 * 1024;

    private record Mounted(SandboxCrm crm, SandboxContext context, FaultInjector faults, RequestJournal journal) { }

    private final SandboxSettings settings;
    private final Map<String, Mounted> crms = new LinkedHashMap<>();
    private Vertx vertx;
    private HttpServer server;
    private int port;
    private SandboxSnapshots snapshots;

    private CrmSandbox(SandboxSettings settings) {
        this.settings = settings;
    }

    /**
     * Runs the sandbox on its own, for integrators pointing their own code or the vendors' client libraries at it (and for
     * the benchmark, which gives the sandbox its own process): {@code java -cp callbridge.jar io.callbridge.sandbox.CrmSandbox
     * [--<key>=<value>...]}, every key also as a system property or an environment variable ({@link StandaloneOptions});
     * {@code --help} lists them. A wrong option stops it with exit code 2 and one line saying why.
     */
    public static void main(String[] args) throws InterruptedException {
        if (List.of(args).contains("--help")) {
            System.out.print(StandaloneOptions.usage());
            return;
        }
        CrmSandbox sandbox;
        try {
            StandaloneOptions options = StandaloneOptions.parse(List.of(args), System.getenv(), System::getProperty);
            options.warnings().forEach(System.err::println);
            sandbox = start(options.settings());
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("the CRM sandbox cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close, "crm-sandbox-stop"));
        for (String n : sandbox.crms()) System.out.println(n + ": " + sandbox.baseUrl(n));
        System.out.println("admin API: " + sandbox.adminUrl());
        new java.util.concurrent.CountDownLatch(1).await();
    }

    /** Starts the server and every CRM in {@code settings}; fails fast on an unknown CRM or a port in use. */
    public static CrmSandbox start(SandboxSettings settings) {
        CrmSandbox sandbox = new CrmSandbox(settings);
        try {
            sandbox.doStart();
            return sandbox;
        } catch (RuntimeException e) {
            sandbox.close();
            throw e;
        }
    }

    private void doStart() {
        java.util.Set<String> restored = new java.util.HashSet<>();
        for (String name : settings.crms()) {
            SandboxCrmProvider provider = SandboxCrms.providers().get(name);
            if (provider == null) {
                throw new IllegalArgumentException("the CRM sandbox cannot simulate '" + name + "'; it knows " + SandboxCrms.providers().keySet());
            }
            SandboxContext ctx = new SandboxContext(name, settings.config(name), settings.clock(),
                    settings.seed() ^ (name.hashCode() * 0x9E3779B97F4A7C15L));
            FaultInjector faults = new FaultInjector(ctx);
            try {
                faults.configureFromProperties(ctx.config());
                long quotaWindow = ctx.configLong("rate-limit.window-seconds", -1);
                long quota = ctx.configLong("rate-limit.quota", -1);
                SandboxCrm crm = provider.create(ctx);
                if ((quotaWindow > 0 || quota >= 0) && !crm.usesSharedRateLimit()) {
                    throw new SandboxAdminException(400, "rate-limit.quota and rate-limit.window-seconds do not apply: " + name
                            + " limits requests its own way (see its keys in --help)");
                }
                if (quotaWindow > 0 || quota >= 0) {
                    ctx.rateLimiter().configureDefault(quotaWindow > 0 ? quotaWindow * 1000 : ctx.rateLimiter().windowMillis(),
                            quota >= 0 ? quota : ctx.rateLimiter().quota());
                }
                crms.put(name, new Mounted(crm, ctx, faults, new RequestJournal(crm::journalNote)));
            } catch (SandboxAdminException | NumberFormatException e) {
                throw new IllegalArgumentException("invalid sandbox configuration for " + name + ": " + e.getMessage(), e);
            }
        }
        if (settings.dataDir() != null) {
            Map<String, SandboxCrm> byName = new LinkedHashMap<>();
            crms.forEach((n, m) -> byName.put(n, m.crm()));
            snapshots = new SandboxSnapshots(settings.dataDir(), byName);
            restored.addAll(snapshots.load());
        }
        crms.forEach((name, m) -> {
            if (!restored.contains(name)) seedFromFile(m);
        });
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(2).setInternalBlockingPoolSize(2));
        // HTTP/1.1 only: clients that offer an h2c upgrade (java.net.http's default) stalled with it,
        // and no CRM serves cleartext HTTP/2 anyway
        server = vertx.createHttpServer(new HttpServerOptions().setHost(settings.host()).setPort(settings.port())
                .setHttp2ClearTextEnabled(false));
        server.requestHandler(this::onRequest);
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("the CRM sandbox cannot listen on " + settings.host() + ":" + settings.port() + ": " + cause.getMessage(), cause);
        }
        port = server.actualPort();
        crms.values().forEach(m -> m.context().baseUrl(baseUrl(m.crm().name())));
        LOG.info("CRM sandbox listening on http://{}:{} with {}", settings.host(), port, crms.keySet());
    }

    public int port() {
        return port;
    }

    /** {@code http://localhost:<port>/<crm>}: what the CRM client uses as its base/login URL. */
    public String baseUrl(String crm) {
        if (!crms.containsKey(crm)) {
            throw new IllegalArgumentException("the sandbox does not serve " + crm);
        }
        return "http://" + hostForUrl() + ":" + port + "/" + crm;
    }

    /** {@code http://localhost:<port>/_sandbox}. */
    public String adminUrl() {
        return "http://" + hostForUrl() + ":" + port + "/_sandbox";
    }

    public java.util.Set<String> crms() {
        return java.util.Collections.unmodifiableSet(crms.keySet());
    }

    /** The running simulator, for in-process inspection. */
    public SandboxCrm crm(String name) {
        Mounted m = crms.get(name);
        if (m == null) throw new IllegalArgumentException("the sandbox does not serve " + name);
        return m.crm();
    }

    public FaultInjector faults(String name) {
        Mounted m = crms.get(name);
        if (m == null) throw new IllegalArgumentException("the sandbox does not serve " + name);
        return m.faults();
    }

    /** Resets one CRM as {@code POST /_sandbox/<crm>/reset} does. */
    public void reset(String name) {
        Mounted m = crms.get(name);
        if (m == null) throw new IllegalArgumentException("the sandbox does not serve " + name);
        reset(m);
        changed(name, "POST");
    }

    @Override
    public void close() {
        try {
            if (vertx != null) {
                vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            LOG.warn("CRM sandbox did not close cleanly: {}", e.toString());
        } finally {
            vertx = null;
            // after the server: no request changes a CRM while its last snapshot is written
            if (snapshots != null) snapshots.close();
        }
    }

    /** Where {@code crm}'s records are kept, when the sandbox has a data directory. */
    public java.util.Optional<java.nio.file.Path> snapshotFile(String crm) {
        return java.util.Optional.ofNullable(snapshots).map(s -> s.file(crm));
    }

    /** A request may have changed a CRM: anything but a read, the vendor's API or the admin API alike. */
    private void changed(String crm, String method) {
        if (snapshots != null && !method.equals("GET") && !method.equals("HEAD") && crms.containsKey(crm)) {
            snapshots.changed(crm);
        }
    }

    private String hostForUrl() {
        String h = settings.host();
        return h.equals("0.0.0.0") || h.equals("::") ? "localhost" : h;
    }

    private void reset(Mounted m) {
        m.crm().reset();
        m.faults().clear();
        m.context().reseed(null);
        m.context().rateLimiter().restoreDefaults();
        m.journal().clear();
        seedFromFile(m);
    }

    /** Loads the CRM's {@code seed-file}, if it has one; one that cannot be read or loaded stops the start, naming it. */
    private static void seedFromFile(Mounted m) {
        String file = m.context().config("seed-file", "");
        if (file.isBlank()) return;
        try {
            JsonNode records = Json.parse(java.nio.file.Files.readAllBytes(java.nio.file.Path.of(file.trim())));
            m.crm().seed(records);
        } catch (IOException | RuntimeException | SandboxAdminException e) {
            throw new IllegalArgumentException("invalid sandbox configuration for " + m.crm().name() + ": seed-file " + file + ": " + e.getMessage(), e);
        }
    }

    // ---- HTTP ---------------------------------------------------------------------------------

    private void onRequest(HttpServerRequest req) {
        String len = req.getHeader("Content-Length");
        if (len != null && parseLong(len) > MAX_BODY) {
            write(req.response(), SandboxResponse.json(413, Json.object().put("error", "request body larger than " + MAX_BODY + " bytes")));
            return;
        }
        req.body().onComplete(ar -> {
            if (ar.failed()) {
                LOG.debug("sandbox request body failed: {}", ar.cause().toString());
                return;
            }
            try {
                dispatch(req, ar.result());
            } catch (RuntimeException e) {
                LOG.warn("sandbox failure on {} {}: {}", req.method(), req.path(), e.toString(), e);
                write(req.response(), SandboxResponse.json(500, Json.object().put("error", "sandbox failure: " + e)));
            }
        });
    }

    private void dispatch(HttpServerRequest req, Buffer buffer) {
        String path = req.path();
        byte[] body = buffer == null ? new byte[0] : buffer.getBytes();
        if (path.equals("/_sandbox") || path.startsWith("/_sandbox/")) {
            SandboxRequest sr = toRequest(req, path.substring("/_sandbox".length()), body);
            SandboxResponse r;
            try {
                r = admin(sr);
            } catch (SandboxAdminException e) {
                r = SandboxResponse.json(e.status(), Json.object().put("error", e.getMessage()));
            }
            List<String> seg = sr.segments();
            if (seg.size() == 1 && seg.get(0).equals("reset")) {
                crms.keySet().forEach(n -> changed(n, sr.method()));
            } else if (!seg.isEmpty()) {
                changed(seg.get(0), sr.method());
            }
            write(req.response(), r);
            return;
        }
        int slash = path.indexOf('/', 1);
        String name = slash < 0 ? path.substring(1) : path.substring(1, slash);
        Mounted m = crms.get(name);
        if (m == null) {
            write(req.response(), SandboxResponse.json(404, Json.object().put("error", "no CRM at /" + name + "; served: " + crms.keySet())));
            return;
        }
        String rel = slash < 0 ? "/" : path.substring(slash);
        SandboxRequest sr = toRequest(req, rel, body);
        SandboxResponse refused = m.crm().admit(sr);
        if (refused != null) {
            m.journal().record(sr, refused.status(), false);
            write(req.response(), refused);
            return;
        }
        // from here the request is in flight until its answer is written (or its connection reset), injected delays included
        Runnable release = once(() -> m.crm().release(sr));
        FaultInjector.Decision d;
        try {
            d = m.faults().decide(sr.method(), rel, m.crm());
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
        Runnable go = () -> {
            try {
                answer(req, m, sr, d, release);
            } catch (RuntimeException e) {
                release.run();
                throw e;
            }
        };
        if (d.delayMillis() > 0) {
            vertx.setTimer(d.delayMillis(), t -> go.run());
        } else {
            go.run();
        }
    }

    /** Runs the request (or the injected fault) and writes the answer; {@code release} runs once it is written. */
    private void answer(HttpServerRequest req, Mounted m, SandboxRequest sr, FaultInjector.Decision d, Runnable release) {
        String name = m.crm().name();
        String rel = sr.path();
        if (d instanceof FaultInjector.Reset) {
            m.journal().record(sr, 0, true);
            req.connection().close();
            release.run();
            return;
        }
        boolean injected = d instanceof FaultInjector.Respond;
        java.util.concurrent.CompletionStage<SandboxResponse> later;
        if (injected) {
            later = java.util.concurrent.CompletableFuture.completedFuture(((FaultInjector.Respond) d).response());
        } else {
            try {
                later = m.crm().handleLater(sr);
            } catch (RuntimeException e) {
                later = java.util.concurrent.CompletableFuture.failedFuture(e);
            }
        }
        java.util.function.BiConsumer<SandboxResponse, Throwable> finish = (answered, failure) -> {
            SandboxResponse r = answered;
            if (failure != null) {
                LOG.warn("{} sandbox failed on {} {}: {}", name, sr.method(), rel, failure.toString(), failure);
                r = SandboxResponse.json(500, Json.object().put("error", "sandbox failure: " + failure));
            }
            m.journal().record(sr, r.status(), injected);
            changed(name, sr.method());
            if (d instanceof FaultInjector.Late late) {
                SandboxResponse answer = r;
                vertx.setTimer(Math.max(1, late.answerAfterMillis()), t -> {
                    try {
                        write(req.response(), answer);
                    } finally {
                        release.run();
                    }
                });
            } else {
                try {
                    write(req.response(), r);
                } finally {
                    release.run();
                }
            }
        };
        java.util.concurrent.CompletableFuture<SandboxResponse> answer = later.toCompletableFuture();
        if (answer.isDone()) {
            answer.whenComplete(finish);
            return;
        }
        // an answer that comes later (a long poll) is completed on another thread: it is written on the request's own context
        io.vertx.core.Context context = vertx.getOrCreateContext();
        answer.whenComplete((answered, failure) -> context.runOnContext(v -> finish.accept(answered, failure)));
    }

    private static Runnable once(Runnable r) {
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) r.run();
        };
    }

    private static SandboxRequest toRequest(HttpServerRequest req, String path, byte[] body) {
        Map<String, String> headers = new HashMap<>();
        req.headers().forEach(e -> headers.merge(e.getKey().toLowerCase(Locale.ROOT), e.getValue(), (a, b) -> a + "," + b));
        return new SandboxRequest(req.method().name(), path, SandboxRequest.parseQuery(req.query()), headers, body);
    }

    private static void write(HttpServerResponse resp, SandboxResponse r) {
        if (resp.ended() || resp.closed()) return;
        resp.setStatusCode(r.status());
        r.headers().forEach(resp::putHeader);
        resp.end(Buffer.buffer(r.body()));
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    // ---- admin API ----------------------------------------------------------------------------

    private SandboxResponse admin(SandboxRequest req) throws SandboxAdminException {
        List<String> seg = req.segments();
        String method = req.method();
        if (seg.isEmpty()) {
            expect(method, "GET");
            ObjectNode o = Json.object();
            ArrayNode a = o.putArray("crms");
            for (String n : crms.keySet()) a.addObject().put("name", n).put("baseUrl", baseUrl(n));
            o.put("seed", settings.seed());
            return SandboxResponse.json(200, o);
        }
        if (seg.size() == 1 && seg.get(0).equals("reset")) {
            expect(method, "POST");
            crms.values().forEach(this::reset);
            return SandboxResponse.empty(204);
        }
        Mounted m = crms.get(seg.get(0));
        if (m == null) throw new SandboxAdminException(404, "the sandbox does not serve '" + seg.get(0) + "'; it serves " + crms.keySet());
        List<String> rest = seg.subList(1, seg.size());
        String head = rest.isEmpty() ? "" : rest.get(0);
        switch (head) {
            case "records" -> {
                expect(method, "GET");
                String type = rest.size() > 1 ? rest.get(1) : req.param("type");
                if (rest.size() == 3 && rest.get(2).equals("count")) {
                    return SandboxResponse.json(200, Json.object().put("count", m.crm().list(type).size()));
                }
                return SandboxResponse.json(200, m.crm().list(type));
            }
            case "seed" -> {
                expect(method, "POST");
                return SandboxResponse.json(201, m.crm().seed(body(req)));
            }
            case "reset" -> {
                expect(method, "POST");
                reset(m);
                return SandboxResponse.empty(204);
            }
            case "faults" -> {
                if (rest.size() == 2 && rest.get(1).equals("script")) {
                    expect(method, "POST");
                    m.faults().appendScript(body(req));
                    return SandboxResponse.json(200, m.faults().state());
                }
                switch (method) {
                    case "GET" -> { }
                    case "PUT" -> m.faults().configure(body(req));
                    case "PATCH" -> m.faults().merge(body(req));
                    case "DELETE" -> m.faults().clear();
                    default -> throw new SandboxAdminException(405, "use GET, PUT, PATCH or DELETE on faults");
                }
                return SandboxResponse.json(200, m.faults().state());
            }
            case "tokens" -> {
                String what = rest.size() == 2 ? rest.get(1) : "";
                if (!java.util.Set.of("expire", "revoke", "restore").contains(what)) {
                    throw new SandboxAdminException(404, "use POST /_sandbox/" + m.crm().name() + "/tokens/expire, /revoke or /restore");
                }
                expect(method, "POST");
                switch (what) {
                    case "expire" -> m.crm().expireTokens();
                    case "revoke" -> m.crm().revokeAccess();
                    default -> m.crm().restoreAccess();
                }
                return SandboxResponse.empty(204);
            }
            case "rate-limit" -> {
                if (!m.crm().usesSharedRateLimit()) {
                    throw new SandboxAdminException(404, m.crm().name() + " has no shared rate-limit window: it limits requests its own way");
                }
                RateLimiter rl = m.context().rateLimiter();
                if (method.equals("PUT")) {
                    JsonNode b = body(req);
                    long window = b.path("windowSeconds").asLong(rl.windowMillis() / 1000);
                    if (!b.has("quota")) throw new SandboxAdminException(400, "rate-limit needs quota (0 = unlimited) and optionally windowSeconds");
                    if (window <= 0) throw new SandboxAdminException(400, "windowSeconds must be positive");
                    rl.configure(window * 1000, b.get("quota").asLong());
                } else {
                    expect(method, "GET");
                }
                RateLimiter.Usage u = rl.peek();
                ObjectNode o = Json.object();
                o.put("windowSeconds", u.windowMillis() / 1000.0);
                o.put("quota", u.quota());
                o.put("used", u.used());
                o.put("remaining", u.quota() <= 0 ? -1 : u.remaining());
                o.put("resetsAt", java.time.Instant.ofEpochMilli(u.resetAtMillis()).toString());
                return SandboxResponse.json(200, o);
            }
            case "requests" -> {
                if (method.equals("DELETE")) {
                    m.journal().clear();
                    return SandboxResponse.empty(204);
                }
                expect(method, "GET");
                return SandboxResponse.json(200, m.journal().toJson());
            }
            default -> {
                String sub = "/" + String.join("/", rest);
                return m.crm().admin(req.derive(method, sub + queryString(req), req.body()));
            }
        }
    }

    private static String queryString(SandboxRequest req) {
        if (req.query().isEmpty()) return "";
        List<String> parts = new ArrayList<>();
        req.query().forEach((k, vs) -> vs.forEach(v -> parts.add(java.net.URLEncoder.encode(k, java.nio.charset.StandardCharsets.UTF_8)
                + "=" + java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8))));
        return "?" + String.join("&", parts);
    }

    private static void expect(String method, String wanted) throws SandboxAdminException {
        if (!method.equals(wanted)) throw new SandboxAdminException(405, "use " + wanted);
    }

    private static JsonNode body(SandboxRequest req) throws SandboxAdminException {
        if (!req.hasBody()) throw new SandboxAdminException(400, "a JSON body is required");
        try {
            return Json.parse(req.body());
        } catch (IOException e) {
            throw new SandboxAdminException(400, "the body is not valid JSON: " + e.getMessage());
        }
    }
}
