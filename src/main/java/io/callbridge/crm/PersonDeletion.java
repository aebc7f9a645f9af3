package io.callbridge.crm;

import java.net.http.HttpRequest;
import java.util.concurrent.CompletableFuture;

/**
 * How a CRM deletes a person's record (a contact or lead confirmed to hold their number) when an admin erases the
 * person and {@link CrmSettings#ERASE_PERSONS} is on for that CRM. The request differs per CRM; sending it with the
 * CRM's credentials and judging the answer are the same for all.
 */
public final class PersonDeletion {

    /** The request that deletes one record, for the CRM's current credentials. */
    @FunctionalInterface
    public interface Request {
        HttpRequest.Builder of(Candidate record, CrmAuth.Credentials credentials);
    }

    private final String crm;
    private final CrmHttp http;
    private final CrmAuth auth;
    private final String how;
    private final Request request;

    /** {@code how}: what the vendor calls it, for the erasure's progress (e.g. "GDPR delete"). */
    public PersonDeletion(String crm, CrmHttp http, CrmAuth auth, String how, Request request) {
        this.crm = crm;
        this.http = http;
        this.auth = auth;
        this.how = how;
        this.request = request;
    }

    public String how() {
        return how;
    }

    /**
     * Deletes the record. A 404 counts as done: the record is gone, e.g. because an earlier erasure of the person was
     * interrupted after it. Any other refusal completes the future with the CRM's {@link CrmException}.
     */
    public CompletableFuture<Void> delete(Candidate record) {
        return http.send(crm, CrmMetrics.WRITE, auth, credentials -> request.of(record, credentials)).thenApply(answer -> {
            if (!answer.ok() && answer.status() != 404) {
                throw answer.failure("deleting a " + record.type);
            }
            return null;
        });
    }
}
