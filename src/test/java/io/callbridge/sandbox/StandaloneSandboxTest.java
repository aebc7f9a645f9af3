package io.callbridge.sandbox;

import io.callbridge.sandbox.SandboxHttp.Resp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The standalone sandbox configured by arguments, system properties and environment, as an integrator runs it. */
class StandaloneSandboxTest {

    private static final Map<String, String> NO_PROPERTIES = Map.of();

    private static StandaloneOptions parse(List<String> args, Map<String, String> env, Map<String, String> properties) {
        return StandaloneOptions.parse(args, env, properties::get);
    }

    @Test
    void anArgumentBeatsASystemPropertyWhichBeatsTheEnvironment() {
        Map<String, String> env = Map.of("CALLBRIDGE_SANDBOX_HUBSPOT_CLIENT_ID", "from-env", "CALLBRIDGE_SANDBOX_HUBSPOT_CLIENT_SECRET", "env-secret",
                "CALLBRIDGE_SANDBOX_HUBSPOT_RATE_LIMIT_QUOTA", "7", "CALLBRIDGE_SANDBOX_CRMS", "hubspot,pipedrive", "CALLBRIDGE_SANDBOX_PORT", "9001");
        SandboxSettings s = parse(List.of("--hubspot.client-id=from-arg", "--port=0"), env,
                Map.of("callbridge.sandbox.hubspot.client-id", "from-property", "callbridge.sandbox.hubspot.client-secret", "property-secret")).settings();
        assertThat(s.port()).isZero();
        assertThat(s.crms()).containsExactlyInAnyOrder("hubspot", "pipedrive");
        assertThat(s.config("hubspot")).containsEntry("client-id", "from-arg").containsEntry("client-secret", "property-secret")
                .containsEntry("rate-limit.quota", "7");
    }

    @Test
    void theOlderPositionalFormStillChoosesPortAndCrms() {
        SandboxSettings s = parse(List.of("9100", "salesforce,zoho"), Map.of(), NO_PROPERTIES).settings();
        assertThat(s.port()).isEqualTo(9100);
        assertThat(s.crms()).containsExactlyInAnyOrder("salesforce", "zoho");
        assertThat(parse(List.of(), Map.of(), NO_PROPERTIES).settings().crms()).containsExactlyInAnyOrderElementsOf(SandboxCrms.providers().keySet());
    }

    @Test
    void aMistypedOptionOrCrmIsRefusedNamingWhatItTakes() {
        assertThatThrownBy(() -> parse(List.of("--hubspot.client-idd=x"), Map.of(), NO_PROPERTIES))
                .hasMessageContaining("unknown option --hubspot.client-idd").hasMessageContaining("--hubspot.client-id");
        assertThatThrownBy(() -> parse(List.of("--crms=hubspot,sugarcrm"), Map.of(), NO_PROPERTIES))
                .hasMessageContaining("cannot simulate 'sugarcrm'");
        assertThatThrownBy(() -> parse(List.of("--port"), Map.of(), NO_PROPERTIES)).hasMessageContaining("takes a value");
        StandaloneOptions o = parse(List.of(), Map.of("CALLBRIDGE_SANDBOX_HUBSPOT_CLIENT_SECRT", "s", "PATH", "/bin"), NO_PROPERTIES);
        assertThat(o.warnings()).singleElement().asString().contains("CALLBRIDGE_SANDBOX_HUBSPOT_CLIENT_SECRT");
    }

