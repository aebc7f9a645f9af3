package io.callbridge.intake;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.callbridge.phone.PhoneNormalizer;
import io.callbridge.phone.PhoneNormalizer.InvalidPhoneNumberException;

/**
 * Enforces the call-event contract (schema/call-event.schema.json) on every event, from HTTP and
 * from Kafka alike, and adds {@code data.customerE164}. The answer names each bad field by JSON
 * Pointer and never repeats the value, which may be personal data.
 */
public final class CallEventValidator {

    static final String SCHEMA = "/schema/call-event.schema.json";
    private static final int MAX_NESTING = 64;
    private static final int MAX_ERRORS = 20;

    private final ObjectMapper mapper;
    private final JsonSchema schema;
    private final PhoneNormalizer phones;

    public CallEventValidator(PhoneNormalizer phones) {
        this.phones = phones;
        this.mapper = JsonMapper.builder()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .build();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build());
        mapper.setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .pathType(PathType.JSON_POINTER)
                .formatAssertionsEnabled(true)
                .build();
        try (InputStream in = CallEventValidator.class.getResourceAsStream(SCHEMA)) {
            this.schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(mapper.readTree(in), config);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + SCHEMA, e);
        }
    }

    public CallEvent validate(byte[] body) throws InvalidEventException {
        JsonNode event = parse(body);
        if (!event.isObject()) {
            throw new InvalidEventException("", "must be a JSON object");
        }
        return validate(event);
    }

    /** One event of a batch, or the reasons it was refused (their pointers start with its index, e.g. {@code /3/data/from}). */
    public record Validated(int index, CallEvent event, List<FieldError> errors) {
    }

    /**
     * CloudEvents' batched mode: a JSON array of events, each validated on its own, so one bad event does not
     * refuse the others. The array itself must be valid JSON within the limits of a single event.
     */
    public List<Validated> validateBatch(byte[] body, int maxEvents) throws InvalidEventException {
        JsonNode batch = parse(body);
        if (!batch.isArray()) {
            throw new InvalidEventException("", "must be a JSON array of CloudEvents (application/cloudevents-batch+json)");
        }
        if (batch.isEmpty() || batch.size() > maxEvents) {
            throw new InvalidEventException("", "must hold 1 to " + maxEvents + " events, not " + batch.size());
        }
        List<Validated> out = new java.util.ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            try {
                if (!batch.get(i).isObject()) {
                    throw new InvalidEventException("", "must be a JSON object");
                }
                out.add(new Validated(i, validate(batch.get(i).deepCopy()), List.of()));
            } catch (InvalidEventException e) {
                String prefix = "/" + i;
                out.add(new Validated(i, null, e.errors().stream().map(f -> new FieldError(prefix + f.pointer(), f.detail())).toList()));
            }
        }
        return out;
    }

    private CallEvent validate(JsonNode event) throws InvalidEventException {
        List<FieldError> errors = schemaErrors(event);
        if (!errors.isEmpty()) {
            throw new InvalidEventException(errors);
        }
        ObjectNode data = (ObjectNode) event.get("data");
        boolean inbound = "inbound".equals(data.get("direction").asText());
        String field = inbound ? "from" : "to";
        String customerE164;
        try {
            customerE164 = phones.toE164(data.get(field).asText());
        } catch (InvalidPhoneNumberException e) {
            throw new InvalidEventException("/data/" + field, "phone number " + e.getMessage()
                    + " (national numbers are read in region " + phones.defaultRegion() + ")");
        }
        JsonNode already = data.get("customerE164");
        if (already != null && !customerE164.equals(already.asText())) {
            throw new InvalidEventException("/data/customerE164",
                    "does not match data/" + field + "; leave it out, intake adds it");
        }
        data.put("customerE164", customerE164);
        try {
            return new CallEvent(event.get("id").asText(), event.get("type").asText(), customerE164,
                    mapper.writeValueAsBytes(event), event);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot serialise a validated event", e);
        }
    }

    private JsonNode parse(byte[] body) throws InvalidEventException {
        if (body == null || body.length == 0) {
            throw new InvalidEventException("", "the body is empty; a CloudEvents JSON object is expected");
        }
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (StreamConstraintsException e) {
            throw new InvalidEventException("", "JSON is nested deeper than " + MAX_NESTING + " levels");
        } catch (JsonParseException e) {
            throw new InvalidEventException("", "is not valid JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        } catch (IOException e) {
            throw new InvalidEventException("", "is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (node == null) {
            throw new InvalidEventException("", "must be a JSON object");
        }
        return node;
    }

    private List<FieldError> schemaErrors(JsonNode event) {
        Set<ValidationMessage> messages = schema.validate(event);
        Map<String, FieldError> byPointer = new LinkedHashMap<>();
        for (ValidationMessage m : messages) {
            String pointer = m.getInstanceLocation().toString();
            if ("required".equals(m.getType()) && m.getProperty() != null) {
                pointer = pointer + "/" + m.getProperty();
            }
            String detail = withoutLocation(m.getMessage(), m.getInstanceLocation().toString());
            if ("required".equals(m.getType())) {
                detail = "is required";
            }
            byPointer.putIfAbsent(pointer, new FieldError(pointer, detail));
            if (byPointer.size() >= MAX_ERRORS) {
                break;
            }
        }
        return new ArrayList<>(byPointer.values());
    }

    private static String withoutLocation(String message, String location) {
        String prefix = location + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
