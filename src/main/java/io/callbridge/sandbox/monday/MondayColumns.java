package io.callbridge.sandbox.monday;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.monday.MondayStore.Cell;
import io.callbridge.sandbox.monday.MondayWorkspace.Board;
import io.callbridge.sandbox.monday.MondayWorkspace.Column;

/**
 * Column values as monday validates and stores them. A write ({@code column_values} of create_item and
 * change_multiple_column_values, a value of change_column_value/change_simple_column_value) is checked whole before
 * anything changes: one bad column refuses the write with a {@code ColumnValueException} (or
 * {@code InvalidColumnIdException} for a column the board lacks).
 *
 * <p>Accepted per type (an empty string, {@code {}} or null clears a column):
 * <pre>
 * phone          {"phone":"+41791234567","countryShortName":"CH"} or "+41791234567 CH"; valid for that country (libphonenumber);
 *                stored as its digits (a leading + kept), which is also its text
 * email          {"email":"a@b.ch","text":"A"} or "a@b.ch" or "a@b.ch A"
 * date           {"date":"2026-05-01","time":"13:25:00"} (UTC, time optional) or "2026-05-01" or "2026-05-01 13:25:00"
 * status         {"label":"Lead"} or {"index":1} or "Lead"; an unknown label only with create_labels_if_missing: true
 * long_text      {"text":"…"} or "…", at most 2,000 characters
 * numbers        "12.5" (or a JSON number)
 * text           "…"
 * checkbox       {"checked":"true"} ({"checked":"false"} clears)
 * people         {"personsAndTeams":[{"id":60000001,"kind":"person"}]} or "60000001, 60000002"; users of the account only
 * board_relation {"item_ids":[9000000001]} or {"linkedPulseIds":[{"linkedPulseId":9000000001}]}; items of the connected boards
 * name           "…" (renames the item)
 * </pre>
 */
final class MondayColumns {

    static final int LONG_TEXT_MAX = 2000;
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    /** One validated column write: a new cell (null clears), a label still to create, or a new item name. */
    record Change(Column column, Cell cell, String newLabel, String newName) { }

    private final MondayWorkspace workspace;
    private final MondayStore store;
    private final Clock clock;

    MondayColumns(MondayWorkspace workspace, MondayStore store, Clock clock) {
        this.workspace = workspace;
        this.store = store;
        this.clock = clock;
    }

    /** The {@code column_values} argument, a JSON scalar: a JSON-encoded string holding an object, or an object. */
    static ObjectNode columnValuesArgument(Object arg) {
        if (arg == null) return Json.object();
        JsonNode node;
        if (arg instanceof String s) {
            if (s.isBlank()) return Json.object();
            try {
                node = Json.MAPPER.readTree(s);
            } catch (IOException e) {
                throw MondayError.columnValuesJson(e.getMessage().lines().findFirst().orElse(""));
            }
            // a value encoded twice (a JSON string holding the JSON text) is read as monday reads it
            if (node != null && node.isTextual()) return columnValuesArgument(node.asText());
        } else {
            node = Json.MAPPER.valueToTree(arg);
        }
        if (node == null || !node.isObject()) throw MondayError.columnValuesJson("column_values must be a JSON object keyed by column id");
        return (ObjectNode) node;
    }

