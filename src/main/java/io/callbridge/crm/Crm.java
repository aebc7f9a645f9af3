package io.callbridge.crm;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.config.Setting;
import io.callbridge.mapping.Command;
import io.callbridge.mapping.CrmRequest;
import io.callbridge.mapping.MappingException;
import io.callbridge.mapping.Mappings;

/**
 * One CRM Callbridge can reach, as the {@link CrmCatalog} lists it. Everything that knows the CRM is in
 * its own package ({@code io.callbridge.crm.<name>}): this entry, its settings, authentication, caller
 * search and connector. The delivery core, caller identification and the dry run know CRMs only through
 * this contract.
 */
public interface Crm {

    /** Its name in settings, topics, routes and mappings: {@code callbridge.crm.<name>.*}, {@code callbridge.crm.<name>}. */
    String name();

    /** The setting that says where the CRM is (its base URL; Salesforce's login URL, the webhook's URL). */
    Setting location();

    /** Every key this CRM reads, with its default and description; shared keys ({@link CrmSettings}) are not repeated. */
    List<Setting> settings();

    /** The route file with this CRM's routes; loaded only when the CRM is enabled. */
    default String routes() {
        return "file:routes/crm-" + name() + ".yaml";
    }

    /** Whether its commands are rendered by {@code mappings/<name>/<action>.jsonata} (the webhook sends them as they are). */
    default boolean usesTemplates() {
        return true;
    }

    /**
     * What one command would send, for the dry run: the template's request with the caller's record
     * ({@code contact}, null when unknown), its path appended to {@code url}; null when the template
     * has nothing to send.
     */
    default PlannedRequest plan(Command command, JsonNode contact, Mappings mappings, String url) throws MappingException {
        CrmRequest request = mappings.render(command, contact);
        return request == null ? null : new PlannedRequest(request.method(), url + request.path(), request.body());
    }

    /** Builds the enabled CRM from its settings; a missing URL or credential stops start-up with the key to set. */
    CrmConnection connect(CrmContext context);

    /** A request the dry run shows. */
    record PlannedRequest(String method, String url, JsonNode body) {
    }
}
