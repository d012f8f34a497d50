package dev.hackablemail.runner.guest;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Interrupts the calling thread when a guest call runs past its time limit. Chicory checks
 * the interrupt flag on calls and backward branches, so a guest in a busy loop stops with
 * {@code ChicoryInterruptedException} shortly after. Deadlines nest (a test module's call
 * around a plugin's call): each one knows whether it is the one that fired.
 *
 * <p>Starting a deadline only registers it; one daemon thread sweeps the registered
 * deadlines every few milliseconds. This keeps a call's overhead at a map insertion
 * rather than a scheduled task, which matters for calls that take microseconds.
 */
final class Deadline implements AutoCloseable {

    private static final long SWEEP_NANOS = Duration.ofMillis(5).toNanos();
    private static final Set<Deadline> ACTIVE = ConcurrentHashMap.newKeySet();
    /** The calling thread's open deadlines, innermost last. */
    private static final ThreadLocal<Deque<Deadline>> OPEN = ThreadLocal.withInitial(ArrayDeque::new);

    private static final Thread SWEEPER = new Thread(Deadline::sweep, "guest-call-watchdog");

    static {
        SWEEPER.setDaemon(true);
        SWEEPER.start();
    }

    private final Thread caller = Thread.currentThread();
    private final long dueNanos;
    private volatile boolean expired;

    private Deadline(Duration limit) {
        this.dueNanos = System.nanoTime() + limit.toNanos();
    }

    static Deadline start(Duration limit) {
        Deadline deadline = new Deadline(limit);
        OPEN.get().addLast(deadline);
        ACTIVE.add(deadline);
        return deadline;
    }

    /** True when this deadline (not an enclosing one) interrupted the call. */
    boolean expired() {
        return expired;
    }

    /** Ends the deadline and clears an interrupt it raised. */
    @Override
    public void close() {
        synchronized (this) {
            ACTIVE.remove(this);
        }
        Deque<Deadline> open = OPEN.get();
        open.remove(this);
        if (expired) {
            Thread.interrupted();
        }
        // An enclosing deadline that expired meanwhile has no alarm left: its interrupt
        // (possibly the one just cleared) must stand, or the outer call would run unbounded.
        for (Deadline enclosing : open) {
            if (enclosing.expired) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }

    /** Whether the thread that interrupts overdue calls is running (a long-lived host checks it). */
    static boolean sweeperAlive() {
        return SWEEPER.isAlive();
    }

    private static void sweep() {
        while (true) {
            try {
                LockSupport.parkNanos(SWEEP_NANOS);
                sweepOnce();
            } catch (Throwable e) {
                // Out of memory (iterating allocates): this thread must outlive it, or no guest
                // call would ever be stopped again. The next sweep tries again.
            }
        }
    }

    private static void sweepOnce() {
        long now = System.nanoTime();
        for (Deadline d : ACTIVE) {
            if (now - d.dueNanos >= 0) {
                // Synchronized with close(): never interrupt a caller that has moved on.
                synchronized (d) {
                    if (ACTIVE.remove(d)) {
                        d.expired = true;
                        d.caller.interrupt();
                    }
                }
            }
        }
    }
}
