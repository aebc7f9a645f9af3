package io.callbridge.sandbox.zoho;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.zoho.ZohoField.Type;

/**
 * The org's schema: the standard modules with the fields a telephony connector uses and their mandatory fields,
 * the custom fields declared by configuration, the users, and how the org writes date-times.
 *
 * <p>{@code custom-fields} is a comma list of {@code Module.Api_Name:type[:unique][:mandatory]}; types are
 * {@code text, textarea, email, phone, number (integer), decimal, boolean, datetime, date, picklist} and
 * {@code picklist=A|B|C} (a restricted picklist). A custom phone field is searched by {@code phone=} like the
 * standard ones. {@code email-duplicate-check} (default true) makes Leads' and Contacts' {@code Email} refuse
 * duplicates on insert and update, as Zoho's system duplicate check does.
 */
final class ZohoSchema {

    /** A CRM user; the first one owns the sandbox's tokens and, by default, every record. */
    record User(String id, String email, String name) {
        ObjectNode minified() {
            return Json.object().put("name", name).put("id", id).put("email", email);
        }
    }

    static final List<String> ACTIVITY_PARENTS = List.of("Leads", "Accounts", "Deals", "Cases");
    static final String DEFAULT_USERS = "4876876000000335001:claire.martin@example.test:Claire Martin,"
            + "4876876000000335002:marc.rochat@example.test:Marc Rochat";
    private static final Pattern DATE_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}[+-]\\d{2}:\\d{2}");
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx", Locale.ROOT);

    private final Map<String, ZohoModule> modules = new LinkedHashMap<>();
    private final List<User> users;
    private final ZoneId zone;

    ZohoSchema(String customFields, boolean emailDuplicateCheck, String users, ZoneId zone) {
        this.zone = zone;
        this.users = parseUsers(users);
        standardModules(emailDuplicateCheck);
        for (String spec : customFields.split(",")) {
            if (!spec.isBlank()) addCustomField(spec.trim());
        }
    }

    ZohoModule module(String apiName) {
        return modules.get(apiName);
    }

    /** The module a URL names: Zoho takes module API names in any letter case. */
    ZohoModule moduleFromPath(String segment) {
        for (ZohoModule m : modules.values()) if (m.apiName().equalsIgnoreCase(segment)) return m;
        return null;
    }

    List<ZohoModule> modules() {
        return List.copyOf(modules.values());
    }

    List<User> users() {
        return users;
    }

    User user(String id) {
        for (User u : users) if (u.id().equals(id)) return u;
        return null;
    }

    User defaultUser() {
        return users.get(0);
    }

    /** {@code 2026-11-28T10:00:00+01:00}: the org's time zone, seconds, the offset always written out. */
    String format(Instant t) {
        return FORMAT.format(t.atZone(zone));
    }

    /** A date-time as Zoho documents it ({@code yyyy-MM-ddTHH:mm:ss±HH:mm}), or null. */
    static Instant parseDateTime(String s) {
        if (s == null || !DATE_TIME.matcher(s).matches()) return null;
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static List<User> parseUsers(String spec) {
        List<User> out = new ArrayList<>();
        for (String u : spec.split(",")) {
            if (u.isBlank()) continue;
            String[] p = u.trim().split(":");
            if (!p[0].trim().matches("\\d{1,19}")) throw new IllegalArgumentException("users entries are id:email:Name with a numeric id, got " + u);
            out.add(new User(p[0].trim(), p.length > 1 ? p[1].trim() : "user" + p[0].trim() + "@example.test",
                    p.length > 2 ? p[2].trim() : "User " + p[0].trim()));
        }
        if (out.isEmpty()) return parseUsers(DEFAULT_USERS);
        return List.copyOf(out);
    }

    private void addCustomField(String spec) {
        String[] parts = spec.split(":");
        int dot = parts[0].indexOf('.');
        if (dot < 0 || parts.length < 2) {
            throw new IllegalArgumentException("custom-fields entries are Module.Api_Name:type[:unique][:mandatory], got " + spec);
        }
        ZohoModule m = modules.get(parts[0].substring(0, dot));
        if (m == null) throw new IllegalArgumentException("custom-fields: no module " + parts[0].substring(0, dot) + " (modules: " + modules.keySet() + ")");
        String name = parts[0].substring(dot + 1);
        if (!name.matches("[A-Za-z][A-Za-z0-9_]*")) throw new IllegalArgumentException("custom-fields: invalid API name " + name);
        String type = parts[1].trim().toLowerCase(Locale.ROOT);
        ZohoField f;
        if (type.startsWith("picklist=")) {
            f = ZohoField.of(name, Type.PICKLIST).restrictedTo(parts[1].trim().substring("picklist=".length()).split("\\|"));
        } else {
            f = ZohoField.of(name, switch (type) {
                case "text" -> Type.TEXT;
                case "textarea" -> Type.TEXTAREA;
                case "email" -> Type.EMAIL;
                case "phone" -> Type.PHONE;
                case "number", "integer" -> Type.INTEGER;
                case "decimal", "double", "currency" -> Type.DOUBLE;
                case "boolean" -> Type.BOOLEAN;
                case "datetime" -> Type.DATETIME;
                case "date" -> Type.DATE;
                case "picklist" -> Type.PICKLIST;
                default -> throw new IllegalArgumentException("custom-fields: unknown type " + parts[1] + " in " + spec);
            });
        }
        f = f.asCustom();
        for (int i = 2; i < parts.length; i++) {
            switch (parts[i].trim().toLowerCase(Locale.ROOT)) {
                case "unique" -> f = f.asUnique();
                case "mandatory" -> f = f.asMandatory();
                default -> throw new IllegalArgumentException("custom-fields: unknown option " + parts[i] + " in " + spec);
            }
        }
        m.add(f);
    }

    // ---- the standard modules -----------------------------------------------------------------

    private static ZohoField f(String name, Type type) {
        return ZohoField.of(name, type);
    }

    private void standardModules(boolean emailDuplicateCheck) {
        ZohoField email = emailDuplicateCheck ? f("Email", Type.EMAIL).asUnique() : f("Email", Type.EMAIL);
        put(new ZohoModule("Leads", "4876876000000002175", "Full_Name", List.of("Email"), true)
                .add(f("Last_Name", Type.TEXT).asMandatory()).add(f("First_Name", Type.TEXT)).add(f("Salutation", Type.PICKLIST))
                .add(f("Full_Name", Type.READ_ONLY)).add(f("Company", Type.TEXT)).add(f("Designation", Type.TEXT)).add(email)
                .add(f("Secondary_Email", Type.EMAIL)).add(f("Phone", Type.PHONE)).add(f("Mobile", Type.PHONE)).add(f("Fax", Type.TEXT))
                .add(f("Website", Type.TEXT)).add(f("Lead_Source", Type.PICKLIST)).add(f("Lead_Status", Type.PICKLIST))
                .add(f("Industry", Type.PICKLIST)).add(f("No_of_Employees", Type.INTEGER)).add(f("Annual_Revenue", Type.DOUBLE))
                .add(f("Email_Opt_Out", Type.BOOLEAN)).add(f("Street", Type.TEXT)).add(f("City", Type.TEXT)).add(f("State", Type.TEXT))
                .add(f("Zip_Code", Type.TEXT)).add(f("Country", Type.TEXT)).add(f("Description", Type.TEXTAREA)).add(f("Owner", Type.OWNER)));
        put(new ZohoModule("Contacts", "4876876000000002177", "Full_Name", List.of("Email"), true)
                .add(f("Last_Name", Type.TEXT).asMandatory()).add(f("First_Name", Type.TEXT)).add(f("Salutation", Type.PICKLIST))
                .add(f("Full_Name", Type.READ_ONLY)).add(email).add(f("Secondary_Email", Type.EMAIL)).add(f("Phone", Type.PHONE))
                .add(f("Mobile", Type.PHONE)).add(f("Home_Phone", Type.PHONE)).add(f("Other_Phone", Type.PHONE))
                .add(f("Asst_Phone", Type.PHONE)).add(f("Fax", Type.TEXT)).add(f("Assistant", Type.TEXT)).add(f("Title", Type.TEXT))
                .add(f("Department", Type.TEXT)).add(f("Account_Name", Type.LOOKUP).to("Accounts")).add(f("Lead_Source", Type.PICKLIST))
                .add(f("Date_of_Birth", Type.DATE)).add(f("Email_Opt_Out", Type.BOOLEAN)).add(f("Mailing_Street", Type.TEXT))
                .add(f("Mailing_City", Type.TEXT)).add(f("Mailing_State", Type.TEXT)).add(f("Mailing_Zip", Type.TEXT))
                .add(f("Mailing_Country", Type.TEXT)).add(f("Description", Type.TEXTAREA)).add(f("Owner", Type.OWNER)));
        put(new ZohoModule("Accounts", "4876876000000002179", "Account_Name", List.of("Account_Name"), true)
                .add(f("Account_Name", Type.TEXT).asMandatory()).add(f("Phone", Type.PHONE)).add(f("Fax", Type.TEXT))
                .add(f("Website", Type.TEXT)).add(f("Industry", Type.PICKLIST)).add(f("Billing_City", Type.TEXT))
                .add(f("Billing_Country", Type.TEXT)).add(f("Description", Type.TEXTAREA)).add(f("Owner", Type.OWNER)));
        put(new ZohoModule("Deals", "4876876000000002181", "Deal_Name", List.of("Deal_Name"), true)
                .add(f("Deal_Name", Type.TEXT).asMandatory())
                .add(f("Stage", Type.PICKLIST).asMandatory().restrictedTo("Qualification", "Needs Analysis", "Value Proposition",
                        "Identify Decision Makers", "Proposal/Price Quote", "Negotiation/Review", "Closed Won", "Closed Lost",
                        "Closed Lost to Competition"))
                .add(f("Amount", Type.DOUBLE)).add(f("Closing_Date", Type.DATE)).add(f("Pipeline", Type.PICKLIST))
                .add(f("Probability", Type.INTEGER)).add(f("Type", Type.PICKLIST)).add(f("Lead_Source", Type.PICKLIST))
                .add(f("Next_Step", Type.TEXT)).add(f("Contact_Name", Type.LOOKUP).to("Contacts"))
                .add(f("Account_Name", Type.LOOKUP).to("Accounts")).add(f("Description", Type.TEXTAREA)).add(f("Owner", Type.OWNER)));
        put(new ZohoModule("Tasks", "4876876000000002183", "Subject", List.of(), false)
                .add(f("Subject", Type.TEXT).asMandatory()).add(f("Due_Date", Type.DATE)).add(f("Status", Type.PICKLIST))
                .add(f("Priority", Type.PICKLIST)).add(f("Send_Notification_Email", Type.BOOLEAN))
                .add(f("Who_Id", Type.LOOKUP).to("Contacts")).add(f("What_Id", Type.WHAT).to(ACTIVITY_PARENTS.toArray(String[]::new)))
                .add(f("Description", Type.TEXTAREA)).add(f("Owner", Type.OWNER)));
        put(new ZohoModule("Events", "4876876000000002185", "Event_Title", List.of(), false)
                .add(f("Event_Title", Type.TEXT).asMandatory()).add(f("Start_DateTime", Type.DATETIME).asMandatory())
                .add(f("End_DateTime", Type.DATETIME).asMandatory()).add(f("All_day", Type.BOOLEAN)).add(f("Venue", Type.TEXT))
                .add(f("Participants", Type.JSON_ARRAY)).add(f("Who_Id", Type.LOOKUP).to("Contacts"))
                .add(f("What_Id", Type.WHAT).to(ACTIVITY_PARENTS.toArray(String[]::new))).add(f("Description", Type.TEXTAREA))
                .add(f("Owner", Type.OWNER)));
        put(new ZohoModule("Calls", "4876876000000002187", "Subject", List.of(), false)
                .add(f("Subject", Type.TEXT).asMandatory()).add(f("Call_Type", Type.PICKLIST).asMandatory().restrictedTo("Inbound", "Outbound", "Missed"))
                .add(f("Call_Start_Time", Type.DATETIME).asMandatory()).add(f("Call_Duration", Type.DURATION))
                .add(f("Call_Duration_in_seconds", Type.READ_ONLY)).add(f("Outgoing_Call_Status", Type.PICKLIST))
                .add(f("Call_Purpose", Type.PICKLIST)).add(f("Call_Result", Type.PICKLIST)).add(f("Call_Agenda", Type.TEXT))
                .add(f("Caller_ID", Type.TEXT)).add(f("Dialled_Number", Type.TEXT)).add(f("Reminder", Type.TEXT))
                .add(f("Voice_Recording__s", Type.TEXT)).add(f("Who_Id", Type.LOOKUP).to("Contacts"))
                .add(f("What_Id", Type.WHAT).to(ACTIVITY_PARENTS.toArray(String[]::new))).add(f("Description", Type.TEXTAREA))
                .add(f("Owner", Type.OWNER)));
        put(new ZohoModule("Cases", "4876876000000002189", "Subject", List.of("Subject"), true)
                .add(f("Subject", Type.TEXT).asMandatory()).add(f("Status", Type.PICKLIST)).add(f("Case_Origin", Type.PICKLIST))
                .add(f("Priority", Type.PICKLIST)).add(f("Type", Type.PICKLIST)).add(f("Case_Reason", Type.PICKLIST))
                .add(f("Email", Type.EMAIL)).add(f("Phone", Type.PHONE)).add(f("Related_To", Type.LOOKUP).to("Contacts"))
                .add(f("Account_Name", Type.LOOKUP).to("Accounts")).add(f("Deal_Name", Type.LOOKUP).to("Deals"))
                .add(f("Description", Type.TEXTAREA)).add(f("Owner", Type.OWNER)));
        put(new ZohoModule("Notes", "4876876000000002191", "Note_Title", List.of(), false)
                .add(f("Note_Title", Type.TEXT)).add(f("Note_Content", Type.TEXTAREA).asMandatory())
                .add(f("Parent_Id", Type.PARENT).asMandatory().to("Leads", "Contacts", "Accounts", "Deals", "Tasks", "Events", "Calls", "Cases"))
                .add(f("Owner", Type.OWNER)));
    }

    private void put(ZohoModule m) {
        modules.put(m.apiName(), m);
    }
}
