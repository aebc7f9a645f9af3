package io.callbridge.identify;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.broker.EmbeddedKafkaBroker;
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.SandboxSettings;
import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.CrmFixture;
import io.callbridge.support.Events;
import io.callbridge.support.TestBroker;

/**
 * Caller lookups under load (issue 22), HubSpot's sandbox at HubSpot's default limits (5 searches a second, 100
 * requests per 10 s; Callbridge's windows at their defaults), every sandbox request taking {@code latency-ms} more,
 * while delivery drains a backlog of {@code backlog} design-example events of callers it must look up:
 * <ol>
 *   <li>{@code rate} new callers a second (Poisson arrivals, a quarter of them in the CRM) for {@code seconds}: latency
 *   p50/p95/p99/max, 503s, HubSpot's 429s, the searches HubSpot counted, and how much of the backlog was delivered
 *   meanwhile;</li>
 *   <li>ten contacts renamed in the sandbox, which tells Callbridge by its signed webhooks: how long until a lookup shows
 *   the new name;</li>
 *   <li>cache hits: p50/p99 of 3,000 lookups of cached callers.</li>
 * </ol>
 * Not a test: run it with
 * <pre>mvn -B -q exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.callbridge.identify.LookupLoadBenchmark
 *     -Dexec.args="rate=20 seconds=60 backlog=1000 latency-ms=50 deadline-ms=150 directory=false"</pre>
 * ({@code directory=true}: with the caller directory, read before the first phase.)
 * (BENCHMARKS.md, "Caller identification under load").
 */
public final class LookupLoadBenchmark {

    private static final String KEY = "bench-key";
    private static final String SECRET = "bench-hubspot-app-secret";
    private static final CrmFixture HUBSPOT = CrmFixture.of("hubspot");

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        Arrays.stream(argv).map(a -> a.split("=", 2)).forEach(kv -> args.put(kv[0], kv.length > 1 ? kv[1] : ""));
        double rate = Double.parseDouble(args.getOrDefault("rate", "20"));
        int seconds = Integer.parseInt(args.getOrDefault("seconds", "60"));
        int backlog = Integer.parseInt(args.getOrDefault("backlog", "1000"));
        long latency = Long.parseLong(args.getOrDefault("latency-ms", "50"));
        String deadline = args.getOrDefault("deadline-ms", "150");
        boolean directory = Boolean.parseBoolean(args.getOrDefault("directory", "false"));

        EmbeddedKafkaBroker broker = TestBroker.fresh();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        int port = EmbeddedKafkaBroker.freePort();
        Map<String, String> sandboxConfig = new HashMap<>(HUBSPOT.sandboxConfig(false));
        sandboxConfig.put("client-secret", SECRET);
        sandboxConfig.put("webhook-url", "http://localhost:" + port + "/v1/crm-changes/hubspot");
        CrmSandbox sandbox = CrmSandbox.start(SandboxSettings.builder().port(0).seed(7).crm("hubspot").config("hubspot", sandboxConfig)
                .build());
        ExecutorService pool = Executors.newFixedThreadPool(64);
        CallbridgeApp app = null;
        try {
            seed(sandbox, client, 2000);
            CallbridgeApp.Builder b = CallbridgeApp.on(broker).with("callbridge.api-keys", KEY + ":agent")
                    .with("callbridge.api-keys.lookups-per-second", "1000000").with("callbridge.http.port", String.valueOf(port))
                    .with("callbridge.crm.hubspot.client-secret", SECRET).with("callbridge.identify.deadline-ms", deadline)
                    .with("callbridge.identify.changes-per-second", "1000")
                    .with("callbridge.identify.directory.enabled", String.valueOf(directory));
            HUBSPOT.settings(sandbox.baseUrl("hubspot"), false).forEach(b::with);
            app = b.start();
            if (directory) {
                long t0 = System.nanoTime();
                CallbridgeApp started = app;
                org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() ->
                        io.callbridge.support.Scrape.of(started).sum("callbridge_caller_directory_records", "crm", "hubspot") >= 2000);
                System.out.printf("caller directory read: %d records in %d ms after start%n", 2000, (System.nanoTime() - t0) / 1_000_000);
            }
            admin(client, sandbox, "PUT", "/hubspot/faults", "{\"latencyMs\": " + latency + "}");

