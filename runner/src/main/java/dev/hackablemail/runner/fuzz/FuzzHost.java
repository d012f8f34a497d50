package dev.hackablemail.runner.fuzz;

import com.dylibso.chicory.wasm.types.FunctionType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hackablemail.runner.guest.GuestPlugin;
import dev.hackablemail.runner.guest.HostImport;
import dev.hackablemail.schema.payload.Direction;
import dev.hackablemail.schema.payload.PayloadValidator;
import dev.hackablemail.schema.wasm.Signatures;
import dev.hackablemail.schema.xtp.FunctionDecl;
import dev.hackablemail.schema.xtp.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * The plugin's {@code extism:host/user} functions while fuzzing, one per import the schema
 * declares. Each checks the payload the plugin passes against the import's input type, then
 * answers: through the mock host when there is one, else with a generated value of the
 * import's output type (failure codes included). Generated answers come from a seed, in call
 * order, so the same seed gives the same answers to the same calls.
 *
 * <p>Not thread safe: one plugin call at a time, framed by {@link #begin} and {@link #end}.
 */
final class FuzzHost {

    private final Schema schema;
    private final ValueGenerator answers;
    private final boolean mockHost;
    private SplittableRandom random = new SplittableRandom(0);
    private List<HostCall> calls = new ArrayList<>();

    FuzzHost(Schema schema, Dictionary dictionary, boolean mockHost) {
        this.schema = schema;
        this.answers = new ValueGenerator(schema, dictionary);
        this.mockHost = mockHost;
    }

    /**
     * The host functions to link into the plugin: every import of the schema, except, with a
     * mock host, those it does not export (linking then says so, as without fuzzing).
     */
    List<HostImport> imports(Predicate<String> mockHostExports) {
        List<HostImport> imports = new ArrayList<>();
        for (FunctionDecl function : schema.imports().values()) {
            if (mockHost && !mockHostExports.test(function.name())) {
                continue;
            }
            FunctionType type = Signatures.hostImport(function);
            imports.add(new HostImport(HostImport.USER_MODULE, function.name(), type,
                    (caller, args) -> call(function, caller, args)));
        }
        return imports;
    }

    /** Starts a plugin call whose generated answers come from {@code seed}. */
    void begin(long seed) {
        random = new SplittableRandom(seed);
        calls = new ArrayList<>();
    }

    /** The host calls made since {@link #begin}. */
    List<HostCall> end() {
        return List.copyOf(calls);
    }

    private long[] call(FunctionDecl function, GuestPlugin caller, long[] args) {
        String name = function.name();
        byte[] payload = function.hasInput() ? caller.readBlock(args[0], "input of " + name) : new byte[0];
        List<String> problems = PayloadValidator.validate(schema, function, Direction.INPUT, payload);
        // recorded before the host answers: a mock host may trap on a bad payload
        int index = calls.size();
        calls.add(new HostCall(name, payload, new byte[0], problems));
        long[] result;
        byte[] answer;
        if (mockHost) {
            result = caller.callMockHost(name, args);
            answer = result.length == 0 ? new byte[0] : caller.readBlock(result[0], "output of " + name);
        } else {
            answer = function.hasOutput() ? Payloads.encode(function.output(), answer(function)) : new byte[0];
            result = function.hasOutput() ? new long[] {caller.writeBlock(answer)} : new long[0];
        }
        calls.set(index, new HostCall(name, payload, answer, problems));
        return result;
    }

    /** Half of the answers are the type's plainest value (0: success), the others anything. */
    private JsonNode answer(FunctionDecl function) {
        return random.nextBoolean() ? answers.plainest(function.output().type())
                : answers.generate(function.output().type(), random);
    }
}
