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

    public GuestCallException(Kind kind, String message) {
        this(kind, message, 0, null);
    }

    public GuestCallException(Kind kind, String message, Throwable cause) {
        this(kind, message, 0, cause);
    }

    public GuestCallException(Kind kind, String message, int returnCode, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.returnCode = returnCode;
    }

    public Kind kind() {
        return kind;
    }

    /** The guest's non-zero return code for {@link Kind#ERROR}; 0 otherwise. */
    public int returnCode() {
        return returnCode;
    }
}
