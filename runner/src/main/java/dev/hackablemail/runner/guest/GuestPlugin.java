package dev.hackablemail.runner.guest;

import com.dylibso.chicory.log.Logger;
import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.TrapException;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.UninstantiableException;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.ValType;
import dev.hackablemail.runner.report.Reasons;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.extism.sdk.chicory.ConfigProvider;
import org.extism.sdk.chicory.HostEnv;
import org.extism.sdk.chicory.Kernel;
import org.extism.sdk.chicory.KernelAccess;
import org.extism.sdk.chicory.LogLevel;

/**
 * One live instance of a plugin: its main module, its mock host (if any) and the Extism
 * kernel they share. Calls are bounded by the template's {@link GuestLimits}. Not thread
 * safe: one call at a time.
 *
 * <p>After a trap, a timeout or a limit the instance may be half-way through anything, so
 * it refuses further calls; make a new one with {@link PluginTemplate#instantiate()}.
 */
public final class GuestPlugin implements AutoCloseable {

    static final String ENV_MODULE = "extism:host/env";
    static final String WASI_MODULE = "wasi_snapshot_preview1";
    private static final FunctionType EXTISM_EXPORT = FunctionType.of(List.of(), List.of(ValType.I32));
    private static final FunctionType NO_ARGUMENTS = FunctionType.of(List.of(), List.of());
    /** What the Extism SDKs run to initialize a module, in order of preference. */
    private static final List<String> CONSTRUCTORS = List.of("_initialize", "__wasm_call_ctors");
    /** Kernel functions that hand the guest a block the host allocated for it. */
    private static final java.util.Set<String> HOST_MADE_BLOCKS =
            java.util.Set.of("var_get", "config_get", "http_request", "http_headers");

    private final PluginTemplate template;
    private final String name;
    private final Kernel kernel;
    private final HostEnv env;
    private final Instance mockHost;
    private final Instance main;
    private final Map<String, ExportFunction> exports = new HashMap<>();
    private long kernelBytesThisCall;
    private String unusableBecause;
    /** The module whose code runs now (the plugin, or its mock host): guest log lines carry its name. */
    private String speaking;

    GuestPlugin(PluginTemplate template) {
        this.template = template;
        this.name = template.main().name();
        this.speaking = name;
        this.kernel = template.takeKernel();
        this.env = new HostEnv(kernel, ConfigProvider.ofMap(template.config()),
                template.allowedHosts().toArray(new String[0]), false, HttpSupport.config(),
                new LogAdapter(template.log(), this::speaking, template.logLevel()));
        env.log().setLogLevel(LogLevel.valueOf(template.logLevel().name()));

        // Only what the modules import: a fresh instance per mail makes these per mail, and
        // most plugins import a dozen kernel functions and nothing of WASI.
        Map<String, HostFunction> shared = new HashMap<>();
        for (HostFunction f : env.toHostFunctions()) {
            if (!template.imports(ENV_MODULE, f.name())) {
                continue;
            }
            HostFunction bounded = f.name().equals("alloc") ? budgeted(f)
                    : HOST_MADE_BLOCKS.contains(f.name()) ? charged(f)
                    : KernelLoadStore.direct(f, env.memory().memory());
            shared.put(key(ENV_MODULE, f.name()), bounded);
        }
        if (template.importsFrom(WASI_MODULE)) {
            for (HostFunction f : template.wasi().hostFunctions(new LogAdapter(template.log(), this::speaking, GuestLog.Level.WARN),
                    new LogLines(template.log(), this::speaking, GuestLog.Level.INFO),
                    new LogLines(template.log(), this::speaking, GuestLog.Level.WARN))) {
                shared.put(key(WASI_MODULE, f.name()), f);
            }
        }
        for (HostImport h : template.hostImports()) {
            shared.put(key(h.module(), h.name()), new HostFunction(h.module(), h.name(), h.type(),
                    (instance, args) -> h.implementation().call(this, args)));
        }

        Optional<GuestModule> mock = template.mockHost();
        this.mockHost = mock.map(m -> link(m, shared, null)).orElse(null);
        this.main = link(template.main(), shared, mock.orElse(null));
        if (mockHost != null) {
            String previous = speakAs(mock.get().name());
            try {
                initialize(mockHost, mock.get());
            } finally {
                speaking = previous;
            }
        }
        initialize(main, template.main());
    }

    private String speaking() {
        return speaking;
    }

