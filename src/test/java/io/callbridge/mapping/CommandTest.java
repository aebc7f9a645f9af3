package io.callbridge.mapping;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CommandTest {

    @Test
    void aCommandIdNamesItsEventEvenWhenTheEventIdHoldsColons() {
        assertThat(Command.eventIdOf(Command.commandId("8d2f0c1e-77aa", "log-call", 0))).isEqualTo("8d2f0c1e-77aa");
        assertThat(Command.eventIdOf(Command.commandId("urn:call:42", "hot-lead", 3))).isEqualTo("urn:call:42");
    }

    @Test
    void whatIsNotACommandIdNamesNoEvent() {
        assertThat(Command.eventIdOf("log-call")).isNull();
        assertThat(Command.eventIdOf("log-call:0")).isNull();
        assertThat(Command.eventIdOf(":log-call:0")).isNull();
    }
}
