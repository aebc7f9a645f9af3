package io.callbridge.intake;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.phone.PhoneNormalizer;
import io.callbridge.support.Events;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CallEventValidatorTest {

    private final CallEventValidator validator = new CallEventValidator(new PhoneNormalizer("CH"));

    @Test
    void theDesignExampleValidatesUnchangedAndGainsTheCustomerNumber() throws Exception {
        byte[] example = Events.designExample();
        CallEvent event = validator.validate(example);

        assertThat(event.id()).isEqualTo("0d6e4f3a-8a4b-4d0f-9f2e-3c1b7a9e5d21");
        assertThat(event.type()).isEqualTo("call.ended");
        assertThat(event.customerE164()).isEqualTo("+41791234567");
        ObjectNode published = (ObjectNode) Events.parse(event.json());
        assertThat(published.at("/data/customerE164").asText()).isEqualTo("+41791234567");
        ((ObjectNode) published.get("data")).remove("customerE164");
        assertThat(published).isEqualTo(Events.parse(example));
        assertThat(published.at("/data/sentiment/score").decimalValue()).isEqualByComparingTo("0.62");
    }

    @Test
    void onlyTheRequiredFieldsAreNeeded() throws Exception {
        String minimal = """
                {"specversion":"1.0","id":"m-1","source":"urn:test","type":"call.started",
                 "data":{"callId":"c-1","direction":"outbound","to":"+33 6 12 34 56 78"}}""";
        CallEvent event = validator.validate(minimal.getBytes(StandardCharsets.UTF_8));
        assertThat(event.customerE164()).isEqualTo("+33612345678");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            missing id            | /id                | is required
            missing callId        | /data/callId       | is required
            missing from inbound  | /data/from         | is required
            unknown type          | /type              | enumeration
            wrong type            | /data/durationSeconds | integer
            bad sentiment label   | /data/sentiment/label | enumeration
            bad date              | /data/startedAt    | date-time
            garbage phone         | /data/from         | phone number is not a phone number
            """)
    void namesTheFieldThatIsWrong(String mutation, String pointer, String detail) {
        ObjectNode event = Events.exampleWithNewId();
        ObjectNode data = (ObjectNode) event.get("data");
        switch (mutation) {
            case "missing id" -> event.remove("id");
            case "missing callId" -> data.remove("callId");
            case "missing from inbound" -> data.remove("from");
            case "unknown type" -> event.put("type", "call.exploded");
            case "wrong type" -> data.put("durationSeconds", "long");
            case "bad sentiment label" -> ((ObjectNode) data.get("sentiment")).put("label", "ecstatic");
            case "bad date" -> data.put("startedAt", "yesterday at noon");
            case "garbage phone" -> data.put("from", "call me maybe");
            default -> throw new IllegalArgumentException(mutation);
        }
        assertThatThrownBy(() -> validator.validate(Events.bytes(event)))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.errors())
                        .anySatisfy(err -> {
                            assertThat(err.pointer()).isEqualTo(pointer);
                            assertThat(err.detail()).contains(detail);
                        }));
    }

    static Stream<Arguments> notEventObjects() {
        return Stream.of(
                Arguments.of("truncated", "{\"specversion\": \"1.0\", \"id\": ", "is not valid JSON"),
                Arguments.of("not an object", "[1, 2, 3]", "must be a JSON object"),
                Arguments.of("duplicate key", "{\"id\": \"a\", \"id\": \"b\"}", "Duplicate field"),
                Arguments.of("trailing garbage", "{\"id\": \"a\"} {}", "is not valid JSON"),
                Arguments.of("empty", "", "the body is empty"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notEventObjects")
    void refusesWhatIsNotAnEventObject(String name, String body, String detail) {
        assertThatThrownBy(() -> validator.validate(body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> {
                    assertThat(e.errors()).hasSize(1);
                    assertThat(e.errors().get(0).pointer()).isEmpty();
                    assertThat(e.errors().get(0).detail()).contains(detail);
                });
    }

    @Test
    void refusesDeepNesting() {
        String deep = "{\"a\":".repeat(100) + "1" + "}".repeat(100);
        assertThatThrownBy(() -> validator.validate(deep.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("nested deeper than");
    }

    @Test
    void theReasonNeverRepeatsThePhoneNumber() {
        ObjectNode event = Events.exampleWithNewId();
        ((ObjectNode) event.get("data")).put("from", "+41 79 999 99");
        assertThatThrownBy(() -> validator.validate(Events.bytes(event)))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("999"));
    }

    @Test
    void aCustomerNumberThatContradictsTheCallerIsRefused() {
        ObjectNode event = Events.exampleWithNewId();
        ((ObjectNode) event.get("data")).put("customerE164", "+41780000000");
        assertThatThrownBy(() -> validator.validate(Events.bytes(event)))
                .isInstanceOfSatisfying(InvalidEventException.class,
                        e -> assertThat(e.errors().get(0).pointer()).isEqualTo("/data/customerE164"));
    }
}
