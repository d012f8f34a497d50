package dev.hackablemail.runner.project;

/** A module named by URL cannot be had: not downloadable, or not cached while offline. The message names the URL. */
public class ModuleSourceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ModuleSourceException(String message) {
        super(message);
    }
}
