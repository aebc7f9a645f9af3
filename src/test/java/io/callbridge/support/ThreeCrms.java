package io.callbridge.support;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.SandboxSettings;
import io.callbridge.sandbox.hubspot.HubSpotSandbox;
import io.callbridge.sandbox.pipedrive.PipedriveSandbox;

/**
 * Salesforce, HubSpot and Pipedrive in one sandbox, the settings that point a Callbridge at them, and
 * what each CRM holds, read through the sandbox's admin API. {@link #unlimited} lifts the vendors' rate
 * limits on both sides (sandbox and connector), for tests about delivery rather than pacing.
 */
public final class ThreeCrms implements AutoCloseable {

    public static final List<String> NAMES = List.of("salesforce", "hubspot", "pipedrive");

    private static final Pattern PIPEDRIVE_REF = Pattern.compile("Callbridge : (\\S+)");

    private final CrmSandbox sandbox;
    private final boolean unlimited;

    private ThreeCrms(CrmSandbox sandbox, boolean unlimited) {
        this.sandbox = sandbox;
        this.unlimited = unlimited;
    }

    /** The vendors' default limits. */
    public static ThreeCrms start(long seed) {
        return start(seed, false);
    }

    /** No rate limits on either side. */
    public static ThreeCrms unlimited(long seed) {
        return start(seed, true);
    }

    private static ThreeCrms start(long seed, boolean unlimited) {
        Map<String, String> salesforce = new LinkedHashMap<>(Map.of("client-id", SalesforceOrg.CLIENT_ID,
                "client-secret", SalesforceOrg.CLIENT_SECRET, "custom-fields", SalesforceOrg.CUSTOM_FIELDS));
        Map<String, String> hubspot = new LinkedHashMap<>(Map.of("custom-properties", HubSpotPortal.CUSTOM_PROPERTIES));
        Map<String, String> pipedrive = new LinkedHashMap<>();
        if (unlimited) {
            hubspot.put("rate-limit.quota", "1000000");
            hubspot.put("rate-limit.window-seconds", "1");
            hubspot.put("search-rate-limit.quota", "1000000");
            pipedrive.put("rate-limit.quota", "1000000");
            pipedrive.put("search-rate-limit.quota", "1000000");
        }
        return new ThreeCrms(CrmSandbox.start(SandboxSettings.builder().port(0).seed(seed).config("salesforce", salesforce)
                .config("hubspot", hubspot).config("pipedrive", pipedrive).build()), unlimited);
    }

    public CrmSandbox sandbox() {
        return sandbox;
    }

