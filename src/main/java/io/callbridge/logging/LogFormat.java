package io.callbridge.logging;

import java.util.Set;

import io.callbridge.config.Setting;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;

/**
 * Text or JSON log lines. Logging starts before Callbridge reads its configuration files, so log4j2.xml takes the
 * format from a system property or the environment variable; a format set anywhere else (application.properties, a
 * profile) is applied here once Callbridge has read it, by configuring logging again with it.
 */
public final class LogFormat {

    private static final String PROPERTY = "callbridge.log.format";
    public static final Setting FORMAT = Setting.of(PROPERTY, "text", "`text` (one line per event) or `json` (one JSON object "
            + "per line, Elastic Common Schema fields, for log shippers); personal data is masked in both");
    private static final Set<String> FORMATS = Set.of("text", "json");

    private LogFormat() {
    }

    public static void apply(String format) {
        if (!FORMATS.contains(format)) {
            throw new IllegalStateException(PROPERTY + " is '" + format + "'; use text or json");
        }
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        if (context.getConfiguration().getRootLogger().getAppenders().containsKey(format)) {
            return;
        }
        System.setProperty(PROPERTY, format);
        context.reconfigure();
    }
}
