package dev.hackablemail.runner.push;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.List;

/**
 * The push API's answers ({@code /api/v1/plugin}), one record per kind, written by the
 * server (plugin-service) and read by its clients ({@code xtp-sim plugin}, the admin
 * command) with the same Jackson mapping, so both sides agree on every field. The JSON has
 * no type field (its shape says which answer it is); {@link #read(JsonNode)} decides.
 * Fields that are null are written as JSON null unless marked absent-when-null.
 */
public sealed interface PushAnswer {

    /**
     * The mapping both sides use: Jackson writes a record's fields in declaration order; a
     * reader ignores fields it does not know (a newer server may add some).
     */
    ObjectMapper JSON = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /** {@link GateAnswer#result} of a plugin that passed the gate. */
    String ACCEPTED = "accepted";
    /** {@link GateAnswer#result} of a plugin that did not. */
    String REJECTED = "rejected";
    /** {@link GateAnswer#action} of a rollback (else {@code push}). */
    String ROLLBACK = "rollback";
    String PUSH = "push";

    /**
     * A push or rollback: accepted (the version is active) or rejected (with the reasons).
     *
     * @param error why it was rejected; absent when accepted
     * @param version the version now active (accepted), or the version rolled back to
     *     (rejected rollback; null for a rejected push)
     * @param unchanged the plugin was already the active one; absent when rejected
     * @param active the active version after the answer (null when none or not pushed)
     * @param check the schema check; absent when the gate did not run (an unchanged rollback)
     * @param simulations every simulation's outcome; absent when the gate did not run
     * @param simulationMillis the simulations' wall time; absent when the gate did not run
     * @param pruned versions dropped to keep {@code keep_versions}; absent when none
     * @param millis the whole request's wall time
     */
    record GateAnswer(String result, String action, String address,
            @JsonInclude(Include.NON_NULL) String error, Integer version, String sha256, long size,
            @JsonInclude(Include.NON_NULL) Boolean unchanged, Integer active, List<String> reasons,
            @JsonInclude(Include.NON_NULL) Check check,
            @JsonInclude(Include.NON_NULL) List<Simulation> simulations,
            @JsonInclude(Include.NON_NULL) Long simulationMillis,
            @JsonInclude(Include.NON_EMPTY) List<Integer> pruned, long millis) implements PushAnswer {

        public GateAnswer {
            reasons = reasons == null ? List.of() : List.copyOf(reasons);
            pruned = pruned == null ? List.of() : List.copyOf(pruned); // absent on the wire when empty
        }

        public boolean accepted() {
            return ACCEPTED.equals(result);
        }

        public boolean rollback() {
            return ROLLBACK.equals(action);
        }
    }

    /** The schema check of a plugin: its problems (none = passed) and its time. */
    record Check(boolean passed, List<String> problems, long millis) {}

    /**
     * One check's outcome at the gate: a simulation, or the fuzzing.
     *
     * @param name the simulation's name ({@code contract} by default; an author's: its file name),
     *     or {@code fuzz onEmail}
     * @param testReturnCode what the test module's {@code test} returned; null when it did not
     * @param error why it did not run or return normally; null when it did
     * @param kind whose check it is: {@code server} (a simulation the server runs on every plugin),
     *     {@code fuzz}, or {@code author} (a simulation pushed with the plugin)
     */
    record Simulation(String name, boolean successful, int passed, int failed, Integer testReturnCode, String error,
            long millis, List<Failure> failures, String kind) {

        /** A server simulation's outcome. */
        public Simulation(String name, boolean successful, int passed, int failed, Integer testReturnCode,
                String error, long millis, List<Failure> failures) {
            this(name, successful, passed, failed, testReturnCode, error, millis, failures, "server");
        }
    }

    /** One failed assert: its group (null before the first group), its name and its message. */
    record Failure(String group, String assertion, String reason) {}

    /** A removal: whether a plugin was active, and which version (null when none or not pushed). */
    record RemoveAnswer(String result, String address, boolean removed, Integer version) implements PushAnswer {
        public static final String RESULT = "removed";

        public RemoveAnswer(String address, boolean removed, Integer version) {
            this(RESULT, address, removed, version);
        }
    }

    /** A token revocation: whether there was a token. */
    record RevokeAnswer(String result, String address, boolean revoked) implements PushAnswer {
        public static final String RESULT = "revoked";

        public RevokeAnswer(String address, boolean revoked) {
            this(RESULT, address, revoked);
        }
    }

    /**
     * The kept versions of a guest's plugin.
     *
     * @param active the active version; null when none is active or it matches no kept version
     * @param activeSha256 the active plugin's digest; null when none is active
     * @param note why {@code active} is null while a plugin is active; absent otherwise
     */
    record VersionList(String address, Integer active, String activeSha256,
            @JsonInclude(Include.NON_NULL) String note, List<Version> versions) implements PushAnswer {}

    /** One kept version; {@code pushed} is an ISO-8601 instant, {@code by} guest or admin. */
    record Version(int version, String sha256, long size, String pushed, String by, boolean active,
            List<SimulationSummary> simulations) {}

    /** How a kept version fared in one simulation when it was pushed. */
    record SimulationSummary(String name, int passed, int failed, long millis) {}

    /** A guest's aliases: the other addresses that are theirs. */
    record Aliases(String address, List<String> aliases) implements PushAnswer {}

    /** A refused request: why, and the HTTP status. */
    record ErrorAnswer(String error, int status) implements PushAnswer {}

    /**
     * Reads an answer by its shape: a {@code result} names a push, rollback, removal or
     * revocation; {@code versions} is a list; {@code aliases} the aliases; anything else is
     * an error answer.
     *
     * @throws IOException when the JSON does not fit the answer its shape names
     */
    static PushAnswer read(JsonNode body) throws IOException {
        String result = body.path("result").asText("");
        Class<? extends PushAnswer> type;
        if (result.equals(ACCEPTED) || result.equals(REJECTED)) {
            type = GateAnswer.class;
        } else if (result.equals(RemoveAnswer.RESULT)) {
            type = RemoveAnswer.class;
        } else if (result.equals(RevokeAnswer.RESULT)) {
            type = RevokeAnswer.class;
        } else if (body.has("versions")) {
            type = VersionList.class;
        } else if (body.has("aliases")) {
            type = Aliases.class;
        } else {
            type = ErrorAnswer.class;
        }
        return JSON.treeToValue(body, type);
    }
}
