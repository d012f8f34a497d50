package dev.hackablemail.runner.fuzz;

/** Fuzzing cannot start: the schema has no such export, the plugin does not export it... */
public class FuzzSetupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public FuzzSetupException(String message) {
        super(message);
    }
}
