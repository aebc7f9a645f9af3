package io.callbridge.bench;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.phone.PhoneFormats;
import io.callbridge.sandbox.hubspot.HubSpotSandbox;
import io.callbridge.support.Events;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/**
 * What a log-call costs without Kafka and Camel: for each event, the HubSpot contact search Callbridge's caller
 * identification sends (same body), then the call engagement its log-call template renders, associated with the
 * contact, over Apache HttpClient 5 (the client under camel-http) with pooled keep-alive connections. Nothing is
 * durable, nothing is cached, nothing is retried: the ceiling a plain loop reaches on the same sandbox.
 */
final class NaiveBaseline {

    private static final PhoneFormats FORMATS = new PhoneFormats("CH");

    private NaiveBaseline() {
    }

    /** Runs {@code events} log-calls on {@code clients} threads; answers the seconds they took. */
    static double run(String hubspotBase, List<String> customers, int events, int clients) throws Exception {
        try (CloseableHttpClient http = HttpClients.custom().setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(clients).setMaxConnPerRoute(clients).build()).build()) {
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            AtomicInteger next = new AtomicInteger();
            long t0 = System.nanoTime();
            List<Future<?>> workers = new java.util.ArrayList<>();
            for (int c = 0; c < clients; c++) {
                workers.add(pool.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < events; ) {
                        logCall(http, hubspotBase, customers.get(i % customers.size()));
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            pool.shutdown();
            return seconds;
        }
    }

    private static void logCall(CloseableHttpClient http, String base, String e164) throws IOException {
        JsonNode found = post(http, base + "/crm/v3/objects/contacts/search", searchBody(e164), 200);
        String contactId = found.path("results").path(0).path("id").asText(null);
        ObjectNode call = Events.JSON.createObjectNode();
        ObjectNode p = call.putObject("properties");
        p.put("hs_timestamp", "2026-11-28T09:14:03Z");
        p.put("hs_call_title", "Appel entrant - 28.11.2026 10:14");
        p.put("hs_call_body", "Client Gold, question sur la commande 4411, intéressé par le produit X.");
        p.put("hs_call_direction", "INBOUND");
        p.put("hs_call_duration", 242_000);
        p.put("hs_call_status", "COMPLETED");
        p.put("hs_call_from_number", e164);
        p.put("hs_call_recording_url", "https://assistant.example/r/c-20261128-0001.wav");
        p.put("callbridge_command_id", "baseline-" + UUID.randomUUID());
        if (contactId != null) {
            ObjectNode a = call.putArray("associations").addObject();
            a.putObject("to").put("id", contactId);
            a.putArray("types").addObject().put("associationCategory", "HUBSPOT_DEFINED").put("associationTypeId", 194);
        }
        post(http, base + "/crm/v3/objects/calls", call, 201);
    }

    /** The body of HubSpotCallerSearch: both searchable phone properties IN the number's digit forms. */
    private static ObjectNode searchBody(String e164) {
        ObjectNode body = Events.JSON.createObjectNode();
        ArrayNode groups = body.putArray("filterGroups");
        for (String property : List.of("hs_searchable_calculated_phone_number", "hs_searchable_calculated_mobile_number")) {
            ObjectNode filter = groups.addObject().putArray("filters").addObject();
            filter.put("propertyName", property).put("operator", "IN");
            ArrayNode values = filter.putArray("values");
            FORMATS.digitForms(e164).forEach(values::add);
        }
        ArrayNode props = body.putArray("properties");
        for (String prop : List.of("firstname", "lastname", "email", "phone", "mobilephone", "company", "hubspot_owner_id",
                "lifecyclestage", "hs_lead_status", "lastmodifieddate", "notes_last_contacted", "callbridge_last_call",
                "callbridge_last_summary")) {
            props.add(prop);
        }
        body.putArray("sorts").addObject().put("propertyName", "lastmodifieddate").put("direction", "DESCENDING");
        body.put("limit", 20);
        return body;
    }

    private static JsonNode post(CloseableHttpClient http, String url, JsonNode body, int expected) throws IOException {
        HttpPost post = new HttpPost(URI.create(url));
        post.setHeader("Authorization", "Bearer " + HubSpotSandbox.DEFAULT_TOKEN);
        post.setEntity(new ByteArrayEntity(Events.bytes(body), ContentType.APPLICATION_JSON));
        return http.execute(post, response -> {
            byte[] bytes = response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity());
            if (response.getCode() != expected) {
                throw new IllegalStateException(url.substring(url.indexOf("/crm/")) + " answered " + response.getCode());
            }
            return Events.parse(bytes);
        });
    }
}
