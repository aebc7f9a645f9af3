package io.callbridge.sandbox.pipedrive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi30;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pipedrive's published OpenAPI 3.0 documents, read from {@code ../shared/crm-specs/pipedrive/} (never
 * copied into the repository): finds the operation of a request, inlines its {@code $ref}s and validates
 * request bodies, query parameters and answers with networknt's OpenAPI 3.0 dialect ({@code nullable}).
 * Absent documents skip the calling test, except under {@code CI=true} where they fail it.
 */
final class PipedriveContract {

    /** {@code ../shared/crm-specs/pipedrive} unless the system property {@code callbridge.crm-specs} points elsewhere. */
    static final Path DIR = Path.of(System.getProperty("callbridge.crm-specs", "../shared/crm-specs"), "pipedrive");
    private static volatile PipedriveContract instance;

    /** Templates (e.g. {@code v2 POST /persons}) whose request or answer was validated in this JVM. */
    static final Set<String> VALIDATED = ConcurrentHashMap.newKeySet();

    private final Map<String, JsonNode> docs = new HashMap<>();
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4,
            b -> b.metaSchema(OpenApi30.getInstance()).defaultMetaSchemaIri(OpenApi30.getInstance().getIri()));
    private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().nullableKeywordEnabled(true)
            .formatAssertionsEnabled(true).build();

    private PipedriveContract() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        docs.put("v1", yaml.readTree(DIR.resolve("v1.yaml").toFile()));
        docs.put("v2", yaml.readTree(DIR.resolve("v2.yaml").toFile()));
    }

    static boolean available() {
        return Files.isRegularFile(DIR.resolve("v1.yaml")) && Files.isRegularFile(DIR.resolve("v2.yaml"));
    }

    /** The documents, or a skipped test when they are absent (a failed one under CI=true). */
    static PipedriveContract require() {
        if (!available()) {
            String msg = "Pipedrive's OpenAPI documents are not at " + DIR.toAbsolutePath().normalize()
                    + " (see ../shared/crm-specs/SOURCES.md); contract checks need them";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail(msg + " and CI=true makes their absence a failure");
            Assumptions.assumeTrue(false, msg + "; skipped");
        }
        return get();
    }

    /** The documents when present, else null (functional tests then run without contract checks). */
    static PipedriveContract getIfAvailable() {
        if (!available()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail("Pipedrive's OpenAPI documents are missing at " + DIR.toAbsolutePath().normalize());
            return null;
        }
        return get();
    }

    private static PipedriveContract get() {
        if (instance == null) {
            synchronized (PipedriveContract.class) {
                if (instance == null) {
                    try {
                        instance = new PipedriveContract();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
        return instance;
    }

    /** {@code [api, template]} for a sandbox path such as {@code /api/v2/persons/5} or {@code /v1/callLogs}, or null. */
    String[] operation(String method, String path) {
        String api, rest;
        int q = path.indexOf('?');
        String p = q < 0 ? path : path.substring(0, q);
        if (p.startsWith("/api/v2/")) {
            api = "v2";
            rest = p.substring("/api/v2".length());
        } else if (p.startsWith("/v1/")) {
            api = "v1";
            rest = p.substring("/v1".length());
        } else if (p.startsWith("/oauth/")) {
            // oauth.pipedrive.com's operations: in the v1 document, with a server of their own
            api = "v1";
            rest = p;
        } else {
            return null;
        }
        JsonNode paths = docs.get(api).get("paths");
        String best = null;
        for (Iterator<String> it = paths.fieldNames(); it.hasNext(); ) {
            String template = it.next();
            if (!paths.get(template).has(method.toLowerCase())) continue;
            String regex = "\\Q" + template.replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q") + "\\E";
            if (rest.matches(regex) && (best == null || !template.contains("{"))) best = template;
        }
        return best == null ? null : new String[]{api, best};
    }

    /** Every operation of both documents as {@code [api, METHOD, template]}. */
    List<String[]> operations() {
        List<String[]> out = new ArrayList<>();
        for (String api : List.of("v1", "v2")) {
            docs.get(api).get("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m -> {
                if (Set.of("get", "post", "put", "patch", "delete").contains(m)) out.add(new String[]{api, m.toUpperCase(), p.getKey()});
            }));
        }
        return out;
    }

    JsonNode operationNode(String api, String method, String template) {
        return docs.get(api).get("paths").get(template).get(method.toLowerCase());
    }

    /** Problems of a request body against the operation's {@code application/json} schema. */
    List<String> checkRequest(String method, String path, JsonNode body) {
        String[] op = requireOperation(method, path);
        JsonNode schema = operationNode(op[0], method, op[1]).path("requestBody").path("content").path("application/json").path("schema");
        if (schema.isMissingNode()) return List.of(op[0] + " " + method + " " + op[1] + " declares no JSON request body");
        VALIDATED.add(op[0] + " " + method + " " + op[1] + " request");
        return validate(op[0], schema, body);
    }

    /** Problems of a form-encoded request body against the operation's {@code application/x-www-form-urlencoded} schema. */
    List<String> checkForm(String method, String path, Map<String, String> form) {
        String[] op = requireOperation(method, path);
        JsonNode schema = operationNode(op[0], method, op[1]).path("requestBody").path("content")
                .path("application/x-www-form-urlencoded").path("schema");
        if (schema.isMissingNode()) return List.of(op[0] + " " + method + " " + op[1] + " declares no form request body");
        VALIDATED.add(op[0] + " " + method + " " + op[1] + " request");
        return validate(op[0], schema, new ObjectMapper().valueToTree(form));
    }

    /** Query parameters must be declared by the operation, with an allowed value for enums, integers and booleans. */
    List<String> checkQuery(String method, String path, Map<String, String> query) {
        String[] op = requireOperation(method, path);
        List<String> problems = new ArrayList<>();
        Map<String, JsonNode> declared = new HashMap<>();
        for (JsonNode p : operationNode(op[0], method, op[1]).path("parameters")) {
            JsonNode param = resolve(op[0], p, new LinkedHashSet<>());
            if (param.path("in").asText().equals("query")) declared.put(param.path("name").asText(), param.path("schema"));
        }
        query.forEach((k, v) -> {
            if (k.equals("api_token")) return;
            JsonNode s = declared.get(k);
            if (s == null) {
                problems.add("query parameter " + k + " is not declared by " + method + " " + op[1]);
                return;
            }
            if (s.has("enum")) {
                // some enum parameters are comma-separated lists ("fields=phone,email"): each item must be allowed
                for (String item : v.split(",")) {
                    boolean ok = false;
                    for (JsonNode e : s.get("enum")) if (e.asText().equals(item.trim())) ok = true;
                    if (!ok) problems.add("query parameter " + k + "=" + v + ": " + item + " is not one of " + s.get("enum"));
                }
            }
            if (s.path("type").asText().equals("integer") && !v.matches("-?\\d+")) problems.add(k + "=" + v + " is not an integer");
            if (s.path("type").asText().equals("boolean") && !v.matches("true|false|0|1")) problems.add(k + "=" + v + " is not a boolean");
        });
        for (JsonNode p : operationNode(op[0], method, op[1]).path("parameters")) {
            JsonNode param = resolve(op[0], p, new LinkedHashSet<>());
            if (param.path("in").asText().equals("query") && param.path("required").asBoolean() && !query.containsKey(param.path("name").asText())) {
                problems.add("required query parameter " + param.path("name").asText() + " is missing");
            }
        }
        return problems;
    }

    /**
     * Problems of an answer: against the operation's response for that status; an error status the
     * operation does not declare is checked against Pipedrive's error schema (v1 callLogs' 400 answer).
     */
    List<String> checkResponse(String method, String path, int status, JsonNode body) {
        String[] op = requireOperation(method, path);
        JsonNode responses = operationNode(op[0], method, op[1]).path("responses");
        JsonNode r = responses.path(Integer.toString(status));
        String api = op[0];
        if (r.isMissingNode()) {
            if (status < 400) return List.of(method + " " + op[1] + " does not declare status " + status);
            api = "v1";
            r = operationNode("v1", "POST", "/callLogs").path("responses").path("400");
        }
        JsonNode schema = resolve(api, r, new LinkedHashSet<>()).path("content").path("application/json").path("schema");
        if (schema.isMissingNode()) return List.of(method + " " + op[1] + " " + status + " declares no JSON body");
        VALIDATED.add(op[0] + " " + method + " " + op[1] + " " + status);
        return validate(api, schema, body);
    }

    private String[] requireOperation(String method, String path) {
        String[] op = operation(method, path);
        if (op == null) throw new AssertionError(method + " " + path + " is no operation of Pipedrive's OpenAPI documents");
        return op;
    }

    private List<String> validate(String api, JsonNode schema, JsonNode instance) {
        String key = api + System.identityHashCode(schema);
        JsonSchema s = schemas.computeIfAbsent(key, k -> factory.getSchema(resolve(api, schema, new LinkedHashSet<>()), config));
        List<String> out = new ArrayList<>();
        for (ValidationMessage m : s.validate(instance)) out.add(m.getMessage());
        return out;
    }

    /** Inlines {@code $ref}s of one document (recursive references become an empty schema). */
    JsonNode resolve(String api, JsonNode node, Set<String> stack) {
        if (node.isObject()) {
            if (node.has("$ref")) {
                String ref = node.get("$ref").asText();
                if (!ref.startsWith("#/")) throw new IllegalStateException("external $ref " + ref);
                if (stack.contains(ref)) return new ObjectMapper().createObjectNode();
                JsonNode target = docs.get(api).at(ref.substring(1));
                if (target.isMissingNode()) throw new IllegalStateException("dangling $ref " + ref);
                stack.add(ref);
                JsonNode out = resolve(api, target, stack);
                stack.remove(ref);
                return out;
            }
            ObjectNode out = new ObjectMapper().createObjectNode();
            node.fields().forEachRemaining(e -> out.set(e.getKey(), e.getKey().equals("example") || e.getKey().equals("examples")
                    ? e.getValue() : resolve(api, e.getValue(), stack)));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = new ObjectMapper().createArrayNode();
            node.forEach(n -> out.add(resolve(api, n, stack)));
            return out;
        }
        return node;
    }
}
