package io.callbridge.crm;

/**
 * The exchange properties that pass between the delivery core and a CRM's routes, one name each for
 * every CRM ({@code ${exchangeProperty.CallbridgeContact}} in YAML).
 */
public final class CrmKeys {

    /** The {@link io.callbridge.mapping.Command} being delivered. */
    public static final String COMMAND = "CallbridgeCommand";
    /** The CRM's name. */
    public static final String CRM = "CallbridgeCrm";
    /** True when the command may have reached the CRM before a crash: the connector asks before writing it again. */
    public static final String CHECK_FIRST = "CallbridgeCheckFirst";
    /** The caller's record in the templates' shape ({@code id, type, ownerId, record}); absent when unknown. */
    public static final String CONTACT = "CallbridgeContact";
    /** The rendered {@link io.callbridge.mapping.CrmRequest}. */
    public static final String REQUEST = "CallbridgeRequest";
    /** Why nothing was sent (the template had nothing to do, the record is there already); absent when something was. */
    public static final String SKIP = "CallbridgeSkip";
    /** The id of the record the CRM wrote, when it answered one. */
    public static final String RECORD_ID = "CallbridgeRecordId";
    /** Header with the commandId, for the routes' log lines. */
    public static final String COMMAND_ID = "CallbridgeCommandId";

    private CrmKeys() {
    }
}
