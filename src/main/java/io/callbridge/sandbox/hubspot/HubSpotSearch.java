package io.callbridge.sandbox.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.hubspot.HubSpotSchema.ObjectType;
import io.callbridge.sandbox.hubspot.HubSpotSchema.Property;
import io.callbridge.sandbox.hubspot.HubSpotStore.Rec;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code POST /crm/v3/objects/{type}/search}: filter groups (OR of groups, AND inside one), the
 * operators HubSpot documents, the pseudo-property {@code associations.<objectType>}, one sort, {@code query},
 * {@code after} paging, HubSpot's limits. What the sandbox chose where HubSpot is silent: docs/sandbox.md, HubSpot.
 */
final class HubSpotSearch {

    static final int MAX_GROUPS = 5;
    static final int MAX_FILTERS_PER_GROUP = 6;
    static final int MAX_FILTERS = 18;
    static final int MAX_LIMIT = 200;
    static final int MAX_RESULTS = 10_000;

    static final Set<String> OPERATORS = Set.of("EQ", "NEQ", "LT", "LTE", "GT", "GTE", "BETWEEN", "IN", "NOT_IN",
            "HAS_PROPERTY", "NOT_HAS_PROPERTY", "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN");

    static final String ASSOCIATIONS_PREFIX = "associations.";
    /**
     * HubSpot documents {@code EQ} on {@code associations.<objectType>}; these others have one meaning on a set of
     * associated ids. Ranges and tokens on ids have none the sandbox could stand by, so they are refused.
     */
    static final Set<String> ASSOCIATION_OPERATORS = Set.of("EQ", "NEQ", "IN", "NOT_IN", "HAS_PROPERTY", "NOT_HAS_PROPERTY");

    private static final Map<String, List<String>> QUERY_PROPERTIES = Map.of(
            "contacts", List.of("firstname", "lastname", "email", "phone", "mobilephone", "company", "fax",
                    "hs_searchable_calculated_phone_number", "hs_searchable_calculated_mobile_number"),
            "companies", List.of("name", "domain", "website", "phone"),
            "deals", List.of("dealname", "pipeline", "dealstage", "description", "dealtype"),
            "tickets", List.of("subject", "content", "hs_pipeline_stage", "hs_ticket_category"),
            "calls", List.of("hs_call_title", "hs_call_body"),
            "tasks", List.of("hs_task_subject", "hs_task_body"),
            "notes", List.of("hs_note_body"),
            "meetings", List.of("hs_meeting_title", "hs_meeting_body"));

    record Filter(String property, String operator, String value, String highValue, List<String> values) { }

    record Result(List<Rec> page, int total, Integer nextAfter) { }

    private final HubSpotSchema schema;
    private final HubSpotStore store;

    HubSpotSearch(HubSpotSchema schema, HubSpotStore store) {
        this.schema = schema;
        this.store = store;
    }

    Result search(ObjectType type, List<Rec> candidates, JsonNode body) {
        if (body == null || !body.isObject()) throw HubSpotException.validation("Invalid input JSON: the search request must be a JSON object");
        List<List<Filter>> groups = parseGroups(body);
        int limit = body.path("limit").isMissingNode() || body.path("limit").isNull() ? 10 : body.path("limit").asInt(-1);
        if (limit < 0 || (!body.path("limit").canConvertToInt() && !body.path("limit").isMissingNode() && !body.path("limit").isNull())) {
            throw HubSpotException.validation("limit must be a positive integer");
        }
        if (limit > MAX_LIMIT) throw HubSpotException.validation("Limit must be less than or equal to " + MAX_LIMIT + ", got " + limit + ".");
        int after = 0;
        JsonNode a = body.path("after");
        if (!a.isMissingNode() && !a.isNull() && !a.asText().isEmpty()) {
            try {
                after = Integer.parseInt(a.asText());
            } catch (NumberFormatException e) {
                throw HubSpotException.validation("after must be a paging cursor from a previous answer, got '" + a.asText() + "'");
            }
            if (after < 0) throw HubSpotException.validation("after must not be negative");
        }
        if (after + limit > MAX_RESULTS) {
            throw HubSpotException.validation("The search endpoints are limited to " + MAX_RESULTS + " total results for any given query; after + limit is " + (after + limit) + ".");
        }
        Comparator<Rec> order = sort(type, body.path("sorts"));
        String query = body.path("query").isTextual() ? body.path("query").asText().trim() : "";

        List<Rec> hits = new ArrayList<>();
        for (Rec r : candidates) {
            if (!query.isEmpty() && !matchesQuery(type, r, query)) continue;
            if (!groups.isEmpty() && groups.stream().noneMatch(g -> g.stream().allMatch(f -> matches(type, r, f)))) continue;
            hits.add(r);
        }
        hits.sort(order);
        int from = Math.min(after, hits.size());
        int to = Math.min(from + limit, hits.size());
        return new Result(hits.subList(from, to), hits.size(), to < hits.size() ? to : null);
    }