    /** The properties that enable the three connectors against this sandbox. */
    public Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("callbridge.crm.salesforce.enabled", "true");
        s.put("callbridge.crm.salesforce.login-url", sandbox.baseUrl("salesforce"));
        s.put("callbridge.crm.salesforce.client-id", SalesforceOrg.CLIENT_ID);
        s.put("callbridge.crm.salesforce.client-secret", SalesforceOrg.CLIENT_SECRET);
        s.put("callbridge.crm.hubspot.enabled", "true");
        s.put("callbridge.crm.hubspot.base-url", sandbox.baseUrl("hubspot"));
        s.put("callbridge.crm.hubspot.token", HubSpotSandbox.DEFAULT_TOKEN);
        s.put("callbridge.crm.pipedrive.enabled", "true");
        s.put("callbridge.crm.pipedrive.base-url", sandbox.baseUrl("pipedrive"));
        s.put("callbridge.crm.pipedrive.token", PipedriveSandbox.DEFAULT_API_TOKEN);
        if (unlimited) {
            for (String crm : List.of("hubspot", "pipedrive")) {
                s.put("callbridge.crm." + crm + ".rate-limit.max", "1000000");
                s.put("callbridge.crm." + crm + ".search-limit.max", "1000000");
            }
            // a 429 without Retry-After pauses half a window: one second, not HubSpot's ten
            s.put("callbridge.crm.hubspot.rate-limit.window-ms", "1000");
        }
        return s;
    }

    /** The same settings as environment variables, the way Camel resolves them (CALLBRIDGE_CRM_HUBSPOT_BASE_URL). */
    public static Map<String, String> asEnvironment(Map<String, String> properties) {
        Map<String, String> env = new LinkedHashMap<>();
        properties.forEach((k, v) -> env.put(k.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'), v));
        return env;
    }

    /** Every record of a type, as the sandbox holds it. */
    public List<JsonNode> records(String crm, String type) {
        JsonNode all = admin("GET", "/" + crm + "/records/" + type, null);
        List<JsonNode> out = new ArrayList<>();
        all.forEach(out::add);
        return out;
    }

    /** The call activities Callbridge logged, keyed by the commandId each carries. */
    public Map<String, List<JsonNode>> callsByCommandId(String crm) {
        return switch (crm) {
            case "salesforce" -> group(records(crm, "Task"), r -> r.path("Callbridge_Command_Id__c").asText(null));
            case "hubspot" -> group(records(crm, "calls"), r -> r.at("/properties/callbridge_command_id").asText(null));
            case "pipedrive" -> group(records(crm, "activities"), r -> {
                Matcher m = PIPEDRIVE_REF.matcher(r.path("note").asText(""));
                return m.find() ? m.group(1) : null;
            });
            default -> throw new IllegalArgumentException(crm);
        };
    }

    /** The caller records (Salesforce leads and contacts, HubSpot contacts, Pipedrive persons), keyed by phone. */
    public Map<String, List<JsonNode>> callersByPhone(String crm) {
        return switch (crm) {
            case "salesforce" -> {
                List<JsonNode> all = new ArrayList<>(records(crm, "Lead"));
                all.addAll(records(crm, "Contact"));
                yield group(all, r -> r.path("Phone").asText(null));
            }
            case "hubspot" -> group(records(crm, "contacts"), r -> r.at("/properties/phone").asText(null));
            case "pipedrive" -> group(records(crm, "persons"), r -> r.at("/phones/0/value").asText(null));
            default -> throw new IllegalArgumentException(crm);
        };
    }

    /** A record's id as the CRM gives it (Salesforce {@code Id}, HubSpot and Pipedrive {@code id}). */
    public String recordId(String crm, JsonNode record) {
        return (crm.equals("salesforce") ? record.path("Id") : record.path("id")).asText();
    }

    /** The id of the caller record a logged call is attached to. */
    public String callerIdOfCall(String crm, JsonNode call) {
        return switch (crm) {
            case "salesforce" -> call.path("WhoId").asText(null);
            case "hubspot" -> call.at("/associations/contacts/results/0/id").asText(null);
            case "pipedrive" -> call.path("person_id").asText(null);
            default -> throw new IllegalArgumentException(crm);
        };
    }

    /** How many answers the sandbox's fault injection made up for the CRM so far. */
    public long answeredWithFault(String crm) {
        return admin("GET", "/" + crm + "/faults", null).path("injected").asLong();
    }

    /** {@code PUT /_sandbox/<crm>/faults}. */
    public void faults(String crm, String json) {
        admin("PUT", "/" + crm + "/faults", json);
    }

    public void noFaults(String crm) {
        admin("DELETE", "/" + crm + "/faults", null);
    }

    /** Expires every access token and session the CRM issued (the next request gets its 401). */
    public void expireTokens(String crm) {
        admin("POST", "/" + crm + "/tokens/expire", "{}");
    }

    private JsonNode admin(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sandbox.adminUrl() + path))
                .header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = Events.send(b.build());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return r.body().isBlank() ? null : Events.parse(r.body().getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, List<JsonNode>> group(List<JsonNode> records, Function<JsonNode, String> key) {
        Map<String, List<JsonNode>> out = new LinkedHashMap<>();
        for (JsonNode r : records) {
            String k = key.apply(r);
            if (k != null) {
                out.computeIfAbsent(k, x -> new ArrayList<>()).add(r);
            }
        }
        return out;
    }

    @Override
    public void close() {
        sandbox.close();
    }
}
