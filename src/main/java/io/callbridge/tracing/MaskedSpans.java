package io.callbridge.tracing;

import java.net.URI;
import java.util.regex.Pattern;

import io.callbridge.logging.Pii;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.tracing.SpanAdapter;
import org.apache.camel.tracing.Tag;
import org.apache.camel.tracing.decorators.KafkaSpanDecorator;
import org.apache.camel.tracing.decorators.PlatformHttpSpanDecorator;

/**
 * Spans leave Callbridge like log lines do: without personal data. Camel's decorators tag a Kafka span with the record's
 * key (the caller's number) and a request span with its URL ({@code /v1/callers/+41…}); these subclasses, registered in
 * place of Camel's own, overwrite those tags masked.
 */
final class MaskedSpans {

    private static final Pattern NUMBER = Pattern.compile("(%2B|\\+)?[0-9]{6,}");

    private MaskedSpans() {
    }

    static String masked(String text) {
        return text == null ? null : NUMBER.matcher(text).replaceAll("***");
    }

    static final class Kafka extends KafkaSpanDecorator {
        @Override
        public void pre(SpanAdapter span, Exchange exchange, Endpoint endpoint) {
            super.pre(span, exchange, endpoint);
            String key = exchange.getMessage().getHeader("kafka.KEY", String.class);
            if (key != null) {
                span.setTag(KAFKA_KEY_TAG, Pii.phone(key));
            }
        }
    }

    static final class PlatformHttp extends PlatformHttpSpanDecorator {
        @Override
        public void pre(SpanAdapter span, Exchange exchange, Endpoint endpoint) {
            super.pre(span, exchange, endpoint);
            String url = getHttpURL(exchange, endpoint);
            if (url != null) {
                span.setTag(Tag.HTTP_URL, masked(url));
                span.setTag("http.url", masked(url));
                URI uri = URI.create(url.replace(" ", "%20"));
                if (uri.getRawPath() != null) {
                    span.setTag(Tag.URL_PATH, masked(uri.getRawPath()));
                }
                if (uri.getRawQuery() != null) {
                    span.setTag(Tag.URL_QUERY, masked(uri.getRawQuery()));
                }
            }
        }
    }
}
