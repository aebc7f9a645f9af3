package io.callbridge.delivery;

import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a CRM consumer does with a command that is going to be retried: the route's error handling
 * has already logged why (masked); the consumer's default handler would log the whole exchange.
 */
public final class QuietExceptionHandler implements ExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(QuietExceptionHandler.class);

    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        LOG.debug("{}: {}", message, exception == null ? "" : exception.getClass().getSimpleName());
    }
}
