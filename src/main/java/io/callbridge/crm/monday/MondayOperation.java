package io.callbridge.crm.monday;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The GraphQL operations Callbridge sends to monday, each a fixed document whose every value is a variable: templates
 * name an operation and give its variables, never a query text, so no value is ever concatenated into a query. An
 * operation's fields are aliased, so several operations join one request by prefixing the aliases and suffixing the
 * variables ({@link #document}); every document also asks for the complexity budget left.
 */
enum MondayOperation {

    /** A new item on a board; {@code columns} is the column values, keyed by column id. */
    CREATE_ITEM("create_item", true, vars("board", "ID!", "name", "String!", "columns", "JSON"),
            "item: create_item(board_id: $board, item_name: $name, column_values: $columns) { id }"),
    /** A call item, and the call's summary as an update on the caller's item. */
    LOG_CALL("log_call", true, vars("board", "ID!", "name", "String!", "columns", "JSON", "contact", "ID!", "note", "String!"),
            "item: create_item(board_id: $board, item_name: $name, column_values: $columns) { id } "
                    + "note: create_update(item_id: $contact, body: $note) { id }"),
    /** Column values of an item changed; answers the item as it is now. */
    CHANGE_COLUMNS("change_columns", true, vars("board", "ID!", "item", "ID!", "columns", "JSON!"),
            "item: change_multiple_column_values(board_id: $board, item_id: $item, column_values: $columns) "
                    + "{ id name column_values { id type text value } }"),
    /** An update (a post) on an item. */
    CREATE_UPDATE("create_update", true, vars("item", "ID!", "body", "String!"),
            "update: create_update(item_id: $item, body: $body) { id }"),
    /** The items of a board whose command-id column holds a value (what may have been written before a crash). */
    FIND_BY_COMMAND_ID("find_by_command_id", false, vars("board", "ID!", "column", "String!", "value", "String!"),
            "found: items_page_by_column_values(board_id: $board, limit: 1, columns: [{column_id: $column, column_values: [$value]}]) "
                    + "{ items { id name column_values { id text } } }"),
    /** Items of a board matching rules (caller search: the phone columns containing the number's digits). */
    SEARCH_ITEMS("search_items", false, vars("board", "ID!", "rules", "[ItemsQueryRule!]", "limit", "Int!"),
            "boards(ids: [$board]) { items_page(limit: $limit, query_params: {rules: $rules, operator: or}) "
                    + "{ items { " + Fields.ITEM + " } } }"),
    /** The first page of a board's items, unfiltered (a caller directory's listing). */
    LIST_ITEMS("list_items", false, vars("board", "ID!", "limit", "Int!"),
            "boards(ids: [$board]) { items_page(limit: $limit) { cursor items { " + Fields.ITEM + " } } }"),
    /** The page after a listing's cursor. */
    NEXT_ITEMS("next_items", false, vars("cursor", "String!", "limit", "Int!"),
            "next_items_page(cursor: $cursor, limit: $limit) { cursor items { " + Fields.ITEM + " } }"),
    /** Items by id as they are now, with their board (a changed caller read again); deleted and archived ones left out. */
    READ_ITEMS("read_items", false, vars("ids", "[ID!]", "limit", "Int"),
            "items(ids: $ids, limit: $limit, exclude_nonactive: true) { board { id } " + Fields.ITEM + " }"),
    /** The account's users, for owner names. */
    USERS("users", false, vars(), "users { id name }"),
    /** Who the token is: the cheapest authenticated read. */
    ME("me", false, vars(), "me { id }"),
    /** The webhooks this app made on a board (change notifications: one per event type is kept, not made twice). */
    WEBHOOKS("webhooks", false, vars("board", "ID!"), "hooks: webhooks(board_id: $board, app_webhooks_only: true) { id event }"),
    /** A webhook of a board for one event type; monday checks the URL with its challenge before it answers. */
    CREATE_WEBHOOK("create_webhook", true, vars("board", "ID!", "url", "String!", "event", "WebhookEventType!"),
            "hook: create_webhook(board_id: $board, url: $url, event: $event) { id event }");

    /** Selections several operations share (an enum constant cannot name a static field of its own enum). */
    private static final class Fields {
        /** An item as a caller search reads it: search, listing and read answer the same, parsed once. */
        static final String ITEM = "id name updated_at column_values { id type text value }";
    }

    private static final Pattern VARIABLE = Pattern.compile("\\$([a-z]+)");
    private static final Pattern ALIAS = Pattern.compile("(^| )([a-z]+): ([a-z_]+)\\(");

    private final String id;
    private final boolean mutation;
    private final Map<String, String> variables;
    private final String selection;

    MondayOperation(String id, boolean mutation, Map<String, String> variables, String selection) {
        this.id = id;
        this.mutation = mutation;
        this.variables = variables;
        this.selection = selection;
    }

    /** The name templates use ({@code "operation": "create_item"}). */
    String id() {
        return id;
    }

    boolean mutation() {
        return mutation;
    }

    /** Variable name → GraphQL type. */
    Map<String, String> variables() {
        return variables;
    }

    static MondayOperation of(String id) {
        for (MondayOperation o : values()) {
            if (o.id.equals(id)) {
                return o;
            }
        }
        throw new IllegalArgumentException("no monday operation '" + id + "' (operations: " + List.of(values()) + ")");
    }

    /** The operation alone: its aliases and variables as written. */
    String document() {
        return document(List.of(this));
    }

    /**
     * Several operations of one kind in one document: the i-th one's aliases prefixed {@code r<i>_} and its variables
     * suffixed {@code _<i>}; a single operation keeps its own names. The complexity left comes with every answer.
     */
    static String document(List<MondayOperation> operations) {
        boolean single = operations.size() == 1;
        StringBuilder declarations = new StringBuilder();
        StringBuilder fields = new StringBuilder();
        for (int i = 0; i < operations.size(); i++) {
            MondayOperation o = operations.get(i);
            for (Map.Entry<String, String> v : o.variables.entrySet()) {
                declarations.append(declarations.length() == 0 ? "" : ", ").append('$').append(name(v.getKey(), i, single))
                        .append(": ").append(v.getValue());
            }
            String suffix = single ? "" : "_" + i;
            String prefix = single ? "" : "r" + i + "_";
            String fieldsOf = VARIABLE.matcher(o.selection).replaceAll(m -> Matcher.quoteReplacement("$" + m.group(1) + suffix));
            fields.append(ALIAS.matcher(fieldsOf).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + prefix + m.group(2) + ": "
                    + m.group(3) + "("))).append(' ');
        }
        String kind = operations.get(0).mutation ? "mutation" : "query";
        return kind + (declarations.length() == 0 ? "" : " (" + declarations + ")") + " { " + fields
                + "complexity { after reset_in_x_seconds } }";
    }

    /** A variable's name in a document of several operations. */
    static String name(String variable, int index, boolean single) {
        return single ? variable : variable + "_" + index;
    }

    /** A result's alias in a document of several operations. */
    static String alias(String alias, int index, boolean single) {
        return single ? alias : "r" + index + "_" + alias;
    }

    private static Map<String, String> vars(String... nameThenType) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < nameThenType.length; i += 2) {
            out.put(nameThenType[i], nameThenType[i + 1]);
        }
        return out;
    }

    @Override
    public String toString() {
        return id;
    }
}
