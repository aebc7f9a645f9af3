package io.callbridge.sandbox.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.salesforce.SalesforceSchema.Field;
import io.callbridge.sandbox.salesforce.SalesforceSchema.Type;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/** Runs a parsed {@link Soql.Query} against the store and shapes the answer as Salesforce does. */
final class SoqlRunner {

    private final SalesforceStore store;
    private final SalesforceSchema schema;

    SoqlRunner(SalesforceStore store, SalesforceSchema schema) {
        this.store = store;
        this.schema = schema;
    }

    /** Remaining batches of queries answered with {@code done: false}, by query locator. */
    private final java.util.Map<String, List<ObjectNode>> cursors = new java.util.HashMap<>();
    private long locators;

    void reset() {
        cursors.clear();
    }

    ObjectNode run(Soql.Query q, String version) {
        return run(q, version, 2000);
    }

    /** The next batch of a query locator ({@code /query/01g...-2000}), or null when it is unknown. */
    ObjectNode more(String locator, String version) {
        int dash = locator.lastIndexOf('-');
        List<ObjectNode> rest = dash < 0 ? null : cursors.get(locator.substring(0, dash));
        if (rest == null) return null;
        int from;
        try {
            from = Integer.parseInt(locator.substring(dash + 1));
        } catch (NumberFormatException e) {
            return null;
        }
        return page(locator.substring(0, dash), rest, from, rest.get(0).path("__batch").asInt(2000), version);
    }

    private ObjectNode page(String id, List<ObjectNode> all, int from, int batch, String version) {
        ObjectNode out = Json.object();
        out.put("totalSize", all.size() - 1);
        int to = Math.min(all.size() - 1, from + batch);
        boolean done = to >= all.size() - 1;
        out.put("done", done);
        if (!done) out.put("nextRecordsUrl", "/services/data/v" + version + "/query/" + id + "-" + to);
        else cursors.remove(id);
        ArrayNode records = out.putArray("records");
        for (int k = from; k < to; k++) records.add(all.get(k + 1));
        return out;
    }

    ObjectNode run(Soql.Query q, String version, int batchSize) {
        List<ObjectNode> rows = select(q, store.all(q.from()), null);
        if (q.count()) {
            ObjectNode out = Json.object();
            out.put("totalSize", rows.size());
            out.put("done", true);
            out.putArray("records");
            return out;
        }
        // element 0 carries the batch size; records follow
        List<ObjectNode> all = new ArrayList<>();
        all.add(Json.object().put("__batch", batchSize));
        for (ObjectNode r : rows) all.add(shape(r, q, version));
        String id = SalesforceIds.make("01g", ++locators).substring(0, 15) + "AAA";
        if (rows.size() > batchSize) cursors.put(id, all);
        return page(id, all, 0, batchSize, version);
    }

