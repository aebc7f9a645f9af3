package io.callbridge.config;

import java.util.List;
import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Typed access to the {@code callbridge.*} settings. Every key is looked up by name, which is what
 * lets Camel resolve it from an environment variable too (CALLBRIDGE_CRM_HUBSPOT_BASE_URL).
 */
public final class Settings {

    /** Every CRM Callbridge knows, in the order they are documented. */
    public static final List<String> CRMS = List.of("salesforce", "hubspot", "pipedrive", "zoho", "monday", "notion",
            "webhook");

    private final PropertiesComponent properties;

    public Settings(CamelContext context) {
        this.properties = context.getPropertiesComponent();
    }

    public Optional<String> find(String key) {
        return properties.resolveProperty(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    public String get(String key, String defaultValue) {
        return find(key).orElse(defaultValue);
    }

    public String require(String key, String why) {
        return find(key).orElseThrow(() -> new IllegalStateException(key + " is not set: " + why));
    }

    public int getInt(String key, int defaultValue) {
        String v = get(key, null);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(key + " must be a whole number, not '" + v + "'");
        }
    }

    public long getLong(String key, long defaultValue) {
        String v = get(key, null);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(key + " must be a whole number, not '" + v + "'");
        }
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        String v = get(key, null);
        if (v == null) {
            return defaultValue;
        }
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw new IllegalStateException(key + " must be true or false, not '" + v + "'");
        }
        return Boolean.parseBoolean(v);
    }

    public boolean crmEnabled(String crm) {
        return getBoolean("callbridge.crm." + crm + ".enabled", false);
    }

    public List<String> enabledCrms() {
        return CRMS.stream().filter(this::crmEnabled).toList();
    }

    /**
     * Where a CRM's API is: {@code .base-url}, or Salesforce's {@code .login-url},
     * the webhook's {@code .url}. Empty when not configured.
     */
    public String crmBaseUrl(String crm) {
        String key = switch (crm) {
            case "salesforce" -> "login-url";
            case "webhook" -> "url";
            default -> "base-url";
        };
        return get("callbridge.crm." + crm + "." + key, "");
    }

    /** Sets a value that wins over files and environment, for settings derived at start-up. */
    public void override(String key, String value) {
        properties.addOverrideProperty(key, value);
    }
}
