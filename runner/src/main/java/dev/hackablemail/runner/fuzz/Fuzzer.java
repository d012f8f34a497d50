package dev.hackablemail.runner.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hackablemail.runner.guest.Execution;
import dev.hackablemail.runner.guest.GuestLimits;
import dev.hackablemail.runner.guest.GuestLog;
import dev.hackablemail.runner.guest.GuestModule;
import dev.hackablemail.runner.guest.PluginTemplate;
import dev.hackablemail.schema.xtp.FunctionDecl;
import dev.hackablemail.schema.xtp.Schema;
import dev.hackablemail.schema.xtp.TypeSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Schema-driven fuzzing of one export of a plugin: inputs generated from the export's input
 * type (see {@link ValueGenerator}), host imports answered by a mock host or from the schema
 * (see {@link FuzzHost}), each input judged by {@link CaseRunner} against the
 * {@link Property properties}, and the first failure of each property shrunk. The run is a
 * function of the seed: input number n is the same for the same seed, plugin and schema.
 *
 * <pre>{@code
 * FuzzResult result = Fuzzer.builder(GuestModule.load(plugin), schema).seed(1).build().run(FuzzListener.SILENT);
 * }</pre>
 */
public final class Fuzzer {

    public static final int DEFAULT_RUNS = 300;
    public static final Duration DEFAULT_TIME = Duration.ofSeconds(5);
    public static final Duration DEFAULT_SHRINK_TIME = Duration.ofSeconds(5);
    /**
     * A call that takes longer than this twice in a row while fuzzing is a failure: far above
     * what an event handler needs (milliseconds), short enough for a loop to cost little.
     */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    static final int MAX_SHRINK_ATTEMPTS = 2000;

    private final Schema schema;
    private final FunctionDecl export;
    private final int runs;
    private final long seed;
    private final Duration time;
    private final Duration shrinkTime;
    private final ValueGenerator inputs;
    private final CaseRunner runner;

    private Fuzzer(Builder b) {
        this.schema = b.schema;
        this.export = exportOf(b.schema, b.export);
        if (b.plugin.exportedFunction(export.name()).isEmpty()) {
            throw new FuzzSetupException(b.plugin.name() + " has no export named '" + export.name()
                    + "' (its exports: " + String.join(", ", b.plugin.exportedFunctionNames()) + ")");
        }
        this.runs = b.runs;
        this.seed = b.seed;
        this.time = b.time;
        this.shrinkTime = b.shrinkTime;
        Dictionary dictionary = Dictionary.fromDataSegments(b.plugin.wasm());
        this.inputs = new ValueGenerator(schema, dictionary);
        FuzzHost host = new FuzzHost(schema, dictionary, b.mockHost != null);
        PluginTemplate template = PluginTemplate.builder(b.plugin)
                .withMockHost(b.mockHost)
                .withHostImports(host.imports(name -> b.mockHost.exportedFunction(name).isPresent()))
                .withConfig(b.config)
                .withLimits(b.limits)
                .withExecution(b.execution)
                .withLog(b.log, b.logLevel)
                .build();
        template.warmUp(); // links now (a link error is a setup failure) and warms the kernel's code
        this.runner = new CaseRunner(template, host, schema, export);
    }

    public static Builder builder(GuestModule plugin, Schema schema) {
        return new Builder(plugin, schema);
    }

    /** The export {@code name}, or the schema's only export when {@code name} is null. */
    private static FunctionDecl exportOf(Schema schema, String name) {
        if (name == null) {
            if (schema.exports().size() != 1) {
                throw new FuzzSetupException(schema.source() + " declares " + schema.exports().size()
                        + " exports (" + String.join(", ", schema.exports().keySet()) + "): name one with --export");
            }
            return schema.exports().values().iterator().next();
        }
        return schema.export(name).orElseThrow(() -> new FuzzSetupException(schema.source()
                + " declares no export named '" + name + "' (its exports: "
                + String.join(", ", schema.exports().keySet()) + ")"));
    }

    public String export() {
        return export.name();
    }

    public long seed() {
        return seed;
    }

    /** Runs inputs until the run or time budget is spent, then shrinks what failed. */
    public FuzzResult run(FuzzListener listener) {
        SplittableRandom master = new SplittableRandom(seed);
        Map<Property, Found> found = new EnumMap<>(Property.class);
        long start = System.nanoTime();
        long deadline = start + time.toNanos();
        int done = 0;
        while (done < runs && System.nanoTime() - deadline < 0) {
            SplittableRandom random = master.split();
            JsonNode input = generate(random);
            long hostSeed = random.nextLong();
            byte[] bytes = Payloads.encode(export.input(), input);
            Verdict verdict = runner.run(bytes, hostSeed);
            done++;
            if (verdict.failed() && !found.containsKey(verdict.property())) {
                found.put(verdict.property(), new Found(done, input, bytes.length, hostSeed));
                listener.found(verdict.property(), done, verdict.message());
            }
            listener.progress(done, System.nanoTime() - start);
        }
        long fuzzNanos = System.nanoTime() - start;
        long shrinkStart = System.nanoTime();
        List<FuzzFailure> failures = new ArrayList<>();
        for (Map.Entry<Property, Found> entry : found.entrySet()) {
            long began = System.nanoTime();
            FuzzFailure failure = shrink(entry.getKey(), entry.getValue());
            if (failure != null) {
                failures.add(failure);
                listener.shrunk(failure, System.nanoTime() - began);
            }
        }
        return new FuzzResult(export.name(), seed, done, fuzzNanos, System.nanoTime() - shrinkStart, failures);
    }

