package io.callbridge.sandbox.salesforce;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sObjects the sandbox knows, with the standard fields Callbridge touches, their types,
 * required fields and restricted picklists, plus custom {@code __c} fields declared through
 * configuration or the admin API. Names are matched case-insensitively as Salesforce does.
 */
public final class SalesforceSchema {

    public enum Type {
        ID("id"), STRING("string"), TEXTAREA("textarea"), PHONE("phone"), EMAIL("email"), URL("url"),
        PICKLIST("picklist"), BOOLEAN("boolean"), INT("int"), DOUBLE("double"), CURRENCY("currency"),
        PERCENT("percent"), DATE("date"), DATETIME("datetime"), REFERENCE("reference");

        final String soapName;

        Type(String soapName) {
            this.soapName = soapName;
        }

        public boolean textual() {
            return this == ID || this == STRING || this == TEXTAREA || this == PHONE || this == EMAIL || this == URL
                    || this == PICKLIST || this == REFERENCE;
        }

        public boolean numeric() {
            return this == INT || this == DOUBLE || this == CURRENCY || this == PERCENT;
        }

        public static Type parse(String s) {
            for (Type t : values()) {
                if (t.soapName.equalsIgnoreCase(s) || t.name().equalsIgnoreCase(s)) return t;
            }
            if (s.equalsIgnoreCase("text")) return STRING;
            if (s.equalsIgnoreCase("number")) return DOUBLE;
            if (s.equalsIgnoreCase("checkbox")) return BOOLEAN;
            throw new IllegalArgumentException("unknown field type '" + s + "'");
        }
    }

    /** One field. {@code relationshipName} is set on references (e.g. AccountId → Account). */
    public record Field(String name, String label, Type type, int length, boolean required, boolean createable,
                        boolean updateable, boolean externalId, boolean unique, boolean restricted,
                        List<String> picklist, String defaultValue, List<String> referenceTo,
                        String relationshipName, boolean custom) {
    }

    /**
     * A parent-to-child relationship a SOQL subquery names in its FROM ({@code (SELECT Subject FROM Tasks)} on Contact):
     * the {@code child} records whose {@code field} holds the parent's id.
     */
    public record ChildRelationship(String name, SObject child, Field field) {
    }

    /** One sObject type. */
    public static final class SObject {
        final String name;
        final String label;
        final String keyPrefix;
        final boolean createable;
        final Map<String, Field> fields = new LinkedHashMap<>();

        SObject(String name, String label, String keyPrefix, boolean createable) {
            this.name = name;
            this.label = label;
            this.keyPrefix = keyPrefix;
            this.createable = createable;
        }

        public String name() {
            return name;
        }

        public String label() {
            return label;
        }

        public String keyPrefix() {
            return keyPrefix;
        }

        public boolean createable() {
            return createable;
        }

        public Field field(String name) {
            return name == null ? null : fields.get(name.toLowerCase(Locale.ROOT));
        }

        /** The reference field whose relationship name is {@code rel} (e.g. Account → AccountId). */
        public Field relationship(String rel) {
            for (Field f : fields.values()) {
                if (f.relationshipName() != null && f.relationshipName().equalsIgnoreCase(rel)) return f;
            }
            return null;
        }

        public Collection<Field> fields() {
            return Collections.unmodifiableCollection(fields.values());
        }

        void add(Field f) {
            fields.put(f.name().toLowerCase(Locale.ROOT), f);
        }
    }

