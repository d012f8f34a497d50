package dev.hackablemail.junit;

import static dev.hackablemail.junit.TestFiles.simulationEngine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.hackablemail.junit.fixtures.EmailSimulations;
import dev.hackablemail.runner.guest.CompiledCodeCache;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine keeps compiled Wasm where xtp-sim does, so a second build compiles nothing. */
class CompiledCodeCacheUseTest {

    @TempDir
    Path dir;

    @AfterEach
    void stopUsingIt() {
        CompiledCodeCache.useDirectory(null);
    }

    @Test
    void simulationsUseTheUsersCompiledCodeFolder() {
        CompiledCodeCache.useDirectory(null);
        simulationEngine().selectors(selectClass(EmailSimulations.class)).execute();
        assertThat(CompiledCodeCache.directory()).contains(CompiledCodeCache.userDirectory(System.getenv()));
    }

    @Test
    void aFolderTheHostChoseStays() {
        CompiledCodeCache.useDirectory(dir);
        simulationEngine().selectors(selectClass(EmailSimulations.class)).execute();
        assertThat(CompiledCodeCache.directory()).contains(dir);
    }
}
