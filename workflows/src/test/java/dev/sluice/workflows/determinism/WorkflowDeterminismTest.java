package dev.sluice.workflows.determinism;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The determinism check of workflow code (what {@code temporal-workflowcheck} does, which is not
 * published to Maven Central): workflow implementations may not reach for the clock, randomness,
 * threads, blocking sleeps, the console, or I/O. Temporal's {@code Workflow} API offers a
 * deterministic replacement for each.
 */
class WorkflowDeterminismTest {
  private static JavaClasses workflowCode;

  @BeforeAll
  static void importWorkflowCode() {
    workflowCode =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.sluice.workflows");
  }

  @Test
  void workflowCodeNeverReadsTheClockOrRandomness() {
    ArchRule rule =
        noClasses()
            .should()
            .callMethod(System.class, "currentTimeMillis")
            .orShould()
            .callMethod(System.class, "nanoTime")
            .orShould()
            .callMethod(java.time.Instant.class, "now")
            .orShould()
            .callMethod(java.time.LocalDateTime.class, "now")
            .orShould()
            .callMethod(java.time.LocalDate.class, "now")
            .orShould()
            .callMethod(java.time.OffsetDateTime.class, "now")
            .orShould()
            .callMethod(java.time.ZonedDateTime.class, "now")
            .orShould()
            .callMethod(java.util.UUID.class, "randomUUID")
            .orShould()
            .callMethod(Math.class, "random")
            .orShould()
            .callConstructor(java.util.Random.class)
            .orShould()
            .dependOnClassesThat()
            .haveFullyQualifiedName("java.util.concurrent.ThreadLocalRandom")
            .because(
                "replay must make the same decisions: use Workflow.currentTimeMillis / newRandom /"
                    + " randomUUID");
    rule.check(workflowCode);
  }

  @Test
  void workflowCodeNeverBlocksOrStartsThreads() {
    ArchRule rule =
        noClasses()
            .should()
            .callMethod(Thread.class, "sleep", long.class)
            .orShould()
            .callConstructor(Thread.class, Runnable.class)
            .orShould()
            .dependOnClassesThat()
            .haveFullyQualifiedName("java.util.concurrent.Executors")
            .orShould()
            .dependOnClassesThat()
            .haveFullyQualifiedName("java.util.concurrent.CompletableFuture")
            .because(
                "waiting is a durable timer (Workflow.sleep / Workflow.await), concurrency is"
                    + " Async.function");
    rule.check(workflowCode);
  }

  @Test
  void workflowCodeNeverDoesIoOrPrints() {
    ArchRule rule =
        noClasses()
            .should()
            .accessField(System.class, "out")
            .orShould()
            .accessField(System.class, "err")
            .orShould()
            .dependOnClassesThat()
            .resideInAnyPackage("java.io..", "java.nio.file..", "java.net..")
            .because("I/O belongs in activities; logging goes through Workflow.getLogger");
    rule.check(workflowCode);
  }
}
