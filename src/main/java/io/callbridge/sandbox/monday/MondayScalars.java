package io.callbridge.sandbox.monday;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.ArrayValue;
import graphql.language.BooleanValue;
import graphql.language.EnumValue;
import graphql.language.FloatValue;
import graphql.language.IntValue;
import graphql.language.NullValue;
import graphql.language.ObjectField;
import graphql.language.ObjectValue;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.language.VariableReference;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.GraphQLScalarType;

/** monday's custom scalars: {@code JSON} and {@code CompareValue} take any JSON value, {@code Date} is a string. */
final class MondayScalars {

    private MondayScalars() {
    }

    static final GraphQLScalarType JSON = any("JSON", "Any JSON value; monday answers JSON-encoded strings");
    static final GraphQLScalarType COMPARE_VALUE = any("CompareValue", "A rule's compare value: a string, a number or a list");
    static final GraphQLScalarType DATE = GraphQLScalarType.newScalar().name("Date").description("An ISO 8601 date or date-time")
            .coercing(new Coercing<Object, Object>() {
                @Override
                public Object serialize(Object result, GraphQLContext context, Locale locale) {
                    return result.toString();
                }

                @Override
                public Object parseValue(Object input, GraphQLContext context, Locale locale) {
                    return input.toString();
                }

                @Override
                public Object parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale) {
                    if (input instanceof StringValue s) return s.getValue();
                    throw new CoercingParseLiteralException("a Date is a string");
                }

                @Override
                public Value<?> valueToLiteral(Object input, GraphQLContext context, Locale locale) {
                    return StringValue.of(input.toString());
                }
            }).build();

    private static GraphQLScalarType any(String name, String description) {
        return GraphQLScalarType.newScalar().name(name).description(description).coercing(new Coercing<Object, Object>() {
            @Override
            public Object serialize(Object result, GraphQLContext context, Locale locale) {
                return result;
            }

            @Override
            public Object parseValue(Object input, GraphQLContext context, Locale locale) {
                return input;
            }

            @Override
            public Object parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale) {
                return literal(input, variables);
            }

            @Override
            public Value<?> valueToLiteral(Object input, GraphQLContext context, Locale locale) {
                return StringValue.of(String.valueOf(input));
            }
        }).build();
    }

    static Object literal(Value<?> v, CoercedVariables variables) {
        if (v instanceof StringValue s) return s.getValue();
        if (v instanceof IntValue i) return i.getValue();
        if (v instanceof FloatValue f) return f.getValue();
        if (v instanceof BooleanValue b) return b.isValue();
        if (v instanceof EnumValue e) return e.getName();
        if (v instanceof NullValue) return null;
        if (v instanceof VariableReference r) return variables == null ? null : variables.get(r.getName());
        if (v instanceof ArrayValue a) {
            List<Object> out = new ArrayList<>();
            a.getValues().forEach(x -> out.add(literal(x, variables)));
            return out;
        }
        if (v instanceof ObjectValue o) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (ObjectField f : o.getObjectFields()) out.put(f.getName(), literal(f.getValue(), variables));
            return out;
        }
        throw new CoercingParseLiteralException("not a JSON value: " + v);
    }
}
