package io.callbridge.crm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.callbridge.phone.PhoneFormats;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a CRM's search of several numbers falls back to when one page cannot hold every match. */
class CallerSearchTest {

    @Test
    void oneByOneAsksEachNumberAfterThePreviousAnsweredAndKeepsEveryCandidate() throws Exception {
        List<String> asked = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<List<Candidate>>> answers = Collections.synchronizedList(new ArrayList<>());
        CallerSearch search = new CallerSearch() {
            @Override
            public String crm() {
                return "test";
            }

            @Override
            public CompletableFuture<List<Candidate>> candidates(String e164, PhoneFormats formats) {
                asked.add(e164);
                CompletableFuture<List<Candidate>> answer = new CompletableFuture<>();
                answers.add(answer);
                return answer;
            }
        };
        CompletableFuture<List<Candidate>> all = search.candidatesOneByOne(List.of("+41790000001", "+41790000002", "+41790000003"),
                new PhoneFormats("CH"));
        assertThat(asked).as("the window does not pace these: one request at a time").containsExactly("+41790000001");
        answers.get(0).complete(List.of(new Candidate("test", Candidate.CONTACT, "a"), new Candidate("test", Candidate.CONTACT, "b")));
        assertThat(asked).containsExactly("+41790000001", "+41790000002");
        answers.get(1).complete(List.of());
        answers.get(2).complete(List.of(new Candidate("test", Candidate.LEAD, "c")));
        assertThat(all.get()).extracting(c -> c.id).containsExactly("a", "b", "c");
    }
}
