package io.callbridge.sandbox.salesforce;

import io.callbridge.sandbox.SandboxHttp;
import io.callbridge.sandbox.SandboxHttp.Resp;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Parallel upserts of one external id, as redelivered commands would send them, create exactly one record. */
class SalesforceConcurrencyTest extends SalesforceTestSupport {

    @Test
    void parallelUpsertsOfOneExternalIdCreateOneRecord() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Resp>> answers = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                answers.add(pool.submit(() -> SandboxHttp.json("PATCH", data("/sobjects/Task/Callbridge_Command_Id__c/evt-9:r:0"), token,
                        "{\"Subject\":\"Appel\",\"Status\":\"Completed\"}")));
            }
            int created = 0, updated = 0;
            for (Future<Resp> f : answers) {
                int s = f.get().status();
                if (s == 201) created++;
                else if (s == 200) updated++;
            }
            assertEquals(1, created);
            assertEquals(23, updated);
            assertEquals(1, query("SELECT COUNT() FROM Task").json().get("totalSize").asInt());
        } finally {
            pool.shutdownNow();
        }
    }
}
