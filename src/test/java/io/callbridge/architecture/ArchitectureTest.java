package io.callbridge.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The production classes keep the structure a CRM unit relies on; each rule, applied to the broken classes
 * of {@code io.callbridge.archfixture} (a cycle, a delivery class naming a CRM's class, an identify class
 * knowing the sandbox), fails with a message that names what broke it.
 */
class ArchitectureTest {

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.callbridge");
    private static final JavaClasses BROKEN = new ClassFileImporter().importPackages("io.callbridge.archfixture");

    private static final ArchitectureRules CALLBRIDGE = new ArchitectureRules("io.callbridge");
    private static final ArchitectureRules FIXTURE = new ArchitectureRules("io.callbridge.archfixture");

    @Test
    void noCyclesBetweenPackages() {
        CALLBRIDGE.noCycles().check(PRODUCTION);
        assertBroken(FIXTURE.noCycles(), "Cycle detected", "archfixture.a", "archfixture.b");
    }

    @Test
    void onlyTheDevServicesKnowTheSandbox() {
        CALLBRIDGE.onlyTheDevServicesKnowTheSandbox().check(PRODUCTION);
        assertBroken(FIXTURE.onlyTheDevServicesKnowTheSandbox(), "identify.StartsASandbox");
    }

    @Test
    void onlyACrmsOwnPackagesUseItsClasses() {
        CALLBRIDGE.onlyACrmsOwnPackagesUseItsClasses().check(PRODUCTION);
        assertBroken(FIXTURE.onlyACrmsOwnPackagesUseItsClasses(), "delivery.NamesAlpha", "alpha is used outside its own packages");
    }

    private static void assertBroken(ArchRule rule, String... mentions) {
        assertThatThrownBy(() -> rule.check(BROKEN)).isInstanceOf(AssertionError.class).hasMessageContainingAll(mentions);
    }
}