    /**
     * The records of {@code q.from()} a search matched ({@code matched}), filtered, ordered and cut by the query, in the
     * answer's shape: a SOSL RETURNING object is a query of its own.
     */
    List<ObjectNode> search(Soql.Query q, Predicate<ObjectNode> matched, String version) {
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode r : select(q, store.all(q.from()), matched)) out.add(shape(r, q, version));
        return out;
    }

    /** The candidates that match {@code q}'s WHERE (and {@code also}, when given), ordered, offset and limited. */
    private List<ObjectNode> select(Soql.Query q, List<ObjectNode> candidates, Predicate<ObjectNode> also) {
        List<ObjectNode> rows = new ArrayList<>();
        for (ObjectNode r : candidates) {
            if ((q.where() == null || matches(r, q.where())) && (also == null || also.test(r))) rows.add(r);
        }
        if (!q.order().isEmpty()) {
            Comparator<ObjectNode> cmp = null;
            for (Soql.Order o : q.order()) {
                Comparator<ObjectNode> c = (a, b) -> compareForSort(value(a, o.path()), value(b, o.path()), o);
                cmp = cmp == null ? c : cmp.thenComparing(c);
            }
            rows.sort(cmp);
        }
        int from = q.offset() == null ? 0 : Math.min(q.offset(), rows.size());
        int to = q.limit() == null ? rows.size() : Math.min(rows.size(), from + q.limit());
        return rows.subList(from, to);
    }

    private ObjectNode shape(ObjectNode rec, Soql.Query q, String version) {
        ObjectNode o = Json.object();
        o.set("attributes", SalesforceApi.attributes(q.from(), rec.get("Id").asText(), version));
        for (Soql.Item item : q.items()) {
            if (item instanceof Soql.Sub sub) {
                Soql.Query child = sub.query();
                List<ObjectNode> children = new ArrayList<>();
                String parentId = rec.get("Id").asText();
                for (ObjectNode c : store.all(child.from())) {
                    if (parentId.equals(c.path(child.relationship().field().name()).asText(null))) children.add(c);
                }
                List<ObjectNode> rows = select(child, children, null);
                if (rows.isEmpty()) {
                    // Salesforce answers a relationship without children with null, not an empty result
                    o.putNull(child.relationship().name());
                } else {
                    ObjectNode result = o.putObject(child.relationship().name());
                    result.put("totalSize", rows.size());
                    result.put("done", true);
                    ArrayNode records = result.putArray("records");
                    for (ObjectNode r : rows) records.add(shape(r, child, version));
                }
                continue;
            }
            Soql.Path p = (Soql.Path) item;
            ObjectNode target = o;
            ObjectNode current = rec;
            boolean broken = false;
            for (Field rel : p.relations()) {
                JsonNode refId = current.get(rel.name());
                ObjectNode parent = refId == null || refId.isNull() ? null : store.get(refId.asText());
                if (parent == null) {
                    if (!target.has(rel.relationshipName())) target.putNull(rel.relationshipName());
                    broken = true;
                    break;
                }
                JsonNode existing = target.get(rel.relationshipName());
                ObjectNode nested;
                if (existing instanceof ObjectNode n) {
                    nested = n;
                } else {
                    nested = Json.object();
                    nested.set("attributes", SalesforceApi.attributes(schema.byKeyPrefix(SalesforceIds.prefix(parent.get("Id").asText())),
                            parent.get("Id").asText(), version));
                    target.set(rel.relationshipName(), nested);
                }
                target = nested;
                current = parent;
            }
            if (!broken) {
                JsonNode v = current.get(p.field().name());
                target.set(p.field().name(), v == null ? Json.MAPPER.nullNode() : v);
            }
        }
        return o;
    }

    private JsonNode value(ObjectNode rec, Soql.Path p) {
        ObjectNode current = rec;
        for (Field rel : p.relations()) {
            JsonNode refId = current.get(rel.name());
            current = refId == null || refId.isNull() ? null : store.get(refId.asText());
            if (current == null) return null;
        }
        JsonNode v = current.get(p.field().name());
        return v == null || v.isNull() ? null : v;
    }

    private boolean matches(ObjectNode rec, Soql.Cond c) {
        if (c instanceof Soql.And a) {
            for (Soql.Cond p : a.parts()) if (!matches(rec, p)) return false;
            return true;
        }
        if (c instanceof Soql.Or o) {
            for (Soql.Cond p : o.parts()) if (matches(rec, p)) return true;
            return false;
        }
        if (c instanceof Soql.Not n) {
            return !matches(rec, n.inner());
        }
        Soql.Cmp cmp = (Soql.Cmp) c;
        JsonNode v = value(rec, cmp.path());
        Type type = cmp.path().type();
        switch (cmp.op()) {
            case "IN" -> {
                for (Soql.Literal l : cmp.values()) if (equal(type, v, l)) return true;
                return false;
            }
            case "NOT IN" -> {
                for (Soql.Literal l : cmp.values()) if (equal(type, v, l)) return false;
                return true;
            }
            case "=" -> {
                return equal(type, v, cmp.values().get(0));
            }
            case "!=" -> {
                return !equal(type, v, cmp.values().get(0));
            }
            case "LIKE" -> {
                return v != null && cmp.values().get(0).like().matcher(v.asText()).matches();
            }
            default -> {
                Soql.Literal l = cmp.values().get(0);
                if (v == null || l.value() == null) return false;
                if (l.range()) {
                    return switch (cmp.op()) {
                        case "<" -> beforeRange(type, v, l);
                        case "<=" -> !afterRange(type, v, l);
                        case ">" -> afterRange(type, v, l);
                        case ">=" -> !beforeRange(type, v, l);
                        default -> throw new IllegalStateException(cmp.op());
                    };
                }
                int r = compare(type, v, l.value());
                return switch (cmp.op()) {
                    case "<" -> r < 0;
                    case "<=" -> r <= 0;
                    case ">" -> r > 0;
                    case ">=" -> r >= 0;
                    default -> throw new IllegalStateException(cmp.op());
                };
            }
        }
    }

    private boolean equal(Type type, JsonNode v, Soql.Literal l) {
        if (l.value() == null) return v == null;
        if (v == null) return false;
        if (l.range()) return !beforeRange(type, v, l) && !afterRange(type, v, l);
        return compare(type, v, l.value()) == 0;
    }

    /** The value lies before the first day of a date literal's range. */
    private static boolean beforeRange(Type type, JsonNode v, Soql.Literal l) {
        return type == Type.DATE ? v.asText().compareTo(l.from().toString()) < 0
                : SalesforceStore.parseDateTime(v.asText()).isBefore(l.from().atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
    }

    /** The value lies on or after the day after a date literal's range. */
    private static boolean afterRange(Type type, JsonNode v, Soql.Literal l) {
        return type == Type.DATE ? v.asText().compareTo(l.to().toString()) >= 0
                : !SalesforceStore.parseDateTime(v.asText()).isBefore(l.to().atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
    }

    private static int compare(Type type, JsonNode v, String literal) {
        switch (type) {
            case ID, REFERENCE -> {
                String id = SalesforceIds.normalize(literal);
                return v.asText().compareTo(id == null ? literal : id);
            }
            case INT, DOUBLE, CURRENCY, PERCENT -> {
                return new BigDecimal(v.asText()).compareTo(new BigDecimal(literal));
            }
            case BOOLEAN -> {
                return Boolean.compare(v.asBoolean(), Boolean.parseBoolean(literal));
            }
            case DATETIME -> {
                Instant a = SalesforceStore.parseDateTime(v.asText());
                Instant b = SalesforceStore.parseDateTime(literal);
                return a == null || b == null ? v.asText().compareTo(literal) : a.compareTo(b);
            }
            case DATE -> {
                return v.asText().compareTo(literal);
            }
            default -> {
                return v.asText().compareToIgnoreCase(literal);
            }
        }
    }

    private static int compareForSort(JsonNode a, JsonNode b, Soql.Order o) {
        if (a == null || b == null) {
            if (a == b) return 0;
            return (a == null) == o.nullsFirst() ? -1 : 1;
        }
        int r = compare(o.path().type(), a, b.asText());
        return o.desc() ? -r : r;
    }
}
