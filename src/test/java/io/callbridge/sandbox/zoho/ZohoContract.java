package io.callbridge.sandbox.zoho;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi30;
import io.callbridge.sandbox.Json;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Zoho's own OpenAPI 3.0 documents for CRM v8, read from {@code ../shared/crm-specs/zoho/v8.0/} (never copied into
 * the repository): finds the operation of a request, inlines its {@code $ref}s (the documents point at each other
 * through {@code https://raw.githubusercontent.com/Zohocorp-Pvt-Ltd/crm-oas/…/v8.0/<file>.json#…}; those resolve to
 * the local files) and validates query parameters, request bodies and answers with networknt's OpenAPI 3.0 dialect.
 * Absent documents skip the calling test, except under {@code CI=true} where they fail it.
 *
 * <p>How the documents are read, where taken literally they would refuse Zoho's own answers:
 * <ul>
 * <li>Their {@code oneOf}s list alternatives that overlap (an object schema without {@code required} matches almost
 * anything; search's two INVALID_QUERY schemas both accept "Invalid query formed"), so a correct answer matches
 * several and {@code oneOf} fails. They are read as {@code anyOf}, and each alternative that lists its properties
 * without saying anything about others is closed to those properties: the alternatives then stay distinct (a
 * {@code {"data":[…]}} answer is not also an error envelope) and the check gets stricter, not looser.</li>
 * <li>record.json models every outcome of its operations as status 200. An answer with another status that carries
 * {@code data[]} (201, 207, or 400 when every record failed) is checked against that 200 schema; an error envelope
 * with a status the operation does not declare (401, 429, 5xx) against common.json's {@code API_Exception}, closed,
 * with a {@code code} some v8 document names (TOO_MANY_REQUESTS only appears in bulk_read.json), and, when
 * record.json's {@code API_Exception} knows the code, against that too (its message enum).</li>
 * <li>Search is an operation of record.json (parameters, 200) and of module_search.json (its 400 errors); module_search
 * marks {@code per_page} required where record.json does not, and its 200 schema has no {@code info}: record.json's
 * is used for both.</li>
 * <li>notes.json is not used: its request schema requires the answer's fields ({@code id}, {@code $attachments},
 * {@code Created_Time}…) and its create answers are 200/202 where the record API answers 201/207; Notes go through
 * record.json's generic operations like every module.</li>
 * <li>{@link #DEVIATIONS}: single places where a document's schema refuses what Zoho documents elsewhere.</li>
 * </ul>
 */
final class ZohoContract {

    /** {@code ../shared/crm-specs/zoho/v8.0} unless the system property {@code callbridge.crm-specs} points elsewhere. */
    static final Path DIR = Path.of(System.getProperty("callbridge.crm-specs", "../shared/crm-specs"), "zoho", "v8.0");
    private static final String REMOTE = "https://raw.githubusercontent.com/Zohocorp-Pvt-Ltd/crm-oas/refs/heads/main/v8.0/";
    private static final List<String> OPERATION_FILES = List.of("coql.json", "record.json", "users.json");

    /** One place where a document is read otherwise than it is written: the schema at {@code at} gets {@code patch}. */
    record Deviation(String at, String patch, String why) { }

    static final List<Deviation> DEVIATIONS = List.of(
            new Deviation("record.json#/components/schemas/Success_Response/properties/duplicate_field", "nullable",
                    "an upsert that inserted answers \"duplicate_field\": null (Zoho's upsert page); the document says string"),
            new Deviation("users.json#/components/schemas/users/properties/email", "no pattern",
                    "the pattern [a-z0-9]{9}[@][a-z0-9]{5}[.]com admits only addresses shaped like its example"));

    private static volatile ZohoContract instance;

    /** Operations ({@code file METHOD template status} or {@code … request}) validated in this JVM. */
    static final Set<String> VALIDATED = ConcurrentHashMap.newKeySet();

    private final Map<String, JsonNode> docs = new HashMap<>();
    private final Set<String> knownCodes = new HashSet<>();
    private final JsonNode commonEnvelope;
    private final JsonNode recordEnvelope;
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4,
            b -> b.metaSchema(OpenApi30.getInstance()).defaultMetaSchemaIri(OpenApi30.getInstance().getIri()));
    private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().nullableKeywordEnabled(true)
            .formatAssertionsEnabled(true).build();

    /** One operation: the document, the method and the path template. */
    record Op(String file, String method, String template) {
        @Override
        public String toString() {
            return file + " " + method + " " + template;
        }
    }

    private ZohoContract() throws IOException {
        try (var files = Files.list(DIR)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                docs.put(f.getFileName().toString(), Json.MAPPER.readTree(f.toFile()));
            }
        }
        for (Deviation d : DEVIATIONS) {
            ObjectNode schema = (ObjectNode) docs.get(d.at().substring(0, d.at().indexOf('#'))).at(d.at().substring(d.at().indexOf('#') + 1));
            if (d.patch().equals("nullable")) schema.put("nullable", true);
            else schema.remove("pattern");
        }
        docs.values().forEach(this::collectCodes);
        commonEnvelope = closed(docs.get("common.json").at("/components/schemas/API_Exception"));
        recordEnvelope = closed(docs.get("record.json").at("/components/schemas/API_Exception"));
    }

    static boolean available() {
        return Files.isRegularFile(DIR.resolve("record.json")) && Files.isRegularFile(DIR.resolve("coql.json"))
                && Files.isRegularFile(DIR.resolve("module_search.json")) && Files.isRegularFile(DIR.resolve("common.json"));
    }

    /** The documents, or a skipped test when they are absent (a failed one under CI=true). */
    static ZohoContract require() {
        if (!available()) {
            String msg = "Zoho's v8.0 OpenAPI documents are not at " + DIR.toAbsolutePath().normalize() + "; contract checks need them";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail(msg + " and CI=true makes their absence a failure");
            Assumptions.assumeTrue(false, msg + "; skipped");
        }
        return get();
    }

    /** The documents when present, else null (functional tests then run without contract checks). */
    static ZohoContract getIfAvailable() {
        if (!available()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail("Zoho's v8.0 OpenAPI documents are missing at " + DIR.toAbsolutePath().normalize());
            return null;
        }
        return get();
    }

    private static ZohoContract get() {
        if (instance == null) {
            synchronized (ZohoContract.class) {
                if (instance == null) {
                    try {
                        instance = new ZohoContract();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
        return instance;
    }

    /** The operation of a sandbox path such as {@code /crm/v8/Contacts/search?phone=…}, or null. */
    Op operation(String method, String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        Op best = null;
        int bestLiterals = -1;
        for (String file : OPERATION_FILES) {
            JsonNode paths = docs.get(file).get("paths");
            for (Iterator<String> it = paths.fieldNames(); it.hasNext(); ) {
                String template = it.next();
                if (!paths.get(template).has(method.toLowerCase())) continue;
                String regex = "\\Q" + template.replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q") + "\\E";
                if (!path.matches(regex)) continue;
                int literals = template.replaceAll("\\{[^}]+}", "").length();
                if (literals > bestLiterals) {
                    best = new Op(file, method.toUpperCase(), template);
                    bestLiterals = literals;
                }
            }
        }
        return best;
    }

    private JsonNode node(Op op) {
        return docs.get(op.file()).get("paths").get(op.template()).get(op.method().toLowerCase());
    }

    /** Query parameters must be declared by the operation, integers must be integers, enums must hold. */
    List<String> checkQuery(String method, String pathAndQuery, Map<String, String> query) {
        Op op = require(method, pathAndQuery);
        Map<String, JsonNode> declared = new HashMap<>();
        for (JsonNode p : node(op).path("parameters")) {
            JsonNode param = resolve(op.file(), p, new LinkedHashSet<>());
            if (param.path("in").asText().equals("query")) declared.put(param.path("name").asText(), param.path("schema"));
        }
        List<String> problems = new ArrayList<>();
        query.forEach((k, v) -> {
            JsonNode s = declared.get(k);
            if (s == null) {
                problems.add("query parameter " + k + " is not declared by " + op);
                return;
            }
            if (s.path("type").asText().equals("integer") && !v.matches("-?\\d+")) problems.add(k + "=" + v + " is not an integer");
            if (s.has("enum")) {
                boolean ok = false;
                for (JsonNode e : s.get("enum")) ok |= e.asText().equals(v);
                if (!ok) problems.add(k + "=" + v + " is not one of " + s.get("enum"));
            }
        });
        return problems;
    }

    /** Problems of a request body against the operation's JSON request schema. */
    List<String> checkRequest(String method, String pathAndQuery, JsonNode body) {
        Op op = require(method, pathAndQuery);
        JsonNode schema = node(op).path("requestBody").path("content").path("application/json").path("schema");
        if (schema.isMissingNode()) return List.of(op + " declares no JSON request body");
        VALIDATED.add(op + " request");
        return validate(op.file(), schema, body);
    }

    /** Problems of an answer, read as the class comment says. */
    List<String> checkResponse(String method, String pathAndQuery, int status, JsonNode body) {
        Op op = require(method, pathAndQuery);
        JsonNode responses = node(op).path("responses");
        String file = op.file();
        JsonNode r = responses.path(Integer.toString(status));
        if (r.isMissingNode() && status == 400 && op.template().endsWith("/search")) {
            file = "module_search.json";
            r = docs.get(file).at("/paths/~1crm~1v8~1{module}~1search/get/responses/400");
        }
        if (r.isMissingNode() && body.has("data") && file.equals("record.json")) {
            r = responses.path("200");
        }
        if (r.isMissingNode()) {
            if (status < 400 || !body.has("code")) return List.of(op + " does not declare status " + status);
            List<String> problems = new ArrayList<>(validate("common.json", commonEnvelope, body));
            String code = body.path("code").asText();
            if (!knownCodes.contains(code)) problems.add("code " + code + " is named by no v8 document");
            JsonNode recordCodes = docs.get("record.json").at("/components/schemas/API_Exception/properties/code/enum");
            boolean recordKnows = false;
            for (JsonNode c : recordCodes) recordKnows |= c.asText().equals(code);
            if (recordKnows) problems.addAll(validate("record.json", recordEnvelope, body));
            VALIDATED.add(op + " " + status);
            return problems;
        }
        JsonNode schema = resolve(file, r, new LinkedHashSet<>()).path("content").path("application/json").path("schema");
        if (schema.isMissingNode()) return List.of(op + " " + status + " declares no JSON body");
        VALIDATED.add(op + " " + status);
        return validate(file, schema, body);
    }

    private Op require(String method, String pathAndQuery) {
        Op op = operation(method, pathAndQuery);
        if (op == null) throw new AssertionError(method + " " + pathAndQuery + " is no operation of Zoho's v8 documents");
        return op;
    }

    private List<String> validate(String file, JsonNode schema, JsonNode instance) {
        String key = file + System.identityHashCode(schema);
        JsonSchema s = schemas.computeIfAbsent(key, k -> factory.getSchema(resolve(file, schema, new LinkedHashSet<>()), config));
        List<String> out = new ArrayList<>();
        for (ValidationMessage m : s.validate(instance)) out.add(m.getMessage());
        return out;
    }

    /** Inlines {@code $ref}s across the documents, reading {@code oneOf} as {@code anyOf} of closed alternatives. */
    JsonNode resolve(String file, JsonNode node, Set<String> stack) {
        if (node.isObject()) {
            if (node.has("$ref")) {
                String ref = node.get("$ref").asText();
                String targetFile = file, pointer = ref;
                if (ref.startsWith(REMOTE)) {
                    targetFile = ref.substring(REMOTE.length(), ref.indexOf('#'));
                    pointer = ref.substring(ref.indexOf('#'));
                } else if (!ref.startsWith("#/")) {
                    throw new IllegalStateException("unexpected $ref " + ref);
                }
                String key = targetFile + pointer;
                if (stack.contains(key)) return Json.object();
                JsonNode doc = docs.get(targetFile);
                if (doc == null) throw new IllegalStateException("$ref to a missing document " + ref);
                JsonNode target = doc.at(pointer.substring(1));
                if (target.isMissingNode()) throw new IllegalStateException("dangling $ref " + ref);
                stack.add(key);
                JsonNode out = resolve(targetFile, target, stack);
                stack.remove(key);
                return out;
            }
            ObjectNode out = Json.object();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String k = e.getKey();
                if (k.equals("example") || k.equals("examples")) {
                    out.set(k, e.getValue());
                } else if (k.equals("oneOf")) {
                    ArrayNode any = out.putArray("anyOf");
                    for (JsonNode alt : e.getValue()) any.add(closed(resolve(file, alt, stack)));
                } else {
                    out.set(k, resolve(file, e.getValue(), stack));
                }
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = Json.array();
            node.forEach(n -> out.add(resolve(file, n, stack)));
            return out;
        }
        return node;
    }

    /** An object schema that lists its properties and says nothing of others, closed to them. */
    private static JsonNode closed(JsonNode schema) {
        if (schema.isObject() && schema.has("properties") && !schema.has("additionalProperties")) {
            ObjectNode c = ((ObjectNode) schema).deepCopy();
            c.put("additionalProperties", false);
            return c;
        }
        return schema;
    }

    private void collectCodes(JsonNode n) {
        if (n.isObject()) {
            JsonNode code = n.path("code");
            if (code.isObject() && code.has("enum")) code.get("enum").forEach(c -> knownCodes.add(c.asText()));
            n.forEach(this::collectCodes);
        } else if (n.isArray()) {
            n.forEach(this::collectCodes);
        }
    }

    /** Every served route's concrete example path, for the route check. */
    static Map<String, String> examplePaths(List<String> routes) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String route : routes) {
            String[] mp = route.split(" ");
            out.put(route, mp[1].replace("{module}", "Contacts").replace("{id}", "4876876000000412001").replace("{user}", "4876876000000335001"));
        }
        return out;
    }
}
