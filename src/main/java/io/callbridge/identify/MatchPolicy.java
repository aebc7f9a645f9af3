package io.callbridge.identify;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import io.callbridge.crm.Candidate;

/**
 * Which record wins when several hold the caller's number: an ordered list of criteria
 * ({@code callbridge.identify.match-policy}, default {@code contact-first,most-recent}):
 * {@code contact-first}, {@code lead-first}, {@code most-recent}, {@code least-recent}
 * (last modification). Remaining ties go to the smallest id, so the answer is stable.
 */
public final class MatchPolicy {

    public static final String DEFAULT = "contact-first,most-recent";

    private final String spec;
    private final Comparator<Candidate> order;

    private MatchPolicy(String spec, Comparator<Candidate> order) {
        this.spec = spec;
        this.order = order;
    }

    public static MatchPolicy parse(String spec) {
        String s = spec == null || spec.isBlank() ? DEFAULT : spec;
        Comparator<Candidate> order = null;
        for (String part : s.split(",")) {
            Comparator<Candidate> c = switch (part.trim().toLowerCase(Locale.ROOT)) {
                case "contact-first" -> Comparator.comparingInt(x -> Candidate.CONTACT.equals(x.type) ? 0 : 1);
                case "lead-first" -> Comparator.comparingInt(x -> Candidate.LEAD.equals(x.type) ? 0 : 1);
                case "most-recent" -> Comparator.comparing((Candidate x) -> x.lastModified,
                        Comparator.nullsLast(Comparator.<Instant>reverseOrder()));
                case "least-recent" -> Comparator.comparing((Candidate x) -> x.lastModified,
                        Comparator.nullsLast(Comparator.<Instant>naturalOrder()));
                default -> throw new IllegalStateException("callbridge.identify.match-policy: unknown criterion '" + part.trim()
                        + "'; use contact-first, lead-first, most-recent, least-recent, comma separated");
            };
            order = order == null ? c : order.thenComparing(c);
        }
        return new MatchPolicy(s, order.thenComparing(x -> x.id));
    }

    /** The winner among confirmed candidates, or null when there are none. */
    public Candidate pick(List<Candidate> confirmed) {
        return confirmed.stream().min(order).orElse(null);
    }

    @Override
    public String toString() {
        return spec;
    }
}
