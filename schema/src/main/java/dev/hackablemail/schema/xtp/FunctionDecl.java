package dev.hackablemail.schema.xtp;

import java.util.List;

/**
 * An export (a function the plugin provides) or an import (a host function the plugin
 * may call). In {@code v0} schemas only the name is known.
 *
 * @param name the function's name, also its Wasm export or import name
 * @param description text for plugin authors, may be null
 * @param codeSamples examples shown to plugin authors
 * @param input what the caller passes, or null when it passes nothing
 * @param output what the callee returns, or null when it returns nothing
 * @param location where it is declared, may be null
 */
public record FunctionDecl(
        String name,
        String description,
        List<CodeSample> codeSamples,
        Parameter input,
        Parameter output,
        Location location) {

    public FunctionDecl {
        codeSamples = codeSamples == null ? List.of() : List.copyOf(codeSamples);
    }

    public boolean hasInput() {
        return input != null;
    }

    public boolean hasOutput() {
        return output != null;
    }
}
