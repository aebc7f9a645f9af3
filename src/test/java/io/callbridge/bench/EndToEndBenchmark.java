package io.callbridge.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.support.CrmFixture;
import io.callbridge.support.Events;
import io.callbridge.support.MappingsCopy;
import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * Issue 11, end to end: Callbridge as {@code java @jvm.options -jar target/callbridge.jar} runs it (dev profile: embedded broker,
 * CRM sandbox), driven over HTTP from this JVM. Prints start-up time and idle memory, sustained throughput from the
 * first POST to the last CRM record (log-call only, and the DESIGN.md example's five actions, all three CRMs), caller
 * lookup latency, CRM requests per event, a naive HubSpot loop without Kafka or Camel for comparison, and how much of
 * HubSpot's rate-limit ceiling a backlog uses. Not a test; after {@code mvn -B -q -DskipTests package}:
 * <pre>mvn -B -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.callbridge.bench.EndToEndBenchmark \
 *     [-Dexec.args="events=1000 design-events=300 ratelimit-seconds=120 phases=logcall,design,lookup,baseline,ratelimit,alone
 *     crms=hubspot,salesforce,pipedrive
 *     jvm=-Xmx256m,-XX:+UseSerialGC callbridge.erasure.master-key-file=/path"]</pre> (an argument named callbridge.* is a setting)
 * See BENCHMARKS.md, section "End to end".
 */
public final class EndToEndBenchmark {

    private static final String KEY = "bench-key";
    private static final List<CrmFixture> FIXTURES = CrmFixture.all();
    private static final List<String> ALL = FIXTURES.stream().map(CrmFixture::crm).toList();
    private static final String HUGE = "1000000000";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final Map<String, String> args;
    private final Path out = Path.of("target", "e2e");
    private final List<String> report = new ArrayList<>();
    private final int clients;
    private final List<String> customers = new ArrayList<>();

    private EndToEndBenchmark(Map<String, String> args) {
        this.args = args;
        this.clients = intArg("clients", 8);
        for (int i = 0; i < intArg("customers", 50); i++) {
            customers.add(String.format("+417930%05d", i));
        }
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new LinkedHashMap<>();
        for (String a : argv) {
            for (String kv : a.trim().split("\\s+")) {
                if (kv.contains("=")) args.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        int exit = 0;
        try {
            new EndToEndBenchmark(args).run();
        } catch (Exception e) {
            e.printStackTrace();
            exit = 1;
        }
        System.exit(exit);
    }

    private int intArg(String name, int def) {
        return Integer.parseInt(args.getOrDefault(name, String.valueOf(def)));
    }

    private void run() throws Exception {
        Path jar = Path.of("target", "callbridge.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("target/callbridge.jar is missing: run mvn -B -q -DskipTests package first");
        }
        Files.createDirectories(out);
        Set<String> phases = new LinkedHashSet<>(Arrays.asList(args.getOrDefault("phases", "logcall,design,lookup,baseline,ratelimit,alone")
                .split(",")));
        int events = intArg("events", 1000);
        int designEvents = intArg("design-events", 300);
        int warmup = intArg("warmup", 200);
        line("End-to-end benchmark, %s; %d CPUs, Java %s, load average at start %s; %d client threads, %d customers",
                Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), loadAverage(), clients, customers.size());
        List<String> startups = new ArrayList<>();
        List<String> loads = new ArrayList<>();
        List<String> economy = new ArrayList<>();

        // the CRMs of the logcall and design phases (crms=hubspot,salesforce,pipedrive), every CRM by default
        List<String> loaded = args.containsKey("crms") ? List.of(args.get("crms").split(",")) : ALL;
        if (phases.contains("lookup") && !loaded.equals(ALL)) {
            throw new IllegalArgumentException("the lookup phase measures the catalog's first CRM with every CRM on: leave out crms=");
        }
        if (phases.contains("logcall") || phases.contains("lookup")) {
            try (Child c = start("all-logcall", loaded, logCallOnlyMappings(), sandboxes(loaded, true))) {
                startups.add(idle(c));
                if (phases.contains("logcall")) {
                    Load l = load(c, "log-call, " + loaded.size() + " CRMs", loaded, false, warmup, events);
                    loads.add(l.line());
                    economy.add(l.economy());
                }
                if (phases.contains("lookup")) {
                    lookups(c, intArg("lookups", 200));
                }
            }
        }
        if (phases.contains("alone")) {
            // production's shape: Callbridge without the dev profile, Kafka and the CRMs in another process
            try (Child infrastructure = start("infrastructure", ALL, logCallOnlyMappings(), sandboxes(ALL, false));
                    Child c = Child.alone("alone-" + ALL.size() + "-crms", Path.of("target", "callbridge.jar"), infrastructure,
                            crmSettings(infrastructure), jvmOptions(), out)) {
                startups.add(idle(c) + "   (no dev profile: Kafka and the CRM sandbox in another process)");
            }
        }
        if (phases.contains("design")) {
            try (Child c = start("all-design", loaded, Path.of("mappings"), sandboxes(loaded, true))) {
                startups.add(idle(c));
                Load l = load(c, "design example, " + loaded.size() + " CRMs", loaded, true, Math.min(warmup, 100), designEvents);
                loads.add(l.line());
                economy.add(l.economy());
            }
        }
        Double baselineRate = null;
        Load hubspotOnly = null;
        if (phases.contains("baseline")) {
            List<String> hs = List.of("hubspot");
            try (Child c = start("hubspot-logcall", hs, logCallOnlyMappings(), sandboxes(hs, true))) {
                startups.add(idle(c));
                hubspotOnly = load(c, "log-call, HubSpot only", hs, false, warmup, events);
                loads.add(hubspotOnly.line());
                economy.add(hubspotOnly.economy());
                long before = count(c, "hubspot", "calls");
                NaiveBaseline.run(c.crmBase("hubspot"), customers, warmup, clients); // the plain loop gets its warm-up too
                double seconds = NaiveBaseline.run(c.crmBase("hubspot"), customers, events, clients);
                long written = count(c, "hubspot", "calls") - before;
                baselineRate = events / seconds;
                economy.add(String.format(Locale.ROOT, "%-24s hubspot 2.00 requests/event (1 search + 1 create, no cache); %d/%d calls written",
                        "naive loop, HubSpot", written, warmup + events));
            }
        }
        List<String> rate = new ArrayList<>();
        if (phases.contains("ratelimit")) {
            rate = rateLimited(intArg("ratelimit-seconds", 120));
        }
        List<String> backlog = new ArrayList<>();
        if (phases.contains("backlog")) {
            backlog.addAll(backlog(intArg("backlog-events", 10_000), false));
        }
        if (phases.contains("backlog-design")) {
            backlog.addAll(backlog(intArg("backlog-design-events", 2_000), true));
        }
        List<String> latency = new ArrayList<>();
        if (phases.contains("latency")) {
            latency = latency(intArg("latency-events", 300), Double.parseDouble(args.getOrDefault("latency-rate", "10")));
        }

        line("");
        line("1. Throughput, first POST to last CRM record (target: >= 2000 log-call events/s)");
        line("   %-24s %8s %9s %10s %12s %9s %9s %9s %s", "workload", "events", "seconds", "events/s", "(POSTs/s)", "heap MB",
                "(commit)", "HWM MB", "complete");
        loads.forEach(l -> line("   %s", l));
        line("");
        line("2. GET /v1/callers, primary CRM %s, sandbox latency 50 ms (target: hit p99 < 5 ms)", ALL.get(0));
        lookupLines.forEach(l -> line("   %s", l));
        line("");
        line("3. CRM API requests per event (every request the sandbox journal counted, lookups and logins included)");
        economy.forEach(l -> line("   %s", l));
        line("");
        line("4. HubSpot at its default limits, 100 requests / 10 s (target: >= 90 %% of the ceiling, 0 lost)");
        rate.forEach(l -> line("   %s", l));
        line("");
        line("4b. A backlog at HubSpot's and Salesforce's default limits, callers known (targets, log-call: 10,000 in <= 30 s, "
                + "0 answered 429, 0 lost, <= 0.02 requests/event per CRM; design example: <= 0.2 HubSpot, <= 0.1 Salesforce requests/event)");
        backlog.forEach(l -> line("   %s", l));
        line("");
        line("4c. No backlog: HubSpot only, log-call events posted one by one at a steady rate; from the 202 to the call's createdAt "
                + "in the sandbox (target: p99 <= 300 ms)");
        latency.forEach(l -> line("   %s", l));
        line("");
        line("5. Start-up: launch of java to /observe/health UP (target < 5 s), VmRSS once settled (target < 300 MB)");
        startups.forEach(l -> line("   %s", l));
        line("");
        line("6. Naive baseline: HubSpot only, log-call, Apache HttpClient 5, %d threads, no Kafka, no Camel (target: Callbridge >= 0.8 x)",
                clients);
        if (baselineRate != null) {
            line("   naive loop %.0f events/s; Callbridge HubSpot-only %.0f events/s; ratio %.2f", baselineRate,
                    hubspotOnly.eventsPerSecond(), hubspotOnly.eventsPerSecond() / baselineRate);
        }
        line("");
        line("load average at end %s; child logs and thread dumps in %s", loadAverage(), out.toAbsolutePath());
        System.out.println();
        System.out.println(String.join("\n", report));
        Files.writeString(out.resolve("report.txt"), String.join("\n", report) + "\n");
    }

    // ---- children -------------------------------------------------------------------------------------------

    private Child start(String name, List<String> crms, Path mappings, Map<String, String> extra) throws Exception {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("callbridge.mappings.dir", mappings.toAbsolutePath().toString());
        s.put("callbridge.api-keys", KEY + ":agent");
        s.put("callbridge.api-keys.lookups-per-second", "1000000");
        // the miss phase of the lookups must not see its unknown numbers expire before the hit phase
        s.put("callbridge.identify.negative-ttl-ms", "600000");
        for (String crm : ALL) {
            s.put("callbridge.crm." + crm + ".enabled", String.valueOf(crms.contains(crm)));
        }
        // a setting to measure with (callbridge.erasure.master-key-file=…): every argument named like one
        args.forEach((k, v) -> {
            if (k.startsWith("callbridge.")) {
                s.put(k, v);
            }
        });
        Path jar = Path.of("target", "callbridge.jar");
        Child c;
        if (args.getOrDefault("sandbox", "own-process").equals("in-process")) {
            s.putAll(extra);
            progress("starting %s", name);
            c = Child.start(name, jar, s, jvmOptions(), out);
        } else {
            Map<String, String> sandboxConfig = new LinkedHashMap<>();
            extra.forEach((k, v) -> (k.startsWith("callbridge.sandbox.") ? sandboxConfig : s).put(k, v));
            progress("starting %s (the CRM sandbox in its own process)", name);
            Child sandbox = Child.sandbox(name + "-sandbox", jar, crms, sandboxConfig, List.of(), out);
            FIXTURES.stream().filter(f -> crms.contains(f.crm())).forEach(f -> f.settings(sandbox.crmBase(f.crm()), false)
                    .forEach(s::putIfAbsent));
            c = Child.start(name, jar, s, jvmOptions(), out, sandbox);
        }
        seedCustomers(c, crms);
        return c;
    }

    /** Every fixture's connector pointed at another child's sandbox (which runs with the fixtures' sandbox configuration). */
    private static Map<String, String> crmSettings(Child sandbox) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("callbridge.mappings.dir", logCallOnlyMappings().toAbsolutePath().toString());
        FIXTURES.forEach(f -> s.putAll(f.settings(sandbox.crmBase(f.crm()), false)));
        return s;
    }

    /**
     * Options for Callbridge's JVM: those of {@code jvm.options}, as the README launches it; {@code jvm=-Xmx256m,-XX:+UseSerialGC}
     * replaces them, {@code jvm=none} leaves the JVM's own defaults.
     */
    private List<String> jvmOptions() {
        String v = args.getOrDefault("jvm", "");
        if (v.isBlank()) {
            return List.of("@" + Path.of("jvm.options").toAbsolutePath());
        }
        return v.equals("none") ? List.of() : List.of(v.split(","));
    }

    /**
     * The fixtures' sandbox configuration ({@code callbridge.sandbox.*}), limits lifted or not, and Callbridge's own pacing
     * lifted with them (the other keys).
     */
    private static Map<String, String> sandboxes(List<String> crms, boolean lifted) {
        Map<String, String> s = new LinkedHashMap<>();
        for (CrmFixture f : FIXTURES) {
            if (!crms.contains(f.crm())) {
                continue;
            }
            f.sandboxConfig(lifted).forEach((k, v) -> s.put("callbridge.sandbox." + f.crm() + "." + k, v));
            if (lifted) {
                Map<String, String> paced = f.settings("", false);
                f.settings("", true).forEach((k, v) -> {
                    if (!v.equals(paced.get(k))) {
                        s.put(k, v);
                    }
                });
            }
        }
        return s;
    }

    /**
     * VmRSS "at idle": at least 5 s after ready, once start-up's own work (topic creation, first fetches, the bulk of the
     * JIT) has settled, i.e. the child used less than 40 % of a core over the last second (the dev profile's embedded
     * KRaft broker and the JIT keep it at about 35 % for a while); up to 30 s, else the figure is marked busy.
     */
    private String idle(Child c) {
        long[] last = {cpuTicks(c)};
        String busy = "";
        try {
            await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                long now = cpuTicks(c);
                boolean settled = now - last[0] < 40; // clock ticks of 10 ms over the last poll
                last[0] = now;
                return settled;
            });
        } catch (ConditionTimeoutException e) {
            busy = " (still busy after 30 s)";
        }
        return String.format(Locale.ROOT, "%-16s ready %5d ms   idle VmRSS %4.0f MB%s", c.name, c.readyMillis, c.procStatusMb("VmRSS"),
                busy);
    }

    private static Path logCallOnlyMappings() {
        return MappingsCopy.logCallOnly().dir();
    }

    private void seedCustomers(Child c, List<String> crms) {
        for (CrmFixture f : FIXTURES) {
            if (crms.contains(f.crm())) {
                for (int i = 0; i < customers.size(); i++) {
                    Map.Entry<String, JsonNode> seed = f.knownCaller("Client", "C" + i, customers.get(i), null);
                    admin(c, "POST", "/" + f.crm() + "/seed", seed.getValue().toString());
                }
            }
        }
    }

    // ---- throughput -----------------------------------------------------------------------------------------

    record Load(String label, int events, double seconds, double postSeconds, double heapMb, double committedMb, double hwmMb,
                String missing, Map<String, JsonNode> requests, double childCpuSeconds, double clientCpuSeconds,
                double sandboxCpuSeconds) {
        double eventsPerSecond() {
            return events / seconds;
        }

        String line() {
            return String.format(Locale.ROOT, "%-24s %8d %9.1f %10.0f %12.0f %9.0f %9.0f %9.0f %s", label, events, seconds, eventsPerSecond(),
                    events / postSeconds, heapMb, committedMb, hwmMb, missing.isEmpty() ? "yes" : "NO, missing " + missing)
                    + String.format(Locale.ROOT, "; CPU: child %.1f s = %.1f ms/event (%.2f cores), client %.1f s%s", childCpuSeconds,
                    1000 * childCpuSeconds / events, childCpuSeconds / seconds, clientCpuSeconds,
                    sandboxCpuSeconds < 0 ? "" : String.format(Locale.ROOT, ", CRM sandbox %.1f s", sandboxCpuSeconds));
        }

        String economy() {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-24s", label));
            requests.forEach((crm, n) -> b.append(String.format(Locale.ROOT, " %s %.2f requests/event (last %d: %.0f %% lookups, %d not 2xx);",
                    crm, n.path("total").asDouble() / events, n.path("tail").asInt(), 100 * n.path("lookups").asDouble()
                            / Math.max(1, n.path("tail").asInt()), n.path("failed").asInt())));
            return b.toString();
        }
    }

    /** Records each event leaves per CRM and type, as the fixtures know them. */
    private static Map<String, Integer> perEvent(boolean design, List<String> crms) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (CrmFixture f : FIXTURES) {
            if (crms.contains(f.crm())) {
                f.recordsPerEvent(design).forEach((type, n) -> m.put(f.crm() + "/" + type, n));
            }
        }
        return m;
    }

    private Load load(Child c, String label, List<String> crms, boolean design, int warmup, int events) throws Exception {
        Map<String, Integer> per = perEvent(design, crms);
        if (warmup > 0) {
            progress("%s: %d warm-up events", label, warmup);
            Map<String, Long> before = counts(c, per.keySet());
            post(c, events(warmup, "warm"));
            String missing = awaitRecords(c, before, per, warmup, Duration.ofMinutes(5));
            if (!missing.isEmpty()) throw new IllegalStateException(label + ": warm-up incomplete, missing " + missing);
        }
        for (String crm : crms) {
            admin(c, "DELETE", "/" + crm + "/requests", null);
        }
        Map<String, Long> before = counts(c, per.keySet());
        List<byte[]> bodies = events(events, "run");
        progress("%s: %d events", label, events);
        long cpu0 = cpuTicks(c);
        long sandboxCpu0 = c.sandboxProcess() == null ? 0 : cpuTicks(c.sandboxProcess());
        Duration ownCpu0 = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
        Child.HeapSampler heap = c.heapSampler();
        String slug = c.name + (design ? "-design" : "-logcall");
        // three samples of where the threads are, 1.5 s, 3.5 s and 5.5 s into the load (those the load outlives)
        ScheduledExecutorService dumps = Executors.newSingleThreadScheduledExecutor();
        for (int i = 1; i <= 3; i++) {
            Path file = out.resolve(slug + "-dump" + i + ".txt");
            dumps.schedule(() -> c.threadDump(file), 1500 + 2000L * (i - 1), TimeUnit.MILLISECONDS);
        }
        Instant t0 = Instant.now();
        double postSeconds = post(c, bodies);
        String missing = awaitRecords(c, before, per, events, Duration.ofSeconds(Math.max(180, events / 5)));
        dumps.shutdownNow();
        dumps.awaitTermination(30, TimeUnit.SECONDS);
        Instant last = lastWrite(c, crms);
        double seconds = Duration.between(t0, last).toNanos() / 1e9;
        double cpuSeconds = (cpuTicks(c) - cpu0) / 100.0;
        double sandboxCpuSeconds = c.sandboxProcess() == null ? -1 : (cpuTicks(c.sandboxProcess()) - sandboxCpu0) / 100.0;
        double ownCpuSeconds = (ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).toMillis() - ownCpu0.toMillis()) / 1000.0;
        heap.close();
        Map<String, JsonNode> requests = new LinkedHashMap<>();
        for (String crm : crms) {
            requests.put(crm, requestSummary(admin(c, "GET", "/" + crm + "/requests", null)));
        }
        Load l = new Load(label, events, seconds, postSeconds, heap.peakUsedMb(), heap.peakCommittedMb(), c.procStatusMb("VmHWM"),
                missing, requests, cpuSeconds, ownCpuSeconds, sandboxCpuSeconds);
        progress("%s", l.line());
        for (int i = 1; i <= 3; i++) {
            Path f = out.resolve(slug + "-dump" + i + ".txt");
            if (Files.exists(f)) {
                progress("consumer threads, dump %d:", i);
                ThreadDumps.consumers(Files.readString(f)).forEach(s -> progress("   %s", s));
            }
        }
        Path first = out.resolve(slug + "-dump1.txt");
        Path third = out.resolve(slug + "-dump3.txt");
        if (Files.exists(first) && Files.exists(third)) {
            ThreadDumps.cpuBetween(Files.readString(first), Files.readString(third), 12).forEach(s -> progress("   %s", s));
        }
        return l;
    }

    /** The DESIGN.md example, each with a new id, from the pool of customers (one e-mail each, as HubSpot keeps e-mails unique). */
    private List<byte[]> events(int n, String tag) {
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String e164 = customers.get(i % customers.size());
            ObjectNode e = Events.exampleWithNewId();
            ObjectNode data = (ObjectNode) e.get("data");
            data.put("from", e164);
            data.put("callId", tag + "-" + i);
            ((ObjectNode) data.get("caller")).put("email", "client." + e164.substring(1) + "@example.ch");
            out.add(Events.bytes(e));
        }
        return out;
    }

    /**
     * Posts the events from {@code clients} threads: one per request, or, with {@code post-batch=N}, N per request in
     * CloudEvents' batched mode. A 503 (the broker did not acknowledge in time) is posted again.
     */
    private double post(Child c, List<byte[]> events) throws Exception {
        int perRequest = intArg("post-batch", 1);
        List<byte[]> bodies = perRequest <= 1 ? events : batches(events, perRequest);
        String contentType = perRequest <= 1 ? "application/cloudevents+json" : "application/cloudevents-batch+json";
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger next = new AtomicInteger();
        long t0 = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < clients; w++) {
            workers.add(pool.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < bodies.size(); ) {
                    HttpRequest r = HttpRequest.newBuilder(c.app("/v1/call-events")).timeout(Duration.ofSeconds(30))
                            .header("Content-Type", contentType)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i))).build();
                    int status = await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                            .until(() -> HTTP.send(r, HttpResponse.BodyHandlers.discarding()).statusCode(), answer -> answer != 503);
                    if (status != 202) throw new IllegalStateException("POST /v1/call-events answered " + status);
                }
                return null;
            }));
        }
        for (Future<?> w : workers) {
            w.get();
        }
        pool.shutdown();
        return (System.nanoTime() - t0) / 1e9;
    }

    private static List<byte[]> batches(List<byte[]> events, int perRequest) {
        List<byte[]> out = new ArrayList<>();
        for (int from = 0; from < events.size(); from += perRequest) {
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            b.write('[');
            for (int i = from; i < Math.min(events.size(), from + perRequest); i++) {
                if (i > from) {
                    b.write(',');
                }
                b.writeBytes(events.get(i));
            }
            b.write(']');
            out.add(b.toByteArray());
        }
        return out;
    }

    /**
     * Polls the record counts until every type has its records; answers what is still missing when time runs out. The
     * sandbox builds every record to answer, so the poll is gentle (1 s); the end time comes from its journal.
     */
    private String awaitRecords(Child c, Map<String, Long> before, Map<String, Integer> per, int events, Duration atMost) {
        String[] missing = {missing(c, before, per, events)};
        try {
            await().atMost(atMost).pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(1))
                    .until(() -> (missing[0] = missing(c, before, per, events)).isEmpty());
        } catch (ConditionTimeoutException e) {
            // reported: what is missing is the answer
        }
        return missing[0];
    }

    private String missing(Child c, Map<String, Long> before, Map<String, Integer> per, int events) {
        Map<String, Long> now = counts(c, per.keySet());
        Map<String, Long> missing = new TreeMap<>();
        per.forEach((k, n) -> {
            long m = before.get(k) + (long) n * events - now.get(k);
            if (m > 0) missing.put(k, m);
        });
        return missing.isEmpty() ? "" : missing.toString();
    }

    private Map<String, Long> counts(Child c, Set<String> keys) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String k : keys) {
            String[] crmType = k.split("/");
            m.put(k, count(c, crmType[0], crmType[1]));
        }
        return m;
    }

    private long count(Child c, String crm, String type) {
        return admin(c, "GET", "/" + crm + "/records/" + type + "/count", null).path("count").asLong();
    }

    /**
     * The journal keeps the last 2000 requests, each numbered since it was cleared: the newest number is the total; the
     * entries still there say what share were caller lookups (searches; Salesforce's composite queries) and how many failed.
     */
    private static JsonNode requestSummary(JsonNode journal) {
        ObjectNode o = Events.JSON.createObjectNode();
        o.put("total", journal.isEmpty() ? 0 : journal.get(journal.size() - 1).path("seq").asLong());
        o.put("tail", journal.size());
        int lookups = 0;
        int failed = 0;
        for (JsonNode e : journal) {
            String path = e.path("path").asText();
            if (path.contains("search") || path.endsWith("/composite")) lookups++;
            if (e.path("status").asInt() / 100 != 2) failed++;
        }
        o.put("lookups", lookups);
        o.put("failed", failed);
        return o;
    }

    /**
     * When the last record was written: the journal's latest successful write (not a search, login or read) of any CRM,
     * stamped by the sandbox itself, so the ±250 ms of the poll do not count.
     */
    private Instant lastWrite(Child c, List<String> crms) {
        Instant last = Instant.EPOCH;
        for (String crm : crms) {
            for (JsonNode e : admin(c, "GET", "/" + crm + "/requests", null)) {
                String path = e.path("path").asText();
                int status = e.path("status").asInt();
                if (status >= 200 && status < 300 && !e.path("method").asText().equals("GET") && !path.contains("search")
                        && !path.contains("oauth")) {
                    Instant at = Instant.parse(e.path("at").asText());
                    if (at.isAfter(last)) last = at;
                }
            }
        }
        return last;
    }

    // ---- caller lookups -------------------------------------------------------------------------------------

    private final List<String> lookupLines = new ArrayList<>();

    /** IdentifyBenchmark's method, compact: seeded numbers typed nationally, half of the misses unknown, hits repeat them. */
    private void lookups(Child c, int n) throws Exception {
        progress("lookups: %d misses, %d hits", n, 3 * n);
        CrmFixture primary = FIXTURES.get(0);
        for (int i = 0; i < 2 * n + 200; i += 2) {
            // typed nationally, as people do
            admin(c, "POST", "/" + primary.crm() + "/seed", primary.knownCaller("Client", "Lookup" + i, "0" + lookupNumber(i).substring(3),
                    null).getValue().toString());
        }
        admin(c, "PUT", "/" + primary.crm() + "/faults", "{\"latencyMs\": 50}");
        int k = 0;
        for (int i = 0; i < 100; i++) { // warm-up: this code path has not run in the child yet
            lookup(c, lookupNumber(k++));
            lookup(c, lookupNumber(0));
        }
        int first = k;
        long[] misses = new long[n];
        int[] wrong = new int[2];
        int[] unavailable = new int[1];
        for (int i = 0; i < n; i++) {
            Lookup l = lookup(c, lookupNumber(k++));
            misses[i] = l.nanos;
            if (!l.cache.equals("miss")) wrong[0]++;
            if (l.status == 503) unavailable[0]++;
        }
        long[] hits = new long[3 * n];
        for (int i = 0; i < hits.length; i++) {
            Lookup l = lookup(c, lookupNumber(first + i % n));
            hits[i] = l.nanos;
            if (!l.cache.equals("hit")) wrong[1]++;
            if (l.status == 503) unavailable[0]++;
        }
        admin(c, "DELETE", "/" + ALL.get(0) + "/faults", null);
        lookupLines.add(String.format(Locale.ROOT, "misses (%d): p50 %.1f ms, p99 %.1f ms; hits (%d): p50 %.2f ms, p99 %.2f ms; 503s %d%s",
                n, pct(misses, 50), pct(misses, 99), hits.length, pct(hits, 50), pct(hits, 99), unavailable[0],
                wrong[0] + wrong[1] == 0 ? "" : "; not from where expected: " + wrong[0] + " misses, " + wrong[1] + " hits"));
        progress("%s", lookupLines.get(lookupLines.size() - 1));
    }

    private record Lookup(long nanos, int status, String cache) { }

    private static String lookupNumber(int i) {
        return "+4179" + (4_000_000 + i); // even ones are in the CRM, odd ones are not
    }

    private static Lookup lookup(Child c, String phone) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(c.app("/v1/callers/" + phone.replace("+", "%2B")))
                .header("Authorization", "Bearer " + KEY).GET().build();
        long t0 = System.nanoTime();
        HttpResponse<Void> resp = HTTP.send(r, HttpResponse.BodyHandlers.discarding());
        long took = System.nanoTime() - t0;
        if (resp.statusCode() != 200 && resp.statusCode() != 404 && resp.statusCode() != 503) {
            throw new IllegalStateException("lookup answered " + resp.statusCode());
        }
        return new Lookup(took, resp.statusCode(), resp.headers().firstValue("Callbridge-Cache").orElse(""));
    }

    private static double pct(long[] nanos, int p) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return s[Math.max(0, (int) Math.ceil(p / 100.0 * s.length) - 1)] / 1e6;
    }

    // ---- HubSpot's rate limit -------------------------------------------------------------------------------

    /**
     * HubSpot only, its default limits (100 requests per 10 s, 5 searches per second) in the sandbox and Callbridge's default
     * pacing; the design example, so every event is five writes and about one search. A backlog larger than the window can
     * drain is posted at once; over the window, the share of the 100-per-10-s ceiling HubSpot accepted, the 429s; then
     * everything is waited for and what never arrived is reported.
     */
    private List<String> rateLimited(int windowSeconds) throws Exception {
        int events = intArg("ratelimit-events", windowSeconds * 5 / 2); // about 5 paced writes per event at 9.5/s: > window to drain
        List<String> lines = new ArrayList<>();
        List<String> hs = List.of("hubspot");
        try (Child c = start("hubspot-limited", hs, Path.of("mappings"), sandboxes(hs, false))) {
            // the connector's start-up requests land before the measured windows: the journal has been quiet for a second
            long[] newest = {-1};
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                JsonNode journal = admin(c, "GET", "/hubspot/requests", null);
                long seq = journal.isEmpty() ? 0 : journal.get(journal.size() - 1).path("seq").asLong();
                boolean quiet = seq == newest[0];
                newest[0] = seq;
                return quiet;
            });
            JsonNode window = admin(c, "PUT", "/hubspot/rate-limit", "{\"windowSeconds\":10,\"quota\":100}");
            Instant start = Instant.parse(window.path("resetsAt").asText()).minusSeconds(10);
            Instant end = start.plusSeconds(windowSeconds);
            admin(c, "DELETE", "/hubspot/requests", null);
            Map<String, Integer> per = perEvent(true, hs);
            Map<String, Long> before = counts(c, per.keySet());
            progress("rate limit: %d design events, %d s window from %s", events, windowSeconds, start);
            double postSeconds = post(c, events(events, "limited"));
            // the journal holds the last 2000 requests, about 3 minutes at this pace: read it often enough to miss none
            Map<Long, JsonNode> journal = new TreeMap<>();
            String[] lost = {""};
            try {
                await().atMost(Duration.ofSeconds(windowSeconds + (long) events * 6 / 9 + 120)).pollInterval(Duration.ofSeconds(2))
                        .until(() -> {
                            for (JsonNode e : admin(c, "GET", "/hubspot/requests", null)) {
                                journal.putIfAbsent(e.path("seq").asLong(), e);
                            }
                            return (lost[0] = missing(c, before, per, events)).isEmpty();
                        });
            } catch (ConditionTimeoutException e) {
                // reported below as lost events
            }
            String missing = lost[0];
            Instant drained = lastWrite(c, hs);
            for (JsonNode e : admin(c, "GET", "/hubspot/requests", null)) {
                journal.putIfAbsent(e.path("seq").asLong(), e);
            }
            long writes = 0;
            long searches = 0;
            long writes429 = 0;
            long searches429 = 0;
            long all429 = 0;
            for (JsonNode e : journal.values()) {
                Instant at = Instant.parse(e.path("at").asText());
                boolean search = e.path("path").asText().endsWith("/search");
                boolean refused = e.path("status").asInt() == 429;
                if (refused) all429++;
                if (at.isBefore(start) || !at.isBefore(end)) continue;
                if (search) {
                    if (refused) searches429++; else searches++;
                } else {
                    if (refused) writes429++; else writes++;
                }
            }
            JsonNode counted = requestSummary(admin(c, "GET", "/hubspot/requests", null));
            double ceiling = windowSeconds / 10.0 * 100;
            lines.add(String.format(Locale.ROOT, "%d events (%.1f s to post), window %d s: HubSpot accepted %d of the %.0f the ceiling allows = %.1f %%;"
                    + " 429s in the window %d (+ %d of %d searches)", events, postSeconds, windowSeconds, writes, ceiling,
                    100 * writes / ceiling, writes429, searches429, searches + searches429));
            lines.add(String.format(Locale.ROOT, "backlog drained %.0f s after the window opened; 429s over the whole run %d; requests %d "
                    + "(journal read %d of the %d counted) = %.2f per event; lost events: %s", Duration.between(start, drained).toMillis() / 1000.0,
                    all429, counted.path("total").asLong(), journal.size(), counted.path("total").asLong(),
                    counted.path("total").asDouble() / events, missing.isEmpty() ? "0" : "records missing " + missing));
            lines.forEach(l -> progress("%s", l));
        }
        return lines;
    }

    /**
     * A backlog at the vendors' default limits: HubSpot and Salesforce, log-call only, every caller seen once before (the
     * cache knows them), then {@code events} posted as fast as intake takes them; how long until the last call is in
     * both CRMs, how many requests each CRM answered, how many with 429.
     */
    private List<String> backlog(int events, boolean design) throws Exception {
        List<String> crms = List.of("salesforce", "hubspot");
        List<String> lines = new ArrayList<>();
        String label = design ? "design example" : "log-call";
        try (Child c = start(design ? "backlog-design" : "backlog-limited", crms, design ? Path.of("mappings") : logCallOnlyMappings(),
                sandboxes(crms, false))) {
            Map<String, Integer> per = perEvent(design, crms);
            progress("backlog: every caller once (%d), at the default limits", customers.size());
            Map<String, Long> warm = counts(c, per.keySet());
            post(c, events(customers.size(), "known"));
            String notWarm = awaitRecords(c, warm, per, customers.size(), Duration.ofMinutes(10));
            if (!notWarm.isEmpty()) throw new IllegalStateException("backlog: warm-up incomplete, missing " + notWarm);
            for (String crm : crms) {
                admin(c, "DELETE", "/" + crm + "/requests", null);
            }
            Map<String, Long> before = counts(c, per.keySet());
            progress("backlog: %d events", events);
            Instant t0 = Instant.now();
            double postSeconds = post(c, events(events, "backlog"));
            String missing = awaitRecords(c, before, per, events, Duration.ofMinutes(30));
            double seconds = Duration.between(t0, lastWrite(c, crms)).toNanos() / 1e9;
            StringBuilder requests = new StringBuilder();
            for (String crm : crms) {
                JsonNode journal = admin(c, "GET", "/" + crm + "/requests", null);
                long total = journal.isEmpty() ? 0 : journal.get(journal.size() - 1).path("seq").asLong();
                long refused = 0;
                for (JsonNode e : journal) {
                    if (e.path("status").asInt() == 429) refused++;
                }
                requests.append(String.format(Locale.ROOT, "; %s %d requests = %.3f/event, %d answered 429%s", crm, total,
                        (double) total / events, refused, journal.size() < total ? " (of the last " + journal.size() + ")" : ""));
                progress("backlog, %s's requests by kind: %s", crm, kinds(journal));
            }
            lines.add(String.format(Locale.ROOT, "%s: %d events posted in %.1f s, all in both CRMs %.1f s after the first POST%s; lost: %s",
                    label, events, postSeconds, seconds, requests, missing.isEmpty() ? "0" : "records missing " + missing));
            lines.forEach(l -> progress("%s", l));
        }
        return lines;
    }

    /**
     * No backlog: log-call events posted one at a time at {@code perSecond} to HubSpot (limits lifted); for each, the
     * time from the 202 to the {@code createdAt} HubSpot's sandbox gave the call (both clocks are this machine's).
     */
    private List<String> latency(int events, double perSecond) throws Exception {
        List<String> hs = List.of("hubspot");
        try (Child c = start("hubspot-latency", hs, logCallOnlyMappings(), sandboxes(hs, true))) {
            Map<String, Integer> per = perEvent(false, hs);
            Map<String, Long> warm = counts(c, per.keySet());
            int warmup = intArg("warmup", 200);
            post(c, events(warmup, "latency-warm"));
            awaitRecords(c, warm, per, warmup, Duration.ofMinutes(5));
            Map<String, Long> before = counts(c, per.keySet());
            List<byte[]> bodies = events(events, "latency");
            Map<String, Instant> accepted = new java.util.concurrent.ConcurrentHashMap<>();
            progress("latency: %d events at %.0f/s", events, perSecond);
            ScheduledExecutorService pacer = Executors.newScheduledThreadPool(4);
            AtomicInteger next = new AtomicInteger();
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(events);
            long periodNanos = (long) (1e9 / perSecond);
            pacer.scheduleAtFixedRate(() -> {
                int i = next.getAndIncrement();
                if (i >= events) return;
                byte[] body = bodies.get(i);
                try {
                    HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(c.app("/v1/call-events")).timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/cloudevents+json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() == 202) {
                        accepted.put(Events.parse(body).get("id").asText() + ":log-call:0", Instant.now());
                    }
                } catch (Exception e) {
                    progress("latency: POST failed: %s", e);
                } finally {
                    done.countDown();
                }
            }, 0, periodNanos, TimeUnit.NANOSECONDS);
            done.await((long) (events / perSecond * 3 + 60), TimeUnit.SECONDS);
            pacer.shutdownNow();
            String missing = awaitRecords(c, before, per, events, Duration.ofMinutes(2));
            List<Long> millis = new ArrayList<>();
            for (JsonNode call : admin(c, "GET", "/hubspot/records/calls", null)) {
                Instant at = accepted.get(call.at("/properties/callbridge_command_id").asText(""));
                if (at != null) {
                    millis.add(Duration.between(at, Instant.parse(call.path("createdAt").asText())).toMillis());
                }
            }
            java.util.Collections.sort(millis);
            String line = millis.isEmpty() ? "no call matched an accepted event" : String.format(Locale.ROOT,
                    "%d events at %.0f/s, %d accepted, %d matched: 202 to record p50 %d ms, p90 %d ms, p99 %d ms, max %d ms; lost: %s",
                    events, perSecond, accepted.size(), millis.size(), pct(millis, 50), pct(millis, 90), pct(millis, 99),
                    millis.get(millis.size() - 1), missing.isEmpty() ? "0" : missing);
            progress("%s", line);
            return List.of(line);
        }
    }

    /** How many requests of each kind (method and path, ids left out) a journal holds, most frequent first. */
    private static String kinds(JsonNode journal) {
        Map<String, Integer> n = new java.util.TreeMap<>();
        for (JsonNode e : journal) {
            String path = e.path("path").asText().replaceAll("/[0-9a-zA-Z]{15,18}(?=/|$)", "/{id}").replaceAll("/[0-9]+(?=/|$)", "/{n}")
                    .replaceAll("/v[0-9]+\\.[0-9]+/", "/vXX.X/");
            n.merge(e.path("method").asText() + " " + path + " " + e.path("status").asInt(), 1, Integer::sum);
        }
        return n.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .map(e -> e.getValue() + " x " + e.getKey()).collect(java.util.stream.Collectors.joining(", "));
    }

    private static long pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    // ---- plumbing -------------------------------------------------------------------------------------------

    private static JsonNode admin(Child c, String method, String path, String body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(c.admin(path).toString())).timeout(Duration.ofSeconds(30));
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (body != null) b.header("Content-Type", "application/json");
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 300) {
                throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + " " + r.body());
            }
            return r.body().isEmpty() ? Events.JSON.createObjectNode() : Events.parse(r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** utime + stime of the child from /proc/<pid>/stat, in clock ticks (1/100 s on Linux). */
    private static long cpuTicks(Child c) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(c.pid()), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private void line(String format, Object... a) {
        report.add(String.format(Locale.ROOT, format, a));
    }

    private static void progress(String format, Object... a) {
        System.out.println("[e2e " + java.time.LocalTime.now().withNano(0) + "] " + String.format(Locale.ROOT, format, a));
        System.out.flush();
    }
}
