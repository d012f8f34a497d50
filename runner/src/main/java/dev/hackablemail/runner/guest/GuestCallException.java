package dev.hackablemail.runner.guest;

/** One guest call failed. The kind says why; the message says it for a person. */
public class GuestCallException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why a call failed. */
    public enum Kind {
        /** The export does not exist or has not the Extism shape {@code () -> i32}. */
        MISSING_EXPORT,
        /** The guest returned a non-zero code (usually with a message set by {@code error_set}). */
        ERROR,
        /** The guest trapped (unreachable, out-of-bounds access, stack overflow...). */
        TRAP,
        /** The call ran past its wall-time limit and was interrupted. */
        TIMEOUT,
        /** The guest exceeded a memory, kernel-allocation or output limit. */
        LIMIT,
        /** A host function the guest called failed (a contract violation, a host error). */
        HOST
    }

    private final Kind kind;
    private final int returnCode;
    private final String guestError;

    public GuestCallException(Kind kind, String message) {
        this(kind, message, 0, null);
    }

    public GuestCallException(Kind kind, String message, Throwable cause) {
        this(kind, message, 0, cause);
    }

    public GuestCallException(Kind kind, String message, int returnCode, Throwable cause) {
        this(kind, message, returnCode, null, cause);
    }

    /** A failure with the message the guest itself gave, with {@code error_set}. */
    public GuestCallException(Kind kind, String message, int returnCode, String guestError, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.returnCode = returnCode;
        this.guestError = guestError == null || guestError.isEmpty() ? null : guestError;
    }

    public Kind kind() {
        return kind;
    }

    /** What the guest said with {@code error_set} before it returned non-zero; null when nothing. */
    public String guestError() {
        return guestError;
    }

    /** The guest's non-zero return code for {@link Kind#ERROR}; 0 otherwise. */
    public int returnCode() {
        return returnCode;
    }
}
