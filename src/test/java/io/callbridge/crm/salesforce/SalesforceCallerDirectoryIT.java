package io.callbridge.crm.salesforce;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.support.CallerDirectoryContract;
import io.callbridge.support.ChangeChecks;
import io.callbridge.support.CrmFixture;
import io.callbridge.support.Events;
import io.callbridge.support.Scrape;
import io.callbridge.support.TestBroker;
import org.junit.jupiter.api.BeforeAll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Salesforce's caller directory (Contacts and unconverted Leads listed by SOQL with queryMore, changed records read by
 * {@code Id IN}), kept current by Change Data Capture, which camel-salesforce consumes from the sandbox's Streaming API.
 */
class SalesforceCallerDirectoryIT extends CallerDirectoryContract {

    private static final String CONTACTS = "/services/data/v60.0/sobjects/Contact";
    private static SalesforceFixture.Org org;

    @BeforeAll
    static void start() {
        start(CrmFixture.of("salesforce"), freePort(), Map.of(), Map.of("callbridge.crm.salesforce.change-events", "true"));
        awaitSubscribed();
    }

    /**
     * Callbridge subscribes to the change events in the background once it runs, and asks for new events only: a probe
     * contact is changed until its change arrives, then deleted, so that the tests start with the directory as seeded.
     */
    private static void awaitSubscribed() {
        String probe = org().create("Contact", Events.JSON.createObjectNode().put("LastName", "Probe"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            org().call("PATCH", CONTACTS + "/" + probe, Events.JSON.createObjectNode().put("Title", "t" + System.nanoTime()));
            return !ChangeChecks.changes(TestBroker.shared(), "salesforce", probe).isEmpty();
        });
        deleteContact(probe);
        await().atMost(Duration.ofSeconds(10)).until(() -> Scrape.of(app).sum("callbridge_caller_directory_records", "crm",
                "salesforce") == SEEDED);
    }

    @Override
    protected String create(String first, String last, String phone) {
        return org().create("Contact", Events.JSON.createObjectNode().put("FirstName", first).put("LastName", last).put("Phone", phone));
    }

    @Override
    protected void rename(String id, String first) {
        update(id, Events.JSON.createObjectNode().put("FirstName", first));
    }

    @Override
    protected void renumber(String id, String phone) {
        update(id, Events.JSON.createObjectNode().put("Phone", phone));
    }

    @Override
    protected void delete(String id) {
        deleteContact(id);
    }

    private static void deleteContact(String id) {
        HttpResponse<String> r = org().call("DELETE", CONTACTS + "/" + id, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    }

    /** A query filtering a phone field by a list: the listing and the reads by id query the same objects (the sandbox notes which). */
    @Override
    protected boolean isSearch(JsonNode journalEntry) {
        return "phone IN".equals(journalEntry.path("note").asText());
    }

    private static void update(String id, ObjectNode fields) {
        HttpResponse<String> r = org().call("PATCH", CONTACTS + "/" + id, fields);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    }

    /** A client of the org Callbridge reads, with a session of its own, as an integrator's. */
    private static synchronized SalesforceFixture.Org org() {
        if (org == null) {
            org = new SalesforceFixture.Org(crms.sandbox());
        }
        return org;
    }
}
