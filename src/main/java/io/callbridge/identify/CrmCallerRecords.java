package io.callbridge.identify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.crm.CallerRecords;
import io.callbridge.crm.Candidate;
import io.callbridge.crm.CrmHttp;

/**
 * Caller identification of one CRM as its connector and the dry run see it: the caller's record in the
 * templates' shape, without the deadline of {@code GET /v1/callers} (a connector can wait for the CRM;
 * it cannot act on a guess). CRM failures are thrown.
 */
final class CrmCallerRecords implements CallerRecords {

    private final CallerIdentifier identifier;
    private final Callers callers;

    CrmCallerRecords(CallerIdentifier identifier, Callers callers) {
        this.identifier = identifier;
        this.callers = callers;
    }

    @Override
    public JsonNode find(String e164) throws Exception {
        if (e164 == null) {
            return null;
        }
        Identification id = identifier.identifyNow(e164, true);
        return id.found() ? toTemplateContact(id.winner()) : null;
    }

    @Override
    public void prefetch(java.util.Collection<String> e164s) {
        e164s.stream().filter(java.util.Objects::nonNull).distinct().forEach(identifier::prefetch);
    }

    @Override
    public boolean cached(String e164) {
        return e164 != null && identifier.isFresh(e164);
    }

    @Override
    public void written(String action, String e164) {
        callers.written(identifier, action, e164);
    }

    @Override
    public void updated(String e164, String recordId, JsonNode fields) {
        if (e164 != null) {
            callers.updated(identifier, e164, recordId, fields);
        }
    }

    @Override
    public void invalidate(String e164) {
        if (e164 != null) {
            callers.invalidate(e164);
        }
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
