package io.callbridge.crm.webhook;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.config.Setting;
import io.callbridge.crm.Crm;
import io.callbridge.crm.CrmConnection;
import io.callbridge.crm.CrmContext;
import io.callbridge.crm.RouteConnector;
import io.callbridge.intake.WebhookSignature;
import io.callbridge.mapping.Command;
import io.callbridge.mapping.Mappings;

/**
 * The signed outbound webhook for workflow tools (Zapier, Make, n8n): every command POSTed as it is, no
 * template, no caller search ({@code routes/crm-webhook.yaml}, {@link WebhookSink}).
 */
public final class WebhookCrm implements Crm {

    static final String NAME = "webhook";
    private static final String P = "callbridge.crm.webhook.";

    static final Setting URL = Setting.of(P + "url", null, "the outbound webhook (Zapier, Make, n8n) receiving every command, signed");
    static final Setting SECRET = Setting.of(P + "secret", null, "its signing secret (`Callbridge-Signature`, same scheme as intake)");
    static final Setting CHECK_URL = Setting.of(P + "check-url", null, "optional: `GET <check-url>/<commandId>` answers 2xx if the "
            + "receiver has the command, 404 if not; asked before re-sending a command that may have arrived before a crash");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Setting location() {
        return URL;
    }

    @Override
    public List<Setting> settings() {
        return List.of(URL, SECRET, CHECK_URL);
    }

    @Override
    public boolean usesTemplates() {
        return false;
    }

    @Override
    public PlannedRequest plan(Command command, JsonNode contact, Mappings mappings, String url) {
        return new PlannedRequest("POST", url, command.toJson());
    }

    @Override
    public CrmConnection connect(CrmContext context) {
        context.settings().require(URL, "the webhook needs the receiver's address");
        WebhookSink sink = new WebhookSink(new WebhookSignature(context.settings().get(SECRET), 300, context.clock()),
                context.settings().get(CHECK_URL));
        return CrmConnection.of(null, (callers, routeBeans) -> {
            routeBeans.accept("webhookSink", sink);
            return new RouteConnector(NAME, context);
        });
    }
}
