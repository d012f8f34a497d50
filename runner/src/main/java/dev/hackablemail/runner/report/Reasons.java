package dev.hackablemail.runner.report;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

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

    /**
     * Why {@code file} could not be written, as "FILE: cannot be written: REASON": a missing
     * parent is "no such folder", not the "no such file" a reader would take for the file.
     */
    public static String writing(Path file, Throwable t) {
        String reason;
        if (t instanceof NoSuchFileException) {
            reason = "no such folder";
        } else if (t instanceof AccessDeniedException) {
            reason = "permission denied";
        } else if (t instanceof FileSystemException e && e.getReason() != null) {
            reason = words(e.getReason());
        } else if (t instanceof FileNotFoundException e && e.getMessage() != null && e.getMessage().endsWith(")")
                && e.getMessage().contains(" (")) {
            // java.io's form: "PATH (REASON)"
            reason = words(e.getMessage().substring(e.getMessage().lastIndexOf(" (") + 2, e.getMessage().length() - 1));
        } else {
            reason = of(t);
        }
        return file + ": cannot be written: " + reason;
    }

    /** The operating system's reason in the project's words ("Is a directory" is "is a folder"). */
    private static String words(String reason) {
        return switch (reason) {
            case "Is a directory" -> "is a folder";
            case "No such file or directory" -> "no such folder";
            case "Not a directory" -> "a part of the path is not a folder";
            case "Permission denied" -> "permission denied";
            default -> reason.isEmpty() ? reason : Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
        };
    }
}
