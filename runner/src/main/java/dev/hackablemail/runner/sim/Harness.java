package dev.hackablemail.runner.sim;

import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import dev.hackablemail.runner.guest.GuestCallException;
import dev.hackablemail.runner.guest.GuestPlugin;
import dev.hackablemail.runner.guest.HostImport;
import dev.hackablemail.runner.guest.PluginTemplate;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The six {@code xtp:test/harness} functions a test module imports; each run has its own
 * {@code Harness}, which the functions of the (once built) test template find through a
 * supplier.
 * Strings and byte arrays go through the TEST module's Extism memory; the plugin under
 * test runs in its own instance, made fresh by {@code reset}.
 *
 * <p>A plugin call that fails (an error code, a trap, a timeout, a limit) is recorded as
 * a failed assertion named {@code call <function>}, the plugin instance is replaced, and
 * the test module gets an empty output so that it can go on.
 */
final class Harness {

    static final String MODULE = "xtp:test/harness";
    private static final List<ValType> NONE = List.of();
    private static final List<ValType> I64 = List.of(ValType.I64);
    private static final List<ValType> I64_I64 = List.of(ValType.I64, ValType.I64);

    /**
     * {@code assert} as xtp-test-js and xtp-test-go releases before mid-2024 import it:
     * {@code (name, value)}, without a reason.
     */
    static final FunctionType LEGACY_ASSERT = FunctionType.of(I64_I64, NONE);

    /** The current Wasm type of each harness function ({@code assert} also takes {@link #LEGACY_ASSERT}). */
    static final Map<String, FunctionType> FUNCTIONS = Map.of(
            "call", FunctionType.of(I64_I64, I64),
            "time", FunctionType.of(I64_I64, I64),
            "assert", FunctionType.of(List.of(ValType.I64, ValType.I64, ValType.I64), NONE),
            "group", FunctionType.of(I64, NONE),
            "reset", FunctionType.of(NONE, NONE),
            "mock_input", FunctionType.of(NONE, I64),
            "host_calls", FunctionType.of(NONE, I64));

    /** How {@code host_calls} hands over the calls (a JSON array). */
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final PluginTemplate pluginTemplate;
    private final SimulationListener listener;
    private GuestPlugin plugin;
    private String group;
    private int passed;
    private int failed;
    /** The host calls of the latest {@code call} or {@code time}, in order. */
    private final List<HostCall> hostCalls = new java.util.ArrayList<>();

    /**
     * One call the plugin made to its mock host during the latest plugin call.
     *
     * @param function the host function, e.g. {@code deliver}
     * @param input its payload as text; null when the argument named no block
     * @param output what it answered, as text; null when it failed (trapped) or answered no block
     */
    record HostCall(String function, String input, String output) {}

    Harness(PluginTemplate pluginTemplate, GuestPlugin firstInstance, SimulationListener listener) {
        this.pluginTemplate = pluginTemplate;
        this.plugin = firstInstance;
        this.listener = listener;
    }

    int passed() {
        return passed;
    }

    int failed() {
        return failed;
    }

    /**
     * The harness functions the test module links against, calling the harness of the run in
     * progress ({@code running}); {@code assert} in the shape the module imports it
     * ({@link #accepts}), {@code mock_input} handing out {@code mockInput}.
     */
    static List<HostImport> imports(boolean legacyAssert, byte[] mockInput, Supplier<Harness> running) {
        HostImport.Implementation assertion = (test, args) -> {
            String name = test.readString(args[0], "assert: name");
            String reason = legacyAssert ? "" : test.readString(args[2], "assert: reason");
            running.get().record(name, args[1] != 0, reason);
            return new long[0];
        };
        return List.of(
                define("call", (test, args) -> new long[] {
                    test.writeBlock(orEmpty(running.get().invoke(test, args, false)))}),
                define("time", (test, args) -> new long[] {running.get().timed(test, args)}),
                legacyAssert ? new HostImport(MODULE, "assert", LEGACY_ASSERT, assertion) : define("assert", assertion),
                define("group", (test, args) -> {
                    running.get().startGroup(test.readString(args[0], "group: name"));
                    return new long[0];
                }),
                define("reset", (test, args) -> {
                    running.get().reset();
                    return new long[0];
                }),
                mockInput(mockInput),
                define("host_calls", (test, args) -> new long[] {test.writeBlock(running.get().hostCallsJson())}));
    }

    /** Records a call of the plugin to its mock host (see {@link dev.hackablemail.runner.guest.HostCallObserver}). */
    void hostCall(String function, byte[] input, byte[] output) {
        hostCalls.add(new HostCall(function, text(input), text(output)));
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * {@code host_calls}: the latest plugin call's host calls as a JSON array of
     * {@code {"function", "input", "output"}} objects (strings, or null as {@link HostCall} says).
     */
    private byte[] hostCallsJson() {
        com.fasterxml.jackson.databind.node.ArrayNode calls = JSON.createArrayNode();
        for (HostCall c : hostCalls) {
            calls.addObject().put("function", c.function()).put("input", c.input()).put("output", c.output());
        }
        try {
            return JSON.writeValueAsBytes(calls);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("host calls could not be written as JSON", e);
        }
    }

    private void startGroup(String name) {
        group = name;
        listener.groupStarted(name);
    }

    /** {@code reset}: the plugin under test starts over from a fresh instance. */
    private void reset() {
        plugin.close();
        plugin = pluginTemplate.instantiate();
    }

    private void record(String name, boolean passed, String reason) {
        record(new AssertionResult(group, name, passed, reason));
    }

    /** Whether the harness has {@code name} with this type. */
    static boolean accepts(String name, FunctionType type) {
        return type.equals(FUNCTIONS.get(name)) || name.equals("assert") && type.equals(LEGACY_ASSERT);
    }

    /** {@code mock_input}, also offered to the mock host: it writes into the caller's memory. */
    static HostImport mockInput(byte[] mockInput) {
        return define("mock_input", (caller, args) -> new long[] {mockInput == null ? 0 : caller.writeBlock(mockInput)});
    }

    private static HostImport define(String name, HostImport.Implementation implementation) {
        return new HostImport(MODULE, name, FUNCTIONS.get(name), implementation);
    }

    private long timed(GuestPlugin test, long[] args) {
        long start = System.nanoTime();
        byte[] output = invoke(test, args, true);
        long nanos = System.nanoTime() - start;
        if (output != null) {
            String function = test.readString(args[0], "time: function name");
            listener.callTimed(group, function, nanos);
        }
        return nanos;
    }

    /** Calls the plugin; null when the call failed (the failure is recorded). */
    private byte[] invoke(GuestPlugin test, long[] args, boolean timed) {
        String what = timed ? "time" : "call";
        String function = test.readString(args[0], what + ": function name");
        byte[] input = test.readBlock(args[1], what + ": input");
        hostCalls.clear();
        try {
            if (!plugin.usable()) {
                plugin = pluginTemplate.instantiate();
            }
            return plugin.call(function, input);
        } catch (GuestCallException e) {
            record(new AssertionResult(group, "call " + function, false, e.getMessage()));
            return null;
        }
    }

    private void record(AssertionResult result) {
        if (result.passed()) {
            passed++;
        } else {
            failed++;
        }
        listener.assertion(result);
    }

    /** Ends the current plugin instance. */
    void close() {
        plugin.close();
    }

    private static byte[] orEmpty(byte[] bytes) {
        return bytes == null ? new byte[0] : bytes;
    }
}
