package io.callbridge.identify;

import java.time.ZoneId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.callbridge.config.Settings;
import io.callbridge.mapping.DryRun.ContactFinder;
import io.callbridge.phone.PhoneNormalizer;
import io.callbridge.sandbox.hubspot.HubSpotSandbox;
import io.callbridge.sandbox.salesforce.SalesforceSandbox;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires caller identification at start-up: one {@link CallerIdentifier} per enabled CRM that can be
 * searched (Salesforce, HubSpot, Pipedrive), bean {@code callers} answering from
 * {@code callbridge.primary-crm} (default: the first of those enabled), and per CRM a
 * {@link ContactFinder} (bean {@code contactFinder.<crm>}) for the connectors and the dry run.
 */
public final class IdentifyBeans {

    private static final Logger LOG = LoggerFactory.getLogger(IdentifyBeans.class);
    public static final Set<String> SEARCHABLE = Set.of("salesforce", "hubspot", "pipedrive");
    private static final String FINDERS = "identify.contactFinders";

    private IdentifyBeans() {
    }

    public static Callers bind(CamelContext context, Settings settings) {
        IdentifySettings s = IdentifySettings.from(settings);
        PhoneNormalizer phones = context.getRegistry().lookupByNameAndType("phoneNormalizer", PhoneNormalizer.class);
        if (phones == null) {
            phones = new PhoneNormalizer(settings.get("callbridge.default-region", "CH"));
        }
        PhoneFormats formats = new PhoneFormats(phones.defaultRegion());
        CrmHttp http = new CrmHttp(s.crmTimeout());
        addStoppable(context, http::close);
        boolean sandbox = settings.getBoolean("callbridge.sandbox.enabled", false);

        Map<String, CallerIdentifier> identifiers = new LinkedHashMap<>();
        for (String crm : settings.enabledCrms()) {
            if (!SEARCHABLE.contains(crm)) {
                continue;
            }
            if (settings.crmBaseUrl(crm).isEmpty()) {
                LOG.warn("callbridge.crm.{}.{} is not set: callers cannot be looked up in {}", crm,
                        crm.equals("salesforce") ? "login-url" : "base-url", crm);
                continue;
            }
            CrmSearch search = search(crm, settings, http, sandbox);
            identifiers.put(crm, new CallerIdentifier(search, formats, s));
        }
        String primaryName = settings.get("callbridge.primary-crm", null);
        CallerIdentifier primary;
        if (primaryName != null) {
            primary = identifiers.get(primaryName);
            if (primary == null) {
                throw new IllegalStateException("callbridge.primary-crm is '" + primaryName + "', which is not an enabled CRM "
                        + "that caller lookups can search; enable it (callbridge.crm." + primaryName + ".enabled=true) or choose one of "
                        + identifiers.keySet() + " (supported: salesforce, hubspot, pipedrive)");
            }
        } else {
            primary = identifiers.values().stream().findFirst().orElse(null);
        }
        identifiers.values().forEach(i -> {
            try {
                i.search().prepare();
            } catch (RuntimeException e) {
                LOG.warn("{} could not be prepared for caller lookups: {}", i.crm(), e.getMessage());
            }
        });
        if (primary != null) {
            LOG.info("Caller lookups answer from {} (deadline {} ms, policy {})", primary.crm(), s.deadline().toMillis(),
                    s.matchPolicy());
        }
        Callers callers = new Callers(phones, primary, identifiers.values(),
                new CallerProfile(ZoneId.of(settings.get("callbridge.timezone", "Europe/Zurich")), s.greetingLanguage()),
                settings.getInt("callbridge.http.retry-after-seconds", 5), s.warmupMaxAge().toMillis());
        context.getRegistry().bind("callers", callers);
        Map<String, ContactFinder> finders = new LinkedHashMap<>();
        identifiers.forEach((crm, identifier) -> {
            CrmContactFinder finder = new CrmContactFinder(identifier);
            context.getRegistry().bind("contactFinder." + crm, finder);
            finders.put(crm, finder);
        });
        context.getRegistry().bind(FINDERS, Map.copyOf(finders));
        return callers;
    }

    /**
     * The finders for the dry run: a CRM that cannot be read is planned as for an unknown caller
     * (logged), because a plan is advice; the connectors use the finders themselves, which throw.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, ContactFinder> finders(CamelContext context) {
        Map<String, ContactFinder> bound = context.getRegistry().lookupByNameAndType(FINDERS, Map.class);
        if (bound == null) {
            return Map.of();
        }
        return bound.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> (crm, e164) -> {
            try {
                return e.getValue().find(crm, e164);
            } catch (Exception failure) {
                LOG.warn("Dry run: the contact could not be read from {} ({}); planned as for an unknown caller", crm,
                        failure.getMessage());
                return null;
            }
        }));
    }

    private static CrmSearch search(String crm, Settings settings, CrmHttp http, boolean sandbox) {
        String prefix = "callbridge.crm." + crm + ".";
        return switch (crm) {
            case "salesforce" -> new SalesforceCallerSearch(http, required(settings, prefix + "login-url"),
                    credential(settings, prefix + "client-id", sandbox ? SalesforceSandbox.DEFAULT_CLIENT_ID : null),
                    credential(settings, prefix + "client-secret", sandbox ? SalesforceSandbox.DEFAULT_CLIENT_SECRET : null),
                    settings.get(prefix + "refresh-token", null),
                    settings.get(prefix + "api-version", "60.0"),
                    settings.get("callbridge.identify.salesforce.contact-status-field", null));
            case "hubspot" -> new HubSpotCallerSearch(http, required(settings, prefix + "base-url"),
                    credential(settings, prefix + "token", sandbox ? HubSpotSandbox.DEFAULT_TOKEN : null),
                    settings.get("callbridge.identify.hubspot.status-property", "hs_lead_status"),
                    Arrays.stream(settings.get("callbridge.identify.hubspot.lead-stages",
                                    String.join(",", HubSpotCallerSearch.DEFAULT_LEAD_STAGES)).split(","))
                            .map(String::trim).filter(x -> !x.isEmpty()).collect(Collectors.toSet()));
            case "pipedrive" -> new PipedriveCallerSearch(http, required(settings, prefix + "base-url"),
                    credential(settings, prefix + "token", sandbox ? "sandbox-pipedrive-api-token" : null));
            default -> throw new IllegalArgumentException(crm);
        };
    }

    private static String required(Settings settings, String key) {
        return settings.require(key, "caller lookups need the CRM's address");
    }

    /** A missing credential is not fatal at start (lookups then answer 503 and say why in the log). */
    private static String credential(Settings settings, String key, String sandboxDefault) {
        String v = settings.get(key, sandboxDefault);
        if (v == null) {
            LOG.warn("{} is not set: caller lookups in that CRM will be refused by it", key);
            return "";
        }
        return v;
    }

    private static void addStoppable(CamelContext context, Runnable stop) {
        try {
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    stop.run();
                }
            }, true, true);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
