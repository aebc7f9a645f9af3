package io.callbridge.archfixture.delivery;

import io.callbridge.archfixture.crm.alpha.AlphaCrm;

/** The mechanism naming a CRM's class. */
public class NamesAlpha {
    AlphaCrm alpha = new AlphaCrm();
}
