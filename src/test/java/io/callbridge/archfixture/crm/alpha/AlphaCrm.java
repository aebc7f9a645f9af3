package io.callbridge.archfixture.crm.alpha;

import java.util.List;

import io.callbridge.config.Setting;
import io.callbridge.crm.Crm;
import io.callbridge.crm.CrmConnection;
import io.callbridge.crm.CrmContext;

/** A CRM of the fixture: its package is a CRM's own. */
public class AlphaCrm implements Crm {

    @Override
    public String name() {
        return "alpha";
    }

    @Override
    public Setting location() {
        return Setting.of("callbridge.crm.alpha.base-url", null, "");
    }

    @Override
    public List<Setting> settings() {
        return List.of();
    }

    @Override
    public CrmConnection connect(CrmContext context) {
        throw new UnsupportedOperationException();
    }
}
