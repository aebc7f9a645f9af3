package io.callbridge.crm;

import java.util.List;

import io.callbridge.config.Setting;

/** The keys every CRM has. */
public final class CrmSettings {

    public static final Setting ENABLED = Setting.perCrm("enabled", "false",
            "deliver to the CRM and look callers up in it; `<crm>` is one of the CRMs the first paragraph names");
    public static final Setting BASE_URL = Setting.perCrm("base-url", null,
            "the CRM's API, for the CRMs whose location is a base URL (others name theirs); dev: the sandbox");
    public static final Setting TEMPLATE_SETTING = Setting.perCrm("<setting>", null,
            "overrides a template setting of `mappings/<crm>/settings.yaml`");

    public static final Setting MAX_IN_FLIGHT = Setting.perCrm("max-in-flight", "8", "requests sent at once, each for another "
            + "caller (a wave's writes and batch requests), within the CRM's rate limits; 1 sends them one after the other");

    public static final Setting ALLOW_PLAIN_HTTP = Setting.perCrm("allow-plain-http", "false", "let the CRM's URLs be plain "
            + "`http://` (a local simulator, a test); otherwise each must be `https://` or start-up stops (dev: true for the sandbox)");

    public static final Setting ERASE_PERSONS = Setting.perCrm("erase-persons", "false", "when an admin erases a person "
            + "(`DELETE /v1/subjects/{phone}`), also delete every contact and lead holding the number in this CRM, the way the "
            + "CRM offers (section Erasure); off, the CRM keeps them, as the system of record its owner answers for. Start-up "
            + "stops if the CRM offers no deletion");

    public static final Setting CHANGE_URL = Setting.perCrm("change-url", null, "the URL given to the CRM for its change "
            + "notifications, when a proxy in front of Callbridge makes it differ from the URL requests arrive at (the CRM's "
            + "signature may cover it); unset, the request's own");

    public static final List<Setting> DECLARED = List.of(ENABLED, BASE_URL, TEMPLATE_SETTING, MAX_IN_FLIGHT, ALLOW_PLAIN_HTTP,
            ERASE_PERSONS, CHANGE_URL);

    private CrmSettings() {
    }
}
