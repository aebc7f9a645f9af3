package io.callbridge.sandbox.monday;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import graphql.ErrorType;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.DataFetcherExceptionHandlerResult;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.language.Argument;
import graphql.language.AstPrinter;
import graphql.language.Definition;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.InlineFragment;
import graphql.language.Node;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.SourceLocation;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.idl.FieldWiringEnvironment;
import graphql.schema.idl.InterfaceWiringEnvironment;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import graphql.schema.idl.WiringFactory;
import graphql.validation.ValidationError;
import graphql.validation.ValidationErrorType;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.monday.MondayStore.Cell;
import io.callbridge.sandbox.monday.MondayStore.Item;
import io.callbridge.sandbox.monday.MondayWorkspace.Board;
import io.callbridge.sandbox.monday.MondayWorkspace.Column;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GraphQL endpoint: every query is parsed and validated with graphql-java against the sandbox's own SDL
 * ({@code monday-subset.graphqls}), priced ({@link MondayComplexity}), charged to the budget, then executed by the
 * resolvers below. Parse and validation errors answer HTTP 200 with {@code errors[]} and no {@code data}, as monday
 * documents for "Parse error on …" (messages in graphql-ruby's wording, which monday's documented examples use).
 */
final class MondayGraphql {

    private static final Logger LOG = LoggerFactory.getLogger(MondayGraphql.class);
    static final String SDL_RESOURCE = "monday-subset.graphqls";
    static final int MAX_PAGE = 500;
    /** monday's documentation of {@code items}: up to 100 ids, and up to 100 items a page (the schema does not say). */
    static final int MAX_ITEM_IDS = 100;
    static final int MAX_ITEMS = 100;
    static final Duration CURSOR_LIFETIME = Duration.ofMinutes(60);
    private static final Object ROOT = new Object();
    private static final Map<String, String> VALUE_TYPES = Map.ofEntries(Map.entry("phone", "PhoneValue"), Map.entry("email", "EmailValue"),
            Map.entry("date", "DateValue"), Map.entry("status", "StatusValue"), Map.entry("text", "TextValue"),
            Map.entry("long_text", "LongTextValue"), Map.entry("numbers", "NumbersValue"), Map.entry("checkbox", "CheckboxValue"),
            Map.entry("people", "PeopleValue"), Map.entry("board_relation", "BoardRelationValue"));

    /** What a query's resolvers know of the request: its budget and the API version it is served in. */
    record Call(MondayLimits.Budget budget, String version, List<ObjectNode> versions) { }

    /** The answer: HTTP status, body, and the budget charged (null when nothing ran). */
    record Answer(int status, ObjectNode body, MondayLimits.Budget budget) { }

    private record Cursor(String boardId, Predicate<Item> filter, long afterId, Instant expires) { }

    private final MondayWorkspace workspace;
    private final MondayStore store;
    private final MondayColumns columns;
    private final MondayWebhooks webhooks;
    private final Clock clock;
    private final GraphQLSchema schema;
    private final GraphQL graphql;
    private final Map<String, Cursor> cursors = new HashMap<>();
    private long cursorSeq;

    MondayGraphql(MondayWorkspace workspace, MondayStore store, MondayWebhooks webhooks, Clock clock) {
        this.workspace = workspace;
        this.webhooks = webhooks;
        this.store = store;
        this.clock = clock;
        this.columns = new MondayColumns(workspace, store, clock);
        this.schema = buildSchema(new Wiring());
        DataFetcherExceptionHandler handler = params -> {
            Throwable t = params.getException();
            DataFetchingEnvironment env = params.getDataFetchingEnvironment();
            MondayError e;
            if (t instanceof MondayError me) {
                e = me;
            } else {
                LOG.warn("monday sandbox resolver failed on {}: {}", params.getPath(), t.toString(), t);
                e = MondayError.internal(500);
            }
            GraphQLError err = GraphqlErrorBuilder.newError(env).message("%s", e.getMessage())
                    .extensions(Json.MAPPER.convertValue(e.extensions(), Map.class)).build();
            return CompletableFuture.completedFuture(DataFetcherExceptionHandlerResult.newResult(err).build());
        };
        this.graphql = GraphQL.newGraphQL(schema).defaultDataFetcherExceptionHandler(handler)
                .preparsedDocumentProvider((input, parseAndValidate) -> CompletableFuture.completedFuture(
                        new PreparsedDocumentEntry((Document) input.getGraphQLContext().get(Document.class))))
                .build();
    }

