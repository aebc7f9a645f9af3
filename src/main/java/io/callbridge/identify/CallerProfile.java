package io.callbridge.identify;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.crm.Candidate;
import io.callbridge.crm.CrmHttp;

/**
 * The caller profile of DESIGN.md from an identification, and the one sentence the assistant can
 * use to greet. Unknown fields are left out, never written as null or empty strings.
 */
public final class CallerProfile {

    private static final int MAX_SUMMARY = 160;

    private final ZoneId zone;
    private final String language;

    public CallerProfile(ZoneId zone, String language) {
        this.zone = zone;
        this.language = switch (language == null ? "fr" : language.trim().toLowerCase(Locale.ROOT)) {
            case "en", "de", "fr" -> language.trim().toLowerCase(Locale.ROOT);
            default -> throw new IllegalStateException("callbridge.identify.greeting-language must be fr, de or en, not '"
                    + language + "'");
        };
    }

    public ObjectNode toJson(String e164, Identification id) {
        Candidate c = id.winner();
        ObjectNode o = CrmHttp.JSON.createObjectNode();
        o.put("phone", e164);
        o.put("crm", c.crm);
        o.put("recordType", c.type);
        o.put("recordId", c.id);
        put(o, "displayName", displayName(c));
        put(o, "firstName", c.firstName);
        put(o, "lastName", c.lastName);
        put(o, "company", c.company);
        put(o, "email", c.email);
        if (c.ownerId != null) {
            ObjectNode owner = o.putObject("owner");
            owner.put("id", c.ownerId);
            put(owner, "name", c.ownerName);
        }
        put(o, "status", c.status);
        o.put("matches", id.matches());
        if (c.lastCallAt != null) {
            ObjectNode last = o.putObject("lastCall");
            last.put("at", c.lastCallAt.toString());
            put(last, "summary", summary(c.lastCallSummary));
        }
        if (c.openDeals != null) {
            o.put("openDeals", c.openDeals);
        }
        if (c.openCases != null) {
            o.put("openCases", c.openCases);
        }
        put(o, "greetingContext", greeting(c));
        return o;
    }

    static String displayName(Candidate c) {
        if (c.displayName != null) {
            return c.displayName;
        }
        String joined = ((c.firstName == null ? "" : c.firstName) + " " + (c.lastName == null ? "" : c.lastName)).trim();
        return joined.isEmpty() ? null : joined;
    }

    /** e.g. {@code Jean Dupont (Dupont SA), client Gold; dernier appel le 20.11 : Question sur la commande 4411.} */
    String greeting(Candidate c) {
        String name = displayName(c);
        if (name == null) {
            return null;
        }
        StringBuilder s = new StringBuilder(name);
        if (c.company != null) {
            s.append(" (").append(c.company).append(')');
        }
        boolean lead = Candidate.LEAD.equals(c.type);
        if (lead || c.status != null) {
            s.append(", ");
            String status = c.status == null ? "" : " " + c.status;
            s.append(switch (language) {
                case "en" -> lead ? "prospect" + status : c.status + " customer";
                case "de" -> lead ? "Interessent" + status : "Kunde " + c.status;
                default -> lead ? "prospect" + status : "client " + c.status;
            });
        }
        if (c.lastCallAt != null) {
            String day = DateTimeFormatter.ofPattern("dd.MM").format(c.lastCallAt.atZone(zone));
            s.append(switch (language) {
                case "en" -> "; last call on " + day;
                case "de" -> "; letzter Anruf am " + day + ".";
                default -> "; dernier appel le " + day;
            });
            String summary = summary(c.lastCallSummary);
            if (summary != null) {
                s.append(language.equals("fr") ? " : " : ": ").append(summary);
            }
        }
        if (s.charAt(s.length() - 1) != '.') {
            s.append('.');
        }
        return s.toString();
    }

    private static String summary(String text) {
        String t = Candidate.text(text);
        if (t == null) {
            return null;
        }
        t = t.replaceAll("\\s+", " ");
        return t.length() <= MAX_SUMMARY ? t : t.substring(0, MAX_SUMMARY - 1).trim() + "…";
    }

    private static void put(ObjectNode o, String name, String value) {
        String v = Candidate.text(value);
        if (v != null) {
            o.put(name, v);
        }
    }
}
