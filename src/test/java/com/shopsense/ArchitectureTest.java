package com.shopsense;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package layering of docs/architecture.md ("Packages"), enforced on the production and tool classes: each
 * package uses only the ones below it, the domain never touches Kafka, Redis or HTTP, and nothing outside
 * {@code tools} uses a tool (the shaded job JAR leaves them out; ShadedJarContentsIT checks the JAR itself).
 */
class ArchitectureTest {
    private static final String[] DOMAIN = {"com.shopsense.feedback..", "com.shopsense.insight..",
            "com.shopsense.scoring..", "com.shopsense.session..", "com.shopsense.features..", "com.shopsense.event..",
            "com.shopsense.inference..", "com.shopsense.aggregate..", "com.shopsense.privacy..", "com.shopsense.state..",
            "com.shopsense.serial.."};

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("com.shopsense");
    }

    @Test
    void packagesFormNoCycles() {
        slices().matching("com.shopsense.(*)..").should().beFreeOfCycles().check(classes);
        slices().matching("com.shopsense.tools.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void eachPackageUsesOnlyThePackagesBelowIt() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("tools").definedBy("com.shopsense.tools..")
                .layer("job").definedBy("com.shopsense.job..")
                .layer("config").definedBy("com.shopsense.config..")
                .layer("ingest").definedBy("com.shopsense.ingest..")
                .layer("sink").definedBy("com.shopsense.sink..")
                .layer("feedback").definedBy("com.shopsense.feedback..")
                .layer("insight").definedBy("com.shopsense.insight..")
                .layer("scoring").definedBy("com.shopsense.scoring..")
                .layer("session").definedBy("com.shopsense.session..")
                .layer("features").definedBy("com.shopsense.features..")
                .layer("inference").definedBy("com.shopsense.inference..")
                .layer("aggregate").definedBy("com.shopsense.aggregate..")
                .layer("privacy").definedBy("com.shopsense.privacy..")
                .layer("state").definedBy("com.shopsense.state..")
                .layer("event").definedBy("com.shopsense.event..")
                .layer("serial").definedBy("com.shopsense.serial..")
                .whereLayer("tools").mayNotBeAccessedByAnyLayer()
                .whereLayer("job").mayOnlyBeAccessedByLayers("tools")
                .whereLayer("ingest").mayOnlyBeAccessedByLayers("job", "tools")
                .whereLayer("sink").mayOnlyBeAccessedByLayers("job", "tools")
                .whereLayer("config").mayOnlyBeAccessedByLayers("sink", "job", "tools")
                .whereLayer("feedback").mayOnlyBeAccessedByLayers("sink", "job", "tools")
                .whereLayer("insight").mayOnlyBeAccessedByLayers("sink", "job", "tools")
                .whereLayer("scoring").mayOnlyBeAccessedByLayers("feedback", "insight", "config", "sink", "job", "tools")
                .whereLayer("session").mayOnlyBeAccessedByLayers("scoring", "feedback", "insight", "config", "sink", "job",
                        "tools")
                .whereLayer("features").mayOnlyBeAccessedByLayers("session", "scoring", "feedback", "insight", "job",
                        "tools")
                .whereLayer("inference").mayOnlyBeAccessedByLayers("scoring", "config", "job", "tools")
                .whereLayer("aggregate").mayOnlyBeAccessedByLayers("feedback", "insight")
                .whereLayer("privacy").mayOnlyBeAccessedByLayers("scoring", "config", "sink", "job", "tools")
                .whereLayer("state").mayOnlyBeAccessedByLayers("session", "scoring", "feedback", "insight")
                .check(classes);
    }

    @Test
    void theSerializerBaseUsesNoOtherPackageOfTheJob() {
        // the bottom row: every package with state or records on the wire builds its serializers on it
        noClasses().that().resideInAPackage("com.shopsense.serial..").should().dependOnClassesThat()
                .resideOutsideOfPackages("com.shopsense.serial..", "java..", "org.apache.flink..")
                .check(classes);
    }

    @Test
    void theDomainNeverTouchesKafkaRedisOrHttp() {
        noClasses().that().resideInAnyPackage(DOMAIN).should().dependOnClassesThat()
                .resideInAnyPackage("org.apache.kafka..", "org.apache.flink.connector..", "redis.clients..",
                        "com.sun.net.httpserver..", "java.net.http..")
                .check(classes);
    }

    @Test
    void nothingOutsideTheToolsUsesATool() {
        noClasses().that().resideOutsideOfPackage("com.shopsense.tools..").should().dependOnClassesThat()
                .resideInAPackage("com.shopsense.tools..")
                .check(classes);
    }
}
