package io.callbridge.sandbox.zoho;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.callbridge.sandbox.zoho.ZohoField.Type;

/**
 * One module: API name, module id, fields, the field that names its records in lookups, and its duplicate checks
 * (system fields an upsert matches on, whether upsert is offered at all).
 */
final class ZohoModule {

    private final String apiName;
    private final String id;
    private final String nameField;
    private final Map<String, ZohoField> fields = new LinkedHashMap<>();
    private final List<String> upsertSystemFields;
    private final boolean upsertSupported;

    ZohoModule(String apiName, String id, String nameField, List<String> upsertSystemFields, boolean upsertSupported) {
        this.apiName = apiName;
        this.id = id;
        this.nameField = nameField;
        this.upsertSystemFields = List.copyOf(upsertSystemFields);
        this.upsertSupported = upsertSupported;
    }

    ZohoModule add(ZohoField f) {
        if (fields.containsKey(f.apiName())) {
            throw new IllegalArgumentException(apiName + " already has a field " + f.apiName());
        }
        fields.put(f.apiName(), f);
        return this;
    }

    String apiName() {
        return apiName;
    }

    String id() {
        return id;
    }

    /** The field whose value is a record's {@code name} in lookups pointing at it. */
    String nameField() {
        return nameField;
    }

    ZohoField field(String apiName) {
        return fields.get(apiName);
    }

    /**
     * A field a search or a COQL query may name: the module's fields and the system fields every record has
     * ({@code id}, {@code Created_Time}, {@code Modified_Time}, {@code Created_By}, {@code Modified_By}).
     */
    ZohoField queryable(String apiName) {
        ZohoField f = fields.get(apiName);
        if (f != null) return f;
        return switch (apiName) {
            case "id" -> ZohoField.of("id", Type.LOOKUP);
            case "Created_Time", "Modified_Time" -> ZohoField.of(apiName, Type.DATETIME);
            case "Created_By", "Modified_By" -> ZohoField.of(apiName, Type.OWNER);
            default -> null;
        };
    }

    Collection<ZohoField> fields() {
        return fields.values();
    }

    List<ZohoField> ofType(Type type) {
        List<ZohoField> out = new ArrayList<>();
        for (ZohoField f : fields.values()) if (f.type() == type) out.add(f);
        return out;
    }

    boolean upsertSupported() {
        return upsertSupported;
    }

    /**
     * Fields an upsert without {@code duplicate_check_fields} matches on, in order: the system duplicate-check
     * fields, then the unique fields; only these may be named in {@code duplicate_check_fields}.
     */
    List<String> upsertFields() {
        List<String> out = new ArrayList<>(upsertSystemFields);
        for (ZohoField f : fields.values()) if (f.unique() && !out.contains(f.apiName())) out.add(f.apiName());
        return out;
    }

    /** {@code {"api_name", "id"}} as in {@code duplicate_record.module} and Notes' {@code Parent_Id.module}. */
    com.fasterxml.jackson.databind.node.ObjectNode minified() {
        return io.callbridge.sandbox.Json.object().put("api_name", apiName).put("id", id);
    }
}
