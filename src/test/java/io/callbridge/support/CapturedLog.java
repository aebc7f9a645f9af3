package io.callbridge.support;

import java.util.ArrayList;
import java.util.List;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Every line Callbridge logs while it is open, formatted by the very layout of log4j2.xml (masking
 * included), exactly as an operator would read it.
 */
public final class CapturedLog implements AutoCloseable {

    private final List<String> lines = new ArrayList<>();
    private final AbstractAppender appender;
    private final LoggerConfig root;

    private CapturedLog(String format) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        Appender console = config.getAppender(format);
        @SuppressWarnings("unchecked")
        Layout<String> layout = (Layout<String>) console.getLayout();
        appender = new AbstractAppender("captured", null, layout, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                String line = layout.toSerializable(event);
                synchronized (lines) {
                    lines.add(line);
                }
            }
        };
        appender.start();
        root = config.getRootLogger();
        root.addAppender(appender, null, null);
        context.updateLoggers();
    }

    public static CapturedLog start() {
        return new CapturedLog("text");
    }

    /** The lines as the appender of {@code callbridge.log.format} ({@code text} or {@code json}) writes them. */
    public static CapturedLog start(String format) {
        return new CapturedLog(format);
    }

    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    public String text() {
        return String.join("", lines());
    }

    @Override
    public void close() {
        root.removeAppender("captured");
        ((LoggerContext) LogManager.getContext(false)).updateLoggers();
        appender.stop();
    }
}
