package io.callbridge.crm.zoho;

import java.util.List;
import java.util.Map;

import io.callbridge.support.CrmFixture;
import io.callbridge.support.RefreshTokenDeliveryContract;

/**
 * Zoho's self client on the same refresh as HubSpot's and Pipedrive's OAuth apps: refused as Zoho refuses it (HTTP 200,
 * {@code invalid_code}, read as 401). Callbridge's own refresh limit is lifted: refused refreshes count against it.
 */
class ZohoRefreshTokenIT extends RefreshTokenDeliveryContract {

    @Override
    protected CrmFixture fixture() {
        return new ZohoFixture();
    }

    @Override
    protected Map<String, String> sandboxApp(long lifetimeSeconds) {
        return Map.of("token-lifetime-seconds", Long.toString(lifetimeSeconds), "refresh-limit", "100");
    }

    @Override
    protected Map<String, String> appSettings(String baseUrl) {
        return Map.of("callbridge.crm.zoho.refresh-limit", "100");
    }

    @Override
    protected String tokenPath() {
        return "/oauth/v2/token";
    }

    @Override
    protected String refusal() {
        return "token refresh answered 401 invalid_code";
    }

    @Override
    protected List<String> secrets() {
        return List.of(ZohoFixture.CLIENT_SECRET, ZohoFixture.REFRESH_TOKEN);
    }

    @Override
    protected String numberPrefix() {
        return "+417973";
    }
}