            for (int i = 0; i < backlog; i++) {
                ObjectNode event = Events.exampleWithNewId();
                ObjectNode data = (ObjectNode) event.get("data");
                data.put("from", number(100_000 + i)).put("callId", "bench-" + i);
                ((ObjectNode) data.get("caller")).put("name", "Backlog Caller" + i).put("email", "backlog" + i + "@example.ch");
                app.post(event);
            }
            long callsBefore = count(client, sandbox, "calls");
            System.out.println("PHASE new callers while delivery drains " + backlog + " events");

            // phase 1: new callers at `rate` a second, Poisson arrivals, while delivery drains
            Random random = new Random(22);
            List<CompletableFuture<long[]>> answers = new ArrayList<>();
            long start = System.nanoTime();
            long at = start;
            long end = start + Duration.ofSeconds(seconds).toNanos();
            int n = 0;
            AtomicInteger unavailable = new AtomicInteger();
            while (true) {
                at += (long) (-Math.log(1 - random.nextDouble()) / rate * 1e9);
                if (at >= end) {
                    break;
                }
                long due = at;
                String phone = number(n++ * 2 + (random.nextInt(4) == 0 ? 0 : 1));
                CallbridgeApp a = app;
                answers.add(CompletableFuture.supplyAsync(() -> {
                    java.util.concurrent.locks.LockSupport.parkNanos(due - System.nanoTime());
                    return lookup(client, a, phone);
                }, pool));
            }
            List<long[]> results = answers.stream().map(CompletableFuture::join).toList();
            long[] took = results.stream().mapToLong(r -> r[0]).toArray();
            results.stream().filter(r -> r[1] == 503).forEach(r -> unavailable.incrementAndGet());
            long unanswered = results.stream().filter(r -> r[1] == -1).count();
            long delivered = count(client, sandbox, "calls") - callsBefore;
            JsonNode journal = admin(client, sandbox, "GET", "/hubspot/requests", null);
            long searches = 0;
            long refused = 0;
            for (JsonNode e : journal) {
                if (e.path("path").asText().endsWith("/search")) {
                    searches++;
                    if (e.path("status").asInt() == 429) {
                        refused++;
                    }
                }
            }

            System.out.println("PHASE renames");
            // phase 2: renames seen through HubSpot's webhooks
            long[] seen = new long[10];
            for (int i = 0; i < seen.length; i++) {
                String phone = number(1_000_000 + i * 2);
                String id = createContact(client, sandbox, "Vorher" + i, phone);
                waitFor(client, app, phone, "Vorher" + i);
                long t0 = System.nanoTime();
                rename(client, sandbox, id, "Nachher" + i);
                waitFor(client, app, phone, "Nachher" + i);
                seen[i] = System.nanoTime() - t0;
            }

            System.out.println("PHASE cache hits");
            // phase 3: cache hits
            List<String> cached = new ArrayList<>();
            // asked one after the other, each a search of its own in the 5-a-second window: few, to keep the run short
            for (int i = 0; i < 40; i++) {
                cached.add(number(2_000_000 + i));
                lookup(client, app, cached.get(i));
            }
            long[] hits = new long[3000];
            for (int i = 0; i < hits.length; i++) {
                hits[i] = lookup(client, app, cached.get(i % cached.size()))[0];
            }

            System.out.println();
            System.out.println(String.format(Locale.ROOT, "Caller lookups under load: HubSpot sandbox at its default limits, +%d ms a "
                    + "request, deadline %s ms, %d CPUs, Java %s", latency, deadline, Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version")));
            System.out.println(String.format(Locale.ROOT, "new callers: %d in %d s (%.1f/s): p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, "
                    + "max %.0f ms; 503: %d (%.1f %%)", took.length, seconds, took.length / (double) seconds, pct(took, 50), pct(took, 95),
                    pct(took, 99), pct(took, 100), unavailable.get(), 100.0 * unavailable.get() / took.length)
                    + (unanswered > 0 ? "; no answer within 10 s: " + unanswered : ""));
            System.out.println(String.format(Locale.ROOT, "HubSpot searches: %d (%.1f/s incl. delivery's), answered 429: %d; "
                    + "backlog calls delivered meanwhile: %d of %d", searches, searches / (double) seconds, refused, delivered, backlog));
            System.out.println(String.format(Locale.ROOT, "rename visible after: p50 %.0f ms, max %.0f ms", pct(seen, 50), pct(seen, 100)));
            System.out.println(String.format(Locale.ROOT, "cache hits: p50 %.2f ms, p99 %.2f ms", pct(hits, 50), pct(hits, 99)));
        } finally {
            if (app != null) {
                app.close();
            }
            pool.shutdownNow();
            sandbox.close();
            broker.close();
        }
        System.exit(0);
    }

