package io.callbridge.crm.pipedrive;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callbridge.crm.CallerSearch;
import io.callbridge.crm.Candidate;
import io.callbridge.crm.CrmAuth;
import io.callbridge.crm.CrmHttp;
import io.callbridge.crm.OwnerNames;
import io.callbridge.crm.Times;
import io.callbridge.phone.PhoneFormats;

/**
 * Pipedrive: one person search per lookup, by the number's national significant digits in the
 * phone field (Pipedrive compares digits, ignoring formatting; a partial match catches every prefix
 * form: {@code +41…}, {@code 0041…}, {@code 0…}, {@code +41 (0)…}), confirmed by normalisation. The
 * term travels URL-encoded as a query parameter, so it can never become part of the path or
 * another parameter. Search results carry no modification time: only when several persons match
 * are they read again ({@code ids=}) for the policy; a connector asking for the full record also
 * gets it that way. Pipedrive persons are all contacts (its leads live in the Leads Inbox).
 */
final class PipedriveCallerSearch implements CallerSearch {

    private static final int LIMIT = 50;

    private final CrmHttp http;
    private final String baseUrl;
    private final CrmAuth auth;
    private final OwnerNames owners;

    PipedriveCallerSearch(CrmHttp http, String baseUrl, CrmAuth auth) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.auth = auth;
        this.owners = new OwnerNames(crm(), this::loadUsers, 600_000);
    }

    @Override
    public String crm() {
        return PipedriveCrm.NAME;
    }

    @Override
    public void prepare() {
        owners.refreshIfOld();
    }

    @Override
    public CompletableFuture<List<Candidate>> candidates(String e164, PhoneFormats formats) {
        String term = formats.nationalSignificantNumber(e164);
        return get("/api/v2/persons/search?term=" + enc(term) + "&fields=phone&limit=" + LIMIT).thenApply(a -> {
            if (!a.ok()) {
                throw a.failure("person search");
            }
            List<Candidate> out = new ArrayList<>();
            for (JsonNode hit : a.body().path("data").path("items")) {
                JsonNode p = hit.path("item");
                Candidate c = new Candidate(crm(), Candidate.CONTACT, p.path("id").asText());
                p.path("phones").forEach(ph -> c.phone(ph.isObject() ? ph.path("value").asText(null) : ph.asText(null)));
                c.displayName = text(p, "name");
                JsonNode email = p.path("emails").path(0);
                c.email = Candidate.text(email.isObject() ? email.path("value").asText(null) : email.asText(null));
                c.company = text(p.path("organization"), "name");
                c.ownerId = text(p.path("owner"), "id");
                c.ownerName = owners.name(c.ownerId);
                c.record = ((ObjectNode) p).deepCopy();
                c.recordComplete = false;
                out.add(c);
            }
            return out;
        });
    }

    @Override
    public CompletableFuture<List<Candidate>> complete(List<Candidate> confirmed, boolean full) {
        if (confirmed.isEmpty() || (confirmed.size() == 1 && !full)) {
            return CompletableFuture.completedFuture(confirmed);
        }
        String ids = confirmed.stream().map(Candidate::id).collect(Collectors.joining(","));
        return get("/api/v2/persons?ids=" + enc(ids) + "&limit=" + LIMIT).thenApply(a -> {
            if (!a.ok()) {
                throw a.failure("persons");
            }
            Map<String, JsonNode> byId = new HashMap<>();
            a.body().path("data").forEach(p -> byId.put(p.path("id").asText(), p));
            for (Candidate c : confirmed) {
                JsonNode p = byId.get(c.id);
                if (p != null) {
                    c.record = ((ObjectNode) p).deepCopy();
                    c.recordComplete = true;
                    c.firstName = text(p, "first_name");
                    c.lastName = text(p, "last_name");
                    c.lastModified = Times.parse(text(p, "update_time"));
                }
            }
            return confirmed;
        });
    }

    private CompletableFuture<CrmHttp.Answer> get(String pathAndQuery) {
        return http.send(crm(), auth, credentials -> http.request(baseUrl + pathAndQuery).GET());
    }

    private CompletableFuture<Map<String, String>> loadUsers() {
        return get("/v1/users").thenApply(a -> {
            if (!a.ok()) {
                throw a.failure("users");
            }
            Map<String, String> names = new HashMap<>();
            a.body().path("data").forEach(u -> {
                if (Candidate.text(u.path("name").asText(null)) != null) {
                    names.put(u.path("id").asText(), u.path("name").asText().trim());
                }
            });
            return names;
        });
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String text(JsonNode p, String name) {
        JsonNode v = p.get(name);
        return v == null || v.isNull() || !v.isValueNode() ? null : Candidate.text(v.asText());
    }
}
