package io.callbridge.crm.rest;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.crm.hubspot.HubSpotFixture;
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.SandboxSettings;
import io.callbridge.sandbox.hubspot.HubSpotSandbox;
import io.callbridge.sandbox.pipedrive.PipedriveSandbox;
import io.callbridge.support.Events;
import io.callbridge.support.SandboxClient;

/** A HubSpot portal and a Pipedrive account in one sandbox with the vendors' default limits, and clients for both. */
final class RestCrms implements AutoCloseable {

    final CrmSandbox sandbox;
    final SandboxClient hubspot;
    final SandboxClient pipedrive;

    RestCrms(Map<String, String> hubspotConfig) {
        java.util.Map<String, String> hs = new java.util.HashMap<>(hubspotConfig);
        hs.put("custom-properties", HubSpotFixture.CUSTOM_PROPERTIES);
        sandbox = CrmSandbox.start(SandboxSettings.builder().port(0).seed(11).crm("hubspot").crm("pipedrive")
                .config("hubspot", hs).build());
        hubspot = new SandboxClient(() -> sandbox.baseUrl("hubspot"), "Authorization") {
            @Override
            protected String authorization() {
                return "Bearer " + HubSpotSandbox.DEFAULT_TOKEN;
            }
        };
        pipedrive = new SandboxClient(() -> sandbox.baseUrl("pipedrive"), "x-api-token") {
            @Override
            protected String authorization() {
                return PipedriveSandbox.DEFAULT_API_TOKEN;
            }
        };
    }

    /** A HubSpot contact owned by Claire Martin; answers its id. */
    String hubspotContact(String lastname, String phone) {
        return hubspot.json("POST", "/crm/v3/objects/contacts", Events.parse(("{\"properties\":{\"lastname\":\"" + lastname
                + "\",\"phone\":\"" + phone + "\",\"hubspot_owner_id\":\"75000001\"}}").getBytes())).get("id").asText();
    }

    /** A Pipedrive person owned by Claire Martin; answers its id. */
    String pipedrivePerson(String name, String phone) {
        return pipedrive.json("POST", "/api/v2/persons", Events.parse(("{\"name\":\"" + name + "\",\"owner_id\":13053568,"
                + "\"phones\":[{\"value\":\"" + phone + "\",\"primary\":true,\"label\":\"work\"}]}").getBytes()))
                .at("/data/id").asText();
    }

    /** HubSpot records of a type associated with the contact, with the given properties. */
    List<JsonNode> hubspotRecordsOf(String type, String contactId, String properties) {
        JsonNode all = hubspot.json("GET", "/crm/v3/objects/" + type + "?limit=100&associations=contacts&properties=" + properties, null)
                .get("results");
        return StreamSupport.stream(all.spliterator(), false)
                .filter(r -> StreamSupport.stream(r.at("/associations/contacts/results").spliterator(), false)
                        .anyMatch(a -> a.path("id").asText().equals(contactId)))
                .toList();
    }

    /** HubSpot contacts whose phone is the number (as Callbridge writes it: E.164). */
    List<JsonNode> hubspotContactsWithPhone(String e164) {
        JsonNode all = hubspot.json("GET", "/crm/v3/objects/contacts?limit=100&properties=phone,firstname,lastname,email,company,"
                + "callbridge_command_id", null).get("results");
        return StreamSupport.stream(all.spliterator(), false)
                .filter(c -> e164.equals(c.at("/properties/phone").asText())).toList();
    }

    JsonNode hubspotContact(String id) {
        return hubspot.json("GET", "/crm/v3/objects/contacts/" + id + "?properties=firstname,lastname,email,company,"
                + "callbridge_last_call,callbridge_lead_score,callbridge_last_summary,callbridge_at_risk", null).get("properties");
    }

    List<JsonNode> pipedriveActivitiesOf(String personId) {
        return list(pipedrive.json("GET", "/api/v2/activities?limit=100&person_id=" + personId, null).get("data"));
    }

    List<JsonNode> pipedriveDealsOf(String personId) {
        return list(pipedrive.json("GET", "/api/v2/deals?limit=100&person_id=" + personId, null).get("data"));
    }

    List<JsonNode> pipedrivePersonsWithPhone(String e164) {
        return list(pipedrive.json("GET", "/api/v2/persons?limit=100", null).get("data")).stream()
                .filter(p -> StreamSupport.stream(p.path("phones").spliterator(), false)
                        .anyMatch(ph -> ph.path("value").asText().equals(e164)))
                .toList();
    }

    JsonNode pipedrivePerson(String id) {
        return pipedrive.json("GET", "/api/v2/persons/" + id, null).get("data");
    }

    /** The sandbox's fault injection for one CRM (PUT /_sandbox/<crm>/faults). */
    void faults(String crm, String json) {
        HttpResponse<String> r = Events.send(HttpRequest.newBuilder(URI.create(sandbox.adminUrl() + "/" + crm + "/faults"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)).build());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException("faults " + crm + ": " + r.statusCode() + " " + r.body());
        }
    }

    /** The sandbox's journal of requests to one CRM (method, path, status). */
    JsonNode requests(String crm) {
        return Events.parse(Events.send(HttpRequest.newBuilder(URI.create(sandbox.adminUrl() + "/" + crm + "/requests")).GET().build())
                .body().getBytes());
    }

    static List<JsonNode> list(JsonNode array) {
        return array == null || array.isNull() ? List.of() : StreamSupport.stream(array.spliterator(), false).toList();
    }

    @Override
    public void close() {
        sandbox.close();
    }
}
