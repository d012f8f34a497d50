package dev.hackablemail.junit;

import static dev.hackablemail.junit.TestFiles.EMAIL_YAML;
import static dev.hackablemail.junit.TestFiles.simulationEngine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathResource;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectDirectory;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectFile;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;
import static org.junit.platform.engine.discovery.PackageNameFilter.includePackageNames;

import dev.hackablemail.junit.fixtures.EmailSimulations;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.DiscoveryIssue;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.ClasspathResourceSource;
import org.junit.platform.engine.support.descriptor.FileSource;
import org.junit.platform.testkit.engine.EngineDiscoveryResults;

/** Discovery from every kind of selector, and the unique ids it makes. */
class DiscoveryTest {

    static final UniqueId ENGINE = UniqueId.forEngine(Constants.ENGINE_ID);
    static final UniqueId EMAIL_ANCHOR = ENGINE.append("class", EmailSimulations.class.getName());
    static final UniqueId EMAIL_UNDER_ANCHOR = EMAIL_ANCHOR.append("simulation", EMAIL_YAML);
    static final String CLASSPATH_EMAIL = "dev/hackablemail/junit/fixtures/classpath-email.simulation.yaml";

    @TempDir
    Path dir;

    private static EngineDiscoveryResults discover(DiscoverySelector... selectors) {
        return simulationEngine().selectors(selectors).discover();
    }

    private static Set<String> ids(TestDescriptor engine) {
        return engine.getDescendants().stream().map(d -> d.getUniqueId().toString()).collect(Collectors.toSet());
    }

    private static TestDescriptor only(TestDescriptor parent) {
        assertThat(parent.getChildren()).hasSize(1);
        return parent.getChildren().iterator().next();
    }

    @Test
    void anAnnotatedClassIsAContainerWithAClassSourceHoldingItsSimulations() {
        EngineDiscoveryResults results = discover(selectClass(EmailSimulations.class));

        assertThat(results.getDiscoveryIssues()).isEmpty();
        TestDescriptor anchor = only(results.getEngineDescriptor());
        assertThat(anchor.getUniqueId()).isEqualTo(EMAIL_ANCHOR);
        assertThat(anchor.getSource()).contains(ClassSource.from(EmailSimulations.class));
        assertThat(anchor.isContainer()).isTrue();
        TestDescriptor simulation = only(anchor);
        assertThat(simulation.getUniqueId()).isEqualTo(EMAIL_UNDER_ANCHOR);
        assertThat(simulation.getDisplayName()).isEqualTo("email");
        assertThat(simulation.getSource()).contains(FileSource.from(Path.of(EMAIL_YAML).toAbsolutePath().toFile()));
        // what Surefire needs to keep the class: tests may appear under it at run time
        assertThat(simulation.mayRegisterTests()).isTrue();
        assertThat(TestDescriptor.containsTests(anchor)).isTrue();
    }

    @Test
    void aClassWithoutTheAnnotationIsNotResolved() {
        EngineDiscoveryResults results = discover(selectClass(DiscoveryTest.class));

        assertThat(results.getEngineDescriptor().getChildren()).isEmpty();
        assertThat(results.getDiscoveryIssues()).isEmpty();
    }

    @Test
    void aClasspathRootYieldsAnnotatedClassesAndSimulationResources() {
        EngineDiscoveryResults results = simulationEngine()
                .selectors(selectClasspathRoots(Set.of(Path.of("target/test-classes"))))
                .filters(includePackageNames("dev.hackablemail.junit.fixtures"))
                .discover();

        assertThat(results.getDiscoveryIssues()).isEmpty();
        assertThat(ids(results.getEngineDescriptor())).containsExactlyInAnyOrder(
                EMAIL_ANCHOR.toString(),
                EMAIL_UNDER_ANCHOR.toString(),
                ENGINE.append("simulation", "classpath:" + CLASSPATH_EMAIL).toString());
    }

    @Test
    void aPackageYieldsAnnotatedClassesAndSimulationResources() {
        EngineDiscoveryResults results = discover(selectPackage("dev.hackablemail.junit.fixtures"));

        assertThat(ids(results.getEngineDescriptor())).containsExactlyInAnyOrder(
                EMAIL_ANCHOR.toString(),
                EMAIL_UNDER_ANCHOR.toString(),
                ENGINE.append("simulation", "classpath:" + CLASSPATH_EMAIL).toString());
    }

    @Test
    void aClasspathResourceIsASimulationWithAClasspathResourceSource() {
        EngineDiscoveryResults results = discover(selectClasspathResource(CLASSPATH_EMAIL));

        TestDescriptor simulation = only(results.getEngineDescriptor());
        assertThat(simulation.getUniqueId()).isEqualTo(ENGINE.append("simulation", "classpath:" + CLASSPATH_EMAIL));
        assertThat(simulation.getDisplayName()).isEqualTo("email on the classpath");
        assertThat(simulation.getSource()).contains(ClasspathResourceSource.from(CLASSPATH_EMAIL));
    }

    @Test
    void aFileUnderTheWorkingDirectoryIsNamedRelativeToIt() {
        EngineDiscoveryResults results = discover(selectFile(EMAIL_YAML));

        TestDescriptor simulation = only(results.getEngineDescriptor());
        assertThat(simulation.getUniqueId()).isEqualTo(ENGINE.append("simulation", EMAIL_YAML));
    }

