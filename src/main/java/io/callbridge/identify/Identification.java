package io.callbridge.identify;

import io.callbridge.crm.Candidate;

/**
 * The outcome of one lookup in one CRM: the record the policy chose (null when nobody matched) and
 * how many confirmed records held the number.
 */
public record Identification(Candidate winner, int matches) {

    public static final Identification NOBODY = new Identification(null, 0);

    public boolean found() {
        return winner != null;
    }
}
