package io.callbridge.intake;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A call event that passed the contract: its identity, the customer's E.164 number (the Kafka key)
 * and the JSON to publish, which is the received event plus {@code data.customerE164}, as bytes and
 * as the tree the rules read.
 */
public record CallEvent(String id, String type, String customerE164, byte[] json, JsonNode tree) {
}
