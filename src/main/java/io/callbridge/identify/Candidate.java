package io.callbridge.identify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One record a CRM answered for a number, before and after confirmation: what the profile and the
 * mapping templates need of it. Fields the CRM did not answer stay null and are left out downstream.
 */
public final class Candidate {

    public static final String CONTACT = "contact";
    public static final String LEAD = "lead";

    final String crm;
    final String type;
    final String id;
    final List<String> phones = new ArrayList<>();
    ObjectNode record;
    /** False while {@link #record} is a search result's summary rather than the record itself. */
    boolean recordComplete = true;
    Instant lastModified;
    String firstName;
    String lastName;
    String displayName;
    String company;
    String email;
    String ownerId;
    String ownerName;
    String status;
    Instant lastCallAt;
    String lastCallSummary;
    Integer openDeals;
    Integer openCases;

    public Candidate(String crm, String type, String id) {
        this.crm = crm;
        this.type = type;
        this.id = id;
    }

    public String crm() {
        return crm;
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

    Candidate phone(String value) {
        if (value != null && !value.isBlank()) {
            phones.add(value);
        }
        return this;
    }

    static String text(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
