package io.callbridge.phone;

import java.util.Locale;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * Turns a phone number as a person or a CRM typed it into E.164. National numbers are read in the
 * configured default region; international ones (with + or an international prefix) in their own.
 */
public final class PhoneNormalizer {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final int MAX_INPUT_LENGTH = 64;

    public static final io.callbridge.config.Setting DEFAULT_REGION = io.callbridge.config.Setting.of("callbridge.default-region",
            "CH", "ISO country for national phone numbers");

    private final String defaultRegion;

    public PhoneNormalizer(String defaultRegion) {
        String region = defaultRegion == null ? "" : defaultRegion.trim().toUpperCase(Locale.ROOT);
        if (!UTIL.getSupportedRegions().contains(region)) {
            throw new IllegalArgumentException("callbridge.default-region '" + defaultRegion
                    + "' is not an ISO 3166 country code libphonenumber knows");
        }
        this.defaultRegion = region;
    }

    public String defaultRegion() {
        return defaultRegion;
    }

    /** @return the number in E.164, extension dropped */
    public String toE164(String raw) throws InvalidPhoneNumberException {
        return format(parse(raw), PhoneNumberFormat.E164);
    }

    public PhoneNumber parse(String raw) throws InvalidPhoneNumberException {
        if (raw == null || raw.isBlank()) {
            throw new InvalidPhoneNumberException("is empty");
        }
        if (raw.length() > MAX_INPUT_LENGTH) {
            throw new InvalidPhoneNumberException("is longer than " + MAX_INPUT_LENGTH + " characters");
        }
        PhoneNumber number;
        try {
            number = UTIL.parse(raw, defaultRegion);
        } catch (NumberParseException e) {
            throw new InvalidPhoneNumberException(reason(e));
        }
        if (!UTIL.isPossibleNumber(number)) {
            throw new InvalidPhoneNumberException("has the wrong number of digits for "
                    + regionOf(number));
        }
        if (!UTIL.isValidNumber(number)) {
            throw new InvalidPhoneNumberException("is not a valid number for " + regionOf(number));
        }
        return number;
    }

    public String format(PhoneNumber number, PhoneNumberFormat format) {
        PhoneNumber withoutExtension = new PhoneNumber().mergeFrom(number).clearExtension();
        return UTIL.format(withoutExtension, format);
    }

    private static String regionOf(PhoneNumber number) {
        String region = UTIL.getRegionCodeForNumber(number);
        return region == null ? "country code +" + number.getCountryCode() : "region " + region;
    }

    private static String reason(NumberParseException e) {
        return switch (e.getErrorType()) {
            case INVALID_COUNTRY_CODE -> "has no valid country code";
            case NOT_A_NUMBER -> "is not a phone number";
            case TOO_SHORT_AFTER_IDD, TOO_SHORT_NSN -> "is too short";
            case TOO_LONG -> "is too long";
        };
    }

    /** The reason never contains the number itself, so it is safe to log and to return to the caller. */
    public static final class InvalidPhoneNumberException extends Exception {
        public InvalidPhoneNumberException(String reason) {
            super(reason);
        }
    }
}
