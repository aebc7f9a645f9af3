package io.callbridge.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One CRM as the delivery-guarantee tests (crash, chaos, outage, hostile input) and the end-to-end
 * benchmark see it: how its sandbox is configured for Callbridge's default mappings, the settings that
 * point Callbridge at it, and how the records Callbridge wrote look in it. A CRM joins those tests by
 * adding its fixture: one line in {@code META-INF/services/io.callbridge.support.CrmFixture} (test
 * resources) and its class in its own test package.
 */
public abstract class CrmFixture {

    /** Every fixture, in the order of the services file. */
    public static List<CrmFixture> all() {
        List<CrmFixture> out = new ArrayList<>();
        ServiceLoader.load(CrmFixture.class).forEach(out::add);
        return out;
    }

    public static CrmFixture of(String crm) {
        return all().stream().filter(f -> f.crm().equals(crm)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no fixture for " + crm));
    }

    /** The CRM's name in Callbridge's catalog. */
    public abstract String crm();

    /** The sandbox's configuration of this CRM (custom fields the mappings write); {@code unlimited}: no rate limits. */
    public abstract Map<String, String> sandboxConfig(boolean unlimited);

    /** The settings that enable Callbridge's connector for the CRM at {@code baseUrl}; {@code unlimited}: it paces nothing. */
    public abstract Map<String, String> settings(String baseUrl, boolean unlimited);

    /** The record type a logged call is. */
    public abstract String callType();

    /** The commandId a logged call carries (null when it carries none). */
    public abstract String commandIdOfCall(JsonNode call);

    /** The call's summary as the CRM stores it. */
    public abstract String summaryOfCall(JsonNode call);

    /** The id of the caller record a logged call is attached to. */
    public abstract String callerIdOfCall(JsonNode call);

    /** The record types a caller can be. */
    public abstract List<String> callerTypes();

    /** The number a caller record holds, as Callbridge wrote it (E.164). */
    public abstract String phoneOf(JsonNode caller);

    /** The caller's name as the record holds it. */
    public abstract String nameOf(JsonNode caller);

    /** A record's id as the CRM gives it. */
    public abstract String recordId(JsonNode record);

    /** Seeded faults for the chaos test ({@code PUT /_sandbox/<crm>/faults}): the vendor's own error statuses. */
    public abstract String chaosFaults(String late);

    /** Whether the CRM's sessions expire (the chaos test then expires them every few seconds). */
    public boolean sessionsExpire() {
        return false;
    }

    /** A known caller in the CRM's seed format ({@code POST /_sandbox/<crm>/seed}), and the type its record has. */
    public abstract Map.Entry<String, JsonNode> knownCaller(String firstName, String lastName, String e164, String email);

    /**
     * The records one event leaves, per record type: a short call (log-call only), or the DESIGN.md example from a
     * known caller under the default rules (call, owner alert, callback task, deal, contact update).
     */
    public abstract Map<String, Integer> recordsPerEvent(boolean designExample);

    @Override
    public String toString() {
        return crm();
    }
}
