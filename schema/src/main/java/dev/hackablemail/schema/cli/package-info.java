/**
 * Picocli commands for the {@code xtp-sim} command line (registered there as subcommands):
 * {@link dev.hackablemail.schema.cli.SchemaCommand} ({@code schema validate}) and
 * {@link dev.hackablemail.schema.cli.CheckCommand} ({@code check}).
 *
 * <p>Exit codes: 0 clean, 1 problems found (listed on standard output, one a line, then a
 * summary), 2 unusable input (missing file, not YAML, not Wasm, or bad arguments; the
 * reason on standard error).
 */
package dev.hackablemail.schema.cli;
