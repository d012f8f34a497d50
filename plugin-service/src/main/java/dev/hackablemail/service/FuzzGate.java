package dev.hackablemail.service;

import dev.hackablemail.runner.fuzz.FuzzFailure;
import dev.hackablemail.runner.fuzz.FuzzListener;
import dev.hackablemail.runner.fuzz.FuzzResult;
import dev.hackablemail.runner.fuzz.FuzzSetupException;
import dev.hackablemail.runner.fuzz.Fuzzer;
import dev.hackablemail.runner.fuzz.Property;
import dev.hackablemail.runner.guest.Execution;
import dev.hackablemail.runner.guest.GuestLimits;
import dev.hackablemail.runner.guest.GuestLoadException;
import dev.hackablemail.runner.guest.GuestModule;
import dev.hackablemail.schema.xtp.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The gate's last step, after the simulations passed: schema-driven fuzzing of
 * {@code onEmail} (see {@link Fuzzer}) with a bounded budget and a fixed seed, so the same
 * plugin always meets the same inputs. Host imports are answered from the schema, failure
 * codes included. Reported as one more outcome, each broken property a failure whose reason
 * names the shrunk input.
 */
final class FuzzGate {

    static final String NAME = "fuzz onEmail";
    static final long SEED = 1;
    /** How much of a shrunk input a rejection shows. */
    static final int MAX_INPUT_CHARS = 500;

    private final Schema schema;
    private final GuestLimits limits;
    private final Execution execution;
    private final ServiceConfig.FuzzBudget budget;

    /** Calls get the filter's limits, but never more time than the fuzzer's own default. */
    FuzzGate(Schema schema, GuestLimits limits, Execution execution, ServiceConfig.FuzzBudget budget) {
        this.schema = schema;
        this.budget = budget;
        this.limits = limits.withTimeout(callTimeout(limits));
        this.execution = execution;
    }

    /** The bound of one fuzzed call: the filter's, but never more than the fuzzer's own default. */
    static java.time.Duration callTimeout(GuestLimits limits) {
        return limits.timeout().compareTo(Fuzzer.DEFAULT_TIMEOUT) > 0 ? Fuzzer.DEFAULT_TIMEOUT : limits.timeout();
    }

    GateReport.SimulationOutcome check(GuestModule plugin) {
        long start = System.nanoTime();
        FuzzResult result;
        try {
            result = Fuzzer.builder(plugin, schema)
                    .limits(limits)
                    .execution(execution)
                    .runs(budget.runs())
                    .time(budget.time())
                    .shrinkTime(budget.time())
                    .seed(SEED)
                    .build()
                    .run(FuzzListener.SILENT);
        } catch (FuzzSetupException | GuestLoadException e) {
            return new GateReport.SimulationOutcome(GateReport.Kind.FUZZ, NAME, false, 0, 0, null, "could not run: " + e.getMessage(),
                    millis(start), List.of());
        }
        List<GateReport.Failure> failures = new ArrayList<>();
        for (FuzzFailure f : result.failures()) {
            String summary = f.summary(result.seed(), MAX_INPUT_CHARS).replace('\n', ' ');
            // every reason names the file the author pushed (a trap's summary does already)
            failures.add(new GateReport.Failure(null, f.property().title(),
                    summary.startsWith(plugin.name() + ":") ? summary : plugin.name() + ": " + summary));
        }
        return new GateReport.SimulationOutcome(GateReport.Kind.FUZZ, NAME, result.passed(), Property.values().length - failures.size(),
                failures.size(), null, null, millis(start), failures);
    }

    private static long millis(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
