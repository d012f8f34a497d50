package dev.hackablemail.runner.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** WASI's random bytes and clocks: real by default, fixed by a seed. */
class WasiSourcesTest {

    @Test
    void theSameSeedGivesTheSameRandomBytesAndClockReadingsEveryRun() {
        String first = EntropyPlugin.entropy(WasiSources.seeded(42));

        assertThat(EntropyPlugin.entropy(WasiSources.seeded(42))).isEqualTo(first);
        assertThat(EntropyPlugin.entropy(WasiSources.seeded(43)).substring(0, 32)).isNotEqualTo(first.substring(0, 32));
    }

    @Test
    void aSeededClockStartsAt2000AndMovesOneMillisecondAtEachReading() {
        byte[] bytes = HexFormat.of().parseHex(EntropyPlugin.entropy(WasiSources.seeded(1)));
        long realtime = littleEndianLong(bytes, 16);
        long monotonic = littleEndianLong(bytes, 24);

        assertThat(realtime).isEqualTo(Instant.parse("2000-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L);
        assertThat(monotonic).isEqualTo(1_000_000L);
    }

    @Test
    void withoutASeedTheBytesAndTheTimeAreReal() {
        String first = EntropyPlugin.entropy(WasiSources.REAL);
        String second = EntropyPlugin.entropy(WasiSources.REAL);
        long realtime = littleEndianLong(HexFormat.of().parseHex(first), 16);

        assertThat(second.substring(0, 32)).isNotEqualTo(first.substring(0, 32));
        assertThat(Instant.ofEpochSecond(0, realtime)).isAfter(Instant.parse("2025-01-01T00:00:00Z"));
    }

    private static long littleEndianLong(byte[] bytes, int offset) {
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = (value << 8) | (bytes[offset + i] & 0xff);
        }
        return value;
    }
}
