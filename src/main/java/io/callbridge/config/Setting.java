package io.callbridge.config;

/**
 * One configuration key, declared once where the code that reads it lives: its name, its default
 * ({@code null}: none) and what it means. The README's configuration table lists exactly the declared
 * keys ({@code ConfigurationTableTest}). A key of the form {@code callbridge.crm.<crm>.name} is shared
 * by every CRM; {@link #of(String)} names it for one CRM.
 */
public record Setting(String key, String defaultValue, String description) {

    /** The placeholder of a key every CRM has. */
    public static final String CRM = "<crm>";

    public static Setting of(String key, String defaultValue, String description) {
        return new Setting(key, defaultValue, description);
    }

    /** A key every CRM has: {@code callbridge.crm.<crm>.<name>}. */
    public static Setting perCrm(String name, String defaultValue, String description) {
        return new Setting("callbridge.crm." + CRM + "." + name, defaultValue, description);
    }

    /** This key of one CRM. */
    public Setting of(String crm) {
        if (!isPerCrm()) {
            throw new IllegalStateException(key + " is not a key every CRM has");
        }
        return new Setting(key.replace(CRM, crm), defaultValue, description);
    }

    public boolean isPerCrm() {
        return key.contains(CRM);
    }

    @Override
    public String toString() {
        return key;
    }
}
