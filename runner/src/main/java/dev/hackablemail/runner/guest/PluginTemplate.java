package dev.hackablemail.runner.guest;

import com.dylibso.chicory.wasm.types.FunctionImport;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.extism.sdk.chicory.Kernel;
import org.extism.sdk.chicory.KernelAccess;

/**
 * Everything needed to make instances of one plugin: the main module, an optional mock
 * host linked as {@code extism:host/user}, the host functions, config, limits and how to
 * run the code. Immutable and safe to share; {@link #instantiate()} is cheap because the
 * modules are parsed and compiled once (see {@link GuestModule}).
 *
 * <p>This is the one way to load and link a plugin: the simulation runner, the JUnit
 * engine and the Postfix filter all go through it.
 */
public final class PluginTemplate {

    /** Spare kernels kept by default; a host running many instances of one template at once wants more. */
    public static final int DEFAULT_SPARE_KERNELS = 4;

    private final GuestModule main;
    private final GuestModule mockHost;
    private final HostCallObserver hostCallObserver;
    private final List<HostImport> hostImports;
    private final Map<String, String> config;
    private final List<String> allowedHosts;
    private final GuestLimits limits;
    private final java.time.Duration initTimeout;
    private final Execution execution;
    private final GuestLog log;
    private final GuestLog.Level logLevel;
    private final WasiSources wasi;
    private final int maxSpareKernels;
    /** Every function the main module and the mock host import, as {@code GuestPlugin.key}s. */
    private final Set<String> importKeys = new HashSet<>();
    /** The modules those functions come from. */
    private final Set<String> importModules = new HashSet<>();
    /** Kernels of closed instances, reset and ready for the next instance. */
    private final Queue<Kernel> spareKernels = new ConcurrentLinkedQueue<>();

    private PluginTemplate(Builder b) {
        this.main = b.main;
        this.mockHost = b.mockHost;
        this.hostCallObserver = b.hostCallObserver;
        this.hostImports = List.copyOf(b.hostImports);
        this.config = Map.copyOf(b.config);
        this.allowedHosts = List.copyOf(b.allowedHosts);
        this.limits = b.limits;
        this.initTimeout = b.initTimeout != null ? b.initTimeout : b.limits.timeout();
        this.execution = b.execution;
        this.log = b.log;
        this.logLevel = b.logLevel;
        this.wasi = b.wasi;
        this.maxSpareKernels = b.spareKernels;
        for (GuestModule m : mockHost == null ? List.of(main) : List.of(main, mockHost)) {
            for (FunctionImport f : m.functionImports()) {
                importKeys.add(GuestPlugin.key(f.module(), f.name()));
                importModules.add(f.module());
            }
        }
    }

    public static Builder builder(GuestModule main) {
        return new Builder(main);
    }

    /**
     * A fresh, initialized instance: new linear memories, a new Extism kernel shared by the
     * plugin and its mock host, Extism vars empty. Initializing runs guest code (each
     * module's Wasm start function and constructor) under {@link #initTimeout()}.
     *
     * @throws GuestLoadException when the modules cannot be linked or instantiated
     * @throws GuestCallException when a module's initialization traps, times out, exits
     *     non-zero or hits a limit (a failure of the guest, as a failed call is)
     */
    public GuestPlugin instantiate() {
        return new GuestPlugin(this);
    }

    /**
     * Warms the JVM for timed calls: runs the Extism kernel's hot paths a few thousand
     * times (once per process) and makes a few instances of this template. Worth its
     * ~100 ms where calls are timed (simulations, benchmarks), not in one-shot use.
     */
    public PluginTemplate warmUp() {
        ExtismKernelCode.warmUp(execution);
        for (int i = 0; i < 20; i++) {
            instantiate().close();
        }
        return this;
    }

    /** Whether the main module or the mock host imports {@code module.name}. */
    boolean imports(String module, String name) {
        return importKeys.contains(GuestPlugin.key(module, name));
    }

    /** Whether the main module or the mock host imports anything from {@code module}. */
    boolean importsFrom(String module) {
        return importModules.contains(module);
    }

    /** A reset kernel from a closed instance, or a new one. */
    Kernel takeKernel() {
        Kernel spare = spareKernels.poll();
        return spare != null ? spare : KernelAccess.newKernel(ExtismKernelCode.machineFactory(execution));
    }

    /**
     * Keeps a closed instance's kernel, freed of all its blocks, for the next instance of this
     * same template. Freed is not zeroed: a new instance could read bytes its predecessor
     * left, which is why kernels never leave their template (one plugin, one mock host). A
     * long-running host must not share one template between mail owners: the filter and
     * the SMTP daemon key theirs by recipient as well as by the plugin's digest.
     */
    void recycleKernel(Kernel kernel) {
        if (spareKernels.size() < maxSpareKernels) {
            KernelAccess.reset(kernel);
            spareKernels.add(kernel);
        }
    }

