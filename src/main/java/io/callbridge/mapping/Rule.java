package io.callbridge.mapping;

import java.util.List;


/** One entry of rules.yaml: when the condition holds for an event, these actions happen. */
public record Rule(String id, String description, Expression when, List<RuleAction> actions, int line) {
}