    private static final List<String> TASK_STATUS = List.of("Not Started", "In Progress", "Completed", "Waiting on someone else", "Deferred");
    private static final List<String> TASK_PRIORITY = List.of("High", "Normal", "Low");
    private static final List<String> CASE_STATUS = List.of("New", "Working", "Escalated", "Closed");
    private static final List<String> CASE_PRIORITY = List.of("High", "Medium", "Low");
    private static final List<String> CASE_ORIGIN = List.of("Phone", "Email", "Web");
    public static final List<String> OPPORTUNITY_STAGES = List.of("Prospecting", "Qualification", "Needs Analysis",
            "Value Proposition", "Id. Decision Makers", "Perception Analysis", "Proposal/Price Quote",
            "Negotiation/Review", "Closed Won", "Closed Lost");
    private static final List<String> LEAD_SOURCE = List.of("Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other");
    private static final List<String> LEAD_STATUS = List.of("Open - Not Contacted", "Working - Contacted", "Closed - Converted", "Closed - Not Converted");
    static final List<String> WHO = List.of("Contact", "Lead");
    static final List<String> WHAT = List.of("Account", "Opportunity", "Case");
    /** Parent, relationship name, child, field: Salesforce's names for the children of the objects simulated here. */
    private static final List<List<String>> CHILD_RELATIONSHIPS = List.of(
            List.of("Account", "Contacts", "Contact", "AccountId"),
            List.of("Account", "Opportunities", "Opportunity", "AccountId"),
            List.of("Account", "Cases", "Case", "AccountId"),
            List.of("Account", "Tasks", "Task", "WhatId"),
            List.of("Account", "Events", "Event", "WhatId"),
            List.of("Contact", "Cases", "Case", "ContactId"),
            List.of("Contact", "Tasks", "Task", "WhoId"),
            List.of("Contact", "Events", "Event", "WhoId"),
            List.of("Lead", "Tasks", "Task", "WhoId"),
            List.of("Lead", "Events", "Event", "WhoId"),
            List.of("Opportunity", "Tasks", "Task", "WhatId"),
            List.of("Opportunity", "Events", "Event", "WhatId"),
            List.of("Case", "Tasks", "Task", "WhatId"),
            List.of("Case", "Events", "Event", "WhatId"));

    private final Map<String, SObject> objects = new LinkedHashMap<>();