    @Test
    void configuredFromTheEnvironmentItGrantsTheOAuthRefreshAndServesTheSeedFileAgainAfterAReset(@TempDir Path dir) throws IOException {
        Path seed = dir.resolve("hubspot-seed.json");
        Files.writeString(seed, "{\"contacts\":[{\"properties\":{\"firstname\":\"Jean\",\"lastname\":\"Dupont\",\"phone\":\"+41791234567\"}}]}");
        Map<String, String> env = Map.of("CALLBRIDGE_SANDBOX_HUBSPOT_CLIENT_ID", "my-app", "CALLBRIDGE_SANDBOX_HUBSPOT_CLIENT_SECRET", "my-secret",
                "CALLBRIDGE_SANDBOX_HUBSPOT_REFRESH_TOKEN", "my-refresh", "CALLBRIDGE_SANDBOX_HUBSPOT_SEED_FILE", seed.toString());
        try (CrmSandbox sandbox = CrmSandbox.start(parse(List.of("--port=0", "--crms=hubspot"), env, NO_PROPERTIES).settings())) {
            String base = sandbox.baseUrl("hubspot");
            Resp wrong = SandboxHttp.form(base + "/oauth/v1/token", Map.of("grant_type", "refresh_token", "client_id", "my-app",
                    "client_secret", "my-secret", "refresh_token", "not-mine"));
            assertThat(wrong.status()).as(wrong.body()).isEqualTo(400);
            Resp token = SandboxHttp.form(base + "/oauth/v1/token", Map.of("grant_type", "refresh_token", "client_id", "my-app",
                    "client_secret", "my-secret", "refresh_token", "my-refresh"));
            assertThat(token.status()).as(token.body()).isEqualTo(200);
            String access = token.json().get("access_token").asText();
            Resp contacts = SandboxHttp.json("GET", base + "/crm/v3/objects/contacts?properties=lastname", access, null);
            assertThat(contacts.status()).as(contacts.body()).isEqualTo(200);
            assertThat(contacts.json().at("/results/0/properties/lastname").asText()).isEqualTo("Dupont");

            SandboxHttp.json("POST", base + "/crm/v3/objects/contacts", access, "{\"properties\":{\"lastname\":\"Martin\"}}");
            assertThat(SandboxHttp.json("POST", sandbox.adminUrl() + "/hubspot/reset", null, null).status()).isEqualTo(204);
            Resp afterReset = SandboxHttp.json("GET", sandbox.adminUrl() + "/hubspot/records/contacts", null, null);
            assertThat(afterReset.json()).as("back to the seed file, not empty").hasSize(1);
            assertThat(afterReset.json().get(0).at("/properties/lastname").asText()).isEqualTo("Dupont");
        }
    }

    @Test
    void aSeedFileThatCannotBeReadStopsTheStartNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("nope.json");
        assertThatThrownBy(() -> CrmSandbox.start(parse(List.of("--port=0", "--crms=pipedrive", "--pipedrive.seed-file=" + missing), Map.of(),
                NO_PROPERTIES).settings())).hasMessageContaining("pipedrive").hasMessageContaining("seed-file " + missing);
    }

    @Test
    void theSharedRateLimitIsRefusedWhereTheVendorLimitsOtherwiseRatherThanIgnored() {
        assertThatThrownBy(() -> CrmSandbox.start(parse(List.of("--port=0", "--crms=zoho", "--zoho.rate-limit.quota=5"), Map.of(),
                NO_PROPERTIES).settings())).hasMessageContaining("zoho").hasMessageContaining("rate-limit.quota");
        try (CrmSandbox sandbox = CrmSandbox.start(parse(List.of("--port=0", "--crms=notion,pipedrive"), Map.of(), NO_PROPERTIES).settings())) {
            assertThat(SandboxHttp.json("GET", sandbox.adminUrl() + "/notion/rate-limit", null, null).status()).isEqualTo(404);
            assertThat(SandboxHttp.json("GET", sandbox.adminUrl() + "/pipedrive/rate-limit", null, null).status()).isEqualTo(200);
        }
    }

    @Test
    void runOnItsOwnAWrongOptionExitsWithCode2AndOneLineAndHelpListsEveryCrmsKeys() throws Exception {
        Process bad = java("--port=0", "--hubspot.tokn=x");
        assertThat(bad.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String err = new String(bad.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bad.exitValue()).as(err).isEqualTo(2);
        assertThat(err.lines()).as(err).anyMatch(l -> l.startsWith("the CRM sandbox cannot start: unknown option --hubspot.tokn"));
        assertThat(err).doesNotContain("\tat ");

        assertThat(StandaloneOptions.usage()).as("what --help prints")
                .contains("--hubspot.client-secret=", "--salesforce.seed-file=", "CALLBRIDGE_SANDBOX_", "--data-dir=");
    }

    private static Process java(String... args) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrmSandbox.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).start();
    }
}
