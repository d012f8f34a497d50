package dev.hackablemail.runner.sim;

/** A simulation could not start: a module is missing, invalid or cannot be linked. */
public class SimulationSetupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SimulationSetupException(String message) {
        super(message);
    }

    public SimulationSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
