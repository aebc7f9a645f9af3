package io.callbridge.identify;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.broker.Publisher;
import io.callbridge.config.Setting;
import io.callbridge.crm.ChangeNotifications;
import io.callbridge.crm.ChangeNotifications.RecordChange;
import io.callbridge.crm.CrmSettings;
import io.callbridge.http.ApiKeys;
import io.callbridge.http.NotFoundException;
import io.callbridge.http.PerSecondBudget;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/crm-changes/{crm}}: a CRM's notification that its contacts changed. It is verified by the CRM's own
 * rule ({@link ChangeNotifications}; refused, 401) and limited per CRM, so that a flood of notifications cannot take the
 * caller lookups' CPU (429 with {@code Retry-After}: the CRMs send again). Each change then drops the cached callers of
 * its record, so the next lookup shows what the CRM holds now, and goes to {@value #TOPIC} as a CloudEvent
 * {@code crm.contact.changed} for the assistant: the record's id and the names of what changed, never the values.
 */
public final class CrmChanges {

    public static final String TOPIC = "callbridge.crm-changes";
    /** The CloudEvents extension attribute naming the instance that was told ({@link CrmChangeFollower} skips its own). */
    public static final String INSTANCE_ATTRIBUTE = "callbridgeinstance";
    public static final Setting PER_SECOND = Setting.of("callbridge.identify.changes-per-second", "50", "change notifications "
            + "one CRM may send per second (`POST /v1/crm-changes/<crm>`); more are answered 429 with `Retry-After`, and the CRM "
            + "sends them again, so that a flood cannot starve caller lookups");
    public static final List<Setting> DECLARED = List.of(PER_SECOND);

    private static final Logger LOG = LoggerFactory.getLogger(CrmChanges.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, ChangeNotifications> byCrm;
    private final Map<String, String> changeUrls;
    private final Callers callers;
    private final Publisher publisher;
    private final long perSecond;
    private final String instance;
    private final Map<String, PerSecondBudget> budgets = new ConcurrentHashMap<>();
    private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "callbridge-crm-change-subscriptions");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param byCrm      the enabled CRMs that send notifications
     * @param changeUrls per CRM, the URL its webhooks were given when it is not the request's own ({@link CrmSettings#CHANGE_URL})
     */
    public CrmChanges(Map<String, ChangeNotifications> byCrm, Map<String, String> changeUrls, Callers callers, Publisher publisher,
            long perSecond, String instance) {
        this.instance = instance;
        this.byCrm = Map.copyOf(byCrm);
        this.changeUrls = Map.copyOf(changeUrls);
        this.callers = callers;
        this.publisher = publisher;
        this.perSecond = perSecond;
    }

    /**
     * For the route: 204 once every change is applied and published; 200 with the CRM's JSON for its URL check (a
     * challenge); 401, 404 or 429 problems otherwise.
     */
    public void receive(Exchange exchange) throws Exception {
        Message m = exchange.getMessage();
        String crm = m.getHeader("crm", String.class);
        ChangeNotifications notifications = crm == null ? null : byCrm.get(crm);
        if (notifications == null) {
            throw new NotFoundException("no enabled CRM sends change notifications here as '" + crm + "'; those set up to: "
                    + byCrm.keySet());
        }
        admit(crm);
        byte[] body = m.getBody(byte[].class);
        String url = changeUrls.containsKey(crm) ? changeUrls.get(crm) : requestUrl(m);
        ChangeNotifications.Notification notification = new ChangeNotifications.Notification(m.getHeader(Exchange.HTTP_METHOD,
                String.class), url, name -> m.getHeader(name, String.class), body == null ? new byte[0] : body);
        Optional<String> handshake = notifications.handshake(notification);
        if (handshake.isPresent()) {
            m.removeHeaders("*");
            LOG.info("{} checked the change notifications' URL; answered", crm);
            m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            m.setHeader(Exchange.CONTENT_TYPE, "application/json");
            m.setBody(handshake.get());
            return;
        }
        apply(crm, notifications.read(notification));
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
        m.setBody(null);
    }

    /**
     * Applies verified changes of one CRM (from a notification, or from a CRM that streams them, e.g. Salesforce's Change
     * Data Capture): drops the cached callers they concern and publishes them. Answers how many cached callers were dropped.
     */
    public int apply(String crm, List<RecordChange> changes) {
        List<ProducerRecord<String, byte[]>> events = new ArrayList<>();
        int dropped = 0;
        for (RecordChange change : changes) {
            dropped += callers.changed(crm, change);
            events.add(new ProducerRecord<>(TOPIC, crm + ":" + change.recordId(), cloudEvent(crm, change)));
        }
        publisher.publish(events);
        LOG.debug("{} told of {} changed records; {} cached callers dropped", crm, changes.size(), dropped);
        return dropped;
    }

    /**
     * Asks every CRM with a {@code change-url} to send its notifications there, now and again at half of what each
     * subscription lasts; a CRM that refuses is asked again a minute later. Called once Callbridge answers HTTP, as a CRM
     * may check the URL while it is asked.
     */
    public void subscribe() {
        changeUrls.forEach((crm, url) -> subscribe(crm, url));
    }

    private void subscribe(String crm, String url) {
        long again;
        try {
            Duration lasts = byCrm.get(crm).subscribe(url);
            if (lasts == null) {
                return;
            }
            LOG.info("{} sends its change notifications to Callbridge for {} s", crm, lasts.toSeconds());
            again = Math.max(1000, lasts.toMillis() / 2);
        } catch (Exception e) {
            LOG.warn("{} could not be asked to send its change notifications; asking again in 60 s: {}", crm, e.getMessage());
            again = 60_000;
        }
        renewals.schedule(() -> subscribe(crm, url), again, TimeUnit.MILLISECONDS);
    }

    /** Stops renewing the subscriptions. */
    public void stop() {
        renewals.shutdownNow();
    }

    private void admit(String crm) throws ApiKeys.TooManyRequestsException {
        PerSecondBudget budget = budgets.computeIfAbsent(crm, k -> new PerSecondBudget(perSecond));
        if (!budget.take()) {
            throw new ApiKeys.TooManyRequestsException("more than " + perSecond + " change notifications a second from " + crm
                    + " (" + PER_SECOND.key() + ")", budget.retryAfterSeconds());
        }
    }

    /** The URL as the CRM called it: the request's absolute URL (scheme, host and port as the CRM sent them, path, query). */
    private static String requestUrl(Message m) {
        String url = m.getHeader(Exchange.HTTP_URL, String.class);
        String query = m.getHeader(Exchange.HTTP_QUERY, String.class);
        return url + (query == null || query.isEmpty() || url.contains("?") ? "" : "?" + query);
    }

    private byte[] cloudEvent(String crm, RecordChange change) {
        ObjectNode e = JSON.createObjectNode();
        e.put("specversion", "1.0").put("id", UUID.randomUUID().toString()).put("source", "callbridge/crm/" + crm)
                .put("type", "crm.contact.changed").put("time", change.occurredAt().toString())
                .put("datacontenttype", "application/json").put(INSTANCE_ATTRIBUTE, instance);
        ObjectNode data = e.putObject("data").put("crm", crm).put("recordId", change.recordId()).put("change", change.kind());
        change.values().keySet().stream().sorted().forEach(data.putArray("properties")::add);
        return e.toString().getBytes(StandardCharsets.UTF_8);
    }
}
