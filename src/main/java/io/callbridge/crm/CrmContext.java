package io.callbridge.crm;

import java.time.Clock;

import io.callbridge.config.Settings;
import io.callbridge.mapping.LiveMappings;
import org.apache.camel.CamelContext;

/**
 * What a CRM is built from when it is enabled: the settings, the mappings in use, the Camel context its
 * routes run in, the HTTP client of caller lookups, the clock, and where its requests are counted.
 */
public record CrmContext(Settings settings, LiveMappings mappings, CamelContext camel, CrmHttp http, Clock clock, CrmMetrics metrics) {
}
