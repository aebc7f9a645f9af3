package io.callbridge.crm.notion;

import java.util.Map;

import io.callbridge.crm.rest.RestDialect;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How Notion's answers are read: its only rate signal, its retryable conflict, its searches. */
class NotionDialectTest {

    private final NotionDialect dialect = new NotionDialect(null);

    @Test
    void retryAfterIsTheOnlyRateSignalAndSaysNothingIsLeftUntilThen() {
        assertThat(dialect.rateInfo(Map.of())).isEqualTo(RestDialect.RateInfo.NONE);
        RestDialect.RateInfo info = dialect.rateInfo(Map.of("retry-after", "2"));
        assertThat(info.remaining()).isZero();
        assertThat(info.resetMs()).isEqualTo(2000);
        assertThat(dialect.quotaExhausted(429, Map.of("retry-after", "60"), "{\"code\":\"rate_limited\"}")).isFalse();
    }

    @Test
    void aConflictIsReadAs503SoItIsRetriedAndOther409sStayRefusals() {
        String conflict = "{\"object\":\"error\",\"status\":409,\"code\":\"conflict_error\",\"message\":\"Conflict occurred while saving.\"}";
        assertThat(dialect.verdict(409, Map.of(), conflict).status()).isEqualTo(503);
        assertThat(dialect.verdict(409, Map.of(), "{\"code\":\"something_else\"}").status()).isEqualTo(409);
        assertThat(dialect.verdict(200, Map.of(), "{}").status()).isEqualTo(200);
    }

    @Test
    void queriesAndSearchesAreSearchesAndWritesAreNot() {
        assertThat(dialect.isSearch("POST", "/v1/data_sources/7f3e2a10-5b4c-4d8e-9f01-000000000201/query")).isTrue();
        assertThat(dialect.isSearch("POST", "/v1/search")).isTrue();
        assertThat(dialect.isSearch("POST", "/v1/pages")).isFalse();
        assertThat(dialect.isSearch("PATCH", "/v1/pages/5c9d2e41-7a3b-4f10-8e2d-00000000c001")).isFalse();
    }
}
