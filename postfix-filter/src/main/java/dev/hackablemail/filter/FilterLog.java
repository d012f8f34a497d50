package dev.hackablemail.filter;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.format.DateTimeFormatter;

/**
 * The filter's log: one line per message, appended to a file ({@code log} in the
 * configuration; by default {@code STORE/filter.log}). Not standard output or error:
 * Postfix's pipe(8) puts those into bounces, and only the one short reason belongs there.
 *
 * <p>Each line is written with one append, so the lines of concurrent filter processes do
 * not mix. A log that cannot be written never fails a delivery: the line is dropped.
 */
public interface FilterLog {

    void line(String text);

    FilterLog NONE = text -> {};

    /** The configured log: a file, standard error ({@code -}) or nothing. */
    static FilterLog of(FilterConfig config, Clock clock) {
        if (FilterConfig.LOG_STDERR.equals(config.log())) {
            return stream(System.err, clock);
        }
        Path file = config.logFile();
        return file == null ? NONE : file(file, clock);
    }

    static FilterLog stream(PrintStream out, Clock clock) {
        return text -> out.println(prefix(clock) + text);
    }

    static FilterLog file(Path file, Clock clock) {
        return text -> {
            byte[] bytes = (prefix(clock) + text.replace('\n', ' ') + "\n").getBytes(StandardCharsets.UTF_8);
            try {
                Path parent = file.getParent();
                if (parent != null && !Files.isDirectory(parent)) {
                    Files.createDirectories(parent);
                }
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                    ch.write(ByteBuffer.wrap(bytes));
                }
            } catch (IOException | RuntimeException dropped) {
                // Logging must never cost a mail.
            }
        };
    }

    private static String prefix(Clock clock) {
        return DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS))
                + " hackable-email[" + ProcessHandle.current().pid() + "]: ";
    }
}
