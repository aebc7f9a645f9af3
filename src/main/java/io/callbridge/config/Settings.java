package io.callbridge.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Typed access to the {@code callbridge.*} settings, each read through its {@link Setting}
 * declaration, so a key's default lives in one place. Every key is looked up by name, which is what
 * lets Camel resolve it from an environment variable too (CALLBRIDGE_CRM_HUBSPOT_BASE_URL).
 */
public final class Settings {

    private final PropertiesComponent properties;

    public Settings(CamelContext context) {
        this.properties = context.getPropertiesComponent();
    }

    /**
     * A key that is not declared anywhere: a template setting from {@code mappings/<crm>/settings.yaml}, a sandbox key.
     * Unset, the key is read from the file that {@code <key>.file} names ({@code CALLBRIDGE_WEBHOOK_SECRET_FILE}: the
     * convention of Docker and Kubernetes secrets), so no secret needs to be in a variable or a properties file.
     */
    public Optional<String> find(String key) {
        Optional<String> value = properties.resolveProperty(key).map(String::trim).filter(v -> !v.isEmpty());
        if (value.isPresent()) {
            return value;
        }
        return properties.resolveProperty(key + ".file").map(String::trim).filter(v -> !v.isEmpty()).map(file -> {
            try {
                return Files.readString(Path.of(file)).trim();
            } catch (IOException e) {
                throw new IllegalStateException(key + ".file names " + file + ", which cannot be read: " + e.getClass().getSimpleName());
            }
        }).filter(v -> !v.isEmpty());
    }

    public Optional<String> find(Setting setting) {
        return find(setting.key()).or(() -> Optional.ofNullable(setting.defaultValue()));
    }

    /** The value, the declared default, or null. */
    public String get(Setting setting) {
        return find(setting).orElse(null);
    }

    public String require(Setting setting, String why) {
        return find(setting).orElseThrow(() -> new IllegalStateException(setting.key() + " is not set: " + why));
    }

    public int getInt(Setting setting) {
        return (int) getLong(setting);
    }

    public long getLong(Setting setting) {
        String v = require(setting, "it needs a whole number");
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(setting.key() + " must be a whole number, not '" + v + "'");
        }
    }

    public double getDouble(Setting setting) {
        String v = require(setting, "it needs a number");
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(setting.key() + " must be a number, not '" + v + "'");
        }
    }

    public boolean getBoolean(Setting setting) {
        String v = require(setting, "it needs true or false");
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw new IllegalStateException(setting.key() + " must be true or false, not '" + v + "'");
        }
        return Boolean.parseBoolean(v);
    }

    /** Sets a value that wins over files and environment, for settings derived at start-up. */
    public void override(Setting setting, String value) {
        properties.addOverrideProperty(setting.key(), value);
    }
}
