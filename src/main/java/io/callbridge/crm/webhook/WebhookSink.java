package io.callbridge.crm.webhook;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import io.callbridge.crm.CrmException;
import io.callbridge.crm.CrmKeys;
import io.callbridge.intake.WebhookSignature;
import io.callbridge.mapping.Command;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The outbound webhook for Zapier, Make or n8n: each command as JSON, signed like intake
 * ({@code Callbridge-Signature}) with {@code callbridge.crm.webhook.secret}. Receivers dedupe on
 * {@code Callbridge-Command-Id}; a redelivery of a command that may have arrived already says so in
 * {@code Callbridge-Possible-Duplicate}, unless a check URL lets Callbridge ask first.
 */
final class WebhookSink {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newBuilder()
            .connectTimeout(java.time.Duration.ofSeconds(5)).build();

    private final WebhookSignature signature;
    private final String checkUrl;

    WebhookSink(WebhookSignature signature, String checkUrl) {
        this.signature = signature;
        this.checkUrl = checkUrl == null || checkUrl.isBlank() ? null : checkUrl.replaceAll("/+$", "");
    }

    public boolean canCheck() {
        return checkUrl != null;
    }

    /** The URL that answers 2xx when the receiver already has the command, 404 when not. */
    public String checkUrl(Exchange exchange) {
        return checkUrl + "/" + URLEncoder.encode(command(exchange).commandId(), StandardCharsets.UTF_8);
    }

    /**
     * Asks the receiver whether it already has the command: 2xx yes, 404 no; anything else is an
     * error, so the command is retried rather than risked twice.
     */
    public boolean alreadyReceived(Exchange exchange) throws Exception {
        if (checkUrl == null) {
            return false;
        }
        java.net.http.HttpResponse<Void> answer = HTTP.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(checkUrl(exchange))).timeout(java.time.Duration.ofSeconds(10)).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
        if (answer.statusCode() / 100 == 2) {
            return true;
        }
        if (answer.statusCode() == 404) {
            return false;
        }
        throw CrmException.failed(WebhookCrm.NAME, answer.statusCode(), "check", null);
    }

    /** The signed POST of the command as JSON. */
    public void prepare(Exchange exchange) throws Exception {
        Message m = exchange.getMessage();
        Command command = command(exchange);
        byte[] body = JSON.writeValueAsBytes(command.toJson());
        String commandId = command.commandId();
        boolean possibleDuplicate = Boolean.TRUE.equals(exchange.getProperty(CrmKeys.CHECK_FIRST, Boolean.class));
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_METHOD, "POST");
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setHeader("Callbridge-Command-Id", commandId);
        if (possibleDuplicate) {
            m.setHeader("Callbridge-Possible-Duplicate", "true");
        }
        if (signature.enabled()) {
            m.setHeader(WebhookSignature.HEADER, signature.sign(body));
        }
        m.setBody(body);
    }

    private static Command command(Exchange exchange) {
        Command command = exchange.getProperty(CrmKeys.COMMAND, Command.class);
        if (command == null) {
            throw new IllegalStateException("no command on the exchange: direct:crm-webhook is called by the delivery core");
        }
        return command;
    }
}
