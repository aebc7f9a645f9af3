package io.callbridge.mapping;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One action of a rule. {@code crms} empty means every enabled CRM. {@code with} is passed to the
 * template as {@code command.with}; a text value starting with {@code =} is a JSONata expression over
 * the event, evaluated per event ({@code computed}). Its {@code due}, {@code relativeTo} and
 * {@code dueAt} keys are turned into {@code command.dueAt} by the planner.
 */
public record RuleAction(String action, List<String> crms, ObjectNode with, Map<String, Expression> computed,
        int line) {
}
