package dev.hackablemail.filter.cli;

import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * The filter's own time limit, shorter than Postfix's {@code command_time_limit} (a filter
 * that Postfix kills bounces the mail). When it passes, the process ends at once with the
 * code {@code onExpiry} gives: 0 if the mail was already delivered, else 75.
 */
final class Watchdog implements AutoCloseable {

    private final Thread thread;

    private Watchdog(Thread thread) {
        this.thread = thread;
    }

    static Watchdog start(Duration limit, IntSupplier onExpiry) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(Math.max(1, limit.toMillis()));
            } catch (InterruptedException e) {
                return; // closed in time
            }
            int code;
            try {
                code = onExpiry.getAsInt();
            } catch (Throwable e) {
                code = 75;
            }
            Runtime.getRuntime().halt(code);
        }, "filter-time-limit");
        t.setDaemon(true);
        t.start();
        return new Watchdog(t);
    }

    /** The run ended in time. */
    @Override
    public void close() {
        thread.interrupt();
    }
}