    static String sdl() {
        try (InputStream in = MondayGraphql.class.getResourceAsStream(SDL_RESOURCE)) {
            if (in == null) throw new IllegalStateException(SDL_RESOURCE + " is missing from the class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static GraphQLSchema buildSchema(WiringFactory factory) {
        TypeDefinitionRegistry types = new SchemaParser().parse(sdl());
        RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring().scalar(MondayScalars.JSON).scalar(MondayScalars.DATE)
                .scalar(MondayScalars.COMPARE_VALUE).wiringFactory(factory).build();
        return new SchemaGenerator().makeExecutableSchema(types, wiring);
    }

    GraphQLSchema schema() {
        return schema;
    }

    /** See {@link MondaySandbox#journalNote}; null for a document that does not parse. */
    static String note(String query) {
        Document doc;
        try {
            doc = Parser.parse(query);
        } catch (InvalidSyntaxException e) {
            return null;
        }
        Set<String> roots = new LinkedHashSet<>();
        boolean filtered = false;
        for (Definition<?> d : doc.getDefinitions()) {
            SelectionSet set = d instanceof OperationDefinition op ? op.getSelectionSet()
                    : d instanceof FragmentDefinition f ? f.getSelectionSet() : null;
            if (d instanceof OperationDefinition) {
                for (Selection<?> sel : set.getSelections()) {
                    if (sel instanceof Field f && !f.getName().equals("complexity")) roots.add(f.getName());
                }
            }
            filtered |= filtersItems(set);
        }
        return roots.isEmpty() ? null : String.join(",", roots) + (filtered ? " query_params" : "");
    }

    /** Whether an {@code items_page} in the selection, however deep, has {@code query_params}. */
    private static boolean filtersItems(SelectionSet set) {
        if (set == null) return false;
        for (Selection<?> sel : set.getSelections()) {
            if (sel instanceof Field f) {
                if (f.getName().equals("items_page") && f.getArguments().stream().anyMatch(a -> a.getName().equals("query_params"))) return true;
                if (filtersItems(f.getSelectionSet())) return true;
            } else if (sel instanceof InlineFragment i && filtersItems(i.getSelectionSet())) {
                return true;
            }
        }
        return false;
    }

    void reset() {
        cursors.clear();
        cursorSeq = 0;
    }

    /**
     * Parses, validates, prices and runs one request. {@code spend} charges the query's cost and answers the budget
     * (refused: nothing runs and the answer is COMPLEXITY_BUDGET_EXHAUSTED).
     */
    Answer run(String query, String operationName, Map<String, Object> variables, LongFunction<MondayLimits.Budget> spend,
               String version, List<ObjectNode> versions) {
        Document doc;
        try {
            doc = Parser.parse(query);
        } catch (InvalidSyntaxException e) {
            return new Answer(200, errors(List.of(parseError(e))), null);
        }
        List<ValidationError> invalid = new graphql.validation.Validator().validateDocument(schema, doc, Locale.ENGLISH);
        if (!invalid.isEmpty()) {
            List<ObjectNode> errs = new ArrayList<>();
            for (ValidationError v : invalid) errs.add(validationError(v, doc));
            return new Answer(200, errors(errs), null);
        }
        OperationDefinition op = operation(doc, operationName);
        if (op == null) {
            MondayError e = new MondayError("GRAPHQL_VALIDATION_FAILED", operationName == null
                    ? "An operation name is required when the document has several operations" : "No operation named '" + operationName + "'",
                    200, null, null);
            return new Answer(200, errors(List.of(e.toJson())), null);
        }
        long cost = MondayComplexity.cost(op, doc.getDefinitionsOfType(FragmentDefinition.class), variables);
        if (cost > MondayComplexity.MAX_PER_QUERY) {
            MondayError e = MondayError.maxComplexity(cost, MondayComplexity.MAX_PER_QUERY);
            return new Answer(e.httpStatus(), errors(List.of(e.toJson())), null);
        }
        MondayLimits.Budget budget = spend.apply(cost);
        if (!budget.allowed()) {
            MondayError e = MondayError.budgetExhausted(cost, budget.before(), budget.limit(), budget.resetInSeconds());
            return new Answer(e.httpStatus(), errors(List.of(e.toJson())), budget);
        }
        Map<Object, Object> context = new HashMap<>();
        context.put(Document.class, doc);
        context.put(Call.class, new Call(budget, version, versions));
        ExecutionInput input = ExecutionInput.newExecutionInput().query(query).operationName(operationName)
                .variables(variables == null ? Map.of() : variables).root(ROOT).graphQLContext(context).build();
        ExecutionResult result = graphql.execute(input);
        ObjectNode body = Json.object();
        if (result.isDataPresent()) body.set("data", Json.MAPPER.valueToTree(result.getData()));
        if (!result.getErrors().isEmpty()) {
            ArrayNode a = body.putArray("errors");
            for (GraphQLError e : result.getErrors()) {
                ObjectNode o = Json.MAPPER.valueToTree(e.toSpecification());
                if (!o.path("extensions").has("code")) {
                    ObjectNode ext = o.has("extensions") ? (ObjectNode) o.get("extensions") : o.putObject("extensions");
                    ext.remove("classification");
                    ext.put("code", e.getErrorType() == ErrorType.ValidationError ? "GRAPHQL_VALIDATION_FAILED" : "INTERNAL_SERVER_ERROR");
                }
                a.add(o);
            }
        }
        return new Answer(200, body, budget);
    }

    private static OperationDefinition operation(Document doc, String name) {
        List<OperationDefinition> ops = doc.getDefinitionsOfType(OperationDefinition.class);
        if (name == null || name.isEmpty()) return ops.size() == 1 ? ops.get(0) : null;
        for (OperationDefinition o : ops) if (name.equals(o.getName())) return o;
        return null;
    }

    private static ObjectNode errors(List<ObjectNode> errs) {
        ObjectNode o = Json.object();
        ArrayNode a = o.putArray("errors");
        errs.forEach(a::add);
        return o;
    }

    private static ArrayNode locations(List<SourceLocation> locations) {
        ArrayNode a = Json.array();
        if (locations != null) {
            for (SourceLocation l : locations) if (l != null) a.addObject().put("line", l.getLine()).put("column", l.getColumn());
        }
        return a;
    }

    // ---- parse and validation errors in graphql-ruby's wording --------------------------------

    private static final Map<String, String> TOKENS = Map.ofEntries(Map.entry("{", "LCURLY"), Map.entry("}", "RCURLY"),
            Map.entry("(", "LPAREN"), Map.entry(")", "RPAREN"), Map.entry("[", "LBRACKET"), Map.entry("]", "RBRACKET"),
            Map.entry(":", "COLON"), Map.entry("$", "VAR_SIGN"), Map.entry("!", "BANG"), Map.entry("=", "EQUALS"),
            Map.entry("...", "ELLIPSIS"), Map.entry("@", "DIR_SIGN"), Map.entry("|", "PIPE"), Map.entry("&", "AMP"));

    static ObjectNode parseError(InvalidSyntaxException e) {
        SourceLocation l = e.getLocation();
        String token = e.getOffendingToken();
        String message;
        if (token == null || token.isEmpty() || token.equals("<EOF>")) {
            message = "Unexpected end of document";
        } else {
            String kind = TOKENS.getOrDefault(token, token.startsWith("\"") ? "STRING" : token.matches("-?\\d+") ? "INT"
                    : token.matches("-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?") ? "FLOAT" : "IDENTIFIER");
            message = "Parse error on \"" + token.replace("\"", "\\\"") + "\" (" + kind + ")"
                    + (l == null ? "" : " at [" + l.getLine() + ", " + l.getColumn() + "]");
        }
        ObjectNode o = Json.object();
        o.put("message", message);
        o.set("locations", locations(l == null ? List.of() : List.of(l)));
        o.putObject("extensions").put("code", "GRAPHQL_PARSE_FAILED");
        return o;
    }

    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");

    private static List<String> quoted(String s) {
        List<String> out = new ArrayList<>();
        Matcher m = QUOTED.matcher(s == null ? "" : s);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    /** The argument {@code name} at {@code at} in the document, or null. */
    private static Argument argumentAt(Node<?> node, String name, SourceLocation at) {
        if (node instanceof Argument a && a.getName().equals(name) && a.getSourceLocation() != null
                && a.getSourceLocation().getLine() == at.getLine() && a.getSourceLocation().getColumn() == at.getColumn()) {
            return a;
        }
        for (Node<?> child : node.getChildren()) {
            Argument found = argumentAt(child, name, at);
            if (found != null) return found;
        }
        return null;
    }

    /** The declared type of an argument of the field at {@code path} (field names from the root), or null. */
    private static String argumentType(GraphQLSchema schema, String opType, List<String> path, String argument) {
        GraphQLType type = opType.equals("mutation") ? schema.getMutationType() : schema.getQueryType();
        GraphQLFieldDefinition field = null;
        for (String name : path) {
            if (!(GraphQLTypeUtil.unwrapAll(type) instanceof GraphQLFieldsContainer c)) return null;
            field = c.getFieldDefinition(name);
            if (field == null) return null;
            type = field.getType();
        }
        GraphQLArgument a = field == null ? null : field.getArgument(argument);
        return a == null ? null : GraphQLTypeUtil.simplePrint(a.getType());
    }

    ObjectNode validationError(ValidationError v, Document doc) {
        String description = v.getDescription() != null ? v.getDescription() : v.getMessage();
        List<String> q = quoted(description);
        List<String> path = v.getQueryPath() == null ? List.of() : v.getQueryPath();
        String field = path.isEmpty() ? "" : path.get(path.size() - 1);
        String opType = "query";
        List<OperationDefinition> ops = doc.getDefinitionsOfType(OperationDefinition.class);
        if (ops.size() == 1 && ops.get(0).getOperation() == OperationDefinition.Operation.MUTATION) opType = "mutation";
        ObjectNode ext = Json.object();
        String message;
        Object type = v.getValidationErrorType();
        if (type == ValidationErrorType.FieldUndefined && q.size() >= 2) {
            message = "Field '" + q.get(0) + "' doesn't exist on type '" + q.get(1) + "'";
            ext.put("code", "undefinedField").put("typeName", q.get(1)).put("fieldName", q.get(0));
        } else if (type == ValidationErrorType.UnknownArgument && !q.isEmpty()) {
            message = "Field '" + field + "' doesn't accept argument '" + q.get(0) + "'";
            ext.put("code", "argumentNotAccepted").put("name", field).put("typeName", "Field").put("argumentName", q.get(0));
        } else if (type == ValidationErrorType.MissingFieldArgument && !q.isEmpty()) {
            message = "Field '" + field + "' is missing required arguments: " + q.get(0);
            ext.put("code", "missingRequiredArguments").put("className", "Field").put("name", field).put("arguments", q.get(0));
        } else if (type == ValidationErrorType.SubselectionRequired && q.size() >= 2) {
            message = "Field must have selections (field '" + q.get(1) + "' returns " + q.get(0) + " but has no selections. Did you mean '"
                    + q.get(1) + " { ... }'?)";
            ext.put("code", "selectionMismatch").put("nodeName", q.get(1)).put("typeName", q.get(0));
        } else if (type == ValidationErrorType.SubselectionNotAllowed && q.size() >= 2) {
            message = "Selections can't be made on scalars (field '" + q.get(1) + "' returns " + q.get(0) + " but has selections)";
            ext.put("code", "selectionMismatch").put("nodeName", q.get(1)).put("typeName", q.get(0));
        } else if ((type == ValidationErrorType.WrongType || type == ValidationErrorType.NullValueForNonNullArgument) && !q.isEmpty()) {
            String argument = q.get(0).split("[.\\[]")[0];
            Argument node = v.getLocations() == null || v.getLocations().isEmpty() ? null : argumentAt(doc, argument, v.getLocations().get(0));
            String expected = argumentType(schema, opType, path, argument);
            message = "Argument '" + argument + "' on Field '" + field + "' has an invalid value"
                    + (node == null ? "" : " (" + AstPrinter.printAst(node.getValue()) + ")") + (expected == null ? "." : ". Expected type '" + expected + "'.");
            ext.put("code", "argumentLiteralsIncompatible").put("typeName", "Field").put("argumentName", argument);
        } else if (type == ValidationErrorType.UndefinedVariable && !q.isEmpty()) {
            message = "Variable $" + q.get(0) + " is used by " + opType + " but not declared";
            ext.put("code", "variableNotDefined").put("variableName", q.get(0));
        } else if (type == ValidationErrorType.UnusedVariable && !q.isEmpty()) {
            message = "Variable $" + q.get(0) + " is declared by " + opType + " but not used";
            ext.put("code", "variableNotUsed").put("variableName", q.get(0));
        } else if (type == ValidationErrorType.VariableTypeMismatch && q.size() >= 3) {
            message = "Type mismatch on variable $" + q.get(0) + " in field '" + field + "' (" + q.get(1) + " / " + q.get(2) + ")";
            ext.put("code", "variableMismatch").put("variableName", q.get(0)).put("typeName", q.get(1));
        } else {
            message = description;
            String code = String.valueOf(type);
            ext.put("code", code.isEmpty() ? "GRAPHQL_VALIDATION_FAILED" : Character.toLowerCase(code.charAt(0)) + code.substring(1));
        }
        ObjectNode o = Json.object();
        o.put("message", message);
        o.set("locations", locations(v.getLocations()));
        ArrayNode p = o.putArray("path");
        p.add(opType);
        path.forEach(p::add);
        o.set("extensions", ext);
        return o;
    }

    // ---- resolvers ----------------------------------------------------------------------------

    /** An object of the answer that resolves its own fields. */
    private interface Resolvable {
        Object get(String field, DataFetchingEnvironment env);
    }

    private final class Wiring implements WiringFactory {
        @Override
        public boolean providesTypeResolver(InterfaceWiringEnvironment env) {
            return env.getInterfaceTypeDefinition().getName().equals("ColumnValue");
        }

        @Override
        public graphql.schema.TypeResolver getTypeResolver(InterfaceWiringEnvironment env) {
            return e -> {
                ValueNode v = e.getObject();
                return (GraphQLObjectType) e.getSchema().getType(VALUE_TYPES.getOrDefault(v.column.type(), "TextValue"));
            };
        }

        @Override
        public DataFetcher<?> getDefaultDataFetcher(FieldWiringEnvironment env) {
            return MondayGraphql.this::fetch;
        }
    }

    private Object fetch(DataFetchingEnvironment env) {
        Object source = env.getSource();
        String field = env.getField().getName();
        if (source == ROOT) {
            boolean mutation = ((GraphQLObjectType) env.getParentType()).getName().equals("Mutation");
            return mutation ? mutation(field, env) : query(field, env);
        }
        if (source instanceof Map<?, ?> m) return m.get(field);
        if (source instanceof Resolvable n) return n.get(field, env);
        return null;
    }

    private Object query(String field, DataFetchingEnvironment env) {
        return switch (field) {
            case "me" -> user(workspace.owner());
            case "users" -> users(env);
            case "boards" -> boards(env);
            case "items" -> items(env);
            case "items_page_by_column_values" -> byColumnValues(env);
            case "next_items_page" -> nextPage(env.getArgument("cursor"), limit(env));
            case "complexity" -> complexity(env);
            case "version" -> version(env);
            case "versions" -> call(env).versions().stream().map(v -> Json.MAPPER.convertValue(v, Map.class)).toList();
            case "webhooks" -> webhooks.of(board(env.getArgument("board_id")).id()).stream().map(MondayGraphql::webhook).toList();
            default -> null;
        };
    }

    private Object mutation(String field, DataFetchingEnvironment env) {
        return switch (field) {
            case "create_item" -> createItem(env);
            case "change_multiple_column_values" -> changeColumns(env);
            case "change_column_value" -> changeColumn(env, false);
            case "change_simple_column_value" -> changeColumn(env, true);
            case "create_update" -> createUpdate(env);
            case "delete_item" -> deleteItem(env);
            case "create_webhook" -> webhook(webhooks.create(board(env.getArgument("board_id")), env.getArgument("url"),
                    env.getArgument("event"), env.getArgument("config")));
            case "delete_webhook" -> webhook(webhooks.delete(String.valueOf((Object) env.getArgument("id"))));
            case "complexity" -> complexity(env);
            default -> null;
        };
    }

    private static Call call(DataFetchingEnvironment env) {
        return env.getGraphQlContext().get(Call.class);
    }

    private static Map<String, Object> complexity(DataFetchingEnvironment env) {
        MondayLimits.Budget b = call(env).budget();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("before", (int) Math.min(Integer.MAX_VALUE, b.before()));
        m.put("after", (int) Math.min(Integer.MAX_VALUE, b.after()));
        m.put("query", (int) Math.min(Integer.MAX_VALUE, b.cost()));
        m.put("reset_in_x_seconds", (int) b.resetInSeconds());
        return m;
    }

    private static Object version(DataFetchingEnvironment env) {
        Call c = call(env);
        for (ObjectNode v : c.versions()) {
            if (v.get("value").asText().equals(c.version())) return Json.MAPPER.convertValue(v, Map.class);
        }
        return Map.of("value", c.version(), "kind", "current");
    }

    private static Map<String, Object> user(MondayWorkspace.User u) {
        return Map.of("id", u.id(), "name", u.name(), "email", u.email());
    }

    private static <T> List<T> page(List<T> all, DataFetchingEnvironment env) {
        int limit = env.getArgument("limit") == null ? Integer.MAX_VALUE : Math.max(0, (Integer) env.getArgument("limit"));
        int page = env.getArgument("page") == null ? 1 : Math.max(1, (Integer) env.getArgument("page"));
        long from = (long) (page - 1) * limit;
        if (from >= all.size()) return List.of();
        return all.subList((int) from, (int) Math.min(all.size(), from + limit));
    }

    private static List<String> stringList(Object o) {
        if (!(o instanceof List<?> l)) return null;
        List<String> out = new ArrayList<>();
        l.forEach(x -> out.add(String.valueOf(x)));
        return out;
    }

    private Object users(DataFetchingEnvironment env) {
        List<String> ids = stringList(env.getArgument("ids"));
        List<String> emails = stringList(env.getArgument("emails"));
        List<Map<String, Object>> out = new ArrayList<>();
        for (MondayWorkspace.User u : workspace.users()) {
            if (ids != null && !ids.contains(u.id())) continue;
            if (emails != null && emails.stream().noneMatch(e -> e.equalsIgnoreCase(u.email()))) continue;
            out.add(user(u));
        }
        return page(out, env);
    }

    private Object boards(DataFetchingEnvironment env) {
        List<String> ids = stringList(env.getArgument("ids"));
        List<BoardNode> out = new ArrayList<>();
        for (Board b : workspace.boards().values()) {
            if (ids == null || ids.contains(b.id())) out.add(new BoardNode(b));
        }
        return page(out, env);
    }

    /**
     * Items by id (at most {@link #MAX_ITEM_IDS}, {@code limit} at most {@link #MAX_ITEMS}), or every item. Deleted items
     * are gone here and nothing is archived, so {@code exclude_nonactive} changes nothing.
     */
    private Object items(DataFetchingEnvironment env) {
        List<String> ids = stringList(env.getArgument("ids"));
        if (ids != null && ids.size() > MAX_ITEM_IDS) {
            throw MondayError.invalidArgument("ids: at most " + MAX_ITEM_IDS + " item ids in one query, got " + ids.size());
        }
        Integer limit = env.getArgument("limit");
        if (limit != null && (limit < 1 || limit > MAX_ITEMS)) {
            throw MondayError.invalidArgument("limit must be between 1 and " + MAX_ITEMS + ", got " + limit);
        }
        List<ItemNode> out = new ArrayList<>();
        if (ids == null) {
            store.all().forEach(i -> out.add(new ItemNode(i)));
        } else {
            for (String id : ids) {
                Item i = store.item(id);
                if (i != null) out.add(new ItemNode(i));
            }
        }
        return page(out, env);
    }

    private static int limit(DataFetchingEnvironment env) {
        Integer limit = env.getArgument("limit");
        int l = limit == null ? 25 : limit;
        if (l < 1 || l > MAX_PAGE) throw MondayError.invalidArgument("limit must be between 1 and " + MAX_PAGE + ", got " + l);
        return l;
    }

    private Board board(Object id) {
        Board b = workspace.board(id == null ? null : String.valueOf(id));
        if (b == null) throw MondayError.invalidBoardId(String.valueOf(id));
        return b;
    }

    @SuppressWarnings("unchecked")
    private Object byColumnValues(DataFetchingEnvironment env) {
        int limit = limit(env);
        String cursor = env.getArgument("cursor");
        if (cursor != null) return nextPage(cursor, limit);
        Board b = board(env.getArgument("board_id"));
        Predicate<Item> p = MondayFilter.byColumnValues(b, (List<Map<String, Object>>) env.getArgument("columns"));
        return firstPage(b, p, limit);
    }

    private Map<String, Object> firstPage(Board b, Predicate<Item> p, int limit) {
        return itemsResponse(b.id(), p, 0, limit);
    }

    private Map<String, Object> nextPage(String cursor, int limit) {
        Cursor c = cursors.get(cursor);
        if (c == null) throw MondayError.cursor("Invalid cursor");
        if (!clock.instant().isBefore(c.expires())) {
            cursors.remove(cursor);
            throw MondayError.cursor("The cursor has expired; cursors live " + CURSOR_LIFETIME.toMinutes() + " minutes");
        }
        return itemsResponse(c.boardId(), c.filter(), c.afterId(), limit);
    }

    private Map<String, Object> itemsResponse(String boardId, Predicate<Item> filter, long afterId, int limit) {
        List<Item> matching = new ArrayList<>();
        for (Item i : store.board(boardId)) {
            if (Long.parseLong(i.id) > afterId && filter.test(i)) matching.add(i);
        }
        List<ItemNode> page = new ArrayList<>();
        for (Item i : matching.subList(0, Math.min(limit, matching.size()))) page.add(new ItemNode(i));
        String cursor = null;
        if (matching.size() > limit) {
            long last = Long.parseLong(matching.get(limit - 1).id);
            cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    ("1," + (++cursorSeq) + "," + boardId + "," + last).getBytes(StandardCharsets.UTF_8));
            cursors.put(cursor, new Cursor(boardId, filter, last, clock.instant().plus(CURSOR_LIFETIME)));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cursor", cursor);
        m.put("items", page);
        return m;
    }

    private static boolean flag(DataFetchingEnvironment env, String name) {
        return Boolean.TRUE.equals(env.getArgument(name));
    }

    private Object createItem(DataFetchingEnvironment env) {
        Board b = board(env.getArgument("board_id"));
        String group = env.getArgument("group_id");
        if (group != null && !group.equals(MondayWorkspace.GROUP_ID)) throw MondayError.invalidGroupId(group);
        String name = env.getArgument("item_name");
        if (name.length() > 255) throw new MondayError("ItemNameTooLongException", "Item name is longer than 255 characters", 200, 200, null);
        ObjectNode values = MondayColumns.columnValuesArgument(env.getArgument("column_values"));
        List<MondayColumns.Change> changes = columns.prepare(b, values, flag(env, "create_labels_if_missing"));
        return new ItemNode(columns.create(b, name, changes));
    }

    private Item item(Board b, Object id) {
        Item i = store.item(id == null ? null : String.valueOf(id));
        if (i == null || !i.boardId.equals(b.id())) throw MondayError.invalidItemId(String.valueOf(id));
        return i;
    }

    private Object changeColumns(DataFetchingEnvironment env) {
        Board b = board(env.getArgument("board_id"));
        Item item = item(b, env.getArgument("item_id"));
        ObjectNode values = MondayColumns.columnValuesArgument(env.getArgument("column_values"));
        columns.apply(item, columns.prepare(b, values, flag(env, "create_labels_if_missing")));
        return new ItemNode(item);
    }

    private Object changeColumn(DataFetchingEnvironment env, boolean simple) {
        Board b = board(env.getArgument("board_id"));
        Item item = item(b, env.getArgument("item_id"));
        Column c = MondayColumns.column(b, env.getArgument("column_id"));
        boolean create = flag(env, "create_labels_if_missing");
        MondayColumns.Change ch;
        if (simple) {
            ch = columns.prepareSimple(b, c, env.getArgument("value"), create);
        } else {
            Object value = env.getArgument("value");
            JsonNode raw;
            if (value instanceof String s) {
                try {
                    raw = Json.MAPPER.readTree(s);
                } catch (IOException e) {
                    throw MondayError.columnValuesJson(e.getMessage());
                }
            } else {
                raw = Json.MAPPER.valueToTree(value);
            }
            ch = columns.prepare(b, c, raw, create);
        }
        columns.apply(item, List.of(ch));
        return new ItemNode(item);
    }

    private Object deleteItem(DataFetchingEnvironment env) {
        Object id = env.getArgument("item_id");
        Item item = store.item(id == null ? null : String.valueOf(id));
        if (item == null) throw MondayError.invalidItemId(String.valueOf(id));
        store.delete(item);
        return new ItemNode(item);
    }

    private static Map<String, Object> webhook(MondayWebhooks.Webhook w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", w.id());
        m.put("board_id", w.boardId());
        m.put("event", w.event());
        m.put("config", w.config());
        return m;
    }

    private Object createUpdate(DataFetchingEnvironment env) {
        Object id = env.getArgument("item_id");
        Item item = store.item(id == null ? null : String.valueOf(id));
        if (item == null) throw MondayError.invalidItemId(String.valueOf(id));
        String body = env.getArgument("body");
        if (body.isBlank()) throw MondayError.invalidArgument("The update body cannot be empty");
        return update(store.addUpdate(item, body, workspace.owner().id(), clock.instant()));
    }

    private static String date(Instant i) {
        return i.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static Map<String, Object> update(MondayStore.Update u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id());
        m.put("body", u.body());
        m.put("text_body", u.body().replaceAll("<[^>]*>", ""));
        m.put("item_id", u.itemId());
        m.put("creator_id", u.creatorId());
        m.put("created_at", date(u.createdAt()));
        return m;
    }

    private final class BoardNode implements Resolvable {
        final Board board;

        BoardNode(Board board) {
            this.board = board;
        }

        @Override
        public Object get(String field, DataFetchingEnvironment env) {
            return switch (field) {
                case "id" -> board.id();
                case "name" -> board.name();
                case "columns" -> {
                    List<String> ids = stringList(env.getArgument("ids"));
                    List<String> types = stringList(env.getArgument("types"));
                    List<ColumnNode> out = new ArrayList<>();
                    for (Column c : board.columns().values()) {
                        if ((ids == null || ids.contains(c.id())) && (types == null || types.contains(c.type()))) out.add(new ColumnNode(c));
                    }
                    yield out;
                }
                case "groups" -> {
                    List<String> ids = stringList(env.getArgument("ids"));
                    yield ids == null || ids.contains(MondayWorkspace.GROUP_ID)
                            ? List.of(Map.of("id", MondayWorkspace.GROUP_ID, "title", MondayWorkspace.GROUP_TITLE)) : List.of();
                }
                case "items_page" -> {
                    int limit = limit(env);
                    String cursor = env.getArgument("cursor");
                    if (cursor != null) yield nextPage(cursor, limit);
                    yield firstPage(board, MondayFilter.queryParams(board, env.getArgument("query_params")), limit);
                }
                default -> null;
            };
        }
    }

    private static final class ColumnNode implements Resolvable {
        final Column column;

        ColumnNode(Column column) {
            this.column = column;
        }

        @Override
        public Object get(String field, DataFetchingEnvironment env) {
            return switch (field) {
                case "id" -> column.id();
                case "title" -> column.title();
                case "type" -> column.type();
                case "settings_str" -> column.settings().toString();
                case "settings" -> Json.MAPPER.convertValue(column.settings(), Map.class);
                default -> null;
            };
        }
    }

    private final class ItemNode implements Resolvable {
        final Item item;

        ItemNode(Item item) {
            this.item = item;
        }

        @Override
        public Object get(String field, DataFetchingEnvironment env) {
            return switch (field) {
                case "id" -> item.id;
                case "name" -> item.name;
                case "board" -> new BoardNode(workspace.board(item.boardId));
                case "group" -> Map.of("id", item.groupId, "title", MondayWorkspace.GROUP_TITLE);
                case "created_at" -> date(item.createdAt);
                case "updated_at" -> date(item.updatedAt);
                case "column_values" -> {
                    List<String> ids = stringList(env.getArgument("ids"));
                    List<String> types = stringList(env.getArgument("types"));
                    List<ValueNode> out = new ArrayList<>();
                    for (Column c : workspace.board(item.boardId).columns().values()) {
                        if (c.type().equals("name")) continue;
                        if ((ids == null || ids.contains(c.id())) && (types == null || types.contains(c.type()))) out.add(new ValueNode(item, c));
                    }
                    yield out;
                }
                case "updates" -> {
                    List<String> ids = stringList(env.getArgument("ids"));
                    List<Map<String, Object>> out = new ArrayList<>();
                    // newest first, as monday lists updates
                    for (int i = item.updates.size() - 1; i >= 0; i--) {
                        MondayStore.Update u = item.updates.get(i);
                        if (ids == null || ids.contains(u.id())) out.add(update(u));
                    }
                    yield page(out, env);
                }
                default -> null;
            };
        }
    }

    private final class ValueNode implements Resolvable {
        final Item item;
        final Column column;

        ValueNode(Item item, Column column) {
            this.item = item;
            this.column = column;
        }

        @Override
        public Object get(String field, DataFetchingEnvironment env) {
            Cell cell = item.cells.get(column.id());
            JsonNode v = cell == null ? null : cell.value();
            return switch (field) {
                case "id" -> column.id();
                case "type" -> column.type();
                case "column" -> new ColumnNode(column);
                case "text" -> cell == null ? (column.type().equals("checkbox") ? "" : null) : cell.text();
                case "value" -> v == null ? null : v.toString();
                case "phone" -> v == null ? null : v.path("phone").asText();
                case "country_short_name" -> v == null ? null : v.path("countryShortName").asText();
                case "email" -> v == null ? null : v.path("email").asText();
                case "label" -> column.type().equals("status") ? (cell == null ? null : cell.text()) : (v == null ? null : v.path("text").asText());
                case "date" -> v == null ? null : v.path("date").asText();
                case "time" -> v == null || !v.has("time") ? null : v.get("time").asText();
                case "index" -> v == null ? null : v.path("index").asInt();
                case "number" -> cell == null ? null : Double.parseDouble(cell.text());
                case "checked" -> cell != null;
                case "persons_and_teams" -> {
                    List<Map<String, Object>> out = new ArrayList<>();
                    if (v != null) v.path("personsAndTeams").forEach(p -> out.add(Map.of("id", p.path("id").asText(), "kind", p.path("kind").asText())));
                    yield out;
                }
                case "linked_item_ids" -> {
                    List<String> out = new ArrayList<>();
                    if (v != null) v.path("linkedPulseIds").forEach(p -> out.add(p.path("linkedPulseId").asText()));
                    yield out;
                }
                case "display_value" -> cell == null ? "" : cell.text();
                default -> null;
            };
        }
    }
}
