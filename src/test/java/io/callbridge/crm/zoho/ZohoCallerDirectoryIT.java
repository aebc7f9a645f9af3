package io.callbridge.crm.zoho;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.support.CallerDirectoryContract;
import io.callbridge.support.CrmFixture;
import io.callbridge.support.Events;
import org.junit.jupiter.api.BeforeAll;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Zoho's caller directory (Contacts and unconverted Leads, read by Get Records), kept current by the watch Callbridge
 * enables at start: Zoho's notifications name the changed records' ids only, so each is read again by id.
 */
class ZohoCallerDirectoryIT extends CallerDirectoryContract {

    private static final String TOKEN = "zoho-directory-watch-token";

    @BeforeAll
    static void start() {
        int port = freePort();
        start(CrmFixture.of("zoho"), port, Map.of(), Map.of("callbridge.crm.zoho.watch-token", TOKEN,
                "callbridge.crm.zoho.change-url", "http://localhost:" + port + "/v1/crm-changes/zoho"));
    }

    @Override
    protected String create(String first, String last, String phone) {
        HttpResponse<String> r = zoho("POST", "/Contacts", "{\"data\":[{\"First_Name\":\"" + first + "\",\"Last_Name\":\"" + last
                + "\",\"Phone\":\"" + phone + "\"}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r).at("/data/0/details/id").asText();
    }

    @Override
    protected void rename(String id, String first) {
        update(id, "{\"data\":[{\"First_Name\":\"" + first + "\"}]}");
    }

    @Override
    protected void renumber(String id, String phone) {
        update(id, "{\"data\":[{\"Phone\":\"" + phone + "\"}]}");
    }

    @Override
    protected void delete(String id) {
        HttpResponse<String> r = zoho("DELETE", "/Contacts/" + id, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Override
    protected boolean isSearch(JsonNode journalEntry) {
        return journalEntry.path("path").asText().endsWith("/search");
    }

    private static void update(String id, String body) {
        HttpResponse<String> r = zoho("PUT", "/Contacts/" + id, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    /** A call to the org's v8 API with a token of its own, as an integrator would make it. */
    private static HttpResponse<String> zoho(String method, String path, String body) {
        return org().call(method, path, body == null ? null : Events.parse(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static ZohoFixture.Org org;

    private static synchronized ZohoFixture.Org org() {
        if (org == null) {
            org = new ZohoFixture.Org(crms.sandbox());
        }
        return org;
    }
}