    /**
     * {@code filterGroups}, plus a top-level {@code filters} array as one more group: HubSpot's own example of a
     * search through associations sends its filter that way, and ignoring it would answer every record.
     */
    private List<List<Filter>> parseGroups(JsonNode body) {
        List<JsonNode> given = new ArrayList<>();
        JsonNode node = body.path("filterGroups");
        if (!node.isMissingNode() && !node.isNull()) {
            if (!node.isArray()) throw HubSpotException.validation("filterGroups must be an array");
            node.forEach(given::add);
        }
        JsonNode loose = body.path("filters");
        if (!loose.isMissingNode() && !loose.isNull()) {
            if (!loose.isArray()) throw HubSpotException.validation("filters must be an array");
            given.add(Json.object().set("filters", loose));
        }
        List<List<Filter>> groups = new ArrayList<>();
        if (given.size() > MAX_GROUPS) {
            throw HubSpotException.validation("Too many filter groups: " + given.size() + ". The maximum number of filter groups is " + MAX_GROUPS + ".");
        }
        int total = 0;
        for (JsonNode g : given) {
            JsonNode fs = g.path("filters");
            if (!fs.isArray()) throw HubSpotException.validation("each filter group needs a filters array");
            if (fs.size() > MAX_FILTERS_PER_GROUP) {
                throw HubSpotException.validation("Too many filters in a filter group: " + fs.size() + ". A filter group can have at most " + MAX_FILTERS_PER_GROUP + " filters.");
            }
            total += fs.size();
            List<Filter> filters = new ArrayList<>();
            for (JsonNode f : fs) filters.add(parseFilter(f));
            if (!filters.isEmpty()) groups.add(filters);
        }
        if (total > MAX_FILTERS) {
            throw HubSpotException.validation("Too many filters: " + total + ". A search can have at most " + MAX_FILTERS + " filters in all filter groups.");
        }
        return groups;
    }

    private static Filter parseFilter(JsonNode f) {
        String property = f.path("propertyName").asText(null);
        String op = f.path("operator").asText(null);
        List<String> unset = new ArrayList<>();
        if (property == null || property.isBlank()) unset.add("propertyName");
        if (op == null || op.isBlank()) unset.add("operator");
        if (!unset.isEmpty()) {
            throw HubSpotException.validation("Invalid input JSON on line 1: Cannot build Filter, some of required attributes are not set " + unset);
        }
        if (!OPERATORS.contains(op)) {
            throw HubSpotException.validation("Unable to process JSON: Cannot deserialize value of type `FilterOperator` from String \""
                    + op + "\": not one of the values accepted for Enum class: " + OPERATORS.stream().sorted().toList());
        }
        if (property.startsWith(ASSOCIATIONS_PREFIX)) checkAssociationFilter(property, op);
        String value = f.hasNonNull("value") ? f.get("value").asText() : null;
        String high = f.hasNonNull("highValue") ? f.get("highValue").asText() : null;
        List<String> values = new ArrayList<>();
        f.path("values").forEach(v -> values.add(v.asText()));
        switch (op) {
            case "IN", "NOT_IN" -> {
                if (values.isEmpty()) throw HubSpotException.validation("operator " + op + " needs a non-empty values array (property " + property + ")");
            }
            case "BETWEEN" -> {
                if (value == null || high == null) throw HubSpotException.validation("operator BETWEEN needs value and highValue (property " + property + ")");
            }
            case "HAS_PROPERTY", "NOT_HAS_PROPERTY" -> {
                if (value != null) throw HubSpotException.validation("operator " + op + " takes no value (property " + property + ")");
            }
            default -> {
                if (value == null) throw HubSpotException.validation("operator " + op + " needs a value (property " + property + ")");
            }
        }
        return new Filter(property, op, value, high, values);
    }

