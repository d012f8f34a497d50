package dev.hackablemail.schema.cli;

import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

/**
 * Whole-number options and parameters that say what they expect: picocli's own converters
 * answer {@code '99999999999' is not an int}, which names a Java type and no range.
 */
public final class WholeNumbers {

    private WholeNumbers() {}

    /** Registers the converters for {@code int} and {@code long} on {@code cli} and the subcommands it has now. */
    public static void register(CommandLine cli) {
        cli.registerConverter(Integer.class, WholeNumbers::toInt);
        cli.registerConverter(Integer.TYPE, WholeNumbers::toInt);
        cli.registerConverter(Long.class, WholeNumbers::toLong);
        cli.registerConverter(Long.TYPE, WholeNumbers::toLong);
    }

    static Integer toInt(String value) {
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a whole number from 0 to " + Integer.MAX_VALUE);
        }
    }

    static Long toLong(String value) {
        try {
            return Long.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a whole number from " + Long.MIN_VALUE + " to "
                    + Long.MAX_VALUE);
        }
    }
}
