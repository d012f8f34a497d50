package dev.hackablemail.runner.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The one set of rules every setting of a duration or a size is read by. */
class QuantitiesTest {

    @Test
    void durationsInEveryWrittenForm() {
        assertThat(Quantities.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Quantities.duration(" 10s ")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Quantities.duration("10")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Quantities.duration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Quantities.duration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Quantities.duration("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Quantities.duration("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Quantities.duration("PT1.5S")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Quantities.duration("0")).isZero();
    }

    @Test
    void somethingElseOrNegativeIsNotADuration() {
        assertThatThrownBy(() -> Quantities.duration("soon")).hasMessage(
                "'soon' is not a duration (write it like 500ms, 10s, 5m, 2h, 7d, PT10S; a bare number is seconds)");
        assertThatThrownBy(() -> Quantities.duration("PT-5S")).hasMessageStartingWith("'PT-5S' is not a duration");
        assertThatThrownBy(() -> Quantities.duration("-5s")).hasMessageStartingWith("'-5s' is not a duration");
        assertThatThrownBy(() -> Quantities.duration("Pfft")).hasMessageStartingWith("'Pfft' is not a duration");
    }

    @Test
    void absurdDurationsAreRefusedWithTheRange() {
        assertThat(Quantities.duration("3650d")).isEqualTo(Duration.ofDays(3650));
        assertThatThrownBy(() -> Quantities.duration("200000d"))
                .hasMessage("'200000d' is too long: a duration is 0 to 3650d (ten years)");
        assertThatThrownBy(() -> Quantities.positiveDuration("3651d"))
                .hasMessage("'3651d' is too long: a duration is 1ms to 3650d (ten years)");
        assertThatThrownBy(() -> Quantities.duration("999999999999999999d")).hasMessageContaining("is too long");
        assertThatThrownBy(() -> Quantities.duration("999999999999999999h")).hasMessageContaining("is too long");
        assertThatThrownBy(() -> Quantities.positiveDuration("PT99999999H")).hasMessageContaining("is too long");
    }

    @Test
    void positiveDurationsRejectZero() {
        assertThat(Quantities.positiveDuration("1ms")).isEqualTo(Duration.ofMillis(1));
        assertThatThrownBy(() -> Quantities.positiveDuration("0s")).hasMessage("'0s' must be more than zero");
        assertThatThrownBy(() -> Quantities.positiveDuration("PT0S")).hasMessage("'PT0S' must be more than zero");
    }

    @Test
    void sizesCountInPowersOfTwoWhateverTheSpelling() {
        assertThat(Quantities.bytes("65536")).isEqualTo(65536);
        assertThat(Quantities.bytes("100B")).isEqualTo(100);
        assertThat(Quantities.bytes("512KiB")).isEqualTo(512L << 10);
        assertThat(Quantities.bytes("512K")).isEqualTo(512L << 10);
        assertThat(Quantities.bytes("64 MiB")).isEqualTo(64L << 20);
        assertThat(Quantities.bytes("64mb")).isEqualTo(64L << 20);
        assertThat(Quantities.bytes("1G")).isEqualTo(1L << 30);
        assertThat(Quantities.bytes("0")).isZero();
    }

    @Test
    void somethingElseOrTooMuchIsNotASize() {
        assertThatThrownBy(() -> Quantities.bytes("lots")).hasMessage(
                "'lots' is not a size (write it like 65536, 512KiB, 64MiB, 1GiB; a bare number is bytes)");
        assertThatThrownBy(() -> Quantities.bytes("-1")).hasMessageStartingWith("'-1' is not a size");
        assertThatThrownBy(() -> Quantities.bytes("999999999999999GiB")).hasMessage("'999999999999999GiB' is too large");
        assertThatThrownBy(() -> Quantities.bytes("99999999999999999999")).hasMessageContaining("is not a size");
        assertThatThrownBy(() -> Quantities.positiveBytes("0KiB")).hasMessage("'0KiB' must be more than zero");
    }

    @Test
    void memoryIsRoundedUpToWholePagesOf64KiBUpTo4GiB() {
        assertThat(Quantities.memoryPages("64MiB")).isEqualTo(1024);
        assertThat(Quantities.memoryPages("65536")).isEqualTo(1);
        assertThat(Quantities.memoryPages("65537")).isEqualTo(2);
        assertThat(Quantities.memoryPages("1KiB")).isEqualTo(1);
        assertThat(Quantities.memoryPages("100KiB")).isEqualTo(2);
        assertThat(Quantities.memoryPages("4GiB")).isEqualTo(65536);
        assertThatThrownBy(() -> Quantities.memoryPages("0")).hasMessage("'0' must be more than zero");
        assertThatThrownBy(() -> Quantities.memoryPages("5GiB")).hasMessage(
                "'5GiB' is more than the 4GiB a linear memory can have");
    }
}
