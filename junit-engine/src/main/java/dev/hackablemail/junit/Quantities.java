package dev.hackablemail.junit;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the durations and sizes of configuration parameters and simulation files. */
final class Quantities {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB)?");

    private Quantities() {}

    /**
     * A positive duration such as {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h} or
     * {@code PT5S}.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code text}
     */
    static Duration duration(String text) {
        String trimmed = text.trim();
        Duration value;
        Matcher m = DURATION.matcher(trimmed);
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            value = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        } else if (trimmed.toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                value = Duration.parse(trimmed);
            } catch (DateTimeParseException e) {
                throw notA("duration", text, "500ms, 5s, 2m, 1h or PT5S");
            }
        } else {
            throw notA("duration", text, "500ms, 5s, 2m, 1h or PT5S");
        }
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException("'" + text + "' is not a positive duration");
        }
        return value;
    }

    /**
     * A positive number of bytes such as {@code 65536}, {@code 512KiB}, {@code 64MiB} or
     * {@code 1GiB}.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code text}
     */
    static long bytes(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw notA("size", text, "65536, 512KiB, 64MiB or 1GiB");
        }
        int shift = m.group(2) == null ? 0 : switch (m.group(2)) {
            case "KiB" -> 10;
            case "MiB" -> 20;
            case "GiB" -> 30;
            default -> 0;
        };
        long amount;
        try {
            amount = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        if (amount == 0) {
            throw new IllegalArgumentException("'" + text + "' is not a positive size");
        }
        if (amount > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        return amount << shift;
    }

    /** The 64 KiB pages of a linear-memory limit given in bytes (rounded down). */
    static int memoryPages(long bytes) {
        long pages = bytes / 65536;
        if (pages < 1 || pages > 65536) {
            throw new IllegalArgumentException("linear memory must be 64KiB to 4GiB, got " + bytes + " bytes");
        }
        return (int) pages;
    }

    private static IllegalArgumentException notA(String what, String text, String examples) {
        return new IllegalArgumentException("'" + text + "' is not a " + what + " (write it like " + examples + ")");
    }
}
