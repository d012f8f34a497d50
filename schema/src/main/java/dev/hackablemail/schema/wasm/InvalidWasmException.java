package dev.hackablemail.schema.wasm;

import java.io.IOException;

/**
 * Bytes that are not a Wasm module. An {@link IOException} because, for a caller, it is
 * one more way a file cannot be read. The message names the file.
 */
public class InvalidWasmException extends IOException {

    private static final long serialVersionUID = 1L;

    public InvalidWasmException(String message, Throwable cause) {
        super(message, cause);
    }
}
