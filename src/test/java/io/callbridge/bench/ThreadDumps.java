package io.callbridge.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a {@code jcmd Thread.print} dump for the question "where do the Kafka consumer threads wait?": one line per
 * (consumer, state, top frame, innermost Callbridge frame), with how many threads are there.
 */
final class ThreadDumps {

    private ThreadDumps() {
    }

    static List<String> consumers(String dump) {
        Map<String, Integer> seen = new TreeMap<>();
        for (String block : dump.split("\\n\\s*\\n")) {
            String head = block.strip();
            int open = head.indexOf("KafkaConsumer[");
            if (!head.startsWith("\"") || open < 0 || open > head.indexOf('"', 1)) {
                continue;
            }
            String consumer = head.substring(open + "KafkaConsumer[".length(), head.indexOf(']', open));
            String state = "?";
            String top = null;
            String ours = "-";
            for (String line : head.split("\\n")) {
                String l = line.strip();
                if (l.startsWith("java.lang.Thread.State:")) {
                    state = l.substring("java.lang.Thread.State:".length()).strip().split(" ")[0];
                } else if (l.startsWith("at ")) {
                    String frame = l.substring(3).replaceAll("\\(.*", "");
                    if (top == null) top = frame;
                    if (ours.equals("-") && frame.startsWith("io.callbridge.")) ours = frame;
                }
            }
            seen.merge(String.format("%-28s %-13s %s <- %s", consumer, state, top, ours), 1, Integer::sum);
        }
        List<String> out = new ArrayList<>();
        seen.forEach((k, n) -> out.add(n + " x " + k));
        return out;
    }

    /**
     * Where the child's CPU went between two dumps: each thread's {@code cpu=} difference, summed per thread name with
     * the numbers taken out (all broker request handlers together, …), largest first.
     */
    static List<String> cpuBetween(String first, String last, int top) {
        Map<String, Double> before = cpu(first);
        Map<String, Double> groups = new TreeMap<>();
        cpu(last).forEach((name, ms) -> groups.merge(name.replaceAll("\\d+", "#"), ms - before.getOrDefault(name, 0.0), Double::sum));
        double total = groups.values().stream().mapToDouble(Double::doubleValue).sum();
        List<String> out = new ArrayList<>();
        out.add(String.format(java.util.Locale.ROOT, "%.1f s CPU in all threads between the dumps", total / 1000));
        groups.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(top)
                .forEach(e -> out.add(String.format(java.util.Locale.ROOT, "%5.0f ms %4.1f %%  %s", e.getValue(), 100 * e.getValue() / total,
                        e.getKey())));
        return out;
    }

    private static Map<String, Double> cpu(String dump) {
        Map<String, Double> m = new TreeMap<>();
        java.util.regex.Matcher x = java.util.regex.Pattern.compile("(?m)^\"(.+?)\" .*?cpu=([\\d.]+)ms").matcher(dump);
        while (x.find()) {
            m.merge(x.group(1), Double.parseDouble(x.group(2)), Double::sum);
        }
        return m;
    }
}
