package io.callbridge.crm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import io.callbridge.config.Setting;
import io.callbridge.config.Settings;
import io.callbridge.mapping.CrmNames;

/**
 * The CRMs Callbridge can reach: one line each in {@code META-INF/services/io.callbridge.crm.Crm}. Nothing
 * else lists them; adding a CRM adds its line there and its own files.
 */
public final class CrmCatalog {

    private final Map<String, Crm> crms;

    private CrmCatalog(List<Crm> crms) {
        Map<String, Crm> byName = new LinkedHashMap<>();
        for (Crm crm : crms) {
            if (!crm.name().matches("[a-z][a-z0-9]*")) {
                throw new IllegalStateException(crm.getClass().getName() + ": a CRM's name is lower-case letters and digits, not '"
                        + crm.name() + "'");
            }
            if (byName.putIfAbsent(crm.name(), crm) != null) {
                throw new IllegalStateException("two CRMs are named " + crm.name());
            }
        }
        this.crms = byName;
    }

    /** Every CRM on the class path. */
    public static CrmCatalog load() {
        List<Crm> found = new ArrayList<>();
        ServiceLoader.load(Crm.class, CrmCatalog.class.getClassLoader()).forEach(found::add);
        return new CrmCatalog(found);
    }

    public static CrmCatalog of(List<Crm> crms) {
        return new CrmCatalog(crms);
    }

    public List<Crm> all() {
        return List.copyOf(crms.values());
    }

    public List<String> names() {
        return List.copyOf(crms.keySet());
    }

    public Crm get(String name) {
        Crm crm = crms.get(name);
        if (crm == null) {
            throw new IllegalArgumentException("no CRM named '" + name + "'; Callbridge knows " + crms.keySet());
        }
        return crm;
    }

    public boolean contains(String name) {
        return crms.containsKey(name);
    }

    /** The CRMs whose {@code callbridge.crm.<name>.enabled} is true, in catalog order. */
    public List<Crm> enabled(Settings settings) {
        return crms.values().stream().filter(crm -> settings.getBoolean(CrmSettings.ENABLED.of(crm.name()))).toList();
    }

    /** The names mappings are loaded for, with these CRMs enabled. */
    public CrmNames mappingNames(List<Crm> enabled) {
        return new CrmNames(crms.keySet(), enabled.stream().map(Crm::name).toList(),
                enabled.stream().filter(crm -> !crm.usesTemplates()).map(Crm::name).collect(java.util.stream.Collectors.toSet()));
    }

    /** Where the CRM is, as configured; empty when not set. */
    public static String location(Crm crm, Settings settings) {
        String v = settings.get(crm.location());
        return v == null ? "" : v;
    }

    /**
     * Every URL a CRM is configured with (where it is, its accounts or login server, a check URL) is https: credentials
     * and personal data travel on it. A CRM is let use plain HTTP only by name.
     */
    public static void requireHttps(Crm crm, Settings settings) {
        if (settings.getBoolean(CrmSettings.ALLOW_PLAIN_HTTP.of(crm.name()))) {
            return;
        }
        java.util.Set<Setting> urls = new java.util.LinkedHashSet<>(List.of(crm.location(), CrmSettings.BASE_URL.of(crm.name())));
        crm.settings().stream().filter(s -> s.key().endsWith("url")).forEach(urls::add);
        for (Setting url : urls) {
            settings.find(url.key()).filter(v -> !v.regionMatches(true, 0, "https://", 0, 8)).ifPresent(v -> {
                throw new IllegalStateException(url.key() + " is " + v + ": CRMs are reached over https only; set "
                        + CrmSettings.ALLOW_PLAIN_HTTP.of(crm.name()).key() + "=true to allow plain HTTP for this CRM "
                        + "(a local simulator, a test)");
            });
        }
    }
}
