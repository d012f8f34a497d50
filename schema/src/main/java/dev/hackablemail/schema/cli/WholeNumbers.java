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
        cli.registerConverter(Integer.class, new IntConverter());
        cli.registerConverter(Integer.TYPE, new IntConverter());
        cli.registerConverter(Long.class, new LongConverter());
        cli.registerConverter(Long.TYPE, new LongConverter());
    }

    // Classes, not method references: a lambda implementing one of picocli's interfaces (class
    // files of Java 5, which CDS does not archive) crashes JDK 17's dynamic archive dump, and
    // with it bin/xtp-sim's class archive.
    private static final class IntConverter implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return toInt(value);
        }
    }

    private static final class LongConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return toLong(value);
        }
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
