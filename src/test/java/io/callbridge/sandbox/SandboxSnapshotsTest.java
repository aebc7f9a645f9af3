package io.callbridge.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.support.CrmFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 23: with a data directory, every simulated CRM comes back from a restart holding what it held (records, and
 * ids that are not handed out again), each in an owner-only file; an unreadable one stops the start, naming the file.
 */
class SandboxSnapshotsTest {

    private static final List<CrmFixture> FIXTURES = CrmFixture.all().stream().filter(f -> SandboxCrms.supports(f.crm())).toList();

    @TempDir
    Path dir;

    @Test
    void everyCrmComesBackFromARestartWithItsRecordsAndHandsOutNoIdTwice() throws IOException {
        Map<String, String> before = new LinkedHashMap<>();
        Map<String, Set<String>> firstIds = new LinkedHashMap<>();
        try (CrmSandbox sandbox = start()) {
            for (CrmFixture f : FIXTURES) {
                firstIds.put(f.crm(), ids(seed(sandbox, f, "Jean", "Dupont", "+41791234567")));
                before.put(f.crm(), records(sandbox, f));
            }
        }
        assertThat(FIXTURES).hasSize(6);
        for (CrmFixture f : FIXTURES) {
            Path file = dir.resolve(f.crm() + ".json");
            assertThat(file).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString()).isEqualTo("rw-------");
        }
        try (CrmSandbox again = start()) {
            for (CrmFixture f : FIXTURES) {
                assertThat(records(again, f)).as(f.crm()).isEqualTo(before.get(f.crm()));
                Set<String> next = ids(seed(again, f, "Anna", "Muster", "+41791234568"));
                assertThat(next).as(f.crm() + ": ids of a record made after the restart").isNotEmpty().doesNotContainAnyElementsOf(firstIds.get(f.crm()));
                assertThat(SandboxHttp.send("GET", again.adminUrl() + "/" + f.crm() + "/records", null, null, null).body())
                        .as(f.crm()).contains("Dupont", "Muster");
            }
        }
    }

    @Test
    void fieldsAndPropertiesAnAdminDeclaredComeBackBeforeTheRecordsThatHoldThem() {
        try (CrmSandbox sandbox = start()) {
            assertThat(SandboxHttp.json("POST", sandbox.adminUrl() + "/salesforce/fields", null,
                    "{\"sobject\":\"Contact\",\"name\":\"Tier__c\",\"type\":\"text\"}").status()).isEqualTo(201);
            assertThat(SandboxHttp.json("POST", sandbox.adminUrl() + "/hubspot/properties/contacts", null,
                    "{\"name\":\"tier\",\"label\":\"Tier\",\"type\":\"string\",\"fieldType\":\"text\"}").status()).isEqualTo(201);
            assertThat(SandboxHttp.json("POST", sandbox.adminUrl() + "/hubspot/seed", null,
                    "{\"contacts\":[{\"email\":\"jean@example.ch\",\"tier\":\"Gold\"}]}").status()).isEqualTo(201);
        }
        try (CrmSandbox again = start()) {
            assertThat(SandboxHttp.send("GET", again.adminUrl() + "/salesforce/fields", null, null, null).json().path("Contact").toString())
                    .contains("Tier__c");
            assertThat(SandboxHttp.send("GET", again.adminUrl() + "/hubspot/properties/contacts", null, null, null).body()).contains("\"tier\"");
            assertThat(SandboxHttp.send("GET", again.adminUrl() + "/hubspot/records/contacts", null, null, null).body()).contains("Gold");
        }
    }

    @Test
    void anUnreadableSnapshotStopsTheStartNamingItsFile() throws IOException {
        CrmFixture f = FIXTURES.get(0);
        Files.writeString(dir.resolve(f.crm() + ".json"), "{\"records\": [half");
        assertThatThrownBy(this::start).isInstanceOf(SandboxSnapshotException.class)
                .hasMessageContaining(dir.resolve(f.crm() + ".json").toString());
    }

    @Test
    void withoutADataDirectoryNothingIsWritten() throws IOException {
        SandboxSettings.Builder b = SandboxSettings.builder().port(0);
        FIXTURES.forEach(f -> b.config(f.crm(), f.sandboxConfig(true)));
        try (CrmSandbox sandbox = CrmSandbox.start(b.build())) {
            FIXTURES.forEach(f -> seed(sandbox, f, "Jean", "Dupont", "+41791234567"));
            assertThat(sandbox.snapshotFile(FIXTURES.get(0).crm())).isEmpty();
        }
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    private CrmSandbox start() {
        SandboxSettings.Builder b = SandboxSettings.builder().port(0).dataDir(dir);
        FIXTURES.forEach(f -> b.config(f.crm(), f.sandboxConfig(true)));
        return CrmSandbox.start(b.build());
    }

    private static JsonNode seed(CrmSandbox sandbox, CrmFixture f, String first, String last, String e164) {
        Map.Entry<String, JsonNode> caller = f.knownCaller(first, last, e164, first.toLowerCase() + "@example.ch");
        SandboxHttp.Resp r = SandboxHttp.send("POST", sandbox.adminUrl() + "/" + f.crm() + "/seed", null, "application/json",
                caller.getValue().toString());
        assertThat(r.status()).as(f.crm() + ": " + r.body()).isEqualTo(201);
        return r.json();
    }

    private static String records(CrmSandbox sandbox, CrmFixture f) {
        SandboxHttp.Resp r = SandboxHttp.send("GET", sandbox.adminUrl() + "/" + f.crm() + "/records", null, null, null);
        assertThat(r.status()).isEqualTo(200);
        return r.body();
    }

    /** Every text value of a seed's answer: the ids it created, whatever shape the CRM answers them in. */
    private static Set<String> ids(JsonNode answer) {
        Set<String> out = new TreeSet<>();
        collect(answer, out);
        return out;
    }

    private static void collect(JsonNode n, Set<String> out) {
        if (n.isValueNode()) {
            out.add(n.asText());
        } else {
            n.forEach(c -> collect(c, out));
        }
    }
}
