package dev.hackablemail.filter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs the configured sendmail command as a process. The message is written to its
 * standard input and its output (both streams) is kept for the log; a run that does not end
 * within its time is killed and reported as {@link SysExits#TEMPFAIL}, and so is a command
 * that cannot be started.
 *
 * <p>A guest call's deadline interrupts the calling thread, possibly while sendmail runs
 * for {@code deliver}. The wait goes on regardless (the outcome of a delivery must be known,
 * or the mail could be delivered twice) and the interrupt is passed on afterwards, so the
 * plugin is stopped as soon as it gets control back.
 */
public final class SendmailCommand implements Sendmail {

    private static final int MAX_OUTPUT = 4096;

    private final List<String> command;
    /** The least time worth starting a sendmail run with. */
    static final Duration MIN_RUN = Duration.ofSeconds(1);

    private final Supplier<Duration> timeout;
    /** Arguments that must reach sendmail as other bytes than their UTF-8: text to bytes. */
    private final Map<String, byte[]> exactBytes = new HashMap<>();

    /**
     * @param command the program and its first arguments (e.g. {@code /usr/sbin/sendmail -C /etc/x})
     * @param timeout the time a run may take, asked before each run (the filter passes what
     *     is left of its own time limit, capped by {@code sendmail_timeout})
     */
    public SendmailCommand(List<String> command, Supplier<Duration> timeout) {
        this(command, timeout, List.of());
    }

    /**
     * @param envelope the envelope addresses of the mail being handled: an argument equal to
     *     one's text is passed as that one's exact bytes (every other argument as its UTF-8)
     */
    public SendmailCommand(List<String> command, Supplier<Duration> timeout, List<EnvelopeAddress> envelope) {
        this.command = List.copyOf(command);
        this.timeout = timeout;
        for (EnvelopeAddress a : envelope) {
            if (a.bytesDifferFromText()) {
                exactBytes.put(a.text(), a.bytes());
            }
        }
    }

    @Override
    public Result send(List<String> args, byte[] message) {
        List<byte[]> bytes = new ArrayList<>();
        for (String arg : command) {
            bytes.add(arg.getBytes(StandardCharsets.UTF_8));
        }
        for (String arg : args) {
            byte[] exact = exactBytes.get(arg);
            bytes.add(exact != null ? exact : arg.getBytes(StandardCharsets.UTF_8));
        }
        List<String> argv = ExactArgv.of(bytes);
        Duration allowed = timeout.get();
        if (allowed.compareTo(MIN_RUN) < 0) {
            // Too late to start: a sendmail still running when the filter's own time limit
            // ends it could deliver a mail that Postfix then retries.
            return new Result(SysExits.TEMPFAIL, "no time left in the filter's time limit to run sendmail");
        }
        Process process;
        try {
            process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        } catch (IOException | RuntimeException e) {
            return new Result(SysExits.TEMPFAIL, "cannot run " + command.get(0) + ": " + e.getMessage());
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = daemon("sendmail-output", () -> drain(process.getInputStream(), output));
        Thread writer = daemon("sendmail-input", () -> {
            try (OutputStream in = process.getOutputStream()) {
                in.write(message);
            } catch (IOException ignored) {
                // sendmail stopped reading: its exit code tells why
            }
        });
        long deadline = System.nanoTime() + allowed.toNanos();
        boolean interrupted = false;
        boolean finished = false;
        try {
            while (!finished) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    finished = process.waitFor(left, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (!finished) {
                process.destroyForcibly();
                waitQuietly(process);
                // The time this run was given: asking the supplier again would give what is left now.
                String given = allowed.toMillis() % 1000 == 0 ? allowed.toSeconds() + " s" : allowed.toMillis() + " ms";
                return new Result(SysExits.TEMPFAIL, command.get(0) + " did not finish within " + given
                        + " and was killed");
            }
            joinQuietly(writer);
            joinQuietly(reader);
            int code = process.exitValue();
            String said = sanitize(output);
            if (code == 0) {
                return said.isEmpty() ? Result.OK : new Result(0, said);
            }
            return new Result(code, command.get(0) + " exited with " + code + (said.isEmpty() ? "" : ": " + said));
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void drain(InputStream in, ByteArrayOutputStream out) {
        byte[] buffer = new byte[4096];
        try (in) {
            for (int n; (n = in.read(buffer)) > 0;) {
                synchronized (out) {
                    if (out.size() < MAX_OUTPUT) {
                        out.write(buffer, 0, Math.min(n, MAX_OUTPUT - out.size()));
                    }
                }
            }
        } catch (IOException ignored) {
            // the process is gone
        }
    }

    private static String sanitize(ByteArrayOutputStream out) {
        String s;
        synchronized (out) {
            s = out.toString(StandardCharsets.UTF_8);
        }
        return OneLine.withoutControls(s).trim();
    }

    private static void waitQuietly(Process p) {
        try {
            p.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits a little for a helper thread; never blocks for long (the process has ended). */
    private static void joinQuietly(Thread t) {
        try {
            t.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return String.join(" ", command);
    }
}
