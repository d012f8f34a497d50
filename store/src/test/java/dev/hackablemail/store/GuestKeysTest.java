package dev.hackablemail.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GuestKeysTest {

    @Test
    void aShortAddressKeepsTheHexKeyOfExistingStores() {
        assertThat(GuestKeys.of("Bob@Example.com")).isEqualTo("626f62406578616d706c652e636f6d");
        assertThat(GuestKeys.of("jürgen@x")).isEqualTo("6ac3bc7267656e4078");
    }

    @Test
    void aLongAddressGetsAHashedKeyThatFitsAFileName() {
        String hundred = "a".repeat(50) + "@" + "b".repeat(49);
        String longer = hundred + "c";
        assertThat(GuestKeys.of(hundred)).hasSize(200).matches("[0-9a-f]+");
        assertThat(GuestKeys.of(longer)).startsWith("h-").hasSize(66);
        assertThat(GuestKeys.of(longer.toUpperCase(java.util.Locale.ROOT))).isEqualTo(GuestKeys.of(longer));
        String longest = "x".repeat(64) + "@" + "é".repeat(189);
        assertThat(GuestKeys.of(longest).length()).isLessThan(255);
    }
}
