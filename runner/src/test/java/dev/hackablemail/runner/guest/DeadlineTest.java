package dev.hackablemail.runner.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeadlineTest {

    private static void busyUntil(Deadline d) {
        while (!d.expired()) {
            Thread.onSpinWait();
        }
        // The sweep marks the deadline expired and then interrupts, both under the deadline's
        // lock: taking it once waits for the interrupt (as close() does).
        synchronized (d) {
            assertThat(d.expired()).isTrue();
        }
    }

    @Test
    void anExpiredDeadlineInterruptsAndClosingClearsIt() {
        try (Deadline d = Deadline.start(Duration.ofMillis(20))) {
            busyUntil(d);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        }
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void anOuterDeadlineThatExpiredDuringAnInnerOneStillStands() {
        Deadline outer = Deadline.start(Duration.ofMillis(20));
        try (outer) {
            try (Deadline inner = Deadline.start(Duration.ofMillis(20))) {
                busyUntil(inner);
                busyUntil(outer);
            }
            assertThat(Thread.currentThread().isInterrupted()).as("the outer call must still be stopped").isTrue();
        }
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void aDeadlineThatDidNotExpireLeavesNoInterrupt() {
        try (Deadline d = Deadline.start(Duration.ofSeconds(10))) {
            assertThat(d.expired()).isFalse();
        }
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }
}