    /** How many reset kernels wait for the next instance now. */
    int spareKernels() {
        return spareKernels.size();
    }

    public GuestModule main() {
        return main;
    }

    public Optional<GuestModule> mockHost() {
        return Optional.ofNullable(mockHost);
    }

    List<HostImport> hostImports() {
        return hostImports;
    }

    /** Who sees the plugin's calls to its mock host; null for nobody. */
    HostCallObserver hostCallObserver() {
        return hostCallObserver;
    }

    Map<String, String> config() {
        return config;
    }

    List<String> allowedHosts() {
        return allowedHosts;
    }

    public GuestLimits limits() {
        return limits;
    }

    /** Wall-time limit of initializing each module of an instance (by default the call limit). */
    public java.time.Duration initTimeout() {
        return initTimeout;
    }

    public Execution execution() {
        return execution;
    }

    GuestLog log() {
        return log;
    }

    GuestLog.Level logLevel() {
        return logLevel;
    }

    /** Where the instances' WASI clock and random bytes come from. */
    WasiSources wasi() {
        return wasi;
    }

    /** Builds a {@link PluginTemplate}. */
    public static final class Builder {
        private final GuestModule main;
        private GuestModule mockHost;
        private HostCallObserver hostCallObserver;
        private final List<HostImport> hostImports = new ArrayList<>();
        private final Map<String, String> config = new LinkedHashMap<>();
        private final List<String> allowedHosts = new ArrayList<>();
        private GuestLimits limits = GuestLimits.DEFAULTS;
        private java.time.Duration initTimeout;
        private Execution execution = Execution.COMPILER;
        private GuestLog log = GuestLog.NONE;
        private GuestLog.Level logLevel = GuestLog.Level.INFO;
        private WasiSources wasi = WasiSources.REAL;
        private int spareKernels = DEFAULT_SPARE_KERNELS;

        private Builder(GuestModule main) {
            this.main = Objects.requireNonNull(main, "main");
        }

        /** Links {@code host}'s exports as the plugin's {@code extism:host/user} imports. */
        public Builder withMockHost(GuestModule host) {
            this.mockHost = host;
            return this;
        }

        /** Tells {@code observer} of every call the plugin makes to its mock host. */
        public Builder withHostCallObserver(HostCallObserver observer) {
            this.hostCallObserver = observer;
            return this;
        }

        /** Host functions offered to the plugin (and to its mock host). */
        public Builder withHostImports(List<HostImport> imports) {
            this.hostImports.addAll(imports);
            return this;
        }

        public Builder withHostImport(HostImport hostImport) {
            this.hostImports.add(hostImport);
            return this;
        }

        /** Extism config values the plugin reads with {@code config_get}. */
        public Builder withConfig(Map<String, String> values) {
            this.config.putAll(values);
            return this;
        }

        /** Hosts the plugin may reach with {@code http_request}; {@code *.example.com} and {@code *} allowed. */
        public Builder withAllowedHosts(List<String> hosts) {
            this.allowedHosts.addAll(hosts);
            return this;
        }

        public Builder withLimits(GuestLimits value) {
            this.limits = Objects.requireNonNull(value);
            return this;
        }

        /** Wall-time limit of initializing each module (default: the limits' call timeout). */
        public Builder withInitTimeout(java.time.Duration value) {
            this.initTimeout = Objects.requireNonNull(value);
            return this;
        }

        public Builder withExecution(Execution value) {
            this.execution = Objects.requireNonNull(value);
            return this;
        }

        /** Where guest log lines go, and the level reported to guests by {@code get_log_level}. */
        public Builder withLog(GuestLog sink, GuestLog.Level level) {
            this.log = Objects.requireNonNull(sink);
            this.logLevel = Objects.requireNonNull(level);
            return this;
        }

        /** Where WASI's clock and random bytes come from (default: the real ones). */
        public Builder withWasi(WasiSources value) {
            this.wasi = Objects.requireNonNull(value);
            return this;
        }

        /**
         * How many reset kernels of closed instances to keep for the next ones (default 4):
         * making a kernel parses the Extism kernel module again, so a host that runs up to N
         * instances of this template at once (the SMTP daemon's sessions) keeps N.
         */
        public Builder withSpareKernels(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("spare kernels cannot be negative: " + count);
            }
            this.spareKernels = count;
            return this;
        }

        public PluginTemplate build() {
            return new PluginTemplate(this);
        }
    }
}
