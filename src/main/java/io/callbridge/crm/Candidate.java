package io.callbridge.crm;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One record a CRM answered for a number, before and after confirmation: what the profile and the
 * mapping templates need of it. A CRM's {@link CallerSearch} fills the fields it knows; those it did
 * not answer stay null and are left out downstream.
 */
public final class Candidate {

    public static final String CONTACT = "contact";
    public static final String LEAD = "lead";

    public final String crm;
    public final String type;
    public final String id;
    public final List<String> phones = new ArrayList<>();
    public ObjectNode record;
    /** False while {@link #record} is a search result's summary rather than the record itself. */
    public boolean recordComplete = true;
    public Instant lastModified;
    public String firstName;
    public String lastName;
    public String displayName;
    public String company;
    public String email;
    public String ownerId;
    public String ownerName;
    public String status;
    public Instant lastCallAt;
    public String lastCallSummary;
    public Integer openDeals;
    public Integer openCases;

    public Candidate(String crm, String type, String id) {
        this.crm = crm;
        this.type = type;
        this.id = id;
    }

    public String crm() {
        return crm;
    }

    /** A copy whose record also holds {@code fields} (what a write just changed); the rest stays as it was. */
    public Candidate withFields(ObjectNode fields) {
        Candidate c = new Candidate(crm, type, id);
        c.phones.addAll(phones);
        c.record = record == null ? fields.deepCopy() : record.deepCopy();
        if (record != null) {
            c.record.setAll(fields.deepCopy());
        }
        c.recordComplete = recordComplete;
        c.lastModified = lastModified;
        c.firstName = firstName;
        c.lastName = lastName;
        c.displayName = displayName;
        c.company = company;
        c.email = email;
        c.ownerId = ownerId;
        c.ownerName = ownerName;
        c.status = status;
        c.lastCallAt = lastCallAt;
        c.lastCallSummary = lastCallSummary;
        c.openDeals = openDeals;
        c.openCases = openCases;
        return c;
    }

    public String type() {
        return type;
    }

    public String id() {
        return id;
    }

    public Instant lastModified() {
        return lastModified;
    }

    public ObjectNode record() {
        return record;
    }

    public Candidate phone(String value) {
        if (value != null && !value.isBlank()) {
            phones.add(value);
        }
        return this;
    }

    /** Trimmed, or null when blank: CRMs answer empty strings for fields nobody filled. */
    public static String text(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
