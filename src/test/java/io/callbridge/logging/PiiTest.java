package io.callbridge.logging;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the console shows of a CRM's message by default: the message, without the caller's address or number. */
class PiiTest {

    @Test
    void inTextMasksEveryEmailAndPhoneNumberACrmEchoes() {
        String masked = Pii.inText("Contact jean.dupont@example.ch already exists with phone +41 79 123 45 67 (also 079/123.45.67)");

        assertThat(masked).doesNotContain("jean.dupont", "example.ch", "123 45 67", "123.45.67")
                .contains("Contact j***@***", "already exists with phone +41*******67", "(also ********67)");
    }

    @Test
    void inTextMasksNumbersTypedSideBySideAndADateRunningIntoANumber() {
        assertThat(Pii.inText("+41 79 123 45 67 (079 123 45 68)")).doesNotContain("123 45");
        assertThat(Pii.inText("called 2026-11-28 079 123 45 67")).doesNotContain("123 45 67");
    }

    @Test
    void inTextLeavesDatesStatusesAndWordsReadable() {
        String message = "dealstage 'qualifiedtobuy' is not a valid stage (HTTP 400, 2026-11-28T10:00:00Z, correlation 4f2b)";

        assertThat(Pii.inText(message)).isEqualTo(message);
        assertThat(Pii.inText(null)).isEmpty();
    }
}
