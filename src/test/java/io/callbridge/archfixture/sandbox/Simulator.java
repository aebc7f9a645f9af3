package io.callbridge.archfixture.sandbox;

/** Stands for the CRM sandbox. */
public class Simulator {
}