    public SalesforceSchema() {
        SObject user = object("User", "User", "005", false);
        system(user);
        user.add(ro("Name", "Full Name", Type.STRING));
        user.add(str("FirstName", "First Name", 40));
        user.add(req(str("LastName", "Last Name", 80)));
        user.add(f("Email", "Email", Type.EMAIL, 80));
        user.add(str("Username", "Username", 80));
        user.add(f("Phone", "Phone", Type.PHONE, 40));
        user.add(f("IsActive", "Active", Type.BOOLEAN, 0));

        SObject account = object("Account", "Account", "001", true);
        system(account);
        owner(account);
        account.add(req(str("Name", "Account Name", 255)));
        account.add(f("Phone", "Account Phone", Type.PHONE, 40));
        account.add(f("Website", "Website", Type.URL, 255));
        account.add(picklist("Industry", "Industry", false, List.of("Banking", "Retail", "Technology", "Healthcare", "Other"), null));
        account.add(picklist("Type", "Account Type", false, List.of("Prospect", "Customer - Direct", "Customer - Channel", "Partner", "Other"), null));
        account.add(str("AccountNumber", "Account Number", 40));
        account.add(str("BillingStreet", "Billing Street", 255));
        account.add(str("BillingCity", "Billing City", 40));
        account.add(str("BillingPostalCode", "Billing Zip/Postal Code", 20));
        account.add(str("BillingCountry", "Billing Country", 80));
        account.add(f("NumberOfEmployees", "Employees", Type.INT, 0));
        account.add(f("AnnualRevenue", "Annual Revenue", Type.CURRENCY, 0));
        account.add(f("Description", "Account Description", Type.TEXTAREA, 32000));

        SObject contact = object("Contact", "Contact", "003", true);
        system(contact);
        owner(contact);
        contact.add(picklist("Salutation", "Salutation", false, List.of("Mr.", "Ms.", "Mrs.", "Dr.", "Prof."), null));
        contact.add(str("FirstName", "First Name", 40));
        contact.add(req(str("LastName", "Last Name", 80)));
        contact.add(ro("Name", "Full Name", Type.STRING));
        contact.add(ref("AccountId", "Account ID", "Account", List.of("Account")));
        contact.add(f("Email", "Email", Type.EMAIL, 80));
        for (String p : List.of("Phone", "MobilePhone", "HomePhone", "OtherPhone", "AssistantPhone")) {
            contact.add(f(p, label(p), Type.PHONE, 40));
        }
        contact.add(str("Title", "Title", 128));
        contact.add(str("Department", "Department", 80));
        contact.add(picklist("LeadSource", "Lead Source", false, LEAD_SOURCE, null));
        contact.add(f("Birthdate", "Birthdate", Type.DATE, 0));
        contact.add(str("MailingStreet", "Mailing Street", 255));
        contact.add(str("MailingCity", "Mailing City", 40));
        contact.add(str("MailingPostalCode", "Mailing Zip/Postal Code", 20));
        contact.add(str("MailingCountry", "Mailing Country", 80));
        contact.add(f("Description", "Contact Description", Type.TEXTAREA, 32000));

        SObject lead = object("Lead", "Lead", "00Q", true);
        system(lead);
        owner(lead);
        lead.add(picklist("Salutation", "Salutation", false, List.of("Mr.", "Ms.", "Mrs.", "Dr.", "Prof."), null));
        lead.add(str("FirstName", "First Name", 40));
        lead.add(req(str("LastName", "Last Name", 80)));
        lead.add(ro("Name", "Full Name", Type.STRING));
        lead.add(req(str("Company", "Company", 255)));
        lead.add(str("Title", "Title", 128));
        lead.add(f("Email", "Email", Type.EMAIL, 80));
        lead.add(f("Phone", "Phone", Type.PHONE, 40));
        lead.add(f("MobilePhone", "Mobile Phone", Type.PHONE, 40));
        lead.add(picklist("Status", "Lead Status", false, LEAD_STATUS, "Open - Not Contacted"));
        lead.add(picklist("LeadSource", "Lead Source", false, LEAD_SOURCE, null));
        lead.add(picklist("Rating", "Rating", false, List.of("Hot", "Warm", "Cold"), null));
        lead.add(picklist("Industry", "Industry", false, List.of("Banking", "Retail", "Technology", "Healthcare", "Other"), null));
        lead.add(str("Street", "Street", 255));
        lead.add(str("City", "City", 40));
        lead.add(str("PostalCode", "Zip/Postal Code", 20));
        lead.add(str("Country", "Country", 80));
        lead.add(ro("IsConverted", "Converted", Type.BOOLEAN));
        lead.add(f("Description", "Description", Type.TEXTAREA, 32000));

        SObject opp = object("Opportunity", "Opportunity", "006", true);
        system(opp);
        owner(opp);
        opp.add(req(str("Name", "Name", 120)));
        opp.add(req(picklist("StageName", "Stage", true, OPPORTUNITY_STAGES, null)));
        opp.add(req(f("CloseDate", "Close Date", Type.DATE, 0)));
        opp.add(ref("AccountId", "Account ID", "Account", List.of("Account")));
        opp.add(ref("ContactId", "Contact ID", "Contact", List.of("Contact")));
        opp.add(f("Amount", "Amount", Type.CURRENCY, 0));
        opp.add(f("Probability", "Probability (%)", Type.PERCENT, 0));
        opp.add(picklist("Type", "Opportunity Type", false, List.of("New Customer", "Existing Customer - Upgrade", "Existing Customer - Replacement", "Existing Customer - Downgrade"), null));
        opp.add(picklist("LeadSource", "Lead Source", false, LEAD_SOURCE, null));
        opp.add(str("NextStep", "Next Step", 255));
        opp.add(ro("IsClosed", "Closed", Type.BOOLEAN));
        opp.add(ro("IsWon", "Won", Type.BOOLEAN));
        opp.add(f("Description", "Description", Type.TEXTAREA, 32000));

        SObject kase = object("Case", "Case", "500", true);
        system(kase);
        owner(kase);
        kase.add(ro("CaseNumber", "Case Number", Type.STRING));
        kase.add(str("Subject", "Subject", 255));
        kase.add(f("Description", "Description", Type.TEXTAREA, 32000));
        kase.add(picklist("Status", "Status", true, CASE_STATUS, "New"));
        kase.add(picklist("Priority", "Priority", true, CASE_PRIORITY, "Medium"));
        kase.add(picklist("Origin", "Case Origin", true, CASE_ORIGIN, null));
        kase.add(picklist("Type", "Case Type", false, List.of("Question", "Problem", "Feature Request"), null));
        kase.add(picklist("Reason", "Case Reason", false, List.of("Installation", "Equipment Complexity", "Performance", "Breakdown", "Feedback", "Other"), null));
        kase.add(ref("ContactId", "Contact ID", "Contact", List.of("Contact")));
        kase.add(ref("AccountId", "Account ID", "Account", List.of("Account")));
        kase.add(str("SuppliedName", "Name", 80));
        kase.add(f("SuppliedEmail", "Email Address", Type.EMAIL, 80));
        kase.add(f("SuppliedPhone", "Phone", Type.STRING, 40));
        kase.add(ro("IsClosed", "Closed", Type.BOOLEAN));
        kase.add(ro("ClosedDate", "Closed Date", Type.DATETIME));

        SObject task = object("Task", "Task", "00T", true);
        system(task);
        owner(task);
        task.add(str("Subject", "Subject", 255));
        task.add(f("Description", "Description", Type.TEXTAREA, 32000));
        task.add(f("ActivityDate", "Due Date Only", Type.DATE, 0));
        task.add(picklist("Status", "Status", true, TASK_STATUS, "Not Started"));
        task.add(picklist("Priority", "Priority", true, TASK_PRIORITY, "Normal"));
        task.add(ref("WhoId", "Name ID", "Who", WHO));
        task.add(ref("WhatId", "Related To ID", "What", WHAT));
        task.add(picklist("Type", "Type", false, List.of("Call", "Email", "Meeting", "Other"), null));
        task.add(picklist("TaskSubtype", "Task Subtype", true, List.of("Task", "Email", "ListEmail", "Cadence", "Call"), "Task"));
        task.add(picklist("CallType", "Call Type", true, List.of("Internal", "Inbound", "Outbound"), null));
        task.add(f("CallDurationInSeconds", "Call Duration", Type.INT, 0));
        task.add(str("CallDisposition", "Call Result", 255));
        task.add(str("CallObject", "Call Object Identifier", 255));
        task.add(f("IsReminderSet", "Reminder Set", Type.BOOLEAN, 0));
        task.add(f("ReminderDateTime", "Reminder Date/Time", Type.DATETIME, 0));
        task.add(ro("IsClosed", "Closed", Type.BOOLEAN));

        SObject event = object("Event", "Event", "00U", true);
        system(event);
        owner(event);
        event.add(str("Subject", "Subject", 255));
        event.add(f("Description", "Description", Type.TEXTAREA, 32000));
        event.add(f("StartDateTime", "Start Date Time", Type.DATETIME, 0));
        event.add(f("EndDateTime", "End Date Time", Type.DATETIME, 0));
        event.add(f("ActivityDateTime", "Due Date Time", Type.DATETIME, 0));
        event.add(f("ActivityDate", "Due Date Only", Type.DATE, 0));
        event.add(f("DurationInMinutes", "Duration", Type.INT, 0));
        event.add(f("IsAllDayEvent", "All-Day Event", Type.BOOLEAN, 0));
        event.add(str("Location", "Location", 255));
        event.add(ref("WhoId", "Name ID", "Who", WHO));
        event.add(ref("WhatId", "Related To ID", "What", WHAT));
        event.add(picklist("ShowAs", "Show Time As", true, List.of("Busy", "OutOfOffice", "Free"), "Busy"));
        event.add(picklist("Type", "Type", false, List.of("Call", "Email", "Meeting", "Other"), null));
    }

