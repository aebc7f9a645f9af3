package io.callbridge.delivery;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.crm.notion.NotionFixture;
import io.callbridge.support.ConnectorHarness;
import io.callbridge.support.CrmFixture;
import io.callbridge.support.CrmSandboxes;
import io.callbridge.support.Events;
import io.callbridge.support.MappingsCopy;
import io.callbridge.support.Samples;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A CRM whose credential is a fixed secret (Notion's integration secret here; HubSpot's private-app token and
 * Pipedrive's and monday.com's API tokens are the same case) revoked by an admin: every request is refused 401, the
 * breaker opens and readiness is down; the commands keep waiting past max-attempts, since the CRM's probe is refused
 * as they are, so none is dead-lettered; and each lands once when the secret works again.
 */
class RevokedSecretIT {

    @Test
    void commandsRefused401WhileTheProbeIsRefusedTooWaitInsteadOfBeingSetAside() throws Exception {
        CrmFixture notion = new NotionFixture();
        CrmSandboxes sandbox = CrmSandboxes.start(43, true, List.of(notion), Map.of());
        Map<String, String> settings = new java.util.LinkedHashMap<>(sandbox.settings());
        settings.put("callbridge.mappings.dir", MappingsCopy.logCallOnly().dir().toString());
        try (ConnectorHarness cb = ConnectorHarness.start("notion", settings, sandbox, "+417974")) {
            List<String> ids = new ArrayList<>();
            sandbox.revoke("notion");
            for (int i = 0; i < 2; i++) {
                String id = "revoked-" + java.util.UUID.randomUUID();
                cb.app().post(Samples.shortCall(id, cb.newNumber()));
                ids.add(id);
            }
            Pacer pacer = cb.app().context().getRegistry().lookupByNameAndType("pacer-notion", Pacer.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> pacer.credentialsRefused()
                    && Events.send(HttpRequest.newBuilder(cb.app().uri("/observe/health/ready")).GET().build()).statusCode() == 503);
            // well past max-attempts (3) and the last chance after a probe, for both commands
            await().atMost(Duration.ofSeconds(60)).until(() -> refused(sandbox) >= 24);
            for (String id : ids) {
                assertThat(cb.app().deadLetters("notion", ConnectorHarness.ADMIN, id)).as("dead letters of " + id).isEmpty();
            }
            assertThat(sandbox.callsByCommandId(notion)).isEmpty();

            sandbox.restore("notion");
            await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.callsByCommandId(notion).size() == ids.size());
            assertThat(sandbox.callsByCommandId(notion).keySet())
                    .containsExactlyInAnyOrderElementsOf(ids.stream().map(id -> id + ":log-call:0").toList());
            assertThat(sandbox.callsByCommandId(notion).values()).as("each call once").allMatch(l -> l.size() == 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> !pacer.breakerOpen());
            for (String id : ids) {
                assertThat(cb.app().deadLetters("notion", ConnectorHarness.ADMIN, id)).isEmpty();
            }
        }
    }

    private static long refused(CrmSandboxes sandbox) {
        long n = 0;
        for (JsonNode r : sandbox.requests("notion")) {
            n += r.path("status").asInt() == 401 ? 1 : 0;
        }
        return n;
    }
}