    /**
     * Runs one input with the host answers of {@code hostSeed}, as a saved failure records them.
     *
     * @return the failure it shows, if any (not shrunk)
     */
    public Optional<FuzzFailure> replay(JsonNode input, long hostSeed) {
        byte[] bytes = Payloads.encode(export.input(), input);
        Verdict verdict = runner.run(bytes, hostSeed);
        return verdict.failed()
                ? Optional.of(new FuzzFailure(verdict.property(), verdict.message(), input, hostSeed, 0, bytes.length,
                        bytes.length, 0))
                : Optional.empty();
    }

    private JsonNode generate(SplittableRandom random) {
        return export.hasInput() ? inputs.generate(export.input().type(), random) : JsonNodeFactory.instance.nullNode();
    }

    private FuzzFailure shrink(Property property, Found found) {
        TypeSchema type = export.hasInput() ? export.input().type() : null;
        Shrinker shrinker = new Shrinker(schema, inputs,
                candidate -> runner.runOnce(Payloads.encode(export.input(), candidate), found.hostSeed).property()
                        == property,
                shrinkTime.toNanos(), MAX_SHRINK_ATTEMPTS);
        JsonNode shrunk = type == null ? found.input : shrinker.shrink(found.input, type);
        byte[] bytes = Payloads.encode(export.input(), shrunk);
        Verdict verdict = runner.run(bytes, found.hostSeed);
        if (verdict.property() != property) { // flaky: keep the input as found
            shrunk = found.input;
            bytes = Payloads.encode(export.input(), shrunk);
            verdict = runner.run(bytes, found.hostSeed);
        }
        if (verdict.property() != property && property == Property.NO_TIMEOUT_OR_LIMIT) {
            return null; // slow twice, then fast: the machine was busy, not the plugin stuck
        }
        String message = verdict.failed() ? verdict.message() : property.title() + " failed once but not again";
        return new FuzzFailure(property, message, shrunk, found.hostSeed, found.caseNumber, found.bytes, bytes.length,
                shrinker.attempts());
    }

    /** The first input that broke a property. */
    private record Found(int caseNumber, JsonNode input, int bytes, long hostSeed) {}

    /** Configures a {@link Fuzzer}. */
    public static final class Builder {
        private final GuestModule plugin;
        private final Schema schema;
        private String export;
        private GuestModule mockHost;
        private Map<String, String> config = Map.of();
        private GuestLimits limits = GuestLimits.DEFAULTS.withTimeout(DEFAULT_TIMEOUT);
        private Execution execution = Execution.COMPILER;
        private GuestLog log = GuestLog.NONE;
        private GuestLog.Level logLevel = GuestLog.Level.ERROR;
        private int runs = DEFAULT_RUNS;
        private long seed = 1;
        private Duration time = DEFAULT_TIME;
        private Duration shrinkTime = DEFAULT_SHRINK_TIME;

        private Builder(GuestModule plugin, Schema schema) {
            this.plugin = Objects.requireNonNull(plugin, "plugin");
            this.schema = Objects.requireNonNull(schema, "schema");
        }

        /** The export to fuzz; by default the schema's only one. */
        public Builder export(String name) { this.export = name; return this; }
        /** Serves the host imports; without one they are answered from the schema. */
        public Builder mockHost(GuestModule host) { this.mockHost = host; return this; }
        public Builder config(Map<String, String> values) { this.config = Map.copyOf(values); return this; }
        public Builder limits(GuestLimits value) { this.limits = Objects.requireNonNull(value); return this; }
        public Builder execution(Execution value) { this.execution = Objects.requireNonNull(value); return this; }
        public Builder log(GuestLog sink, GuestLog.Level level) { this.log = sink; this.logLevel = level; return this; }
        /** At most this many inputs. */
        public Builder runs(int value) { this.runs = positive(value, "runs"); return this; }
        public Builder seed(long value) { this.seed = value; return this; }
        /** At most this long running inputs (shrinking comes on top). */
        public Builder time(Duration value) { this.time = Objects.requireNonNull(value); return this; }
        /** At most this long shrinking each failure. */
        public Builder shrinkTime(Duration value) { this.shrinkTime = Objects.requireNonNull(value); return this; }

        private static int positive(int value, String what) {
            if (value < 1) {
                throw new IllegalArgumentException(what + " must be at least 1, got " + value);
            }
            return value;
        }

        /**
         * @throws FuzzSetupException when the export is unknown or the plugin lacks it
         * @throws dev.hackablemail.runner.guest.GuestLoadException when the plugin cannot be linked
         */
        public Fuzzer build() {
            return new Fuzzer(this);
        }
    }
}