    public SObject object(String name) {
        return name == null ? null : objects.get(name.toLowerCase(Locale.ROOT));
    }

    public Collection<SObject> objects() {
        return Collections.unmodifiableCollection(objects.values());
    }

    /** The child relationship {@code name} (any letter case) of {@code parent}, or null when it has none of that name. */
    public ChildRelationship childRelationship(SObject parent, String name) {
        for (List<String> r : CHILD_RELATIONSHIPS) {
            if (r.get(0).equals(parent.name()) && r.get(1).equalsIgnoreCase(name)) {
                SObject child = object(r.get(2));
                return new ChildRelationship(r.get(1), child, child.field(r.get(3)));
            }
        }
        return null;
    }

    public SObject byKeyPrefix(String prefix) {
        for (SObject o : objects.values()) {
            if (o.keyPrefix.equals(prefix)) return o;
        }
        return null;
    }

    /**
     * Declares a custom field. The name must end in {@code __c}; type is a Salesforce field type
     * name (text/string, phone, email, number/double, checkbox/boolean, date, datetime, picklist…).
     */
    public synchronized Field declareCustomField(String objectName, String name, String type, boolean externalId,
                                                 boolean unique, int length, List<String> picklist) {
        SObject o = object(objectName);
        if (o == null || !o.createable) throw new IllegalArgumentException("unknown sObject '" + objectName + "'");
        if (name == null || !name.matches("[A-Za-z][A-Za-z0-9_]*__c") || name.contains("___")) {
            throw new IllegalArgumentException("a custom field name must be an API name ending in __c, got '" + name + "'");
        }
        Type t = Type.parse(type == null ? "string" : type);
        if (externalId && !(t == Type.STRING || t == Type.EMAIL || t == Type.INT || t == Type.DOUBLE)) {
            throw new IllegalArgumentException("only text, number and email fields can be external ids");
        }
        Field f = new Field(name, name.substring(0, name.length() - 3).replace('_', ' '), t,
                length > 0 ? length : (t == Type.TEXTAREA ? 32000 : 255), false, true, true, externalId, unique,
                t == Type.PICKLIST, picklist == null ? List.of() : List.copyOf(picklist), null, List.of(), null, true);
        Field existing = o.field(name);
        if (existing != null && !existing.custom()) throw new IllegalArgumentException(name + " is a standard field");
        o.add(f);
        return f;
    }