    @Test
    void aFileElsewhereIsNamedByItsAbsolutePathAndTheFileNameIsTheDefaultName() throws IOException {
        Path file = TestFiles.write(dir, "checkout.simulation.yaml", "plugin: p.wasm\nwith: t.wasm\n");

        TestDescriptor simulation = only(discover(selectFile(file.toFile())).getEngineDescriptor());

        assertThat(simulation.getUniqueId()).isEqualTo(ENGINE.append("simulation", file.toString()));
        assertThat(simulation.getDisplayName()).isEqualTo("checkout");
    }

    @Test
    void otherFilesAreNotResolved() throws IOException {
        Path file = TestFiles.write(dir, "notes.yaml", "plugin: p.wasm\nwith: t.wasm\n");

        assertThat(discover(selectFile(file.toFile())).getEngineDescriptor().getChildren())
                .isEmpty();
    }

    @Test
    void aDirectoryYieldsItsSimulationFilesSkippingHiddenAndTargetFolders() throws IOException {
        String yaml = "plugin: p.wasm\nwith: t.wasm\n";
        TestFiles.write(dir, "a.simulation.yaml", yaml);
        TestFiles.write(dir, "nested/b.simulation.yaml", yaml);
        TestFiles.write(dir, ".hidden/c.simulation.yaml", yaml);
        TestFiles.write(dir, "target/d.simulation.yaml", yaml);
        TestFiles.write(dir, "e.yaml", yaml);

        EngineDiscoveryResults results = discover(selectDirectory(dir.toFile()));

        assertThat(ids(results.getEngineDescriptor())).containsExactlyInAnyOrder(
                ENGINE.append("simulation", dir.resolve("a.simulation.yaml").toString()).toString(),
                ENGINE.append("simulation", dir.resolve("nested/b.simulation.yaml").toString()).toString());
    }

    @Test
    void anXtpTomlIsAContainerOfItsTests() throws IOException {
        Path toml = TestFiles.write(dir, "xtp.toml", """
                bin = "plugin.wasm"

                [[test]]
                name = "first"
                with = "first.wasm"

                [[test]]
                name = "second"
                with = "second.wasm"
                mock_input = { data = "hello" }
                """);

        TestDescriptor project = only(discover(selectFile(toml.toFile())).getEngineDescriptor());

        UniqueId projectId = ENGINE.append("xtp-toml", toml.toString());
        assertThat(project.getUniqueId()).isEqualTo(projectId);
        assertThat(project.getChildren()).extracting(TestDescriptor::getUniqueId, TestDescriptor::getDisplayName)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(projectId.append("test", "first"), "first"),
                        org.assertj.core.groups.Tuple.tuple(projectId.append("test", "second"), "second"));
    }

    @Test
    void aUniqueIdOfAnAssertResolvesItsParentsAndTheAssertOnly() {
        UniqueId assertId = EMAIL_UNDER_ANCHOR.append("group", "Test with Deliver and Reply both succeeding#1")
                .append("assert", "onEmail returns 0#1");

        EngineDiscoveryResults results = discover(selectUniqueId(assertId));

        TestDescriptor anchor = only(results.getEngineDescriptor());
        TestDescriptor simulation = only(anchor);
        TestDescriptor group = only(simulation);
        TestDescriptor test = only(group);
        assertThat(test.getUniqueId()).isEqualTo(assertId);
        assertThat(test.isTest()).isTrue();
        assertThat(test.getDisplayName()).isEqualTo("Test with Deliver and Reply both succeeding - onEmail returns 0");
        assertThat(group.getDisplayName()).isEqualTo("Test with Deliver and Reply both succeeding");
        assertThat(anchor.getSource()).contains(ClassSource.from(EmailSimulations.class));
    }

    @Test
    void aUniqueIdOfASimulationResolvesWithoutItsAnchorClass() {
        UniqueId id = ENGINE.append("simulation", EMAIL_YAML);

        TestDescriptor simulation = only(discover(selectUniqueId(id)).getEngineDescriptor());

        assertThat(simulation.getUniqueId()).isEqualTo(id);
        assertThat(simulation.getChildren()).isEmpty();
    }

    @Test
    void uniqueIdsOfOtherEnginesOrUnknownSegmentsAreNotResolved() {
        EngineDiscoveryResults results = discover(
                selectUniqueId(UniqueId.forEngine("junit-jupiter").append("class", EmailSimulations.class.getName())),
                selectUniqueId(EMAIL_UNDER_ANCHOR.append("group", "no occurrence number")),
                selectUniqueId(ENGINE.append("simulation", "no/such/file.simulation.yaml")));

        assertThat(results.getEngineDescriptor().getDescendants()).isEmpty();
        // the launcher adds an issue per unresolved unique id; the engine says why the file is missing
        assertThat(results.getDiscoveryIssues()).extracting(DiscoveryIssue::message)
                .contains(TestFiles.REPO.resolve("junit-engine/no/such/file.simulation.yaml") + ": no such file");
    }

    @Test
    void anAnchorNamingAFolderHoldsEverySimulationInIt() throws IOException {
        TestDescriptor anchor = only(discover(selectClass(FolderAnchor.class))
                .getEngineDescriptor());

        List<String> names = anchor.getChildren().stream().map(TestDescriptor::getDisplayName).toList();
        assertThat(names).containsExactly("email");
    }

    @Simulations("src/test/simulations")
    static class FolderAnchor {}
}
