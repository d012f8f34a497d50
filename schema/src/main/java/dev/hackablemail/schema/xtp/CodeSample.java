package dev.hackablemail.schema.xtp;

/** A code sample shown to plugin authors; {@code label} may be null. */
public record CodeSample(String lang, String source, String label) {}
