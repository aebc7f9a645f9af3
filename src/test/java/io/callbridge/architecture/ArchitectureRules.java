package io.callbridge.architecture;

import java.util.Optional;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.callbridge.crm.Crm;
import io.callbridge.sandbox.SandboxCrmProvider;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The structure a CRM unit relies on, as rules over a root package: the production classes under
 * {@code io.callbridge}, or the deliberately broken classes of {@code io.callbridge.archfixture} that show
 * each rule fails.
 */
final class ArchitectureRules {

    private final String root;

    ArchitectureRules(String root) {
        this.root = root;
    }

    /** No package depends, directly or not, on a package that depends on it. */
    ArchRule noCycles() {
        return slices().matching(root + ".(**)").should().beFreeOfCycles();
    }

    /** The CRM simulators are known only to the dev services that start them. */
    ArchRule onlyTheDevServicesKnowTheSandbox() {
        return noClasses().that().resideOutsideOfPackage(root + ".sandbox..")
                .and().doNotHaveFullyQualifiedName(root + ".dev.DevServices")
                .should().dependOnClassesThat().resideInAPackage(root + ".sandbox..")
                .because("production code never writes to an in-memory CRM by accident; only the dev services start one");
    }

    /**
     * A CRM's classes ({@code crm.<name>}, {@code sandbox.<name>}: the packages of a {@link Crm} or a
     * {@link SandboxCrmProvider}) are used by that CRM's packages only; everything else knows CRMs through
     * the contract and the catalog.
     */
    ArchRule onlyACrmsOwnPackagesUseItsClasses() {
        return classes().that().resideInAPackage(root + "..").should(new ArchCondition<>("use no other CRM's classes") {
            private java.util.Set<String> crmPackages;

            @Override
            public void init(java.util.Collection<JavaClass> all) {
                crmPackages = new java.util.HashSet<>();
                for (JavaClass c : all) {
                    if (!c.isInterface() && !c.getModifiers().contains(com.tngtech.archunit.core.domain.JavaModifier.ABSTRACT)
                            && (c.isAssignableTo(Crm.class) || c.isAssignableTo(SandboxCrmProvider.class))
                            && c.getPackageName().startsWith(root + ".")) {
                        crmPackages.add(c.getPackageName());
                    }
                }
            }

            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                for (Dependency d : origin.getDirectDependenciesFromSelf()) {
                    Optional<String> crm = crmOf(d.getTargetClass().getPackageName());
                    if (crm.isPresent() && !crm.equals(crmOf(origin.getPackageName()))) {
                        events.add(SimpleConditionEvent.violated(d, d.getDescription() + ": " + crm.get()
                                + " is used outside its own packages"));
                    }
                }
            }

            /** The CRM a package belongs to: the last segment of a crm.<name> or sandbox.<name> package. */
            private Optional<String> crmOf(String pkg) {
                for (String p : crmPackages) {
                    if (pkg.equals(p) || pkg.startsWith(p + ".")) {
                        return Optional.of(p.substring(p.lastIndexOf('.') + 1));
                    }
                }
                return Optional.empty();
            }
        });
    }
}