    // ---- definition helpers -------------------------------------------------------------------

    private SObject object(String name, String label, String prefix, boolean createable) {
        SObject o = new SObject(name, label, prefix, createable);
        objects.put(name.toLowerCase(Locale.ROOT), o);
        return o;
    }

    private static void system(SObject o) {
        o.add(new Field("Id", o.label + " ID", Type.ID, 18, false, false, false, false, true, false, List.of(), null, List.of(), null, false));
        o.add(ro("IsDeleted", "Deleted", Type.BOOLEAN));
        o.add(ro("CreatedDate", "Created Date", Type.DATETIME));
        o.add(new Field("CreatedById", "Created By ID", Type.REFERENCE, 18, false, false, false, false, false, false, List.of(), null, List.of("User"), "CreatedBy", false));
        o.add(ro("LastModifiedDate", "Last Modified Date", Type.DATETIME));
        o.add(new Field("LastModifiedById", "Last Modified By ID", Type.REFERENCE, 18, false, false, false, false, false, false, List.of(), null, List.of("User"), "LastModifiedBy", false));
        o.add(ro("SystemModstamp", "System Modstamp", Type.DATETIME));
    }

    private static void owner(SObject o) {
        o.add(new Field("OwnerId", "Owner ID", Type.REFERENCE, 18, false, true, true, false, false, false, List.of(), null, List.of("User"), "Owner", false));
    }

    private static Field f(String name, String label, Type type, int length) {
        return new Field(name, label, type, length, false, true, true, false, false, false, List.of(), null, List.of(), null, false);
    }

    private static Field str(String name, String label, int length) {
        return f(name, label, Type.STRING, length);
    }

    private static Field ro(String name, String label, Type type) {
        return new Field(name, label, type, 255, false, false, false, false, false, false, List.of(), null, List.of(), null, false);
    }

    private static Field req(Field f) {
        return new Field(f.name(), f.label(), f.type(), f.length(), true, f.createable(), f.updateable(), f.externalId(), f.unique(),
                f.restricted(), f.picklist(), f.defaultValue(), f.referenceTo(), f.relationshipName(), f.custom());
    }

    private static Field ref(String name, String label, String relationship, List<String> targets) {
        return new Field(name, label, Type.REFERENCE, 18, false, true, true, false, false, false, List.of(), null, targets, relationship, false);
    }

    private static Field picklist(String name, String label, boolean restricted, List<String> values, String defaultValue) {
        return new Field(name, label, Type.PICKLIST, 255, false, true, true, false, false, restricted, values, defaultValue, List.of(), null, false);
    }

    private static String label(String phoneField) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        for (char c : phoneField.toCharArray()) {
            if (Character.isUpperCase(c) && w.length() > 0) {
                words.add(w.toString());
                w.setLength(0);
            }
            w.append(c);
        }
        words.add(w.toString());
        return String.join(" ", words);
    }
}