    /** {@code associations.<objectType>}: a singular name of a HubSpot object type, and an operator on a set of ids. */
    private static void checkAssociationFilter(String property, String op) {
        String target = property.substring(ASSOCIATIONS_PREFIX.length());
        ObjectType simulated = HubSpotSchema.type(target);
        boolean singular = simulated != null ? simulated.singular().equals(target) : HubSpotSchema.isUnsimulatedSingular(target);
        if (!singular) {
            String hint = simulated != null ? " (did you mean " + ASSOCIATIONS_PREFIX + simulated.singular() + "?)" : "";
            throw HubSpotException.validation("Cannot filter on " + property + ": the pseudo-property is " + ASSOCIATIONS_PREFIX
                    + "{objectType} with a singular object type name such as " + ASSOCIATIONS_PREFIX + "contact" + hint);
        }
        if (!ASSOCIATION_OPERATORS.contains(op)) {
            throw HubSpotException.validation("operator " + op + " is not supported on " + property + " by the sandbox; use one of "
                    + ASSOCIATION_OPERATORS.stream().sorted().toList());
        }
    }

    /** The ids of the records associated with {@code r} of the pseudo-property's type; none of a type not simulated. */
    private Set<String> associatedIds(Rec r, String property) {
        ObjectType to = HubSpotSchema.type(property.substring(ASSOCIATIONS_PREFIX.length()));
        Set<String> ids = new HashSet<>();
        if (to != null) store.associationsOf(r, to.name()).forEach(a -> ids.add(Long.toString(a.toId())));
        return ids;
    }

    private boolean matchesAssociation(Rec r, Filter f) {
        Set<String> ids = associatedIds(r, f.property());
        return switch (f.operator()) {
            case "EQ" -> ids.contains(f.value().trim());
            case "NEQ" -> !ids.contains(f.value().trim());
            case "IN" -> f.values().stream().anyMatch(v -> ids.contains(v.trim()));
            case "NOT_IN" -> f.values().stream().noneMatch(v -> ids.contains(v.trim()));
            case "HAS_PROPERTY" -> !ids.isEmpty();
            case "NOT_HAS_PROPERTY" -> ids.isEmpty();
            default -> throw new IllegalStateException("checked when parsed: " + f.operator());
        };
    }

    private boolean matches(ObjectType type, Rec r, Filter f) {
        if (f.property().startsWith(ASSOCIATIONS_PREFIX)) return matchesAssociation(r, f);
        String v = r.get(f.property());
        boolean has = v != null && !v.isEmpty();
        Property p = schema.property(type, f.property());
        return switch (f.operator()) {
            case "HAS_PROPERTY" -> has;
            case "NOT_HAS_PROPERTY" -> !has;
            case "EQ" -> has && compare(p, v, f.value()) == 0;
            case "NEQ" -> !has || compare(p, v, f.value()) != 0;
            case "LT" -> has && compare(p, v, f.value()) < 0;
            case "LTE" -> has && compare(p, v, f.value()) <= 0;
            case "GT" -> has && compare(p, v, f.value()) > 0;
            case "GTE" -> has && compare(p, v, f.value()) >= 0;
            case "BETWEEN" -> has && compare(p, v, f.value()) >= 0 && compare(p, v, f.highValue()) <= 0;
            case "IN" -> has && f.values().stream().anyMatch(x -> compare(p, v, x) == 0);
            case "NOT_IN" -> !has || f.values().stream().noneMatch(x -> compare(p, v, x) == 0);
            case "CONTAINS_TOKEN" -> has && containsToken(v, f.value());
            case "NOT_CONTAINS_TOKEN" -> !has || !containsToken(v, f.value());
            default -> false;
        };
    }

