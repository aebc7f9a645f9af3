package io.callbridge.identify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.mapping.DryRun.ContactFinder;

/**
 * The caller's record in one CRM in the shape the mapping templates read:
 * {@code {id, type: contact|lead, ownerId, record: {raw CRM fields}}}, or null when nobody has the
 * number. Same search, confirmation, policy and cache as {@code GET /v1/callers}, without its
 * deadline (a connector can wait for the CRM; it cannot act on a guess). CRM failures are thrown.
 */
public final class CrmContactFinder implements ContactFinder {

    private final CallerIdentifier identifier;

    public CrmContactFinder(CallerIdentifier identifier) {
        this.identifier = identifier;
    }

    @Override
    public JsonNode find(String crm, String customerE164) throws Exception {
        if (!identifier.crm().equals(crm)) {
            throw new IllegalArgumentException("this finder reads " + identifier.crm() + ", not " + crm);
        }
        if (customerE164 == null) {
            return null;
        }
        Identification id = identifier.identifyNow(customerE164, true);
        return id.found() ? toTemplateContact(id.winner()) : null;
    }

    /**
     * Whether {@link #find} would answer from the cache, without asking the CRM: connectors pace the
     * lookups that will reach it against the CRM's search limit.
     */
    public boolean cached(String customerE164) {
        return customerE164 != null && identifier.isFresh(customerE164);
    }

    static ObjectNode toTemplateContact(Candidate c) {
        ObjectNode o = CrmHttp.JSON.createObjectNode();
        o.put("id", c.id);
        o.put("type", c.type);
        if (c.ownerId != null) {
            o.put("ownerId", c.ownerId);
        }
        o.set("record", c.record == null ? CrmHttp.JSON.createObjectNode() : c.record.deepCopy());
        return o;
    }
}
