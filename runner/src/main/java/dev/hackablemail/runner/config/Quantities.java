package dev.hackablemail.runner.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations and sizes as people write them in command lines and configuration files, read
 * the same way everywhere (xtp-sim's flags, the filter's and the push service's YAML).
 */
public final class Quantities {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,18})\\s*(ms|s|m|h|d)?");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,18})\\s*([KMG]i?B?|B)?", Pattern.CASE_INSENSITIVE);

    private Quantities() {}

    /**
     * {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 7d}, a bare number of seconds,
     * or ISO-8601 ({@code PT10S}). Zero is allowed; callers that need more say so.
     *
     * @throws IllegalArgumentException {@code 'TEXT' is not a duration (examples: ...)}
     */
    public static Duration duration(String text) {
        String t = text == null ? "" : text.trim();
        Matcher m = DURATION.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            switch (m.group(2) == null ? "s" : m.group(2)) {
                case "ms":
                    return Duration.ofMillis(n);
                case "m":
                    return Duration.ofMinutes(n);
                case "h":
                    return Duration.ofHours(n);
                case "d":
                    return Duration.ofDays(n);
                default:
                    return Duration.ofSeconds(n);
            }
        }
        try {
            Duration d = Duration.parse(t);
            if (!d.isNegative()) {
                return d;
            }
        } catch (DateTimeParseException e) {
            // below
        }
        throw new IllegalArgumentException("'" + text + "' is not a duration (examples: 500ms, 10s, 5m, 2h, 7d)");
    }

    /**
     * A number of bytes: {@code 65536}, {@code 512KiB}, {@code 64MiB}, {@code 1GiB} (K, KB,
     * KiB and their M and G forms all count in powers of two, whatever their case).
     *
     * @throws IllegalArgumentException {@code 'TEXT' is not a size (examples: ...)} or too large
     */
    public static long bytes(String text) {
        Matcher m = text == null ? null : SIZE.matcher(text.trim());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size (examples: 65536, 512KiB, 64MiB, 1GiB)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
        int shift = unit.charAt(0) == 'K' ? 10 : unit.charAt(0) == 'M' ? 20 : unit.charAt(0) == 'G' ? 30 : 0;
        if (n > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        return n << shift;
    }
}
