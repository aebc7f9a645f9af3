package io.callbridge.mapping;

import java.util.List;
import java.util.Set;

/**
 * The CRMs mappings are loaded for: every CRM Callbridge knows (a rule may name any of them), those
 * enabled, in the catalog's order (each gets its commands), and those of them that receive commands as
 * they are, without templates (whatever CRMs an action names).
 */
public record CrmNames(Set<String> known, List<String> enabled, Set<String> asIs) {

    public CrmNames {
        known = Set.copyOf(known);
        enabled = List.copyOf(enabled);
        asIs = Set.copyOf(asIs);
    }

    /** Only these CRMs, all known and enabled, all with templates (tests, tools). */
    public static CrmNames templated(List<String> crms) {
        return new CrmNames(Set.copyOf(crms), crms, Set.of());
    }
}
