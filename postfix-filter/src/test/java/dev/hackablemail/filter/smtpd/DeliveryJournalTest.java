package dev.hackablemail.filter.smtpd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeliveryJournalTest {

    @TempDir
    Path tmp;

    Instant now = Instant.parse("2026-12-01T10:00:00Z");

    Clock clock() {
        return Clock.fixed(now, ZoneOffset.UTC);
    }

    @Test
    void keysDependOnTheEnvelopeAndEveryByte() {
        byte[] m = "Subject: x\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII);
        String key = DeliveryJournal.key("a@x", "b@y", m);
        assertThat(key).hasSize(32).isEqualTo(DeliveryJournal.key("a@x", "b@y", m.clone()));
        assertThat(key).isNotEqualTo(DeliveryJournal.key("a@x", "c@y", m))
                .isNotEqualTo(DeliveryJournal.key("", "b@y", m))
                .isNotEqualTo(DeliveryJournal.key("a@x", "b@y", "Subject: x\r\n\r\nhi!\r\n".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void aRecordedKeySurvivesARestartForThePeriodOnly() throws Exception {
        Path file = tmp.resolve("journal");
        try (DeliveryJournal j = DeliveryJournal.open(file, Duration.ofDays(5), clock())) {
            j.record("0123456789abcdef0123456789abcdef");
            assertThat(j.deliveredAt("0123456789abcdef0123456789abcdef")).isEqualTo(now.toEpochMilli());
            assertThat(j.deliveredAt("ffffffffffffffffffffffffffffffff")).isNull();
        }
        Files.writeString(file, "1764583200000 cut-short\n", java.nio.file.StandardOpenOption.APPEND);
        try (DeliveryJournal j = DeliveryJournal.open(file, Duration.ofDays(5), clock())) {
            assertThat(j.deliveredAt("0123456789abcdef0123456789abcdef")).isNotNull();
            assertThat(j.size()).as("a damaged line is skipped").isEqualTo(1);
        }
        now = now.plus(Duration.ofDays(6));
        try (DeliveryJournal j = DeliveryJournal.open(file, Duration.ofDays(5), clock())) {
            assertThat(j.deliveredAt("0123456789abcdef0123456789abcdef")).isNull();
            assertThat(j.size()).isZero();
        }
        assertThat(Files.readString(file)).as("compacted on opening").isEmpty();
    }

    @Test
    void aDamagedJournalOpensSaysWhichLinesWereUnreadableAndKeepsTheGoodOnes() throws Exception {
        Path file = tmp.resolve("journal");
        String a = "0123456789abcdef0123456789abcdef";
        String b = "fedcba9876543210fedcba9876543210";
        long at = now.toEpochMilli();
        java.io.ByteArrayOutputStream damaged = new java.io.ByteArrayOutputStream();
        damaged.writeBytes((at + " " + a + "\n").getBytes(StandardCharsets.US_ASCII));
        damaged.writeBytes(new byte[] {(byte) 0xff, (byte) 0xfe, 0, '1', ' ', (byte) 0x80, '\n'}); // not even ASCII
        damaged.writeBytes((at + " " + b + "\n").getBytes(StandardCharsets.US_ASCII));
        damaged.writeBytes(("garbage line\n" + at + " 0123").getBytes(StandardCharsets.US_ASCII)); // cut short
        Files.write(file, damaged.toByteArray());

        try (DeliveryJournal j = DeliveryJournal.open(file, Duration.ofDays(5), clock())) {
            assertThat(j.deliveredAt(a)).isEqualTo(at);
            assertThat(j.deliveredAt(b)).isEqualTo(at);
            assertThat(j.damage()).isEqualTo(file + ": 3 unreadable line(s) skipped (lines 2, 4, 5), 2 entries kept;"
                    + " the file as it was is in " + file + ".damaged");
        }
        assertThat(Files.readAllBytes(tmp.resolve("journal.damaged"))).isEqualTo(damaged.toByteArray());
        try (DeliveryJournal j = DeliveryJournal.open(file, Duration.ofDays(5), clock())) {
            assertThat(j.damage()).as("compacted: nothing damaged any more").isNull();
            assertThat(j.size()).isEqualTo(2);
        }
    }

    @Test
    void theFileIsCompactedAsItGrowsEvenOnAThreadAPluginDeadlineInterrupted() throws Exception {
        Path file = tmp.resolve("journal");
        try (DeliveryJournal j = DeliveryJournal.open(file, Duration.ofDays(1), clock())) {
            Thread.currentThread().interrupt();
            for (int i = 0; i < 1500; i++) {
                j.record(String.format("%032x", i % 3));
            }
            assertThat(Thread.interrupted()).as("the interrupt is kept").isTrue();
            j.record("ffffffffffffffffffffffffffffffff");
        }
        assertThat(Files.readAllLines(file)).as("compacted once it passed 2 x 3 + 1000 lines").hasSizeLessThan(600);
        try (DeliveryJournal j = DeliveryJournal.open(file, Duration.ofDays(1), clock())) {
            assertThat(j.size()).isEqualTo(4);
            assertThat(j.deliveredAt("ffffffffffffffffffffffffffffffff")).isNotNull();
        }
    }

    @Test
    void twoDaemonsCannotShareAJournal() throws Exception {
        Path file = tmp.resolve("journal");
        try (DeliveryJournal first = DeliveryJournal.open(file, Duration.ofDays(1), clock())) {
            assertThatThrownBy(() -> DeliveryJournal.open(file, Duration.ofDays(1), clock()))
                    .hasMessageContaining("in use by another hackable-email smtpd");
        }
    }

    @Test
    void aForgottenKeyStaysForgottenAfterARestartUntilItIsRecordedAgain() throws Exception {
        Path file = tmp.resolve("journal");
        String key = "0123456789abcdef0123456789abcdef";
        try (DeliveryJournal j = DeliveryJournal.open(file, Duration.ofDays(5), clock())) {
            j.record(key);
            j.record("ffffffffffffffffffffffffffffffff");
            j.forget(key);
            assertThat(j.deliveredAt(key)).isNull();
            j.forget("00000000000000000000000000000000"); // never recorded: nothing to take back
        }
        try (DeliveryJournal j = DeliveryJournal.open(file, Duration.ofDays(5), clock())) {
            assertThat(j.deliveredAt(key)).as("the forget line is read after the record").isNull();
            assertThat(j.size()).isEqualTo(1);
            j.record(key);
        }
        try (DeliveryJournal j = DeliveryJournal.open(file, Duration.ofDays(5), clock())) {
            assertThat(j.deliveredAt(key)).as("recorded again after it was forgotten").isNotNull();
        }
    }
}
