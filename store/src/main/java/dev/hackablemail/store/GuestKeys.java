package dev.hackablemail.store;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The key of an address in the store: its folder name in a folder store, its row's key in
 * PostgreSQL. The lower-case hex of the lower-cased address's UTF-8 bytes while that fits a
 * file name with room to spare (the layout every existing store has); for a longer address
 * (a valid one may have 254 characters and more bytes), {@code h-} and the SHA-256 of the
 * same bytes. {@code h} is no hex digit, so the two kinds never collide.
 */
public final class GuestKeys {

    /** The longest hex key: 200 characters, an address of up to 100 bytes; a file name may have 255. */
    static final int MAX_HEX_KEY = 200;
    static final String HASHED_PREFIX = "h-";

    private GuestKeys() {}

    public static String of(String address) {
        byte[] bytes = address.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        if (bytes.length * 2 <= MAX_HEX_KEY) {
            return HexFormat.of().formatHex(bytes);
        }
        return HASHED_PREFIX + Digests.sha256Hex(bytes);
    }

    /** Whether two addresses are the same guest (addresses compare without regard to case). */
    public static boolean same(String a, String b) {
        return of(a).equals(of(b));
    }
}
