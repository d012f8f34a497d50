package dev.hackablemail.junit;

import dev.hackablemail.runner.fuzz.Fuzzer;
import dev.hackablemail.schema.xtp.Schema;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@code fuzz:} section of a simulation file: fuzz one export of the plugin with inputs
 * generated from the schema (see {@link Fuzzer}).
 *
 * @param schemaFile the schema's file
 * @param schema the schema, read at discovery
 * @param export the export to fuzz (resolved: never null)
 * @param runs at most this many inputs
 * @param seed the seed
 * @param time at most this long running inputs
 */
record FuzzDefinition(Path schemaFile, Schema schema, String export, int runs, long seed, Duration time) {

    /** The seed when the file names none: builds must be reproducible. */
    static final long DEFAULT_SEED = 1;
}
