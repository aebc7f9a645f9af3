package io.callbridge.sandbox.monday;

import graphql.language.AstPrinter;
import graphql.language.EnumTypeDefinition;
import graphql.language.EnumValueDefinition;
import graphql.language.FieldDefinition;
import graphql.language.ImplementingTypeDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.InterfaceTypeDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.language.ScalarTypeDefinition;
import graphql.language.Type;
import graphql.language.TypeDefinition;
import graphql.language.TypeName;
import graphql.schema.idl.ScalarInfo;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sandbox's SDL ({@code monday-subset.graphqls}) is a subset of monday's own schema ({@code
 * ../shared/crm-specs/monday/schema.graphql}, API 2026-10, read here and never copied into the repository): every
 * type of the subset exists in monday's schema as the same kind, every field, argument, input field and enum value
 * exists there with the same type, nullability and list shape included, defaults that the subset declares equal
 * monday's, and every interface a subset type implements is implemented by monday's type too. Absent schema: skipped
 * with a message, failed under CI=true.
 */
class MondaySchemaSubsetTest {

    /** {@code ../shared/crm-specs} unless the system property {@code callbridge.crm-specs} points elsewhere. */
    static final Path MONDAY_SCHEMA = Path.of(System.getProperty("callbridge.crm-specs", "../shared/crm-specs"), "monday", "schema.graphql");

    private static TypeDefinitionRegistry mondays() throws IOException {
        if (!Files.isRegularFile(MONDAY_SCHEMA)) {
            String msg = "monday's schema is not at " + MONDAY_SCHEMA.toAbsolutePath().normalize() + "; the schema-subset contract needs it";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail(msg + " and CI=true makes its absence a failure");
            Assumptions.assumeTrue(false, msg + "; skipped");
        }
        return new SchemaParser().parse(Files.readString(MONDAY_SCHEMA));
    }

    @Test
    void everyTypeFieldArgumentAndValueOfTheSubsetIsMondaysWithTheSameType() throws IOException {
        TypeDefinitionRegistry monday = mondays();
        TypeDefinitionRegistry subset = new SchemaParser().parse(MondayGraphql.sdl());
        assertThat(differences(subset, monday)).isEmpty();
        // the subset is not empty: the resolvers' fields are in it
        assertThat(fields(subset, "Query").keySet()).contains("me", "users", "boards", "items", "items_page_by_column_values", "next_items_page", "complexity");
        assertThat(fields(subset, "Mutation").keySet()).contains("create_item", "change_multiple_column_values", "create_update", "complexity");
    }

    @Test
    void theCheckIsNotVacuous() throws IOException {
        TypeDefinitionRegistry monday = mondays();
        String broken = """
                schema { query: Query }
                scalar Colour
                type Query { me: User!  boards(ids: [ID], limit: Int = 50): [Board]  nicknames: [String] }
                type User { id: ID! name: String email: String! }
                type Board { id: ID! items_page(limit: Int, cursor: String): ItemsResponse! }
                type ItemsResponse { cursor: String items: [Item!]! }
                type Item { id: ID! }
                type Phone implements ColumnValue { id: ID! }
                interface ColumnValue { id: ID! }
                type PhoneValue implements ColumnValue & Node { id: ID! }
                interface Node { id: ID! }
                enum ItemsQueryOperator { and or xor }
                input ItemsQueryRule { column_id: String! }
                input Complexity { query: Int }
                """;
        List<String> d = differences(new SchemaParser().parse(broken), monday);
        assertThat(d).anyMatch(s -> s.contains("Colour")).as("an unknown scalar")
                .anyMatch(s -> s.contains("Query.me") && s.contains("User!")).as("nullability of a field")
                .anyMatch(s -> s.contains("Query.boards(ids)") && s.contains("[ID]")).as("nullability inside a list")
                .anyMatch(s -> s.contains("Query.boards(limit)") && s.contains("default")).as("a default that differs")
                .anyMatch(s -> s.contains("Query.nicknames")).as("a field monday lacks")
                .anyMatch(s -> s.contains("User.name")).as("a non-null field made nullable")
                .anyMatch(s -> s.contains("Board.items_page(limit)") && s.contains("Int!")).as("an argument's nullability")
                .anyMatch(s -> s.contains("type Phone ")).as("a type monday lacks")
                .anyMatch(s -> s.contains("PhoneValue implements Node")).as("an interface monday's type does not implement")
                .anyMatch(s -> s.contains("ItemsQueryOperator.xor")).as("an enum value monday lacks")
                .anyMatch(s -> s.contains("ItemsQueryRule.column_id") && s.contains("ID!")).as("an input field's type")
                .anyMatch(s -> s.contains("Complexity is a input") && s.contains("type kind")).as("a type of another kind");
    }

