package io.callbridge.sandbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The standalone sandbox's options ({@link CrmSandbox#main}), configured like the embedded one: every key the embedded
 * sandbox reads as {@code callbridge.sandbox.<key>} is taken, first found wins, from
 * <ol>
 *   <li>an argument {@code --<key>=<value>}: {@code --port=8089}, {@code --hubspot.client-id=…};</li>
 *   <li>a system property {@code callbridge.sandbox.<key>};</li>
 *   <li>an environment variable {@code CALLBRIDGE_SANDBOX_<KEY>}, the key upper-cased with {@code .} and {@code -} as
 *       {@code _}: {@code CALLBRIDGE_SANDBOX_HUBSPOT_CLIENT_ID}, as containers pass secrets.</li>
 * </ol>
 * {@code crms} (comma list, default every CRM) chooses what is served. The older positional form {@code [port]
 * [crm,crm…]} still works. An option that names no key is refused, and a {@code CALLBRIDGE_SANDBOX_} variable that names
 * none is reported ({@link #warnings()}: the environment may be shared with Callbridge's own {@code callbridge.sandbox.*}
 * keys), so that a mistyped secret's name does not leave the sandbox on its default one unnoticed.
 */
public final class StandaloneOptions {

    static final String PREFIX = "callbridge.sandbox.";
    static final String ENV_PREFIX = "CALLBRIDGE_SANDBOX_";
    /** The sandbox-wide keys, with what each does; a CRM's own keys are {@code <crm>.<key>}. */
    static final Map<String, String> GLOBAL_KEYS = globalKeys();

    private final Set<String> crms;
    private final Function<String, String> lookup;
    private final List<String> warnings;

    private StandaloneOptions(Set<String> crms, Function<String, String> lookup, List<String> warnings) {
        this.crms = crms;
        this.lookup = lookup;
        this.warnings = List.copyOf(warnings);
    }

    private static Map<String, String> globalKeys() {
        Map<String, String> k = new LinkedHashMap<>();
        k.put("port", "the port (default " + SandboxSettings.DEFAULT_PORT + "; 0: a free one)");
        k.put("host", "the address to bind (default localhost; 0.0.0.0 in a container)");
        k.put("crms", "the CRMs served, comma list (default: every one)");
        k.put("seed", "seed of the fault injection's randomness");
        k.put("data-dir", "where the CRMs' records are kept across restarts (default: in memory only)");
        return k;
    }

    /**
     * Reads the options.
     *
     * @throws IllegalArgumentException naming the option, variable or CRM that is not known
     */
    public static StandaloneOptions parse(List<String> args, Map<String, String> env, Function<String, String> systemProperties) {
        Map<String, String> given = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        for (String a : args) {
            if (!a.startsWith("--")) {
                positional.add(a);
                continue;
            }
            int eq = a.indexOf('=');
            if (eq < 0) throw new IllegalArgumentException("option " + a + " takes a value: " + a + "=…");
            given.put(a.substring(2, eq), a.substring(eq + 1));
        }
        if (positional.size() > 2) throw new IllegalArgumentException("unexpected arguments " + positional.subList(2, positional.size()));
        if (!positional.isEmpty()) given.putIfAbsent("port", positional.get(0));
        if (positional.size() > 1) given.putIfAbsent("crms", positional.get(1));

        Function<String, String> fromEnv = key -> env.get(envName(key));
        Function<String, String> first = key -> {
            String v = given.get(key);
            if (v == null) v = systemProperties.apply(PREFIX + key);
            if (v == null) v = fromEnv.apply(key);
            return v;
        };
        String chosen = first.apply("crms");
        Set<String> crms = new LinkedHashSet<>();
        if (chosen == null || chosen.isBlank()) {
            crms.addAll(SandboxCrms.providers().keySet());
        } else {
            for (String c : chosen.split(",")) {
                String name = c.trim();
                if (name.isEmpty()) continue;
                if (!SandboxCrms.supports(name)) {
                    throw new IllegalArgumentException("the CRM sandbox cannot simulate '" + name + "'; it knows " + SandboxCrms.providers().keySet());
                }
                crms.add(name);
            }
        }
        Set<String> known = new LinkedHashSet<>(GLOBAL_KEYS.keySet());
        for (String crm : SandboxCrms.providers().keySet()) {
            for (String k : SandboxCrms.configKeys(crm)) known.add(crm + "." + k);
        }
        for (String key : given.keySet()) {
            if (!known.contains(key)) throw new IllegalArgumentException("unknown option --" + key + suggestion(key));
        }
        Map<String, String> byEnvName = new LinkedHashMap<>();
        known.forEach(k -> byEnvName.put(envName(k), k));
        List<String> warnings = new ArrayList<>();
        env.keySet().stream().filter(n -> n.startsWith(ENV_PREFIX) && !byEnvName.containsKey(n)).sorted()
                .forEach(n -> warnings.add("ignored environment variable " + n + ": the standalone sandbox has no such key (--help lists them)"));
        return new StandaloneOptions(crms, key -> key.startsWith(PREFIX) ? first.apply(key.substring(PREFIX.length())) : null, warnings);
    }

    /** {@code hubspot.client-id} → {@code CALLBRIDGE_SANDBOX_HUBSPOT_CLIENT_ID}. */
    static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static String suggestion(String key) {
        int dot = key.indexOf('.');
        String crm = dot < 0 ? null : key.substring(0, dot);
        if (crm != null && SandboxCrms.supports(crm)) {
            return "; " + crm + " takes " + SandboxCrms.configKeys(crm).stream().sorted().map(k -> "--" + crm + "." + k).toList();
        }
        return "; see --help";
    }

    /** What was given but not used, one line each. */
    public List<String> warnings() {
        return warnings;
    }

    /** The settings the sandbox starts with. */
    public SandboxSettings settings() {
        return SandboxSettings.fromProperties(lookup, crms);
    }

    /** What {@code --help} prints: every key, sandbox-wide and per CRM, in its three spellings. */
    public static String usage() {
        StringBuilder b = new StringBuilder();
        b.append("java -cp callbridge.jar io.callbridge.sandbox.CrmSandbox [--<key>=<value>...]\n")
                .append("Each key may also be given as -D").append(PREFIX).append("<key>=<value> or as the environment variable ")
                .append(ENV_PREFIX).append("<KEY> (upper case, '.' and '-' as '_'); the argument wins, then the property.\n\n");
        GLOBAL_KEYS.forEach((k, d) -> b.append(String.format("  --%-34s %s%n", k + "=", d)));
        for (String crm : SandboxCrms.providers().keySet()) {
            b.append('\n').append(crm).append(" (see docs/sandbox.md and the simulator's javadoc for what each key does):\n");
            SandboxCrms.configKeys(crm).stream().sorted().forEach(k -> b.append("  --").append(crm).append('.').append(k).append("=\n"));
        }
        return b.toString();
    }
}
