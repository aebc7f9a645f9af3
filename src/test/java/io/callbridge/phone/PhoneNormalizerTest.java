package io.callbridge.phone;

import io.callbridge.phone.PhoneNormalizer.InvalidPhoneNumberException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PhoneNormalizerTest {

    @ParameterizedTest(name = "{0} in {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            079 123 45 67            | CH | +41791234567
            +41 79 123 45 67         | CH | +41791234567
            0041791234567            | CH | +41791234567
            (079) 123-45-67          | CH | +41791234567
            +41 (0)79 123 45 67      | CH | +41791234567
            +41791234567 ext. 12     | CH | +41791234567
            +41 21 555 00 00         | CH | +41215550000
            01 42 68 53 00           | FR | +33142685300
            06 12 34 56 78           | FR | +33612345678
            030 1234567              | DE | +49301234567
            0171 1234567             | DE | +491711234567
            +1 (650) 253-0000        | CH | +16502530000
            (650) 253-0000           | US | +16502530000
            +33 1 42 68 53 00        | DE | +33142685300
            """)
    void normalisesToE164(String raw, String region, String e164) throws Exception {
        assertThat(new PhoneNormalizer(region).toE164(raw)).isEqualTo(e164);
    }

    @ParameterizedTest(name = "refuses [{0}]")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            hello world                    | is not a phone number
            12                             | has the wrong number of digits for region CH
            +999 123 456 789               | has no valid country code
            079 123 45 67 89 01 23 45 67   | is too long
            '; DROP TABLE Contact;--       | is not a phone number
            +41 00 000 00 00               | is not a valid number for region CH
            """)
    void refusesGarbageWithAReason(String raw, String reason) {
        assertThatThrownBy(() -> new PhoneNormalizer("CH").toE164(raw))
                .isInstanceOf(InvalidPhoneNumberException.class)
                .hasMessage(reason);
    }

    @ParameterizedTest
    @CsvSource({"''", "'   '"})
    void refusesEmpty(String raw) {
        assertThatThrownBy(() -> new PhoneNormalizer("CH").toE164(raw)).hasMessage("is empty");
    }

    @ParameterizedTest
    @CsvSource({"XX", "Switzerland", "''"})
    void refusesAnUnknownDefaultRegion(String region) {
        assertThatThrownBy(() -> new PhoneNormalizer(region)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("callbridge.default-region");
    }
}
