package dev.hackablemail.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Durations and sizes as simulation files and configuration parameters write them. */
class QuantitiesTest {

    @Test
    void durationsTakeAUnitOrIso8601() {
        assertThat(Quantities.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Quantities.duration(" 5s ")).isEqualTo(Duration.ofSeconds(5));
        assertThat(Quantities.duration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Quantities.duration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Quantities.duration("PT1.5S")).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void durationsMustBePositiveAndHaveAUnit() {
        assertThatThrownBy(() -> Quantities.duration("5")).hasMessage(
                "'5' is not a duration (write it like 500ms, 5s, 2m, 1h or PT5S)");
        assertThatThrownBy(() -> Quantities.duration("0s")).hasMessage("'0s' is not a positive duration");
        assertThatThrownBy(() -> Quantities.duration("PT-1S")).hasMessage("'PT-1S' is not a positive duration");
        assertThatThrownBy(() -> Quantities.duration("Pfft")).hasMessageStartingWith("'Pfft' is not a duration");
    }

    @Test
    void sizesAreBytesOrBinaryUnits() {
        assertThat(Quantities.bytes("65536")).isEqualTo(65536);
        assertThat(Quantities.bytes("512KiB")).isEqualTo(512 * 1024);
        assertThat(Quantities.bytes("64 MiB")).isEqualTo(64L << 20);
        assertThat(Quantities.bytes("1GiB")).isEqualTo(1L << 30);
        assertThatThrownBy(() -> Quantities.bytes("64MB")).hasMessage(
                "'64MB' is not a size (write it like 65536, 512KiB, 64MiB or 1GiB)");
        assertThatThrownBy(() -> Quantities.bytes("0KiB")).hasMessage("'0KiB' is not a positive size");
        assertThatThrownBy(() -> Quantities.bytes("99999999999GiB")).hasMessage("'99999999999GiB' is too large");
    }

    @Test
    void memoryIsWholePagesOf64KiBUpTo4GiB() {
        assertThat(Quantities.memoryPages(64L << 20)).isEqualTo(1024);
        assertThat(Quantities.memoryPages(100 * 1024)).isEqualTo(1);
        assertThatThrownBy(() -> Quantities.memoryPages(1024)).hasMessage(
                "linear memory must be 64KiB to 4GiB, got 1024 bytes");
        assertThatThrownBy(() -> Quantities.memoryPages(8L << 30)).hasMessageStartingWith("linear memory must be");
    }
}
