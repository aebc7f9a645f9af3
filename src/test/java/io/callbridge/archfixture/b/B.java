package io.callbridge.archfixture.b;

/** The other half. */
public class B {
    io.callbridge.archfixture.a.A a;
}
