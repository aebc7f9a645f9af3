package io.callbridge.sandbox.salesforce;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class SalesforceIdsTest {

    @Test
    void eighteenCharChecksumAsSalesforceComputesIt() {
        // the example of Salesforce's documentation: 001A0000006Vm9r is 001A0000006Vm9rIAC
        assertEquals("001A0000006Vm9rIAC", SalesforceIds.normalize("001A0000006Vm9r"));
        assertEquals("001A0000006Vm9rIAC", SalesforceIds.normalize("001A0000006Vm9rIAC"));
        assertEquals("001A0000006Vm9rIAC", SalesforceIds.normalize("001A0000006Vm9riac"));
        assertNull(SalesforceIds.normalize("001A0000006Vm9rAAA"));
        assertNull(SalesforceIds.normalize("001A0000006Vm9"));
        assertNull(SalesforceIds.normalize("001A0000006Vm9-"));
        String id = SalesforceIds.make("003", 62L * 62 * 62 + 5);
        assertEquals(18, id.length());
        assertEquals("0035g0000001005", id.substring(0, 15)); // prefix, instance 5g, reserved 0, base-62 counter "1005"
        assertEquals(id, SalesforceIds.normalize(id.substring(0, 15)));
    }
}
