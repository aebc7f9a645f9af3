package io.callbridge.crm.toy;

import java.util.List;

import io.callbridge.config.Setting;
import io.callbridge.crm.Crm;
import io.callbridge.crm.CrmConnection;
import io.callbridge.crm.CrmContext;
import io.callbridge.crm.CrmSettings;
import io.callbridge.crm.RouteConnector;

/**
 * A CRM that exists only in the tests, added the way any CRM is: this class (the contract), its line in
 * the catalog ({@code META-INF/services/io.callbridge.crm.Crm} of the test resources), its route file
 * ({@code crm/toy/crm-toy.yaml}) and its mappings folder ({@code crm/toy/mappings/toy}). Its API takes
 * {@code POST /records} with a bearer token and answers the record's id.
 */
public final class ToyCrm implements Crm {

    static final Setting TOKEN = Setting.of("callbridge.crm.toy.token", null, "the toy CRM's bearer token");

    @Override
    public String name() {
        return "toy";
    }

    @Override
    public Setting location() {
        return CrmSettings.BASE_URL.of(name());
    }

    @Override
    public List<Setting> settings() {
        return List.of(TOKEN);
    }

    @Override
    public String routes() {
        return "classpath:crm/toy/crm-toy.yaml";
    }

    @Override
    public CrmConnection connect(CrmContext context) {
        String token = context.settings().require(TOKEN, "the toy CRM refuses requests without it");
        String baseUrl = context.settings().require(location(), "the toy connector needs the CRM's address");
        return CrmConnection.of(null, (callers, routeBeans) -> {
            routeBeans.accept("toyConnector", new ToyConnector(context.mappings(), baseUrl, token));
            return new RouteConnector(name(), context);
        });
    }
}
