package dev.hackablemail.service;

import java.util.ArrayList;
import java.util.List;

/**
 * What the gate found about one plugin: the schema check's problems and every simulation's
 * outcome. The plugin may become active only when {@link #passed()}.
 *
 * @param problems why the plugin does not fit the extension point (not Wasm, a missing or
 *     mistyped export, an unknown import); the simulations do not run when there are any
 * @param simulations every configured simulation, in order (empty when the check failed)
 * @param checkMillis how long the schema check took
 * @param simulationMillis how long the simulations took, all together
 */
public record GateReport(List<String> problems, List<SimulationOutcome> simulations, long checkMillis,
        long simulationMillis) {

    public GateReport {
        problems = List.copyOf(problems);
        simulations = List.copyOf(simulations);
    }

    /** The schema check found nothing and every simulation passed. */
    public boolean passed() {
        return problems.isEmpty() && !simulations.isEmpty()
                && simulations.stream().allMatch(SimulationOutcome::successful);
    }

    /** Which check an outcome comes from; it names the check in every reason. */
    public enum Kind {
        /** A simulation the server runs on every plugin ({@code service.simulations}: the contract by default). */
        SERVER("server"),
        /** The fuzzing of {@code onEmail}. */
        FUZZ("fuzz"),
        /** A simulation the author pushed with the plugin. */
        AUTHOR("author"),
        /** Mail test cases the author pushed with the plugin (a {@code *.cases.yaml} file). */
        CASES("cases");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        /** Its name in the API's answers. */
        public String id() {
            return id;
        }
    }

    /** The schema check found nothing and the server's own checks (its simulations, the fuzzing) passed. */
    public boolean serverChecksPassed() {
        return problems.isEmpty() && simulations.stream().filter(s -> s.kind() != Kind.AUTHOR && s.kind() != Kind.CASES)
                .allMatch(SimulationOutcome::successful);
    }

    /**
     * One line per failed check, failed assert, error or non-zero test return code, each
     * starting with the check it comes from: {@code schema check:}, {@code contract simulation:}
     * (or {@code server simulation NAME:}), {@code fuzz:}, {@code your simulation NAME:},
     * {@code your cases FILE: case NAME:}.
     */
    public List<String> reasons() {
        List<String> reasons = new ArrayList<>();
        for (String p : problems) {
            reasons.add("schema check: " + p);
        }
        for (SimulationOutcome s : simulations) {
            reasons.addAll(s.reasons());
        }
        return reasons;
    }

    /**
     * How one simulation (or the fuzzing) ended.
     *
     * @param kind which check it is
     * @param name the simulation's name
     * @param successful every assert held and {@code test} returned 0
     * @param passed asserts that held
     * @param failed asserts that failed (failed plugin calls included)
     * @param testReturnCode what {@code test} returned; null when it did not return
     * @param error why it did not run or did not return normally; null when it did
     * @param millis its wall time
     * @param failures every failed assert
     */
    public record SimulationOutcome(Kind kind, String name, boolean successful, int passed, int failed,
            Integer testReturnCode, String error, long millis, List<Failure> failures) {

        public SimulationOutcome {
            failures = List.copyOf(failures);
        }

        /** How reasons name this check. */
        String label() {
            switch (kind) {
                case FUZZ:
                    return "fuzz";
                case AUTHOR:
                    return "your simulation " + name;
                case CASES:
                    return "your cases " + name;
                default:
                    return name.equals(ServiceConfig.CONTRACT) ? "contract simulation" : "server simulation " + name;
            }
        }

        List<String> reasons() {
            List<String> reasons = new ArrayList<>();
            String prefix = label() + ": ";
            for (Failure f : failures) {
                reasons.add(prefix + (f.group() == null ? "" : f.group() + ": ") + f.assertion()
                        + (f.reason() == null || f.reason().isEmpty() ? "" : ": " + f.reason()));
            }
            if (testReturnCode != null && testReturnCode != 0) {
                reasons.add(prefix + "the test module returned " + testReturnCode + (error == null ? "" : ": " + error));
            } else if (error != null) {
                reasons.add(prefix + error);
            } else if (!successful && failures.isEmpty()) {
                reasons.add(prefix + "failed");
            }
            return reasons;
        }
    }

    /** One failed assert: its group (null before the first group), its name and its message. */
    public record Failure(String group, String assertion, String reason) {}
}
