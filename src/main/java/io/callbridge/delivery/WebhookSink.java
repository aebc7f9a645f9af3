package io.callbridge.delivery;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import io.callbridge.intake.WebhookSignature;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The outbound webhook for Zapier, Make or n8n: each command as JSON, signed like intake
 * ({@code Callbridge-Signature}) with {@code callbridge.crm.webhook.secret}. Receivers dedupe on
 * {@code Callbridge-Command-Id}; a redelivery of a command that may have arrived already says so in
 * {@code Callbridge-Possible-Duplicate}, unless a check URL lets Callbridge ask first.
 */
public final class WebhookSink {

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newBuilder()
            .connectTimeout(java.time.Duration.ofSeconds(5)).build();

    private final WebhookSignature signature;
    private final String checkUrl;

    public WebhookSink(WebhookSignature signature, String checkUrl) {
        this.signature = signature;
        this.checkUrl = checkUrl == null || checkUrl.isBlank() ? null : checkUrl.replaceAll("/+$", "");
    }

    public boolean canCheck() {
        return checkUrl != null;
    }

    /** The URL that answers 2xx when the receiver already has the command, 404 when not. */
    public String checkUrl(Exchange exchange) {
        return checkUrl + "/" + URLEncoder.encode(exchange.getMessage().getHeader(Delivery.COMMAND_ID, String.class),
                StandardCharsets.UTF_8);
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
        throw new CrmException(answer.statusCode(), "check " + answer.statusCode(), java.util.Map.of(), false);
    }

    /** The signed POST of the command as received from the topic (the body is the command JSON). */
    public void prepare(Exchange exchange) {
        Message m = exchange.getMessage();
        byte[] body = m.getBody(byte[].class);
        String commandId = m.getHeader(Delivery.COMMAND_ID, String.class);
        boolean possibleDuplicate = Boolean.TRUE.equals(m.getHeader(Delivery.CHECK_FIRST, Boolean.class));
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
}
