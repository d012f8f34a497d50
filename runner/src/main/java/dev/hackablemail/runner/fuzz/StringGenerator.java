package dev.hackablemail.runner.fuzz;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Strings biased toward what breaks code that handles text: empty ones, very long ones (tens
 * to hundreds of KB, and lengths just around 64 KiB), every UTF-8 sequence length, control
 * characters, quotes and backslashes, and the plugin's own dictionary words.
 */
final class StringGenerator {

    /** Pieces by UTF-8 length: 1 to 4 bytes a character. */
    static final List<String> ONE_BYTE = List.of("a", "Z", "0", " ", "~", "-", "@", ".");
    static final List<String> TWO_BYTES = List.of("é", "ß", "ñ", "Ω", "щ", "\u0080", "\u07ff");
    static final List<String> THREE_BYTES = List.of("€", "日本語", "한", "\u0800", "\ufeff", "\u2028", "\u200b", "\uffff");
    static final List<String> FOUR_BYTES = List.of("😀", "𝄞", "\ud800\udc00", "\udbff\udfff");
    static final List<String> CONTROLS = List.of("\u0000", "\r", "\n", "\r\n", "\t", "\u001b", "\u007f", "\u0001", "\b", "\f");
    static final List<String> QUOTES = List.of("\"", "\\", "'", "\\\"", "\\u0000", "\\n", "</", "%s", "${x}", "=?UTF-8?B?");
    static final List<String> WORDS = List.of("hello", "RE:", "Subject", "test", "x", "Fwd:", "a@b.c", "<>");

    /** Long lengths: around 64 KiB (16-bit counters) and up to a few hundred KB. */
    private static final int[] LONG_LENGTHS = {10_000, 32_767, 32_768, 65_535, 65_536, 65_537, 100_000, 150_000, 200_000};

    private final Dictionary dictionary;

    StringGenerator(Dictionary dictionary) {
        this.dictionary = dictionary;
    }

    /**
     * One string, at most about {@code budget} characters long (long strings only when the
     * budget allows them, so one input never grows without bound).
     */
    String next(SplittableRandom random, int budget) {
        int mode = random.nextInt(100);
        if (mode < 8) {
            return "";
        }
        if (mode < 25 && !dictionary.isEmpty()) {
            String token = pick(random, dictionary.tokens());
            return random.nextInt(3) == 0 ? mixed(random, 3) + token + mixed(random, 3) : token;
        }
        if (mode < 40) {
            return ascii(random, 1 + random.nextInt(24));
        }
        if (mode < 90 || budget < LONG_LENGTHS[0]) {
            return mixed(random, 1 + random.nextInt(8));
        }
        return longString(random, budget);
    }

    /** A short printable ASCII string. */
    String ascii(SplittableRandom random, int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append((char) (0x20 + random.nextInt(0x5f)));
        }
        return s.toString();
    }

    /** A concatenation of {@code pieces} pieces of every kind. */
    String mixed(SplittableRandom random, int pieces) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < pieces; i++) {
            s.append(piece(random));
        }
        return s.toString();
    }

    private String piece(SplittableRandom random) {
        switch (random.nextInt(dictionary.isEmpty() ? 8 : 9)) {
            case 0: return pick(random, ONE_BYTE);
            case 1: return pick(random, TWO_BYTES);
            case 2: return pick(random, THREE_BYTES);
            case 3: return pick(random, FOUR_BYTES);
            case 4: return pick(random, CONTROLS);
            case 5: return pick(random, QUOTES);
            case 6: return pick(random, WORDS);
            case 7: return ascii(random, 1 + random.nextInt(8));
            default: return pick(random, dictionary.tokens());
        }
    }

    private String longString(SplittableRandom random, int budget) {
        int length = LONG_LENGTHS[random.nextInt(LONG_LENGTHS.length)];
        while (length > budget) {
            length /= 2;
        }
        String unit = random.nextBoolean() ? pick(random, ONE_BYTE) : mixed(random, 1 + random.nextInt(4));
        StringBuilder s = new StringBuilder(length + unit.length());
        while (s.length() < length) {
            s.append(unit);
        }
        return s.toString();
    }

    static <T> T pick(SplittableRandom random, List<T> from) {
        return from.get(random.nextInt(from.size()));
    }
}