    /** Numbers +41 79 400 00 00 upwards; the first 2,000 even ones are in the CRM. */
    private static String number(int i) {
        return "+4179" + (4_000_000 + i);
    }

    private static long[] lookup(HttpClient client, CallbridgeApp app, String phone) {
        HttpRequest r = HttpRequest.newBuilder(app.uri("/v1/callers/" + phone.replace("+", "%2B"))).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + KEY).GET().build();
        long t0 = System.nanoTime();
        try {
            HttpResponse<Void> resp = client.send(r, HttpResponse.BodyHandlers.discarding());
            if (resp.statusCode() != 200 && resp.statusCode() != 404 && resp.statusCode() != 503) {
                throw new IllegalStateException("lookup answered " + resp.statusCode());
            }
            return new long[] {System.nanoTime() - t0, resp.statusCode()};
        } catch (java.net.http.HttpTimeoutException e) {
            return new long[] {System.nanoTime() - t0, -1};
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void waitFor(HttpClient client, CallbridgeApp app, String phone, String firstName) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(app.uri("/v1/callers/" + phone.replace("+", "%2B")))
                    .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200 && Events.parse(r.body().getBytes()).path("firstName").asText().equals(firstName)) {
                return;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        throw new IllegalStateException("the lookup never showed " + firstName);
    }

    private static String createContact(HttpClient client, CrmSandbox sandbox, String firstName, String phone) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl("hubspot") + "/crm/v3/objects/contacts"))
                .header("Authorization", "Bearer " + HUBSPOT_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"properties\":{\"firstname\":\"" + firstName + "\",\"lastname\":\"Bench\","
                        + "\"phone\":\"" + phone + "\"}}")).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("create answered " + r.statusCode() + " " + r.body());
        }
        return Events.parse(r.body().getBytes()).path("id").asText();
    }

    private static void rename(HttpClient client, CrmSandbox sandbox, String id, String firstName) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl("hubspot") + "/crm/v3/objects/contacts/"
                + id)).header("Authorization", "Bearer " + HUBSPOT_TOKEN).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"properties\":{\"firstname\":\"" + firstName + "\"}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("rename answered " + r.statusCode() + " " + r.body());
        }
    }

    private static final String HUBSPOT_TOKEN = io.callbridge.crm.hubspot.HubSpotFixture.TOKEN;

    private static long count(HttpClient client, CrmSandbox sandbox, String type) throws Exception {
        return admin(client, sandbox, "GET", "/hubspot/records/" + type + "/count", null).path("count").asLong();
    }

    private static JsonNode admin(HttpClient client, CrmSandbox sandbox, String method, String path, String body) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(sandbox.adminUrl() + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + " " + r.body());
        }
        return r.body().isBlank() ? Events.JSON.nullNode() : Events.parse(r.body().getBytes());
    }

    /** {@code count} contacts, the even numbers from 0, typed nationally, in one seed request. */
    private static void seed(CrmSandbox sandbox, HttpClient client, int count) throws Exception {
        ObjectNode seed = Events.JSON.createObjectNode();
        for (int i = 0; i < count * 2; i += 2) {
            JsonNode one = HUBSPOT.knownCaller("Bench", "Caller" + i, "0" + number(i).substring(3), null).getValue();
            one.fields().forEachRemaining(e -> {
                JsonNode list = seed.get(e.getKey());
                (list == null ? seed.putArray(e.getKey()) : (ArrayNode) list).addAll((ArrayNode) e.getValue());
            });
        }
        admin(client, sandbox, "POST", "/hubspot/seed", seed.toString());
    }

    private static double pct(long[] nanos, int p) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        int i = (int) Math.ceil(p / 100.0 * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, i))] / 1_000_000.0;
    }
}
