package io.callbridge.delivery;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Whether one CRM can take deliveries, for {@code /observe/health/ready}: up; up and {@code degraded} while its
 * breaker is open (the CRM is down or throttles: commands wait, nothing is lost, intake goes on); down while the CRM
 * refuses Callbridge's credentials, which only an operator can fix. Not a liveness check: a CRM's state never makes
 * Callbridge itself unhealthy.
 */
public final class CrmReadiness extends AbstractHealthCheck {

    private final Pacer pacer;

    public CrmReadiness(Pacer pacer) {
        super("callbridge", "crm-" + pacer.crm());
        this.pacer = pacer;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("crm", pacer.crm());
        if (pacer.credentialsRefused()) {
            String refusal = pacer.credentialsRefusal();
            if (refusal != null) {
                builder.detail("reason", refusal);
            }
            builder.detail("state", "down").message(pacer.crm() + " refuses Callbridge's credentials"
                    + (refusal != null ? " (" + refusal + "); deliveries wait until they work again" : "")).down();
        } else if (pacer.breakerOpen()) {
            builder.detail("state", "degraded").message(pacer.crm() + ": circuit breaker open, deliveries wait").up();
        } else {
            builder.detail("state", "up").up();
        }
    }
}