    /** Labels guest log lines with {@code module} until the returned label is put back. */
    private String speakAs(String module) {
        String previous = speaking;
        speaking = module;
        return previous;
    }

    public String name() {
        return name;
    }

    /**
     * Whether the thread that stops guest calls at their time limit is running: a long-lived
     * host that finds it dead can no longer bound a plugin, and should restart.
     */
    public static boolean callWatchdogAlive() {
        return Deadline.sweeperAlive();
    }

    /**
     * Calls the Extism export {@code function} with {@code input} and returns its output.
     *
     * @throws GuestCallException when the export is missing, the guest returns an error,
     *     traps, runs out of time or exceeds a limit
     */
    public byte[] call(String function, byte[] input) {
        if (unusableBecause != null) {
            throw new GuestCallException(GuestCallException.Kind.HOST,
                    name + " cannot be called any more: " + unusableBecause);
        }
        Optional<FunctionType> type = template.main().exportedFunction(function);
        if (type.isEmpty()) {
            throw new GuestCallException(GuestCallException.Kind.MISSING_EXPORT,
                    name + " has no export named '" + function + "' (its exports: "
                            + String.join(", ", template.main().exportedFunctionNames()) + ")");
        }
        if (!type.get().equals(EXTISM_EXPORT)) {
            throw new GuestCallException(GuestCallException.Kind.MISSING_EXPORT,
                    name + " export '" + function + "' has type " + type.get()
                            + ", not the Extism export type () -> i32");
        }
        ExportFunction export = exports.computeIfAbsent(function, main::export);
        GuestLimits limits = template.limits();
        int returnCode;
        try (Deadline deadline = Deadline.start(limits.timeout())) {
            try {
                kernelBytesThisCall = 0;
                env.setInput(input);
                returnCode = (int) export.apply()[0];
            } catch (ChicoryInterruptedException e) {
                if (!deadline.expired()) {
                    throw e; // an enclosing call's deadline: let its owner report it
                }
                throw unusable(new GuestCallException(GuestCallException.Kind.TIMEOUT,
                        name + ": " + function + " did not finish within " + describe(limits.timeout())
                                + " (time limit) and was stopped", e));
            } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                throw unusable(classify(name + ": " + function, main, e));
            }
        }
        if (returnCode != 0) {
            String error = env.getError();
            throw new GuestCallException(GuestCallException.Kind.ERROR,
                    name + ": " + function + " returned error code " + returnCode
                            + (error == null || error.isEmpty() ? "" : ": " + error),
                    returnCode, error, null);
        }
        long outputLength = KernelAccess.outputLength(kernel);
        if (outputLength > limits.maxOutputBytes()) {
            throw new GuestCallException(GuestCallException.Kind.LIMIT,
                    name + ": " + function + " returned " + outputLength + " bytes of output, more than the limit of "
                            + limits.maxOutputBytes() + " bytes");
        }
        return env.getOutput();
    }

    /**
     * Reads the kernel block at {@code offset}. Offset 0 reads as empty; any other offset
     * that names no block is an error, since offsets come from untrusted guests.
     */
    public byte[] readBlock(long offset, String what) {
        if (offset == 0) {
            return new byte[0];
        }
        long length = offset < 0 ? 0 : KernelAccess.blockLength(kernel, offset);
        long memorySize = (long) env.memory().memory().pages() * GuestLimits.PAGE_SIZE;
        if (length <= 0 || offset + length > memorySize) {
            throw new GuestCallException(GuestCallException.Kind.HOST,
                    what + ": offset " + offset + " names no block in " + name + "'s Extism memory");
        }
        return env.memory().memory().readBytes((int) offset, (int) length);
    }

    /**
     * Calls the mock host's export {@code function} as the plugin's import of it would, for a
     * {@link HostImport} that wraps the mock host (the fuzzer checks each payload first).
     *
     * @throws GuestCallException when this instance has no mock host or it lacks the export
     */
    public long[] callMockHost(String function, long... args) {
        if (mockHost == null || template.mockHost().orElseThrow().exportedFunction(function).isEmpty()) {
            throw new GuestCallException(GuestCallException.Kind.HOST,
                    name + ": no mock host export '" + function + "' to call");
        }
        return mockHost.export(function).apply(args);
    }

    /** {@link #readBlock} decoded as UTF-8. */
    public String readString(long offset, String what) {
        return new String(readBlock(offset, what), StandardCharsets.UTF_8);
    }

    /** Copies {@code bytes} into a new kernel block and returns its offset (0 for no bytes). */
    public long writeBlock(byte[] bytes) {
        return bytes.length == 0 ? 0 : env.memory().writeBytes(bytes);
    }

    /**
     * Ends this instance. Its kernel, freed of every block, serves the template's next
     * instance unless this one failed (a kernel that saw a trap is not trusted again).
     */
    @Override
    public void close() {
        if (unusableBecause == null) {
            unusableBecause = "it was closed";
            template.recycleKernel(kernel);
        }
    }

    /** Whether the instance still takes calls (no trap, timeout or limit so far). */
    public boolean usable() {
        return unusableBecause == null;
    }

    private GuestCallException unusable(GuestCallException e) {
        unusableBecause = "an earlier call failed (" + e.kind().name().toLowerCase(java.util.Locale.ROOT) + ")";
        return e;
    }

    /** What a guest run that threw {@code thrown} comes to; {@code prefix} names the module and function. */
    private GuestCallException classify(String prefix, Instance instance, Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof GuestCallException) {
                return (GuestCallException) t;
            }
        }
        if (thrown instanceof StackOverflowError) {
            return new GuestCallException(GuestCallException.Kind.TRAP, prefix + " trapped: call stack exhausted");
        }
        if (thrown instanceof OutOfMemoryError) {
            // the cause stays: a host running out of its own memory is not the guest's fault
            return new GuestCallException(GuestCallException.Kind.LIMIT, prefix + " ran the host out of memory", thrown);
        }
        if (thrown instanceof WasiExitException) {
            int code = ((WasiExitException) thrown).exitCode();
            return new GuestCallException(GuestCallException.Kind.ERROR,
                    prefix + " called proc_exit(" + code + ")", code == 0 ? 1 : code, thrown);
        }
        if (thrown instanceof TrapException || thrown instanceof ChicoryException) {
            if (atMemoryLimit(instance)) {
                return new GuestCallException(GuestCallException.Kind.LIMIT,
                        prefix + " trapped (" + thrown.getMessage() + ") with its memory at " + instance.memory().pages()
                                + " pages, near the limit of " + template.limits().maxMemoryPages()
                                + " pages: it most likely ran out of memory", thrown);
            }
            String error = kernelError();
            return new GuestCallException(GuestCallException.Kind.TRAP,
                    prefix + " trapped: " + thrown.getMessage() + (error.isEmpty() ? "" : " (error set: " + error + ")"),
                    thrown);
        }
        return new GuestCallException(GuestCallException.Kind.HOST,
                prefix + " failed in a host function: " + Reasons.of(thrown), thrown);
    }

    /** The message a guest (or its mock host) set with error_set before trapping, if any. */
    private String kernelError() {
        try {
            String error = env.getError();
            return error == null ? "" : error;
        } catch (RuntimeException unreadable) {
            return "";
        }
    }

    /** A trap with memory within 1/8 of the limit: most likely a failed allocation. */
    private boolean atMemoryLimit(Instance instance) {
        try {
            return instance.memory() != null
                    && instance.memory().pages() * 8L >= template.limits().maxMemoryPages() * 7L;
        } catch (RuntimeException noMemory) {
            return false;
        }
    }

    /** The kernel's {@code alloc}, refusing to hand a guest more than its per-call budget. */
    private HostFunction budgeted(HostFunction alloc) {
        return new HostFunction(ENV_MODULE, "alloc", alloc.functionType(), (instance, args) -> {
            long size = args[0];
            long limit = template.limits().maxKernelBytes();
            if (size < 0 || kernelBytesThisCall + size > limit) {
                throw new GuestCallException(GuestCallException.Kind.LIMIT,
                        name + " asked the Extism kernel for " + Long.toUnsignedString(size) + " bytes, over the limit of "
                                + limit + " bytes a call (" + kernelBytesThisCall + " already allocated)");
            }
            kernelBytesThisCall += size;
            return alloc.handle().apply(instance, args);
        });
    }

    /**
     * A kernel function that returns a block the host allocated (a copy of a var, a config
     * value, an HTTP response): its size counts against the same per-call budget as the
     * guest's own allocations, or a guest could grow the kernel without bound by asking
     * for the same large var again and again.
     */
    private HostFunction charged(HostFunction f) {
        return new HostFunction(ENV_MODULE, f.name(), f.functionType(), (instance, args) -> {
            long[] result = f.handle().apply(instance, args);
            long offset = result.length == 0 ? 0 : result[0];
            if (offset > 0) {
                long size = KernelAccess.blockLength(kernel, offset);
                long limit = template.limits().maxKernelBytes();
                kernelBytesThisCall += size;
                if (kernelBytesThisCall > limit) {
                    throw new GuestCallException(GuestCallException.Kind.LIMIT,
                            name + ": " + f.name() + " handed the guest " + size + " more bytes, over the limit of "
                                    + limit + " bytes a call allocated through the Extism kernel");
                }
            }
            return result;
        });
    }

    /**
     * Links a module to its imports, running none of its code: {@link #initialize} does that,
     * under a time limit.
     */
    private Instance link(GuestModule module, Map<String, HostFunction> shared, GuestModule userHost) {
        List<HostFunction> imports = new ArrayList<>();
        for (FunctionImport imported : module.functionImports()) {
            imports.add(resolve(module, imported, shared, userHost));
        }
        var builder = Instance.builder(module.wasm())
                .withImportValues(ImportValues.builder().addFunction(imports.toArray(new HostFunction[0])).build())
                .withInitialize(false)
                .withStart(false);
        memoryLimits(module).ifPresent(builder::withMemoryLimits);
        builder.withMemoryFactory(ByteArrayMemory::new);
        try {
            builder.withMachineFactory(module.machineFactory(template.execution()));
            return builder.build();
        } catch (ChicoryException | IllegalArgumentException e) {
            throw new GuestLoadException(module.name() + ": cannot be instantiated: " + e.getMessage(), e);
        } catch (RuntimeException e) { // a module Chicory's validator let through but cannot run
            throw new GuestLoadException(module.name() + ": not a valid Wasm module: " + Reasons.of(e), e);
        }
    }

    private HostFunction resolve(
            GuestModule module, FunctionImport imported, Map<String, HostFunction> shared, GuestModule userHost) {
        String qualified = imported.module() + "." + imported.name();
        FunctionType wanted = module.importType(imported);
        HostFunction provided = shared.get(key(imported.module(), imported.name()));
        if (provided == null && userHost != null && imported.module().equals(HostImport.USER_MODULE)) {
            provided = fromMockHost(module, imported, userHost, wanted);
        }
        if (provided == null) {
            throw new GuestLoadException(module.name() + " imports " + qualified + ", which "
                    + describeProvider(imported.module(), userHost != null));
        }
        if (!provided.functionType().equals(wanted)) {
            throw new GuestLoadException(module.name() + " imports " + qualified + " with type " + wanted
                    + ", but the host provides it with type " + provided.functionType());
        }
        return provided;
    }

    private HostFunction fromMockHost(GuestModule module, FunctionImport imported, GuestModule host, FunctionType wanted) {
        Optional<FunctionType> exported = host.exportedFunction(imported.name());
        if (exported.isEmpty()) {
            throw new GuestLoadException(module.name() + " imports " + HostImport.USER_MODULE + "." + imported.name()
                    + ", but the mock host " + host.name() + " does not export '" + imported.name() + "' (it exports: "
                    + String.join(", ", host.exportedFunctionNames()) + ")");
        }
        if (!exported.get().equals(wanted)) {
            throw new GuestLoadException(module.name() + " imports " + HostImport.USER_MODULE + "." + imported.name()
                    + " with type " + wanted + ", but the mock host " + host.name() + " exports it with type "
                    + exported.get());
        }
        String exportName = imported.name();
        HostCallObserver observer = template.hostCallObserver();
        boolean blockShaped = wanted.params().equals(List.of(ValType.I64)) && wanted.returns().equals(List.of(ValType.I64));
        return new HostFunction(HostImport.USER_MODULE, exportName, wanted, (instance, args) -> {
            String previous = speakAs(host.name());
            byte[] input = observer != null && blockShaped ? peekBlock(args[0]) : null;
            long[] result = null;
            try {
                result = mockHost.export(exportName).apply(args);
                return result;
            } finally {
                speaking = previous;
                if (observer != null) {
                    observer.observe(exportName, input, result != null && blockShaped ? peekBlock(result[0]) : null);
                }
            }
        });
    }

    /** A block's bytes, or null when {@code offset} names none (for an observer: never throws). */
    private byte[] peekBlock(long offset) {
        try {
            return readBlock(offset, "host call");
        } catch (RuntimeException e) { // GuestCallException included
            return null;
        }
    }

    private static String describeProvider(String importModule, boolean hasMockHost) {
        switch (importModule) {
            case ENV_MODULE:
                return "the Extism kernel does not provide";
            case WASI_MODULE:
                return "WASI preview 1 does not provide";
            case HostImport.USER_MODULE:
                return hasMockHost ? "nothing provides" : "needs a host function: give a mock host (--mock-host)";
            default:
                return "nothing provides (unknown import module '" + importModule + "')";
        }
    }

    private Optional<MemoryLimits> memoryLimits(GuestModule module) {
        var section = module.wasm().memorySection();
        if (section.isEmpty() || section.get().memoryCount() == 0) {
            return Optional.empty();
        }
        MemoryLimits declared = section.get().getMemory(0).limits();
        int limit = template.limits().maxMemoryPages();
        if (declared.initialPages() > limit) {
            throw new GuestLoadException(module.name() + " needs " + declared.initialPages()
                    + " pages of memory at start, more than the limit of " + limit + " pages");
        }
        return Optional.of(new MemoryLimits(declared.initialPages(), Math.min(declared.maximumPages(), limit)));
    }

    /**
     * Initializes a linked module as the Extism SDKs do, under the template's initialization
     * time limit: its globals, tables and data, its Wasm start function, then
     * {@code _initialize} if it exports one, else {@code __wasm_call_ctors}. A command
     * module's {@code _start} never runs (it would run {@code main}, and TinyGo package
     * initializers that expect a command line).
     *
     * @throws GuestCallException when that code traps, runs out of time, exits non-zero or
     *     hits a limit: the message names the module and the function
     * @throws GuestLoadException when the module's data or tables do not fit (no code ran)
     */
    private void initialize(Instance instance, GuestModule module) {
        Duration limit = template.initTimeout();
        String step = "its start function";
        Deadline deadline = Deadline.start(limit);
        try (deadline) {
            try {
                instance.initialize(false);
            } catch (UninstantiableException e) {
                if (!(e.getCause() instanceof TrapException)) {
                    throw new GuestLoadException(module.name() + ": cannot be instantiated: " + e.getMessage(), e);
                }
                throw (TrapException) e.getCause();
            }
            Optional<String> constructor = CONSTRUCTORS.stream()
                    .filter(c -> module.exportedFunction(c).filter(NO_ARGUMENTS::equals).isPresent())
                    .findFirst();
            if (constructor.isPresent()) {
                step = constructor.get();
                instance.export(step).apply();
            }
        } catch (ChicoryInterruptedException e) {
            if (!deadline.expired()) {
                throw e; // an enclosing call's deadline: let its owner report it
            }
            throw new GuestCallException(GuestCallException.Kind.TIMEOUT, module.name()
                    + ": did not finish initializing within " + describe(limit) + " (time limit): " + step
                    + " was stopped", e);
        } catch (WasiExitException e) {
            if (e.exitCode() != 0) {
                throw classify(module.name() + ": " + step, instance, e);
            }
        } catch (GuestLoadException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            throw classify(module.name() + ": " + step, instance, e);
        }
    }

    static String key(String module, String function) {
        return module + '\u0000' + function;
    }

    static String describe(java.time.Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** Sends the SDK's log calls (from {@code log_*}) to a {@link GuestLog}. */
    private static final class LogAdapter implements Logger {
        private final GuestLog sink;
        private final Supplier<String> module;
        private final GuestLog.Level threshold;

        LogAdapter(GuestLog sink, Supplier<String> module, GuestLog.Level threshold) {
            this.sink = sink;
            this.module = module;
            this.threshold = threshold;
        }

        @Override
        public void log(Level level, String msg, Throwable throwable) {
            GuestLog.Level mapped = map(level);
            if (mapped.compareTo(threshold) >= 0) {
                sink.log(module.get(), mapped, msg);
            }
        }

        @Override
        public boolean isLoggable(Level level) {
            return map(level).compareTo(threshold) >= 0;
        }

        private static GuestLog.Level map(Level level) {
            switch (level) {
                case ALL:
                case TRACE:
                    return GuestLog.Level.TRACE;
                case DEBUG:
                    return GuestLog.Level.DEBUG;
                case INFO:
                    return GuestLog.Level.INFO;
                case WARNING:
                    return GuestLog.Level.WARN;
                default:
                    return GuestLog.Level.ERROR;
            }
        }
    }
}
