package io.callbridge.phone;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The formats a search asks for and the confirmation of stored values, without a CRM. */
class PhoneFormatsTest {

    private final PhoneFormats ch = new PhoneFormats("CH");

    @Test
    void aSwissMobileIsSearchedInEveryFormatPeopleType() {
        assertThat(ch.variants("+41791234567")).contains("+41791234567", "+41 79 123 45 67", "079 123 45 67", "0791234567",
                "0041 79 123 45 67", "0041791234567", "+41 (0)79 123 45 67", "+41 (0) 79 123 45 67", "+41(0)791234567");
        assertThat(ch.digitForms("+41791234567")).startsWith("791234567").contains("41791234567", "0791234567");
    }

    @Test
    void aFrenchNumberGetsItsOwnNationalFormat() {
        assertThat(ch.variants("+33612345678")).contains("06 12 34 56 78", "0612345678", "+33 6 12 34 56 78", "+33 (0)6 12 34 56 78");
    }

    @Test
    void storedValuesAreConfirmedByTheirNormalisedNumberNeverByTheirString() {
        assertThat(ch.confirms("+41 (0)79 123 45 67", "+41791234567")).isTrue();
        assertThat(ch.confirms("0041-79-123-45-67", "+41791234567")).isTrue();
        assertThat(ch.confirms("079 123 45 67 ext. 12", "+41791234567")).isTrue();
        assertThat(ch.confirms("06 12 34 56 78", "+33612345678")).as("national, in the number's own region").isTrue();
        assertThat(ch.confirms("06 12 34 56 78", "+41612345678")).as("and in the default region").isTrue();
        assertThat(ch.confirms("079 123 45 68", "+41791234567")).isFalse();
        assertThat(ch.confirms("+33 7 91 23 45 67", "+41791234567")).isFalse();
        assertThat(ch.confirms("not a number", "+41791234567")).isFalse();
        assertThat(ch.confirms("", "+41791234567")).isFalse();
    }

    @Test
    void noNumberIsWrittenMoreWaysThanSearchesCountOn() {
        PhoneFormats ch = new PhoneFormats("CH");
        for (String n : java.util.List.of("+41791234567", "+41441234567", "+33612345678", "+4915112345678", "+12025550123", "+442071234567")) {
            assertThat(ch.variants(n)).as(n).hasSizeLessThanOrEqualTo(PhoneFormats.MAX_VARIANTS);
        }
    }

    @Test
    void everyValueConfirmedForANumberIsFiledUnderTheNumbersDirectoryKey() {
        PhoneFormats ch = new PhoneFormats("CH");
        for (String n : java.util.List.of("+41791234567", "+41441234567", "+33612345678", "+4915112345678", "+12025550123", "+442071234567")) {
            java.util.List<String> stored = new java.util.ArrayList<>(ch.variants(n));
            stored.add(n + " ext. 12");
            stored.add(ch.variants(n).get(1).replace(' ', '-'));
            for (String value : stored) {
                if (ch.confirms(value, n)) {
                    assertThat(ch.keysOfStored(value)).as("%s typed %s", n, value).contains(ch.keyOf(n));
                }
            }
        }
        assertThat(ch.keysOfStored("not a number")).isEmpty();
        assertThat(ch.keysOfStored("+41 79 123 45 67")).doesNotContain(ch.keyOf("+41791234568"));
    }
}
