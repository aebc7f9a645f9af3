package io.callbridge.subjects;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.callbridge.crm.Candidate;
import io.callbridge.crm.CrmSettings;
import io.callbridge.crm.PersonDeletion;

/**
 * One CRM's part of an erasure. With {@code callbridge.crm.<crm>.erase-persons} on, every contact and lead the CRM
 * confirms to hold the number is deleted there, the way the CRM offers ({@link PersonDeletion}); off, the step records
 * that the CRM keeps them, so that the erasure's progress says where the person may still be.
 */
public final class CrmPersonErasure implements SubjectErasures.Step {

    private final String crm;
    private final PersonDeletion deletion;
    private final Function<String, CompletableFuture<List<Candidate>>> holders;
    private final Duration timeout;

    /**
     * @param deletion null when the erasure of persons is off for this CRM
     * @param holders  the CRM's records confirmed to hold a number
     * @param timeout  how long the search, and then each deletion, may take
     */
    public CrmPersonErasure(String crm, PersonDeletion deletion, Function<String, CompletableFuture<List<Candidate>>> holders,
            Duration timeout) {
        this.crm = crm;
        this.deletion = deletion;
        this.holders = holders;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return "crm-" + crm;
    }

    @Override
    public String erase(SubjectErasures.Subject subject) {
        if (deletion == null) {
            return "not requested (" + CrmSettings.ERASE_PERSONS.of(crm).key() + " is false): the person's records in " + crm
                    + " stay there";
        }
        if (subject.e164() == null) {
            // the record of an erasure never holds the number, so one resumed after a crash cannot search the CRM
            throw new SubjectErasures.StepFailed("interrupted before " + crm + " was asked, and the number is not kept: erase "
                    + "the person again to delete their records there");
        }
        List<Candidate> found = await(holders.apply(subject.e164()), "searching for the number");
        int deleted = 0;
        for (Candidate record : found) {
            try {
                await(deletion.delete(record), "deleting a " + record.type);
            } catch (SubjectErasures.StepFailed e) {
                throw new SubjectErasures.StepFailed(deleted + " of " + found.size() + " records deleted, then " + e.getMessage());
            }
            deleted++;
        }
        if (found.isEmpty()) {
            return "no record in " + crm + " holds the number";
        }
        return found.stream().collect(Collectors.groupingBy(Candidate::type, java.util.TreeMap::new, Collectors.counting()))
                .entrySet().stream().map(e -> e.getValue() + " " + e.getKey() + (e.getValue() == 1 ? "" : "s"))
                .collect(Collectors.joining(" and ")) + " deleted in " + crm + " (" + deletion.how() + ")";
    }

    private <T> T await(CompletableFuture<T> work, String what) {
        try {
            return work.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            // a CrmException's message names the status and the CRM's error code, never a value the CRM echoed
            Throwable cause = e.getCause() instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                    ? c.getCause() : e.getCause();
            throw new SubjectErasures.StepFailed(cause instanceof io.callbridge.crm.CrmException ? cause.getMessage()
                    : crm + " failed " + what + ": " + cause.getClass().getSimpleName());
        } catch (TimeoutException e) {
            work.cancel(true);
            throw new SubjectErasures.StepFailed(crm + " did not finish " + what + " within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SubjectErasures.StepFailed("interrupted while " + what + " in " + crm);
        }
    }
}
