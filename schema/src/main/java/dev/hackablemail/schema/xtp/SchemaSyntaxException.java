package dev.hackablemail.schema.xtp;

import java.io.IOException;

/**
 * A schema file that is not YAML at all, so nothing in it can be checked. An
 * {@link IOException} because, for a caller, it is one more way a file cannot be read.
 */
public class SchemaSyntaxException extends IOException {

    private static final long serialVersionUID = 1L;

    public SchemaSyntaxException(String message, Throwable cause) {
        super(message, cause);
    }
}