    /** Validates every column of {@code values} against {@code board}. */
    List<Change> prepare(Board board, ObjectNode values, boolean createLabels) {
        List<Change> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Column c = board.column(e.getKey());
            if (c == null) throw MondayError.invalidColumnId(e.getKey());
            out.add(prepare(board, c, e.getValue(), createLabels));
        }
        return out;
    }

    /** {@code change_simple_column_value}: the column's simple string form. */
    Change prepareSimple(Board board, Column column, String value, boolean createLabels) {
        return prepare(board, column, value == null ? null : TextNode.valueOf(value), createLabels);
    }

    Change prepare(Board board, Column c, JsonNode raw, boolean createLabels) {
        if (c.type().equals("name")) {
            String name = raw == null || raw.isNull() ? "" : raw.asText();
            if (name.isBlank()) throw MondayError.columnValue("The item name cannot be empty", c, text(raw));
            return new Change(c, null, null, name);
        }
        if (isEmpty(raw)) return new Change(c, null, null, null);
        return switch (c.type()) {
            case "phone" -> new Change(c, phone(c, raw), null, null);
            case "email" -> new Change(c, email(c, raw), null, null);
            case "date" -> new Change(c, date(c, raw), null, null);
            case "status" -> status(c, raw, createLabels);
            case "long_text" -> new Change(c, longText(c, raw), null, null);
            case "numbers" -> new Change(c, numbers(c, raw), null, null);
            case "text" -> new Change(c, text(c, raw), null, null);
            case "checkbox" -> new Change(c, checkbox(c, raw), null, null);
            case "people" -> new Change(c, people(c, raw), null, null);
            case "board_relation" -> new Change(c, boardRelation(c, raw), null, null);
            default -> throw MondayError.columnValue("This column type cannot be changed through the API", c, text(raw));
        };
    }

    /** Writes validated changes (creating their labels); the caller has checked them all first. Each real change is told. */
    void apply(MondayStore.Item item, List<Change> changes) {
        write(item, changes, store.events());
    }

    /** A new item with validated values: told as one creation, not as changes of its columns. */
    MondayStore.Item create(Board board, String name, List<Change> changes) {
        MondayStore.Item item = store.create(board.id(), MondayWorkspace.GROUP_ID, name, clock.instant());
        write(item, changes, null);
        store.events().created(item);
        return item;
    }

    private void write(MondayStore.Item item, List<Change> changes, MondayStore.ItemEvents events) {
        for (Change ch : changes) {
            String id = ch.column().id();
            Cell before = item.cells.get(id);
            if (ch.newName() != null) {
                String old = item.name;
                item.name = ch.newName();
                if (events != null && !old.equals(item.name)) events.renamed(item, old);
                continue;
            }
            if (ch.newLabel() != null) {
                item.cells.put(id, statusCell(ch.column().addLabel(ch.newLabel()), ch.newLabel()));
            } else if (ch.cell() == null) {
                item.cells.remove(id);
            } else {
                item.cells.put(id, ch.cell());
            }
            Cell after = item.cells.get(id);
            if (events != null && !same(before, after)) events.columnChanged(item, id, before, after);
        }
        item.updatedAt = clock.instant();
    }

    /** The same value, whenever it was written ({@code changed_at} aside): monday tells of no change then. */
    private static boolean same(Cell a, Cell b) {
        if (a == null || b == null) return a == b;
        return java.util.Objects.equals(a.text(), b.text()) && withoutTime(a.value()).equals(withoutTime(b.value()));
    }

    private static JsonNode withoutTime(JsonNode v) {
        if (!v.isObject() || !v.has("changed_at")) return v;
        ObjectNode copy = ((ObjectNode) v).deepCopy();
        copy.remove("changed_at");
        return copy;
    }

    private static boolean isEmpty(JsonNode raw) {
        return raw == null || raw.isNull() || (raw.isTextual() && raw.asText().isEmpty()) || (raw.isObject() && raw.isEmpty());
    }

    private static String text(JsonNode raw) {
        return raw == null || raw.isNull() ? "null" : raw.isTextual() ? raw.asText() : raw.toString();
    }

    private String changedAt() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
    }

    // ---- per type -----------------------------------------------------------------------------

    private Cell phone(Column c, JsonNode raw) {
        String number;
        String country;
        if (raw.isTextual()) {
            String s = raw.asText().trim();
            int sp = s.lastIndexOf(' ');
            if (sp < 0) throw MondayError.columnValue("Phone number must be followed by a country short name (e.g. \"+41791234567 CH\")", c, s);
            number = s.substring(0, sp).trim();
            country = s.substring(sp + 1).trim();
        } else if (raw.isObject()) {
            number = raw.path("phone").asText("").trim();
            country = raw.path("countryShortName").asText("").trim();
        } else {
            throw MondayError.columnValue("Invalid phone column value", c, text(raw));
        }
        if (number.isEmpty()) throw MondayError.columnValue("Phone number is missing", c, text(raw));
        if (!country.matches("[A-Za-z]{2}")) throw MondayError.columnValue("Invalid country short name: " + country, c, text(raw));
        country = country.toUpperCase(java.util.Locale.ROOT);
        boolean valid;
        try {
            Phonenumber.PhoneNumber pn = PHONES.parse(number, country);
            valid = PHONES.isValidNumberForRegion(pn, country);
        } catch (NumberParseException e) {
            valid = false;
        }
        if (!valid) throw MondayError.columnValue("Phone number " + number + " is not valid for the country " + country, c, text(raw));
        String digits = (number.startsWith("+") ? "+" : "") + number.replaceAll("\\D", "");
        ObjectNode v = Json.object().put("phone", digits).put("countryShortName", country).put("changed_at", changedAt());
        return new Cell(v, digits);
    }

    private Cell email(Column c, JsonNode raw) {
        String email;
        String label;
        if (raw.isTextual()) {
            String s = raw.asText().trim();
            int sp = s.indexOf(' ');
            email = sp < 0 ? s : s.substring(0, sp);
            label = sp < 0 ? s : s.substring(sp + 1).trim();
        } else if (raw.isObject()) {
            email = raw.path("email").asText("").trim();
            label = raw.path("text").asText(email);
        } else {
            throw MondayError.columnValue("Invalid email column value", c, text(raw));
        }
        if (!EMAIL.matcher(email).matches()) throw MondayError.columnValue("Invalid email address: " + email, c, text(raw));
        ObjectNode v = Json.object().put("email", email).put("text", label.isBlank() ? email : label).put("changed_at", changedAt());
        return new Cell(v, email);
    }

    private Cell date(Column c, JsonNode raw) {
        String date;
        String time;
        if (raw.isTextual()) {
            String[] parts = raw.asText().trim().split("\\s+");
            if (parts.length > 2) throw MondayError.columnValue("Invalid date format, use YYYY-MM-DD or YYYY-MM-DD HH:MM:SS", c, text(raw));
            date = parts[0];
            time = parts.length == 2 ? parts[1] : null;
        } else if (raw.isObject()) {
            date = raw.path("date").asText("");
            time = raw.hasNonNull("time") && !raw.get("time").asText().isEmpty() ? raw.get("time").asText() : null;
        } else {
            throw MondayError.columnValue("Invalid date column value", c, text(raw));
        }
        try {
            LocalDate.parse(date);
            if (time != null) time = LocalTime.parse(time).format(TIME);
        } catch (DateTimeParseException e) {
            throw MondayError.columnValue("Invalid date format, use YYYY-MM-DD and HH:MM:SS (UTC)", c, text(raw));
        }
        ObjectNode v = Json.object().put("date", date);
        if (time != null) v.put("time", time);
        v.put("changed_at", changedAt());
        return new Cell(v, time == null ? date : date + " " + time);
    }

    private Change status(Column c, JsonNode raw, boolean createLabels) {
        Integer index = null;
        String label = null;
        if (raw.isTextual()) {
            label = raw.asText();
        } else if (raw.isObject() && raw.has("label")) {
            label = raw.get("label").asText();
        } else if (raw.isObject() && raw.has("index") && raw.get("index").canConvertToInt()
                || raw.isObject() && raw.path("index").asText().matches("\\d+")) {
            index = raw.get("index").asInt();
        } else {
            throw MondayError.columnValue("Invalid status column value, use {\"label\": …} or {\"index\": …}", c, text(raw));
        }
        Map<Integer, String> labels = c.labels();
        if (index != null) {
            if (!labels.containsKey(index)) throw MondayError.columnValue("This status index doesn't exist, possible statuses are: " + possible(labels), c, text(raw));
            return new Change(c, statusCell(index, labels.get(index)), null, null);
        }
        Integer known = c.indexOf(label);
        if (known != null) return new Change(c, statusCell(known, label), null, null);
        if (!createLabels) throw MondayError.columnValue("This status label doesn't exist, possible statuses are: " + possible(labels), c, text(raw));
        return new Change(c, null, label, null);
    }

    private static String possible(Map<Integer, String> labels) {
        StringJoiner j = new StringJoiner(", ", "{", "}");
        labels.forEach((k, v) -> j.add(k + ": " + v));
        return j.toString();
    }

    private Cell statusCell(int index, String label) {
        ObjectNode v = Json.object().put("index", index);
        v.putNull("post_id");
        v.put("changed_at", changedAt());
        return new Cell(v, label);
    }

    private Cell longText(Column c, JsonNode raw) {
        String t;
        if (raw.isTextual()) t = raw.asText();
        else if (raw.isObject() && raw.has("text")) t = raw.get("text").asText();
        else throw MondayError.columnValue("Invalid long text column value, use {\"text\": …}", c, text(raw));
        if (t.length() > LONG_TEXT_MAX) {
            throw MondayError.columnValue("Long text column value is longer than " + LONG_TEXT_MAX + " characters", c,
                    t.substring(0, 50) + "… (" + t.length() + " characters)");
        }
        return new Cell(Json.object().put("text", t).put("changed_at", changedAt()), t);
    }

    private Cell numbers(Column c, JsonNode raw) {
        String s = raw.isNumber() ? raw.asText() : raw.isTextual() ? raw.asText().trim() : null;
        try {
            if (s == null) throw new NumberFormatException();
            new BigDecimal(s);
        } catch (NumberFormatException e) {
            throw MondayError.columnValue("Numbers column only accepts numeric values", c, text(raw));
        }
        return new Cell(TextNode.valueOf(s), s);
    }

    private Cell text(Column c, JsonNode raw) {
        if (!raw.isValueNode()) throw MondayError.columnValue("Text column value must be a string", c, text(raw));
        return new Cell(TextNode.valueOf(raw.asText()), raw.asText());
    }

    private Cell checkbox(Column c, JsonNode raw) {
        JsonNode checked = raw.isObject() ? raw.get("checked") : null;
        if (checked == null || !(checked.isBoolean() || checked.isTextual())) {
            throw MondayError.columnValue("Invalid checkbox column value, use {\"checked\": \"true\"}", c, text(raw));
        }
        String s = checked.asText();
        if (s.equals("false")) return null;
        if (!s.equals("true")) throw MondayError.columnValue("Invalid checkbox column value, use {\"checked\": \"true\"}", c, text(raw));
        return new Cell(Json.object().put("checked", "true").put("changed_at", changedAt()), "v");
    }

    private Cell people(Column c, JsonNode raw) {
        List<String> ids = new ArrayList<>();
        if (raw.isTextual()) {
            for (String s : raw.asText().split(",")) if (!s.isBlank()) ids.add(s.trim());
        } else if (raw.isObject() && raw.path("personsAndTeams").isArray()) {
            for (JsonNode p : raw.get("personsAndTeams")) {
                String kind = p.path("kind").asText("person");
                if (!kind.equals("person")) throw MondayError.columnValue("There is no team with id " + p.path("id").asText(), c, text(raw));
                ids.add(p.path("id").asText());
            }
        } else {
            throw MondayError.columnValue("Invalid people column value, use {\"personsAndTeams\": [{\"id\": …, \"kind\": \"person\"}]}", c, text(raw));
        }
        ArrayNode persons = Json.array();
        StringJoiner names = new StringJoiner(", ");
        for (String id : new LinkedHashSet<>(ids)) {
            MondayWorkspace.User u = workspace.user(id);
            if (u == null) throw MondayError.columnValue("The user with id " + id + " does not exist in this account", c, text(raw));
            persons.addObject().put("id", Long.parseLong(u.id())).put("kind", "person");
            names.add(u.name());
        }
        if (persons.isEmpty()) return null;
        ObjectNode v = Json.object();
        v.set("personsAndTeams", persons);
        v.put("changed_at", changedAt());
        return new Cell(v, names.toString());
    }

    private Cell boardRelation(Column c, JsonNode raw) {
        List<String> ids = new ArrayList<>();
        if (raw.isObject() && raw.path("item_ids").isArray()) {
            raw.get("item_ids").forEach(i -> ids.add(i.asText()));
        } else if (raw.isObject() && raw.path("linkedPulseIds").isArray()) {
            raw.get("linkedPulseIds").forEach(i -> ids.add(i.path("linkedPulseId").asText()));
        } else {
            throw MondayError.columnValue("Invalid connect boards column value, use {\"item_ids\": [...]}", c, text(raw));
        }
        ArrayNode linked = Json.array();
        StringJoiner names = new StringJoiner(", ");
        Set<String> seen = new LinkedHashSet<>();
        for (String id : ids) {
            if (!seen.add(id)) continue;
            MondayStore.Item it = store.item(id);
            if (it == null || (!c.boardIds().isEmpty() && !c.boardIds().contains(it.boardId))) {
                throw MondayError.columnValue("Item " + id + " does not exist on the connected boards " + c.boardIds(), c, text(raw));
            }
            linked.addObject().put("linkedPulseId", Long.parseLong(id));
            names.add(it.name);
        }
        if (linked.isEmpty()) return null;
        ObjectNode v = Json.object();
        v.set("linkedPulseIds", linked);
        return new Cell(v, names.toString());
    }

    /** The board's column or {@code InvalidColumnIdException}. */
    static Column column(Board board, String columnId) {
        Column c = board.column(columnId);
        if (c == null) throw MondayError.invalidColumnId(columnId);
        return c;
    }
}
