package io.callbridge.dev;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.callbridge.sandbox.SandboxCrms;
import io.callbridge.support.CrmFixture;
import io.callbridge.support.Events;
import io.callbridge.support.ReadmeCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 23, as a new user tries it: the README's first command, the README's example posted, Ctrl-C (SIGTERM), the same
 * command again in the same folder. What the broker remembers (the event id as accepted) and what the CRMs hold agree
 * after the restart; {@code callbridge.dev.reset=true} forgets both together.
 */
class EmbeddedDefaultRestartIT {

    private static final String CALLER = "/v1/callers/+41791234567";

    @TempDir
    Path temp;

    // one test, three starts of the same folder: each start of the README command costs the suite about 15 s
    @Test
    void aRestartKeepsTheRecordsTheBrokerRemembersHavingWrittenAndStartingAfreshForgetsBothTogether() throws Exception {
        Path folder = ReadmeCommand.workingFolder(temp);
        ReadmeCommand.Ports ports = ReadmeCommand.Ports.free();
        Map<String, String> first;
        try (ReadmeCommand run = ReadmeCommand.start(folder, ports)) {
            assertThat(postExample(run).statusCode()).isEqualTo(202);
            first = settled(run);
            assertThat(first.values()).allSatisfy(records -> assertThat(records).contains("Dupont"));
            assertThat(lookup(run).body()).contains("Jean");
            run.stop();
        }
        try (ReadmeCommand again = ReadmeCommand.start(folder, ports)) {
            assertThat(records(again)).isEqualTo(first);
            // a cold JVM's first lookups may miss their deadline (503, greet generically) as after any start; never a 404
            await().atMost(Duration.ofSeconds(15)).until(() -> lookup(again).statusCode() != 503);
            HttpResponse<String> caller = lookup(again);
            assertThat(caller.statusCode()).as(caller.body()).isEqualTo(200);
            assertThat(caller.body()).contains("Dupont");

            assertThat(postExample(again).statusCode()).isEqualTo(202);
            // the id is remembered as accepted: nothing reaches a CRM, so what they hold stays as it was
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> records(again).equals(first));

            // a new call still reaches every CRM: Callbridge logged in again to the sandbox it restarted with
            assertThat(Events.post(again.app("/v1/call-events"), "application/cloudevents+json", Events.bytes(Events.exampleWithNewId()))
                    .statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                Map<String, String> now = records(again);
                first.forEach((crm, before) -> assertThat(now.get(crm)).as(crm).isNotEqualTo(before));
            });
            // all written before the stop: a SIGTERM waits for deliveries still in flight
            settled(again);
            again.stop();
        }
        try (ReadmeCommand afresh = ReadmeCommand.start(folder, ports, "-Dcallbridge.dev.reset=true")) {
            assertThat(afresh.output()).contains("Callbridge starts afresh", "deleted data/kafka", "data/sandbox");
            assertThat(records(afresh).values()).noneSatisfy(records -> assertThat(records).contains("Dupont"));
            // the broker forgot the id too: the same example is written again
            assertThat(postExample(afresh).statusCode()).isEqualTo(202);
            awaitCallerEverywhere(afresh);
        }
    }

    private static HttpResponse<String> postExample(ReadmeCommand c) {
        return Events.post(c.app("/v1/call-events"), "application/cloudevents+json", Events.designExample());
    }

    private static HttpResponse<String> lookup(ReadmeCommand c) {
        return Events.send(HttpRequest.newBuilder(c.app(CALLER)).header("Authorization", "Bearer " + c.apiKey()).build());
    }

    /** Every CRM's records once each holds the caller and nothing has changed for two seconds: the event's writes are done. */
    private static Map<String, String> settled(ReadmeCommand c) {
        AtomicReference<Map<String, String>> last = new AtomicReference<>(Map.of());
        AtomicLong changedAt = new AtomicLong(System.nanoTime());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
            Map<String, String> now = records(c);
            if (!now.equals(last.getAndSet(now))) {
                changedAt.set(System.nanoTime());
                return false;
            }
            return now.values().stream().allMatch(r -> r.contains("Dupont"))
                    && System.nanoTime() - changedAt.get() >= Duration.ofSeconds(2).toNanos();
        });
        return last.get();
    }

    private static void awaitCallerEverywhere(ReadmeCommand c) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> records(c).values().stream().allMatch(r -> r.contains("Dupont")));
    }

    private static Map<String, String> records(ReadmeCommand c) {
        Map<String, String> out = new LinkedHashMap<>();
        for (CrmFixture f : CrmFixture.all()) {
            if (!SandboxCrms.supports(f.crm())) continue;
            HttpResponse<String> r = Events.send(HttpRequest.newBuilder(c.admin("/" + f.crm() + "/records")).build());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            out.put(f.crm(), r.body());
        }
        return out;
    }
}
