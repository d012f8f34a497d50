package dev.hackablemail.runner.sim;

import dev.hackablemail.runner.guest.Execution;
import dev.hackablemail.runner.guest.GuestLimits;
import dev.hackablemail.runner.guest.GuestLog;
import dev.hackablemail.runner.guest.GuestModule;
import dev.hackablemail.runner.guest.ModuleFiles;
import dev.hackablemail.runner.guest.WasiSources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What to simulate: a plugin, the test module that drives it, an optional mock host for
 * the plugin's host imports, optional mock input, and the limits to run under. The plugin
 * is a file, or a module already loaded, named as messages call it (a server checking an
 * upload has its bytes and must not show where it keeps them). Files are read through the
 * run's {@link ModuleFiles}, so that the simulations of one run read each file once.
 */
public final class SimulationSpec {

    /** Default wall-time limit of a whole test module run. */
    public static final Duration DEFAULT_RUN_TIMEOUT = Duration.ofMinutes(5);

    private final String name;
    private final Path plugin;
    private final GuestModule pluginModule;
    private final String pluginName;
    private final ModuleFiles modules;
    private final Path testModule;
    private final Path mockHost;
    private final byte[] mockInput;
    private final Map<String, String> config;
    private final List<String> allowedHosts;
    private final GuestLimits limits;
    private final Duration runTimeout;
    private final Execution execution;
    private final GuestLog log;
    private final GuestLog.Level logLevel;
    private final Integer warmUpRuns;
    private final WasiSources wasi;

    private SimulationSpec(Builder b) {
        this.name = b.name != null ? b.name : b.testModule.getFileName().toString();
        this.plugin = b.plugin;
        this.pluginModule = b.pluginModule;
        this.pluginName = b.pluginName;
        this.modules = b.modules;
        this.testModule = b.testModule;
        this.mockHost = b.mockHost;
        this.mockInput = b.mockInput == null ? null : b.mockInput.clone();
        this.config = Map.copyOf(b.config);
        this.allowedHosts = List.copyOf(b.allowedHosts);
        this.limits = b.limits;
        this.runTimeout = b.runTimeout;
        this.execution = b.execution;
        this.log = b.log;
        this.logLevel = b.logLevel;
        this.warmUpRuns = b.warmUpRuns;
        this.wasi = b.wasi;
    }

    /** A simulation of the plugin in this file. */
    public static Builder builder(Path plugin, Path testModule) {
        return new Builder(Objects.requireNonNull(plugin, "plugin"), null, plugin.toString(), testModule);
    }

    /** A simulation of a module already loaded, called by its {@link GuestModule#name()} in every message. */
    public static Builder builder(GuestModule plugin, Path testModule) {
        return new Builder(null, Objects.requireNonNull(plugin, "plugin"), plugin.name(), testModule);
    }

    public String name() {
        return name;
    }

    /** How messages and reports name the plugin: its path as given, or the loaded module's name. */
    public String pluginName() {
        return pluginName;
    }

    /** The plugin: the module given, or its file read through the run's {@link ModuleFiles}. */
    GuestModule loadPlugin() {
        return pluginModule != null ? pluginModule : modules.load(plugin);
    }

    GuestModule loadTestModule() {
        return modules.load(testModule);
    }

    Optional<GuestModule> loadMockHost() {
        return mockHost().map(modules::load);
    }

    public Path testModule() {
        return testModule;
    }

    public Optional<Path> mockHost() {
        return Optional.ofNullable(mockHost);
    }

    /** The bytes {@code mock_input} hands out, if any. */
    public Optional<byte[]> mockInput() {
        return Optional.ofNullable(mockInput).map(byte[]::clone);
    }

    public Map<String, String> config() {
        return config;
    }

    public List<String> allowedHosts() {
        return allowedHosts;
    }

    /** Limits of each plugin call. */
    public GuestLimits limits() {
        return limits;
    }

    /** Limit on the test module's whole {@code test} run. */
    public Duration runTimeout() {
        return runTimeout;
    }

    public Execution execution() {
        return execution;
    }

    public GuestLog log() {
        return log;
    }

    public GuestLog.Level logLevel() {
        return logLevel;
    }

    /** Where the modules' WASI clock and random bytes come from: real, or fixed by a seed. */
    public WasiSources wasi() {
        return wasi;
    }

    /**
     * Unobserved runs before the observed one; empty means automatic: up to 200 (within
     * 3 s) when the test module imports {@code time}, else none.
     */
    public Optional<Integer> warmUpRuns() {
        return Optional.ofNullable(warmUpRuns);
    }

    /** Builds a {@link SimulationSpec}. */
    public static final class Builder {
        private String name;
        private final Path plugin;
        private final GuestModule pluginModule;
        private final String pluginName;
        private final Path testModule;
        private ModuleFiles modules = new ModuleFiles();
        private Path mockHost;
        private byte[] mockInput;
        private final Map<String, String> config = new LinkedHashMap<>();
        private final List<String> allowedHosts = new ArrayList<>();
        private GuestLimits limits = GuestLimits.DEFAULTS;
        private Duration runTimeout = DEFAULT_RUN_TIMEOUT;
        private Execution execution = Execution.COMPILER;
        private GuestLog log = GuestLog.NONE;
        private GuestLog.Level logLevel = GuestLog.Level.WARN;
        private WasiSources wasi = WasiSources.REAL;
        private Integer warmUpRuns;

        private Builder(Path plugin, GuestModule pluginModule, String pluginName, Path testModule) {
            this.plugin = plugin;
            this.pluginModule = pluginModule;
            this.pluginName = pluginName;
            this.testModule = Objects.requireNonNull(testModule, "testModule");
        }

        public Builder withName(String value) {
            this.name = value;
            return this;
        }

        /**
         * The run's module files, shared by every simulation of the run so that each file is
         * read and hashed once (default: this simulation's own).
         */
        public Builder withModules(ModuleFiles value) {
            this.modules = Objects.requireNonNull(value);
            return this;
        }

        public Builder withMockHost(Path value) {
            this.mockHost = value;
            return this;
        }

        public Builder withMockInput(byte[] value) {
            this.mockInput = value == null ? null : value.clone();
            return this;
        }

        public Builder withConfig(Map<String, String> values) {
            this.config.putAll(values);
            return this;
        }

        public Builder withAllowedHosts(List<String> hosts) {
            this.allowedHosts.addAll(hosts);
            return this;
        }

        public Builder withLimits(GuestLimits value) {
            this.limits = Objects.requireNonNull(value);
            return this;
        }

        public Builder withRunTimeout(Duration value) {
            this.runTimeout = Objects.requireNonNull(value);
            return this;
        }

        /** Real time and random bytes (the default), or {@link WasiSources#seeded} for repeatable runs. */
        public Builder withWasi(WasiSources value) {
            this.wasi = Objects.requireNonNull(value);
            return this;
        }

        public Builder withExecution(Execution value) {
            this.execution = Objects.requireNonNull(value);
            return this;
        }

        public Builder withLog(GuestLog sink, GuestLog.Level level) {
            this.log = Objects.requireNonNull(sink);
            this.logLevel = Objects.requireNonNull(level);
            return this;
        }

        /** Unobserved runs first; null for automatic (see {@link SimulationSpec#warmUpRuns()}). */
        public Builder withWarmUpRuns(Integer value) {
            if (value != null && value < 0) {
                throw new IllegalArgumentException("warm-up runs must be 0 or more");
            }
            this.warmUpRuns = value;
            return this;
        }

        public SimulationSpec build() {
            return new SimulationSpec(this);
        }
    }
}
