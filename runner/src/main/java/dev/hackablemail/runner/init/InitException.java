package dev.hackablemail.runner.init;

/** Plugin init or build could not be done; the message names the file or value and the problem. */
public final class InitException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InitException(String message) {
        super(message);
    }
}
