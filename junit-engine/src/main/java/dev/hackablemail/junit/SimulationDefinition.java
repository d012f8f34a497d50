package dev.hackablemail.junit;

import dev.hackablemail.runner.guest.GuestLimits;
import dev.hackablemail.runner.guest.ModuleFiles;
import dev.hackablemail.runner.guest.WasiSources;
import dev.hackablemail.runner.sim.SimulationSetupException;
import dev.hackablemail.runner.sim.SimulationSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * One simulation as a file describes it, paths resolved: what {@code *.simulation.yaml}
 * and each {@code [[test]]} of an {@code xtp.toml} come down to.
 *
 * @param name the display name
 * @param plugin the plugin under test; null when the file names none (then the
 *     {@value Constants#PLUGIN_PROPERTY_NAME} parameter must)
 * @param testModule the test module ({@code with})
 * @param mockHost the mock host, or null
 * @param mockInput what {@code mock_input} returns, or null
 * @param mockInputFile the file {@code mock_input} returns, read when the simulation runs, or
 *     null
 * @param limits the limits the file sets
 * @param config the plugin's config
 * @param build a command to run first, or null
 * @param seed the seed of the WASI clock and random bytes, or null for the configuration's
 * @param fuzz the {@code fuzz:} section, or null; without {@code with} it is all the file runs
 * @param withLine the line of the {@code with:} entry in the file (from 1), or 0 when unknown
 */
record SimulationDefinition(
        String name,
        Path plugin,
        Path testModule,
        Path mockHost,
        byte[] mockInput,
        Path mockInputFile,
        Limits limits,
        Map<String, String> config,
        Build build,
        Long seed,
        FuzzDefinition fuzz,
        int withLine) {

    /** A build step run before the simulation, its output going to the stream. */
    @FunctionalInterface
    interface Build {
        void run(OutputStream log);
    }

    /**
     * The runner's spec: this definition under {@code configuration}, its modules read
     * through the execution's {@code modules}.
     *
     * @throws SimulationSetupException when there is no plugin or the mock-input file cannot
     *     be read
     */
    SimulationSpec toSpec(EngineConfiguration configuration, ModuleFiles modules) {
        Path pluginPath = configuration.plugin().orElse(plugin);
        if (pluginPath == null) {
            throw new SimulationSetupException(name + ": no plugin: the file names none and the configuration"
                    + " parameter " + Constants.PLUGIN_PROPERTY_NAME + " is not set");
        }
        Limits effective = configuration.limits().overriddenBy(limits);
        SimulationSpec.Builder spec = SimulationSpec.builder(pluginPath, testModule)
                .withName(name)
                .withModules(modules)
                .withMockHost(mockHost)
                .withMockInput(mockInputFile != null ? read(mockInputFile) : mockInput)
                .withConfig(config)
                .withLimits(effective.applyTo(GuestLimits.DEFAULTS))
                .withRunTimeout(effective.runTimeoutOr(SimulationSpec.DEFAULT_RUN_TIMEOUT))
                .withExecution(configuration.execution());
        Optional<Long> effectiveSeed = seed != null ? Optional.of(seed) : configuration.seed();
        effectiveSeed.ifPresent(value -> spec.withWasi(WasiSources.seeded(value)));
        if (configuration.logLevel() != null) {
            spec.withLog(configuration.log(), configuration.logLevel());
        }
        return spec.build();
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new SimulationSetupException(file + ": no such file (the mock_input file)");
        } catch (IOException e) {
            throw new SimulationSetupException(file + ": cannot be read (the mock_input file): " + e.getMessage());
        }
    }
}
