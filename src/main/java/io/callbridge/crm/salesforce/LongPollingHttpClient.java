package io.callbridge.crm.salesforce;

import java.net.URI;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.SalesforceHttpClient;
import org.eclipse.jetty.client.transport.HttpConversation;
import org.eclipse.jetty.client.transport.HttpRequest;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * camel-salesforce's HTTP client, except that a Streaming API request has no overall deadline. camel-salesforce gives
 * every request the component's request timeout (30 s), and Salesforce holds a {@code /meta/connect} open for up to
 * 110 s: every quiet long poll would end in a failure and a new handshake. CometD bounds those requests itself (its
 * {@code maxNetworkDelay} past the advised timeout).
 */
final class LongPollingHttpClient extends SalesforceHttpClient {

    LongPollingHttpClient(CamelContext camel, SalesforceComponent component) {
        // the pool camel-salesforce makes for its own client, and the JVM's trust store, as its default SSL parameters use
        super(camel, camel.getExecutorServiceManager().newThreadPool(component, "SalesforceHttpClient",
                component.getWorkerPoolSize(), component.getWorkerPoolMaxSize()), new SslContextFactory.Client());
    }

    @Override
    public HttpRequest newHttpRequest(HttpConversation conversation, URI uri) {
        HttpRequest request = super.newHttpRequest(conversation, uri);
        if (uri.getPath() != null && uri.getPath().contains("/cometd/")) {
            request.timeout(0, TimeUnit.MILLISECONDS);
        }
        return request;
    }
}
