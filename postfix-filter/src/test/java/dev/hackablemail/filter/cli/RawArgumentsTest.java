package dev.hackablemail.filter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Recovering the bytes of the arguments from /proc/self/cmdline. */
class RawArgumentsTest {

    static final byte[] CMDLINE = {'j', 'a', 'v', 'a', 0, '-', 'j', 'a', 'r', 0, 'x', 0, 'f', 'i', 'l', 't', 'e', 'r', 0,
        '-', 'f', 0, 'a', (byte) 0xff, 0, 0, '-', '-', 0, 'b', 0};

    @Test
    void theLastEntriesAreTheArgumentsBytes() {
        String[] decoded = {"filter", "-f", "a\ufffd", "", "--", "b"};
        List<byte[]> raw = RawArguments.matching(decoded, CMDLINE, StandardCharsets.US_ASCII).orElseThrow();
        assertThat(raw).hasSize(6);
        assertThat(raw.get(2)).containsExactly('a', 0xff);
        assertThat(raw.get(3)).isEmpty();
        assertThat(raw.get(5)).containsExactly('b');
    }

    @Test
    void argumentsThatDoNotMatchAreNotTrusted() {
        assertThat(RawArguments.matching(new String[] {"-f", "a?", "", "--", "b"}, CMDLINE, StandardCharsets.US_ASCII))
                .isEmpty();
        assertThat(RawArguments.matching(new String[] {"1", "2", "3", "4", "5", "6", "7", "8", "9"}, CMDLINE,
                StandardCharsets.US_ASCII)).isEmpty();
    }

    @Test
    void thisProcessesOwnArgumentsAreFoundOnLinux() {
        // The test JVM's arguments end with surefire's own; an empty list always matches.
        assertThat(RawArguments.of(new String[0])).hasValueSatisfying(l -> assertThat(l).isEmpty());
    }
}