    /** Everything of {@code subset} that {@code monday} does not have in the same shape. */
    static List<String> differences(TypeDefinitionRegistry subset, TypeDefinitionRegistry monday) {
        List<String> out = new ArrayList<>();
        for (TypeDefinition<?> t : subset.types().values()) {
            String name = t.getName();
            TypeDefinition<?> m = monday.getTypeOrNull(name);
            if (m == null) {
                out.add((t instanceof ObjectTypeDefinition ? "type " : kind(t) + " ") + name + " is not in monday's schema");
                continue;
            }
            if (m.getClass() != t.getClass()) {
                out.add(name + " is a " + kind(t) + " here but a " + kind(m) + " kind in monday's schema");
                continue;
            }
            if (t instanceof ImplementingTypeDefinition<?> it) {
                Map<String, FieldDefinition> theirs = fields(monday, name);
                for (FieldDefinition f : fields(subset, name).values()) {
                    FieldDefinition mf = theirs.get(f.getName());
                    String at = name + "." + f.getName();
                    if (mf == null) {
                        out.add(at + " is not in monday's schema");
                        continue;
                    }
                    same(out, at, f.getType(), mf.getType());
                    Map<String, InputValueDefinition> margs = new LinkedHashMap<>();
                    mf.getInputValueDefinitions().forEach(a -> margs.put(a.getName(), a));
                    for (InputValueDefinition a : f.getInputValueDefinitions()) {
                        input(out, at + "(" + a.getName() + ")", a, margs.get(a.getName()));
                    }
                }
                List<String> mine = new ArrayList<>();
                it.getImplements().forEach(i -> mine.add(((TypeName) i).getName()));
                List<String> mondays = new ArrayList<>();
                ((ImplementingTypeDefinition<?>) m).getImplements().forEach(i -> mondays.add(((TypeName) i).getName()));
                for (String i : mine) if (!mondays.contains(i)) out.add(name + " implements " + i + " here, not in monday's schema");
            } else if (t instanceof InputObjectTypeDefinition in) {
                Map<String, InputValueDefinition> theirs = new LinkedHashMap<>();
                ((InputObjectTypeDefinition) m).getInputValueDefinitions().forEach(v -> theirs.put(v.getName(), v));
                for (InputValueDefinition v : in.getInputValueDefinitions()) input(out, name + "." + v.getName(), v, theirs.get(v.getName()));
            } else if (t instanceof EnumTypeDefinition en) {
                List<String> theirs = ((EnumTypeDefinition) m).getEnumValueDefinitions().stream().map(EnumValueDefinition::getName).toList();
                for (EnumValueDefinition v : en.getEnumValueDefinitions()) {
                    if (!theirs.contains(v.getName())) out.add(name + "." + v.getName() + " is not a value of monday's enum");
                }
            }
        }
        for (ScalarTypeDefinition s : subset.scalars().values()) {
            if (ScalarInfo.isGraphqlSpecifiedScalar(s.getName())) continue;
            if (!(monday.getTypeOrNull(s.getName()) instanceof ScalarTypeDefinition)) out.add("scalar " + s.getName() + " is not in monday's schema");
        }
        return out;
    }

    private static String kind(TypeDefinition<?> t) {
        return t instanceof ObjectTypeDefinition ? "type" : t instanceof InterfaceTypeDefinition ? "interface"
                : t instanceof InputObjectTypeDefinition ? "input" : t instanceof EnumTypeDefinition ? "enum" : t instanceof ScalarTypeDefinition ? "scalar" : "union";
    }

    private static void input(List<String> out, String at, InputValueDefinition mine, InputValueDefinition theirs) {
        if (theirs == null) {
            out.add(at + " is not in monday's schema");
            return;
        }
        same(out, at, mine.getType(), theirs.getType());
        if (mine.getDefaultValue() != null) {
            String a = AstPrinter.printAst(mine.getDefaultValue());
            String b = theirs.getDefaultValue() == null ? "none" : AstPrinter.printAst(theirs.getDefaultValue());
            if (!a.equals(b)) out.add(at + " has default " + a + " here, " + b + " in monday's schema");
        }
    }

    private static void same(List<String> out, String at, Type<?> mine, Type<?> theirs) {
        String a = AstPrinter.printAst(mine);
        String b = AstPrinter.printAst(theirs);
        if (!a.equals(b)) out.add(at + " is " + a + " here but " + b + " in monday's schema");
    }

    /** The fields of an object or interface type, its extensions included. */
    static Map<String, FieldDefinition> fields(TypeDefinitionRegistry r, String type) {
        Map<String, FieldDefinition> out = new LinkedHashMap<>();
        TypeDefinition<?> t = r.getTypeOrNull(type);
        if (t instanceof ObjectTypeDefinition o) o.getFieldDefinitions().forEach(f -> out.put(f.getName(), f));
        if (t instanceof InterfaceTypeDefinition i) i.getFieldDefinitions().forEach(f -> out.put(f.getName(), f));
        r.objectTypeExtensions().getOrDefault(type, List.of()).forEach(e -> e.getFieldDefinitions().forEach(f -> out.put(f.getName(), f)));
        r.interfaceTypeExtensions().getOrDefault(type, List.of()).forEach(e -> e.getFieldDefinitions().forEach(f -> out.put(f.getName(), f)));
        return out;
    }
}
