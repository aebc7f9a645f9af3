package io.callbridge.phone;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * The ways people type one number into a CRM (what a search must ask for), and the check that a
 * stored value really is the number (by normalising it, never by comparing strings).
 */
public final class PhoneFormats {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private final String defaultRegion;

    public PhoneFormats(String defaultRegion) {
        this.defaultRegion = defaultRegion;
    }

    /** The most ways {@link #variants} writes one number, for a CRM that counts the conditions of a search. */
    public static final int MAX_VARIANTS = 11;

    /**
     * E.164, international with spaces, national with and without spaces, {@code +41 (0)…} and
     * {@code 0041…}, each as libphonenumber formats the number, so the groups are those people use.
     */
    public List<String> variants(String e164) {
        PhoneNumber n = parseE164(e164);
        String cc = String.valueOf(n.getCountryCode());
        String nsn = UTIL.getNationalSignificantNumber(n);
        String international = UTIL.format(n, PhoneNumberFormat.INTERNATIONAL);
        String national = UTIL.format(n, PhoneNumberFormat.NATIONAL);
        String grouped = international.startsWith("+" + cc) ? international.substring(cc.length() + 1).trim() : nsn;
        Set<String> out = new LinkedHashSet<>();
        out.add(e164);
        out.add(international);
        out.add(national);
        out.add(national.replaceAll("[^0-9+]", ""));
        out.add("00" + cc + " " + grouped);
        out.add("00" + cc + nsn);
        out.add("+" + cc + " " + nsn);
        String prefix = UTIL.getNddPrefixForRegion(UTIL.getRegionCodeForNumber(n), true);
        if (prefix != null && !prefix.isEmpty() && national.replaceAll("\\D", "").startsWith(prefix + nsn.substring(0, 1))) {
            out.add("+" + cc + " (" + prefix + ")" + grouped);
            out.add("+" + cc + " (" + prefix + ") " + grouped);
            out.add("+" + cc + "(" + prefix + ")" + nsn);
            out.add("+" + cc + " " + prefix + grouped);
        }
        return List.copyOf(out);
    }

    /** Digit strings a CRM that indexes numbers by their digits may hold: national significant number first. */
    public List<String> digitForms(String e164) {
        PhoneNumber n = parseE164(e164);
        String nsn = UTIL.getNationalSignificantNumber(n);
        List<String> out = new ArrayList<>();
        out.add(nsn);
        for (String v : variants(e164)) {
            String d = v.replaceAll("\\D", "");
            if (!out.contains(d)) out.add(d);
        }
        return out;
    }

    public String nationalSignificantNumber(String e164) {
        return UTIL.getNationalSignificantNumber(parseE164(e164));
    }

    /**
     * Whether a value stored in the CRM is this number: normalised in the default region (national
     * numbers typed by the CRM's users), else in the region of the number itself (a French number
     * stored nationally in a Swiss company's CRM). International values carry their own country.
     */
    public boolean confirms(String stored, String e164) {
        if (stored == null || stored.isBlank() || stored.length() > 64) {
            return false;
        }
        if (e164.equals(normalise(stored, defaultRegion))) {
            return true;
        }
        String region = UTIL.getRegionCodeForNumber(parseE164(e164));
        return region != null && !region.equals(defaultRegion) && e164.equals(normalise(stored, region));
    }

    /** The last digits a stored value shares with the number it holds however it was typed: a caller directory's key. */
    private static final int KEY_DIGITS = 6;

    /** The key a directory files the number under (see {@link #keysOfStored}). */
    public String keyOf(String e164) {
        return tail(UTIL.getNationalSignificantNumber(parseE164(e164)));
    }

    /**
     * The keys a directory files a stored value under: every number {@link #confirms} would accept for it has one of them.
     * Its own last digits, and those of its number without the extension where it parses; the directory confirms.
     */
    public Set<String> keysOfStored(String stored) {
        Set<String> keys = new LinkedHashSet<>();
        if (stored == null || stored.isBlank() || stored.length() > 64) {
            return keys;
        }
        String digits = stored.replaceAll("[^0-9]", "");
        if (!digits.isEmpty()) {
            keys.add(tail(digits));
        }
        String e164 = normalise(stored, defaultRegion);
        if (e164 != null) {
            keys.add(keyOf(e164));
        }
        return keys;
    }

    /** The stored value as E.164 when it reads as a valid number in the default region, else null. */
    public String e164Of(String stored) {
        return stored == null || stored.isBlank() || stored.length() > 64 ? null : normalise(stored, defaultRegion);
    }

    private static String tail(String digits) {
        return digits.length() <= KEY_DIGITS ? digits : digits.substring(digits.length() - KEY_DIGITS);
    }

    private static String normalise(String raw, String region) {
        try {
            PhoneNumber n = UTIL.parse(raw, region);
            if (!UTIL.isValidNumber(n)) {
                return null;
            }
            return UTIL.format(n.clearExtension(), PhoneNumberFormat.E164);
        } catch (NumberParseException e) {
            return null;
        }
    }

    private static PhoneNumber parseE164(String e164) {
        try {
            return UTIL.parse(e164, "ZZ");
        } catch (NumberParseException e) {
            throw new IllegalArgumentException("not an E.164 number");
        }
    }
}
