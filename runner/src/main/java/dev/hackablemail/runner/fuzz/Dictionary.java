package dev.hackablemail.runner.fuzz;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.DataSegment;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Tokens found in a plugin's data segments, as AFL's and libFuzzer's dictionaries: the
 * strings a plugin compares its input with ("Subject", "Project XYZ") are what random
 * text almost never hits. C string literals end with NUL, so a token is a run of printable
 * UTF-8 between NULs and control bytes.
 */
public final class Dictionary {

    static final int MIN_LENGTH = 3;
    static final int MAX_LENGTH = 48;
    static final int MAX_TOKENS = 256;

    private final List<String> tokens;

    private Dictionary(List<String> tokens) {
        this.tokens = List.copyOf(tokens);
    }

    public static Dictionary of(List<String> tokens) {
        return new Dictionary(tokens);
    }

    /** The printable strings of {@code module}'s data segments, in the order they appear. */
    public static Dictionary fromDataSegments(WasmModule module) {
        Set<String> found = new LinkedHashSet<>();
        for (DataSegment segment : module.dataSection().dataSegments()) {
            extract(segment.data(), found);
            if (found.size() >= MAX_TOKENS) {
                break;
            }
        }
        return new Dictionary(new ArrayList<>(found).subList(0, Math.min(found.size(), MAX_TOKENS)));
    }

    static void extract(byte[] data, Set<String> into) {
        int start = 0;
        for (int i = 0; i <= data.length; i++) {
            if (i == data.length || isSeparator(data[i])) {
                addToken(data, start, i, into);
                start = i + 1;
            }
        }
    }

    private static boolean isSeparator(byte b) {
        return (b >= 0 && b < 0x20) || b == 0x7f;
    }

    private static void addToken(byte[] data, int from, int to, Set<String> into) {
        int length = to - from;
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            return;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data, from, length)).toString();
        } catch (CharacterCodingException e) {
            return;
        }
        // a word needs letters; runs of punctuation or digits are table data, not words
        if (text.codePoints().filter(Character::isLetter).count() >= 2) {
            into.add(text);
        }
    }

    public List<String> tokens() {
        return tokens;
    }

    public boolean isEmpty() {
        return tokens.isEmpty();
    }
}
