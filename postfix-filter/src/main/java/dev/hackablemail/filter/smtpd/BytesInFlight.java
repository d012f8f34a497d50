package dev.hackablemail.filter.smtpd;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of mail the daemon holds now, against {@code smtpd.max_bytes_in_flight}: sessions
 * alone do not bound memory when mails are 30 MB each. When nothing is held, any one message
 * is taken, so a message larger than the limit still goes through, alone.
 */
final class BytesInFlight {

    private final long limit;
    private final AtomicLong held = new AtomicLong();

    BytesInFlight(long limit) {
        this.limit = limit;
    }

    /** Takes {@code n} bytes if they fit (or nothing is held); false when the message must come again later. */
    boolean tryTake(long n) {
        for (;;) {
            long now = held.get();
            if (now > 0 && now + n > limit) {
                return false;
            }
            if (held.compareAndSet(now, now + n)) {
                return true;
            }
        }
    }

    void release(long n) {
        held.addAndGet(-n);
    }

    /** Bytes held now (for the metrics and the tests). */
    long held() {
        return held.get();
    }

    long limit() {
        return limit;
    }
}
