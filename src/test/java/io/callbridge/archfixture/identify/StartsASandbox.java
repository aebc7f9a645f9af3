package io.callbridge.archfixture.identify;

import io.callbridge.archfixture.sandbox.Simulator;

/** Production code other than the dev services starting a sandbox. */
public class StartsASandbox {
    Simulator simulator = new Simulator();
}
