/**
 * Classes that break the architecture rules on purpose, one violation each, so {@code ArchitectureTest}
 * can show every rule fails: a cycle between {@code a} and {@code b}, a delivery class that names a CRM's
 * class, an identify class that starts a sandbox. Never used by anything else.
 */
package io.callbridge.archfixture;
