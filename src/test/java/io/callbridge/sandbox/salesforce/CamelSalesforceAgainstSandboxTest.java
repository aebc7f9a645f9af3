package io.callbridge.sandbox.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.sandbox.CrmSandbox;
import io.callbridge.sandbox.Json;
import io.callbridge.sandbox.SandboxHttp;
import io.callbridge.sandbox.SandboxSettings;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.salesforce.AuthenticationType;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * camel-salesforce itself (not hand-written HTTP) against the sandbox: login, create a Contact,
 * query it by a phone number with a '+', upsert a Task by external id twice, and recover from an
 * expired session. The SOQL goes in a header, never in the endpoint URI (which would URI-decode '+').
 */
class CamelSalesforceAgainstSandboxTest {

    private static final String PHONE = "+41 79 123 45 67";

    private CrmSandbox sandbox;
    private CamelContext camel;
    private ProducerTemplate template;

    @BeforeEach
    void start() throws Exception {
        sandbox = CrmSandbox.start(SandboxSettings.builder().port(0).seed(3)
                .config("salesforce", Map.of("client-id", "camel-client", "client-secret", "camel-secret",
                        "refresh-token", "camel-refresh", "username", "camel@example.test",
                        "jwt-certificate", SalesforceTestSupport.resource("jwt-test.crt").toString()))
                .build());
    }

    private void startCamel(SalesforceComponent sf) throws Exception {
        camel = new DefaultCamelContext();
        sf.setLoginUrl(sandbox.baseUrl("salesforce"));
        sf.setClientId("camel-client");
        camel.addComponent("salesforce", sf);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:create").to("salesforce:createSObject?sObjectName=Contact&rawPayload=true");
                from("direct:query").to("salesforce:query?rawPayload=true");
                from("direct:upsert").to("salesforce:upsertSObject?sObjectName=Task&sObjectIdName=" + SalesforceSandbox.COMMAND_ID_FIELD + "&rawPayload=true");
                from("direct:get").to("salesforce:getSObject?sObjectName=Contact&rawPayload=true");
            }
        });
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        if (camel != null) camel.stop();
        sandbox.close();
    }

    private JsonNode json(Object body) throws Exception {
        return Json.MAPPER.readTree(camel.getTypeConverter().mandatoryConvertTo(String.class, body));
    }

    private JsonNode query(String soql) throws Exception {
        return json(template.requestBodyAndHeader("direct:query", null, "sObjectQuery", soql));
    }

    @Test
    void refreshTokenFlowCreateQueryUpsertAndRecoverFromExpiredSession() throws Exception {
        SalesforceComponent sf = new SalesforceComponent();
        sf.setAuthenticationType(AuthenticationType.REFRESH_TOKEN);
        sf.setClientSecret("camel-secret");
        sf.setRefreshToken("camel-refresh");
        startCamel(sf);

        JsonNode created = json(template.requestBody("direct:create",
                "{\"FirstName\":\"Jean\",\"LastName\":\"Dupont\",\"Phone\":\"" + PHONE + "\"}"));
        assertTrue(created.get("success").asBoolean(), created.toString());
        String contactId = created.get("id").asText();
        assertTrue(contactId.startsWith("003"));

        JsonNode found = query("SELECT Id, Name, Phone FROM Contact WHERE Phone = '" + PHONE + "'");
        assertEquals(1, found.get("totalSize").asInt(), found.toString());
        assertEquals(contactId, found.get("records").get(0).get("Id").asText());
        assertEquals(PHONE, found.get("records").get(0).get("Phone").asText());

        String task = "{\"Subject\":\"Appel entrant\",\"Status\":\"Completed\",\"WhoId\":\"" + contactId + "\"}";
        JsonNode first = json(template.requestBodyAndHeader("direct:upsert", task, "sObjectIdValue", "evt-1:call-task:0"));
        assertTrue(first.get("created").asBoolean(), first.toString());
        JsonNode second = json(template.requestBodyAndHeader("direct:upsert", task, "sObjectIdValue", "evt-1:call-task:0"));
        assertEquals(false, second.get("created").asBoolean(), second.toString());
        assertEquals(first.get("id").asText(), second.get("id").asText());
        JsonNode tasks = query("SELECT Id, Who.Name FROM Task WHERE " + SalesforceSandbox.COMMAND_ID_FIELD + " = 'evt-1:call-task:0'");
        assertEquals(1, tasks.get("totalSize").asInt());
        assertEquals("Jean Dupont", tasks.get("records").get(0).get("Who").get("Name").asText());
        assertEquals(1, sandbox.crm("salesforce").list("Task").size());

        // every session expires; camel-salesforce gets 401 INVALID_SESSION_ID, logs in again and retries
        assertEquals(204, SandboxHttp.json("POST", sandbox.adminUrl() + "/salesforce/tokens/expire", null, null).status());
        JsonNode again = query("SELECT Id FROM Contact WHERE Phone = '" + PHONE + "'");
        assertEquals(1, again.get("totalSize").asInt());
        JsonNode journal = SandboxHttp.json("GET", sandbox.adminUrl() + "/salesforce/requests", null, null).json();
        long logins = 0, unauthorized = 0;
        for (JsonNode e : journal) {
            if (e.get("path").asText().equals("/services/oauth2/token")) logins++;
            if (e.get("status").asInt() == 401) unauthorized++;
        }
        assertEquals(2, logins, journal.toString());
        assertEquals(1, unauthorized, journal.toString());
    }

    @Test
    void clientCredentialsFlowAndSalesforceErrorsReachTheRoute() throws Exception {
        SalesforceComponent sf = new SalesforceComponent();
        sf.setAuthenticationType(AuthenticationType.CLIENT_CREDENTIALS);
        sf.setClientSecret("camel-secret");
        startCamel(sf);
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.requestBody("direct:create", "{\"FirstName\":\"NoLastName\"}"));
        SalesforceException sfe = assertInstanceOf(SalesforceException.class, e.getCause());
        assertEquals(400, sfe.getStatusCode());
        assertEquals("REQUIRED_FIELD_MISSING", sfe.getErrors().get(0).getErrorCode());
        assertEquals("LastName", sfe.getErrors().get(0).getFields().get(0));
    }

    @Test
    void jwtBearerFlowWithTheConfiguredCertificate() throws Exception {
        SalesforceComponent sf = new SalesforceComponent();
        sf.setAuthenticationType(AuthenticationType.JWT);
        sf.setUserName("camel@example.test");
        KeyStoreParameters ks = new KeyStoreParameters();
        ks.setResource("sandbox/salesforce/jwt-test.p12");
        ks.setType("PKCS12");
        ks.setPassword("sandbox-test");
        sf.setKeystore(ks);
        startCamel(sf);
        JsonNode created = json(template.requestBody("direct:create", "{\"LastName\":\"Jwt\"}"));
        assertTrue(created.get("success").asBoolean());
    }
}
