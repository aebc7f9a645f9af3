package io.callbridge.archfixture.a;

/** Half of a package cycle. */
public class A {
    io.callbridge.archfixture.b.B b;
}
