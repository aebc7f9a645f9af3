package io.callbridge.crm;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What differs per CRM in a caller directory ({@code identify.CallerDirectory}): every record its
 * {@link CallerSearch} could find, read page by page, and some of them read again by id after the CRM told of
 * their change. Records travel as the CRM answered them, so the directory keeps them compact and turns
 * one into a {@link Candidate} only when a lookup needs it. Failures complete the future with a
 * {@link CrmException}.
 */
public interface CallerListing {

    /** One page of records, and the cursor of the next (null on the last). */
    record Page(List<JsonNode> records, String next) {
    }

    /** The page after {@code cursor} (null: the first). */
    CompletableFuture<Page> page(String cursor);

    /** The records with these ids (at most {@link #readsPerRequest()}) as they are now; an id not answered is gone. */
    CompletableFuture<List<JsonNode>> read(List<String> ids);

    /** The most ids one {@link #read} request takes. */
    int readsPerRequest();

    /**
     * The record's id, the one the CRM's change notifications carry: its {@code id} field, unless the CRM's answer keeps it
     * elsewhere.
     */
    default String id(JsonNode record) {
        return record.path("id").asText();
    }

    /** The record as a search would have answered it (unconfirmed). */
    Candidate candidate(JsonNode record);
}
