package io.callbridge.audit;

import java.time.Instant;

import io.callbridge.http.BadRequestException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditLogQueryTest {

    @Test
    void theLimitIsBoundedAndAnythingButANumberIsRefused() throws BadRequestException {
        assertThat(AuditLog.parseLimit(null)).isEqualTo(AuditLog.DEFAULT_LIMIT);
        assertThat(AuditLog.parseLimit("7")).isEqualTo(7);
        assertThat(AuditLog.parseLimit("0")).isEqualTo(1);
        assertThat(AuditLog.parseLimit("999999999")).isEqualTo(AuditLog.MAX_LIMIT);
        assertThatThrownBy(() -> AuditLog.parseLimit("-1")).isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> AuditLog.parseLimit("1e9")).isInstanceOf(BadRequestException.class);
    }

    @Test
    void sinceIsAnIsoDateTimeWithItsOffset() throws BadRequestException {
        assertThat(AuditLog.parseSince("2026-11-28T09:00:00Z")).isEqualTo(Instant.parse("2026-11-28T09:00:00Z"));
        assertThat(AuditLog.parseSince("2026-11-28T10:00:00+01:00")).isEqualTo(Instant.parse("2026-11-28T09:00:00Z"));
        assertThatThrownBy(() -> AuditLog.parseSince("2026-11-28")).isInstanceOf(BadRequestException.class)
                .satisfies(e -> assertThat(((BadRequestException) e).parameter()).isEqualTo("since"));
        assertThatThrownBy(() -> AuditLog.parseSince("yesterday")).isInstanceOf(BadRequestException.class);
    }
}
