package dev.hackablemail.runner.guest;

/**
 * A module could not be read, parsed, linked or instantiated. The message names the file
 * and the problem; nothing ran.
 */
public class GuestLoadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public GuestLoadException(String message) {
        super(message);
    }

    public GuestLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
