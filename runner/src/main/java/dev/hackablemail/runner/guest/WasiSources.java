package dev.hackablemail.runner.guest;

import com.dylibso.chicory.log.Logger;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;

/**
 * Where a guest's WASI clock and random bytes come from: the real ones by default; with a
 * seed, random bytes from a {@link Random} seeded with it and a clock that starts at
 * {@link #EPOCH} and moves {@link #TICK} each time it is read, so that a simulation whose
 * modules read the time or random bytes gives the same results run after run. Each guest
 * instance starts its clock and random stream afresh.
 */
public final class WasiSources {

    /** Real time and {@link java.security.SecureRandom} bytes (Chicory's defaults). */
    public static final WasiSources REAL = new WasiSources(null);

    /** Where a seeded clock starts. */
    static final Instant EPOCH = Instant.parse("2000-01-01T00:00:00Z");

    /** How far a seeded clock moves each time a guest reads it. */
    static final Duration TICK = Duration.ofMillis(1);

    private static final String CLOCK_TIME_GET = "clock_time_get";
    private static final int CLOCK_THREAD_CPUTIME_ID = 3;
    // WASI errno values (Chicory's WasiErrno is not public)
    private static final int ESUCCESS = 0;
    private static final int EINVAL = 28;

    private final Long seed;

    private WasiSources(Long seed) {
        this.seed = seed;
    }

    /** Fixed random bytes and a deterministic clock for {@code seed}. */
    public static WasiSources seeded(long seed) {
        return new WasiSources(seed);
    }

    /** The seed; empty for the real sources. */
    public OptionalLong seed() {
        return seed == null ? OptionalLong.empty() : OptionalLong.of(seed);
    }

    /**
     * The WASI functions of one guest instance, writing stdout and stderr to the streams given.
     * Seeded, every clock (Chicory reads the monotonic and CPU clocks from
     * {@link System#nanoTime}) is answered from the one deterministic clock.
     */
    List<HostFunction> hostFunctions(Logger logger, OutputStream stdout, OutputStream stderr) {
        WasiOptions.Builder options = WasiOptions.builder().withStdout(stdout).withStderr(stderr);
        if (seed == null) {
            return List.of(WasiPreview1.builder().withLogger(logger).withOptions(options.build()).build()
                    .toHostFunctions());
        }
        TickingClock clock = new TickingClock();
        WasiPreview1 wasi = WasiPreview1.builder().withLogger(logger)
                .withOptions(options.withClock(clock).withRandom(new Random(seed)).build()).build();
        List<HostFunction> functions = new ArrayList<>();
        for (HostFunction f : wasi.toHostFunctions()) {
            functions.add(f.name().equals(CLOCK_TIME_GET) ? clockTimeGet(f, clock) : f);
        }
        return functions;
    }

    /** {@code clock_time_get(id, precision, *time) -> errno}, every clock read from {@code clock}. */
    private static HostFunction clockTimeGet(HostFunction original, TickingClock clock) {
        return new HostFunction(original.module(), original.name(), original.functionType(),
                (instance, args) -> {
                    int id = (int) args[0];
                    if (id < 0 || id > CLOCK_THREAD_CPUTIME_ID) {
                        return new long[] {EINVAL};
                    }
                    Instant now = clock.instant();
                    long nanos = id == 0 ? now.getEpochSecond() * 1_000_000_000L + now.getNano()
                            : Duration.between(EPOCH, now).toNanos();
                    instance.memory().writeLong((int) args[2], nanos);
                    return new long[] {ESUCCESS};
                });
    }

    @Override
    public String toString() {
        return seed == null ? "real clock and random" : "seed " + seed;
    }

    /** A clock that starts at {@link #EPOCH} and moves {@link #TICK} at every reading. */
    private static final class TickingClock extends Clock {
        private Instant next = EPOCH;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("a guest's clock is always UTC");
        }

        @Override
        public synchronized Instant instant() {
            Instant now = next;
            next = next.plus(TICK);
            return now;
        }
    }
}
