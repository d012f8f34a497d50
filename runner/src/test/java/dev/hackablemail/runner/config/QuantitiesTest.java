package dev.hackablemail.runner.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

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
        assertThat(Quantities.duration("0")).isZero();
        assertThatThrownBy(() -> Quantities.duration("soon")).hasMessage(
                "'soon' is not a duration (examples: 500ms, 10s, 5m, 2h, 7d)");
        assertThatThrownBy(() -> Quantities.duration("PT-5S")).hasMessageContaining("is not a duration");
        assertThatThrownBy(() -> Quantities.duration("-5s")).hasMessageContaining("is not a duration");
    }

    @Test
    void sizesCountInPowersOfTwo() {
        assertThat(Quantities.bytes("65536")).isEqualTo(65536);
        assertThat(Quantities.bytes("512KiB")).isEqualTo(512L << 10);
        assertThat(Quantities.bytes("64MiB")).isEqualTo(64L << 20);
        assertThat(Quantities.bytes("64mb")).isEqualTo(64L << 20);
        assertThat(Quantities.bytes("1G")).isEqualTo(1L << 30);
        assertThatThrownBy(() -> Quantities.bytes("lots")).hasMessageContaining("'lots' is not a size");
        assertThatThrownBy(() -> Quantities.bytes("999999999999999GiB")).hasMessage("'999999999999999GiB' is too large");
        assertThatThrownBy(() -> Quantities.bytes("99999999999999999999")).hasMessageContaining("is not a size");
    }
}