    /** Numbers numerically, dates as instants (milliseconds or ISO), everything else case-insensitively. */
    static int compare(Property p, String stored, String wanted) {
        String type = p == null ? "string" : p.type();
        if (type.equals("number")) {
            try {
                return new BigDecimal(stored.trim()).compareTo(new BigDecimal(wanted.trim()));
            } catch (NumberFormatException e) {
                // fall through to text
            }
        }
        if (type.equals("datetime") || type.equals("date")) {
            Instant a = HubSpotStore.parseInstant(stored), b = HubSpotStore.parseInstant(wanted);
            if (a != null && b != null) return a.compareTo(b);
        }
        return stored.toLowerCase(Locale.ROOT).compareTo(wanted.toLowerCase(Locale.ROOT));
    }

    static List<String> tokens(String s) {
        return Arrays.stream(s.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")).filter(t -> !t.isEmpty()).toList();
    }

    /** A token (wildcards {@code *} allowed) or a phrase whose tokens all occur in the value. */
    static boolean containsToken(String stored, String token) {
        String lower = stored.toLowerCase(Locale.ROOT);
        String t = token.toLowerCase(Locale.ROOT).trim();
        if (t.contains("*")) {
            Pattern p = Pattern.compile(Arrays.stream(t.split("\\*", -1)).map(Pattern::quote).reduce((x, y) -> x + ".*" + y).orElse(""));
            if (p.matcher(lower).matches()) return true;
            return tokens(stored).stream().anyMatch(x -> p.matcher(x).matches());
        }
        if (lower.equals(t)) return true;
        List<String> have = tokens(stored);
        List<String> want = tokens(t);
        return !want.isEmpty() && have.containsAll(want);
    }

    private static boolean matchesQuery(ObjectType type, Rec r, String query) {
        List<String> words = tokens(query);
        for (String prop : QUERY_PROPERTIES.getOrDefault(type.name(), List.of())) {
            String v = r.get(prop);
            if (v == null) continue;
            if (v.toLowerCase(Locale.ROOT).startsWith(query.toLowerCase(Locale.ROOT))) return true;
            List<String> have = tokens(v);
            if (!words.isEmpty() && words.stream().allMatch(w -> have.stream().anyMatch(h -> h.startsWith(w)))) return true;
        }
        return false;
    }

    private Comparator<Rec> sort(ObjectType type, JsonNode sorts) {
        Comparator<Rec> byId = Comparator.comparingLong(r -> r.id);
        if (sorts.isMissingNode() || sorts.isNull() || (sorts.isArray() && sorts.isEmpty())) return byId;
        if (!sorts.isArray()) throw HubSpotException.validation("sorts must be an array");
        if (sorts.size() > 1) throw HubSpotException.validation("Only one sort is supported per search, got " + sorts.size() + ".");
        JsonNode s = sorts.get(0);
        String property;
        boolean descending;
        if (s.isTextual()) {
            String t = s.asText();
            descending = t.startsWith("-");
            property = descending ? t.substring(1) : t;
        } else {
            property = s.path("propertyName").asText(null);
            String dir = s.path("direction").asText("ASCENDING");
            if (!dir.equals("ASCENDING") && !dir.equals("DESCENDING")) {
                throw HubSpotException.validation("sort direction must be ASCENDING or DESCENDING, got " + dir);
            }
            descending = dir.equals("DESCENDING");
        }
        if (property == null || property.isBlank()) throw HubSpotException.validation("a sort needs a propertyName");
        Property p = schema.property(type, property);
        final String prop = property;
        Comparator<Rec> c = (x, y) -> {
            String a = x.get(prop), b = y.get(prop);
            if (a == null && b == null) return 0;
            if (a == null) return 1;   // records without a value come last either way
            if (b == null) return -1;
            int cmp = compare(p, a, b);
            return descending ? -cmp : cmp;
        };
        return c.thenComparing(byId);
    }
}
