package dev.hackablemail.runner.config;

import dev.hackablemail.runner.guest.GuestLimits;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations and sizes as people write them, read by the same rules everywhere: xtp-sim's
 * flags, the filter's and the push service's YAML, the JUnit engine's configuration
 * parameters and {@code *.simulation.yaml} files.
 *
 * <ul>
 *   <li>A duration is a whole number with a unit {@code ms}, {@code s}, {@code m}, {@code h}
 *       or {@code d}, a bare number of seconds ({@code 10} is {@code 10s}), or ISO-8601
 *       ({@code PT1M30S}).
 *   <li>A size is a whole number of bytes, bare or with {@code B}, or with a unit {@code K},
 *       {@code M} or {@code G}, each also written {@code KB}/{@code KiB} and so on, in any
 *       case; all count in powers of two ({@code 64MB} is {@code 64MiB}).
 *   <li>Negative values are never read. Zero is: {@link #duration} and {@link #bytes} allow
 *       it, {@link #positiveDuration} and {@link #positiveBytes} reject it for settings where
 *       zero means nothing.
 *   <li>A linear-memory limit is a size rounded <em>up</em> to whole 64 KiB Wasm pages
 *       ({@link #memoryPages}): a guest gets at least what was written.
 * </ul>
 */
public final class Quantities {

    /**
     * The longest duration read: ten years. Longer ones are refused when read, because a
     * deadline of {@code System.nanoTime()} plus them overflows a long (at about 292 years).
     */
    public static final Duration MAX_DURATION = Duration.ofDays(3650);

    /** The most pages a 32-bit linear memory has: 4 GiB. */
    private static final int MAX_PAGES = 65536;

    private static final Pattern DURATION = Pattern.compile("(\\d{1,18})\\s*(ms|s|m|h|d)?");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,18})\\s*([KMG]i?B?|B)?", Pattern.CASE_INSENSITIVE);

    private Quantities() {}

    /**
     * A duration of zero or more, at most {@link #MAX_DURATION}.
     *
     * @throws IllegalArgumentException {@code 'TEXT' is not a duration (write it like ...)} or
     *     {@code 'TEXT' is too long: a duration is 0 to 3650d (ten years)}
     */
    public static Duration duration(String text) {
        return atMostMax(text, parseDuration(text), "0");
    }

    private static Duration parseDuration(String text) {
        String t = text == null ? "" : text.trim();
        Matcher m = DURATION.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            try {
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
            } catch (ArithmeticException e) {
                return null; // longer than any Duration: too long
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
        throw new IllegalArgumentException(
                "'" + text + "' is not a duration (write it like 500ms, 10s, 5m, 2h, 7d, PT10S; a bare number is seconds)");
    }

    /** {@code d}, or the range in an error when it is null (overflowed) or longer than the maximum. */
    private static Duration atMostMax(String text, Duration d, String least) {
        if (d == null || d.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("'" + text + "' is too long: a duration is " + least + " to "
                    + MAX_DURATION.toDays() + "d (ten years)");
        }
        return d;
    }

    /**
     * A duration of more than zero, at most {@link #MAX_DURATION}.
     *
     * @throws IllegalArgumentException as {@link #duration}, or {@code 'TEXT' must be more than zero}
     */
    public static Duration positiveDuration(String text) {
        Duration d = atMostMax(text, parseDuration(text), "1ms");
        if (d.isZero()) {
            throw new IllegalArgumentException("'" + text + "' must be more than zero");
        }
        return d;
    }

    /**
     * A number of bytes, zero or more.
     *
     * @throws IllegalArgumentException {@code 'TEXT' is not a size (write it like ...)} or too large
     */
    public static long bytes(String text) {
        Matcher m = text == null ? null : SIZE.matcher(text.trim());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a size (write it like 65536, 512KiB, 64MiB, 1GiB; a bare number is bytes)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
        int shift = unit.charAt(0) == 'K' ? 10 : unit.charAt(0) == 'M' ? 20 : unit.charAt(0) == 'G' ? 30 : 0;
        if (n > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        return n << shift;
    }

    /**
     * A number of bytes, more than zero.
     *
     * @throws IllegalArgumentException as {@link #bytes}, or {@code 'TEXT' must be more than zero}
     */
    public static long positiveBytes(String text) {
        long n = bytes(text);
        if (n == 0) {
            throw new IllegalArgumentException("'" + text + "' must be more than zero");
        }
        return n;
    }

    /**
     * A linear-memory limit: a size of more than zero, rounded up to whole 64 KiB pages, at
     * most 4 GiB.
     *
     * @throws IllegalArgumentException as {@link #positiveBytes}, or when more than 4 GiB
     */
    public static int memoryPages(String text) {
        long bytes = positiveBytes(text);
        long pages = bytes / GuestLimits.PAGE_SIZE + (bytes % GuestLimits.PAGE_SIZE == 0 ? 0 : 1);
        if (pages > MAX_PAGES) {
            throw new IllegalArgumentException("'" + text + "' is more than the 4GiB a linear memory can have");
        }
        return (int) pages;
    }
}
