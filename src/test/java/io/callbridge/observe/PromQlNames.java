package io.callbridge.observe;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names and label matchers a PromQL expression uses, read well enough to hold rules and dashboard queries
 * to {@link MetricNames} (promtool checks the syntax; this checks the vocabulary). Not a parser: it removes strings,
 * matchers, ranges and grouping lists, and what is left that is a name but no function or keyword is a metric.
 */
final class PromQlNames {

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "bool", "offset", "inf", "nan");
    private static final Pattern STRING = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"|'(?:\\\\.|[^'\\\\])*'|`[^`]*`");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    /** A name not glued to a number (5m, 1e3) or to another name, and not called like a function. */
    private static final Pattern NAME = Pattern.compile("(?<![\\w:.])([a-zA-Z_:][\\w:]*)(?!\\s*\\()(?![\\w:])");
    private static final Pattern SELECTOR = Pattern.compile("(?<![\\w:.])([a-zA-Z_:][\\w:]*)\\s*\\{([^}]*)}");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_]\\w*)\\s*(?:=~|!~|!=|=)");

    private PromQlNames() {
    }

    /** The metric names an expression selects, recording rules' names included. */
    static Set<String> metrics(String expr) {
        String bare = STRING.matcher(expr).replaceAll("\"\"");
        bare = MATCHERS.matcher(bare).replaceAll(" ");
        bare = RANGE.matcher(bare).replaceAll(" ");
        bare = GROUPING.matcher(bare).replaceAll(" ");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = NAME.matcher(bare);
        while (m.find()) {
            if (!KEYWORDS.contains(m.group(1).toLowerCase(Locale.ROOT))) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /**
     * What an expression uses that Callbridge does not expose: unknown metric names (besides the given recording
     * rules) and label matchers on labels the metric does not carry. Empty when it keeps to the contract.
     */
    static List<String> outsideTheContract(String expr, Set<String> recorded) {
        List<String> problems = new ArrayList<>();
        for (String name : metrics(expr)) {
            if (!recorded.contains(name) && MetricNames.baseOf(name) == null) {
                problems.add("unknown metric " + name);
            }
        }
        Matcher selector = SELECTOR.matcher(expr);
        while (selector.find()) {
            String name = selector.group(1);
            if (MetricNames.baseOf(name) == null) {
                continue;
            }
            Matcher label = MATCHER.matcher(STRING.matcher(selector.group(2)).replaceAll("\"\""));
            while (label.find()) {
                if (!MetricNames.labelsOf(name).contains(label.group(1))) {
                    problems.add(name + " has no label " + label.group(1));
                }
            }
        }
        return problems;
    }
}
