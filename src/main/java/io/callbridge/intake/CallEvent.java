package io.callbridge.intake;

/**
 * A call event that passed the contract: its identity, the customer's E.164 number (the Kafka key)
 * and the JSON to publish, which is the received event plus {@code data.customerE164}.
 */
public record CallEvent(String id, String type, String customerE164, byte[] json) {
}
