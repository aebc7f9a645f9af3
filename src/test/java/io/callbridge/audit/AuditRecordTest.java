package io.callbridge.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AuditRecordTest {

    @Test
    void aRecordIsReadBackAsItWasWrittenWithTimeInUtcToTheMillisecond() {
        AuditRecord r = new AuditRecord(Instant.parse("2026-11-28T09:14:03.123456789Z"), "9f86d081884c", "admin", "dlq.replay",
                "hubspot: replayed 3-17; superseded none", "ok", null, "req-1", 0);
        String json = new String(r.toBytes(), StandardCharsets.UTF_8);
        assertThat(json).startsWith("{\"time\":\"2026-11-28T09:14:03.123Z\",\"action\":\"dlq.replay\",\"outcome\":\"ok\"");
        assertThat(AuditRecord.parse(r.toBytes())).isEqualTo(r);
    }

    @Test
    void whatIsUnknownIsLeftOutNotWrittenAsNull() {
        AuditRecord anonymous = new AuditRecord(Instant.parse("2026-11-28T09:14:03Z"), null, null, "dlq.replay", "/v1/dlq/hubspot/replay",
                "401", "https://callbridge.io/problems/unauthorized", null, 12);
        String json = new String(anonymous.toBytes(), StandardCharsets.UTF_8);
        assertThat(json).doesNotContain("null", "keyId", "role", "requestId").contains("\"suppressed\":12");
        assertThat(AuditRecord.parse(anonymous.toBytes())).isEqualTo(anonymous);
        assertThat(anonymous.refusedOrFailed()).isTrue();
    }

    @Test
    void anythingElseOnTheTopicIsNotARecord() {
        assertThat(AuditRecord.parse("not json".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(AuditRecord.parse("{\"action\":\"dlq.replay\"}".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(AuditRecord.parse("{\"time\":\"yesterday\",\"action\":\"a\",\"outcome\":\"ok\"}".getBytes(StandardCharsets.UTF_8))).isNull();
    }
}
