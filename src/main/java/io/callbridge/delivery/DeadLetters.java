package io.callbridge.delivery;

/**
 * The dead-letter headers of DESIGN.md, added to the original message, so an operator sees why it was
 * set aside and a replay knows where it came from.
 */
public final class DeadLetters {

    public static final String CRM = "callbridge-crm";
    public static final String ACTION = "callbridge-action";
    public static final String ERROR_CLASS = "callbridge-error-class";
    public static final String HTTP_STATUS = "callbridge-http-status";
    public static final String CRM_ERROR = "callbridge-crm-error";
    public static final String ATTEMPTS = "callbridge-attempts";
    public static final String FIRST_FAILURE = "callbridge-first-failure";
    public static final String LAST_FAILURE = "callbridge-last-failure";
    public static final String SOURCE_TOPIC = "callbridge-source-topic";
    public static final String SOURCE_PARTITION = "callbridge-source-partition";
    public static final String SOURCE_OFFSET = "callbridge-source-offset";

    private DeadLetters() {
    }
}
