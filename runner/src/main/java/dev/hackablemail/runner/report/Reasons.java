package dev.hackablemail.runner.report;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * What went wrong, in words for the person reading an error line: an exception's message,
 * never its class name (a {@code java.nio.file.NoSuchFileException: /x} is "/x: no such
 * file"). For errors that are not the user's: messages, logs, SMTP replies.
 */
public final class Reasons {

    private Reasons() {}

    /** The reason {@code t} gives, in one line, without Java class names. */
    public static String of(Throwable t) {
        String reason;
        if (t.getCause() != null && t.getCause() != t && (t.getMessage() == null
                || t.getMessage().equals(t.getCause().toString()))) {
            return of(t.getCause()); // a wrapper (UncheckedIOException...) that says only what it wraps
        } else if (t instanceof NoSuchFileException e) {
            reason = e.getFile() + ": no such file";
        } else if (t instanceof AccessDeniedException e) {
            reason = e.getFile() + ": permission denied";
        } else if (t instanceof FileAlreadyExistsException e) {
            reason = e.getFile() + ": already exists";
        } else if (t instanceof NotDirectoryException e) {
            reason = e.getFile() + ": not a folder";
        } else if (t instanceof FileSystemException e && e.getReason() != null) {
            reason = (e.getFile() == null ? "" : e.getFile() + ": ") + e.getReason();
        } else if (t instanceof OutOfMemoryError) {
            reason = "the JVM ran out of memory";
        } else if (t instanceof StackOverflowError) {
            reason = "nesting too deep (the stack ran out)";
        } else if (t.getMessage() != null && !t.getMessage().isBlank()) {
            reason = t.getMessage();
        } else {
            reason = t instanceof IOException ? "an input/output error with no details" : "an error with no details";
        }
        return reason.replaceAll("[\\r\\n]+", " ").strip();
    }
}
