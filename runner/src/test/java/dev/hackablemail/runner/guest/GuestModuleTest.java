package dev.hackablemail.runner.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GuestModuleTest {

    @Test
    void equalBytesUnderOneNameGetTheirDigestWithoutHashingAgain() {
        byte[] bytes = Wat.bytes("limits.wat");
        GuestModule first = GuestModule.of("equal-bytes", bytes);
        GuestModule again = GuestModule.of("equal-bytes", bytes.clone());
        assertThat(again.digest()).isEqualTo(first.digest()).isEqualTo(GuestModule.sha256(bytes));
        assertThat(again.wasm()).isSameAs(first.wasm());
    }

    @Test
    void anArrayChangedInPlaceIsHashedAndParsedAgain() {
        byte[] buffer = Wat.bytes("limits.wat");
        GuestModule.of("reused-array", buffer);
        buffer[0] = 'X'; // the caller reuses its array for other bytes
        assertThatThrownBy(() -> GuestModule.of("reused-array", buffer))
                .isInstanceOf(GuestLoadException.class)
                .hasMessageContaining("reused-array: not a valid Wasm module");
    }

    @Test
    void otherBytesUnderTheSameNameGetTheirOwnDigest() {
        GuestModule limits = GuestModule.of("same-name", Wat.bytes("limits.wat"));
        byte[] other = Wat.bytes("http.wat");
        GuestModule next = GuestModule.of("same-name", other);
        assertThat(next.digest()).isNotEqualTo(limits.digest()).isEqualTo(GuestModule.sha256(other));
    }
}
