package io.callbridge.broker;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.errors.AuthenticationException;

/**
 * Whether the Kafka cluster answers, for {@code /observe/health/ready}: intake can only acknowledge what the broker
 * has. Not a liveness check: a broker outage must not make the orchestrator restart Callbridge.
 */
public final class BrokerReadiness extends AbstractHealthCheck implements org.apache.camel.Service {

    private final Admin admin;
    private final long timeoutMs;

    public BrokerReadiness(KafkaClients clients, long timeoutMs) {
        super("callbridge", "broker");
        this.admin = clients.admin("callbridge-readiness", timeoutMs);
        this.timeoutMs = timeoutMs;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeoutMs)).nodes()
                    .get(timeoutMs, TimeUnit.MILLISECONDS).size();
            builder.detail("nodes", nodes).up();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            builder.message("interrupted while asking the broker").down();
        } catch (java.util.concurrent.ExecutionException e) {
            // Kafka's message of a refused login or TLS handshake names the mechanism, never the credential
            builder.message(e.getCause() instanceof AuthenticationException
                    ? "the Kafka cluster refused Callbridge's authentication: " + e.getCause().getMessage()
                    : "the Kafka cluster did not answer within " + timeoutMs + " ms").down();
        } catch (Exception e) {
            builder.message("the Kafka cluster did not answer within " + timeoutMs + " ms").down();
        }
    }

    @Override
    public void start() {
        // the client connects on the first check
    }

    @Override
    public void stop() {
        admin.close();
    }
}
