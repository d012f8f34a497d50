package dev.hackablemail.runner.fuzz;

import dev.hackablemail.runner.guest.GuestCallException;
import dev.hackablemail.runner.guest.GuestPlugin;
import dev.hackablemail.runner.guest.PluginTemplate;
import dev.hackablemail.schema.payload.Direction;
import dev.hackablemail.schema.payload.PayloadValidator;
import dev.hackablemail.schema.xtp.FunctionDecl;
import dev.hackablemail.schema.xtp.Schema;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Runs one input against a fresh plugin instance and judges it: the call must not fail, its
 * host payloads and output must fit the schema, and a second call on the same instance with
 * the same input and the same host answers must give the same result.
 */
final class CaseRunner {

    /** One call's result: the output or the failure, and the host calls made. */
    private record Call(byte[] output, GuestCallException failure, List<HostCall> hostCalls) {

        boolean sameAs(Call other) {
            boolean sameResult = failure == null ? other.failure == null && Arrays.equals(output, other.output)
                    : other.failure != null && failure.kind() == other.failure.kind()
                            && failure.getMessage().equals(other.failure.getMessage());
            if (!sameResult || hostCalls.size() != other.hostCalls.size()) {
                return false;
            }
            for (int i = 0; i < hostCalls.size(); i++) {
                if (!hostCalls.get(i).sameAs(other.hostCalls.get(i))) {
                    return false;
                }
            }
            return true;
        }

        String describe() {
            String host = hostCalls.isEmpty() ? "no host call"
                    : "host calls " + hostCalls.stream().map(HostCall::function).collect(Collectors.joining(", "));
            String result = failure != null ? "failed (" + failure.getMessage() + ")"
                    : "returned " + Payloads.preview(output, 200);
            return result + " after " + host;
        }
    }

    private final PluginTemplate template;
    private final FuzzHost host;
    private final Schema schema;
    private final FunctionDecl export;

    CaseRunner(PluginTemplate template, FuzzHost host, Schema schema, FunctionDecl export) {
        this.template = template;
        this.host = host;
        this.schema = schema;
        this.export = export;
    }

    /** Judges the input; a timeout counts only when a second try times out too. */
    Verdict run(byte[] input, long hostSeed) {
        Verdict verdict = runOnce(input, hostSeed);
        return verdict.timedOut() ? runOnce(input, hostSeed) : verdict;
    }

    /** Judges the input once, for the shrinker (which confirms its result with {@link #run}). */
    Verdict runOnce(byte[] input, long hostSeed) {
        try (GuestPlugin plugin = template.instantiate()) {
            Call first = call(plugin, input, hostSeed);
            Verdict verdict = judge(first);
            if (verdict.failed() || !plugin.usable()) {
                return verdict;
            }
            Call second = call(plugin, input, hostSeed);
            if (!first.sameAs(second)) {
                return new Verdict(Property.DETERMINISTIC, "the same input and host answers gave different results: "
                        + "the first call " + first.describe() + ", the second call on the same instance "
                        + second.describe(), second.failure() != null
                                && second.failure().kind() == GuestCallException.Kind.TIMEOUT);
            }
            return Verdict.PASSED;
        }
    }

    private Call call(GuestPlugin plugin, byte[] input, long hostSeed) {
        host.begin(hostSeed);
        try {
            byte[] output = plugin.call(export.name(), input);
            return new Call(output, null, host.end());
        } catch (GuestCallException e) {
            return new Call(null, e, host.end());
        }
    }

    private Verdict judge(Call call) {
        for (HostCall h : call.hostCalls()) {
            if (!h.problems().isEmpty()) {
                return new Verdict(Property.HOST_PAYLOADS, "the plugin passed " + h.function()
                        + " a payload that does not match the schema: " + String.join("; ", h.problems())
                        + " (payload: " + Payloads.preview(h.payload(), 300) + ")");
            }
        }
        GuestCallException failure = call.failure();
        if (failure != null) {
            boolean limit = failure.kind() == GuestCallException.Kind.TIMEOUT
                    || failure.kind() == GuestCallException.Kind.LIMIT;
            return new Verdict(limit ? Property.NO_TIMEOUT_OR_LIMIT : Property.NO_TRAP_OR_ERROR, failure.getMessage(),
                    failure.kind() == GuestCallException.Kind.TIMEOUT);
        }
        List<String> problems = PayloadValidator.validate(schema, export, Direction.OUTPUT, call.output());
        if (!problems.isEmpty()) {
            return new Verdict(Property.OUTPUT_MATCHES_SCHEMA, export.name() + " returned output that does not match"
                    + " the schema: " + String.join("; ", problems) + " (output: "
                    + Payloads.preview(call.output(), 300) + ")");
        }
        return Verdict.PASSED;
    }
}
