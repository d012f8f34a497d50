package dev.hackablemail.runner.cli;

import dev.hackablemail.runner.config.Quantities;
import dev.hackablemail.runner.guest.Execution;
import java.time.Duration;
import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converters for the settings {@link Quantities} and {@link Execution} read. */
final class Conversions {

    private Conversions() {}

    /** A duration of more than zero. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return read(Quantities::positiveDuration, value);
        }
    }

    /** A size in bytes. */
    static final class SizeConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return read(Quantities::bytes, value);
        }
    }

    /** A size in bytes, more than zero. */
    static final class PositiveSizeConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return read(Quantities::positiveBytes, value);
        }
    }

    /** A linear-memory limit in 64 KiB pages, from a size rounded up to whole pages. */
    static final class MemoryConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return read(Quantities::memoryPages, value);
        }
    }

    /** {@code compiler} or {@code interpreter}. */
    static final class ExecutionConverter implements ITypeConverter<Execution> {
        @Override
        public Execution convert(String value) {
            return read(Execution::named, value);
        }
    }

    /** A guest log level: trace, debug, info, warn (or warning), error, off. */
    static final class LogLevelConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (!value.matches("(?i)trace|debug|info|warn|warning|error|off")) {
                throw new TypeConversionException("'" + value + "' is not a log level: trace, debug, info, warn, "
                        + "error or off");
            }
            return value;
        }
    }

    /** A count of 0 or more. */
    static final class CountConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int n;
            try {
                n = Integer.parseInt(value.strip());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 0) {
                throw new TypeConversionException("'" + value + "' is not a count: a whole number from 0 to "
                        + Integer.MAX_VALUE);
            }
            return n;
        }
    }

    private static <T> T read(Function<String, T> reader, String value) {
        try {
            return reader.apply(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
