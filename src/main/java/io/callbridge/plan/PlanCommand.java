package io.callbridge.plan;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.config.Settings;
import io.callbridge.crm.Crm;
import io.callbridge.crm.CrmCatalog;
import io.callbridge.intake.CallEvent;
import io.callbridge.intake.CallEventValidator;
import io.callbridge.intake.InvalidEventException;
import io.callbridge.mapping.LiveMappings;
import io.callbridge.phone.PhoneNormalizer;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * {@code java -jar callbridge.jar plan events.json}: the dry run of POST /v1/plan for a file of events
 * (one event or an array), offline: no broker, no HTTP server, no CRM call.
 */
public final class PlanCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PlanCommand() {
    }

    /** @return the process exit code: 0 planned, 1 an event is invalid, 2 usage or mappings broken */
    public static int run(List<String> args, CrmCatalog catalog, PrintStream out, PrintStream err) {
        if (args.size() != 1) {
            err.println("usage: java -jar callbridge.jar plan <events.json>   (one event or a JSON array of events)");
            return 2;
        }
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setLocation("classpath:application.properties");
            String profile = System.getProperty("camel.main.profile", System.getenv("CAMEL_MAIN_PROFILE"));
            if (profile != null && !profile.isBlank()) {
                context.getPropertiesComponent().addLocation("classpath:application-" + profile + ".properties;optional=true");
            }
            Settings settings = new Settings(context);
            List<Crm> enabled = catalog.enabled(settings);
            LiveMappings mappings = LiveMappings.load(settings, catalog.mappingNames(enabled));
            CallEventValidator validator = new CallEventValidator(new PhoneNormalizer(settings.get(PhoneNormalizer.DEFAULT_REGION)));
            Map<String, DryRun.Target> targets = new java.util.LinkedHashMap<>();
            enabled.forEach(crm -> targets.put(crm.name(), new DryRun.Target(crm, CrmCatalog.location(crm, settings), null)));
            DryRun dryRun = new DryRun(mappings, targets);
            ArrayNode result = JSON.createArrayNode();
            int status = 0;
            for (JsonNode raw : DryRun.parseEvents(Files.readAllBytes(Path.of(args.get(0))))) {
                ObjectNode entry = result.addObject();
                entry.put("eventId", raw.path("id").asText());
                try {
                    CallEvent event = validator.validate(JSON.writeValueAsBytes(raw));
                    entry.set("commands", dryRun.plan(JSON.readTree(event.json())));
                } catch (InvalidEventException e) {
                    entry.put("invalid", e.getMessage());
                    status = 1;
                }
            }
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
            return status;
        } catch (Exception e) {
            err.println("plan failed: " + e.getMessage());
            return 2;
        }
    }

    public static List<String> rest(String[] args) {
        List<String> rest = new ArrayList<>(List.of(args));
        rest.remove(0);
        return rest;
    }
}
