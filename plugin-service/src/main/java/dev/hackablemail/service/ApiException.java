package dev.hackablemail.service;

/**
 * A request the service refuses, with the HTTP status that says why (the admin command
 * maps it to an exit code). The message is shown to the caller as is.
 */
public final class ApiException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    static ApiException tooLarge(String message) {
        return new ApiException(413, message);
    }

    static ApiException busy(String message) {
        return new ApiException(429, message);
    }
}
