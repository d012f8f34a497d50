package dev.hackablemail.runner.sim;

/**
 * One assertion a test module made, or one failed call of the plugin (recorded as a
 * failed assertion named {@code call <function>}).
 *
 * @param group the group it belongs to, null before the first {@code group}
 * @param name its label
 * @param passed whether it held
 * @param reason the message shown when it failed (may be empty)
 */
public record AssertionResult(String group, String name, boolean passed, String reason) {}
