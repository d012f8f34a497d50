package dev.hackablemail.runner.guest;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Interrupts the calling thread when a guest call runs past its time limit. Chicory checks
 * the interrupt flag on calls and backward branches, so a guest in a busy loop stops with
 * {@code ChicoryInterruptedException} shortly after. Deadlines nest (a test module's call
 * around a plugin's call): each one knows whether it is the one that fired.
 */
final class Deadline implements AutoCloseable {

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "guest-call-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final ScheduledFuture<?> alarm;
    private volatile boolean expired;

    private Deadline(Duration limit) {
        Thread caller = Thread.currentThread();
        this.alarm = WATCHDOG.schedule(() -> {
            expired = true;
            caller.interrupt();
        }, limit.toNanos(), TimeUnit.NANOSECONDS);
    }

    static Deadline start(Duration limit) {
        return new Deadline(limit);
    }

    /** True when this deadline (not an enclosing one) interrupted the call. */
    boolean expired() {
        return expired;
    }

    /** Cancels the alarm and clears an interrupt this deadline raised. */
    @Override
    public void close() {
        if (!alarm.cancel(false)) {
            // The alarm fired (or is firing) as the guest returned: wait for it to finish,
            // then clear its interrupt so the caller's own code never trips over it.
            while (!alarm.isDone()) {
                Thread.onSpinWait();
            }
            Thread.interrupted();
        }
    }
}
