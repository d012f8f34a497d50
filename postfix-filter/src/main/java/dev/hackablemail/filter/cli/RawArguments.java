package dev.hackablemail.filter.cli;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The program's arguments as the bytes it was started with. The JVM decodes its arguments in
 * the platform charset, which under Postfix's pipe(8) (no locale) is ASCII: a sender with a
 * byte 0xFF arrives in {@code main} as U+FFFD, and the byte is lost. On Linux the kernel
 * keeps the original bytes in {@code /proc/self/cmdline}, whose last entries are the
 * program's arguments.
 */
final class RawArguments {

    static final Path CMDLINE = Path.of("/proc/self/cmdline");

    private RawArguments() {}

    /** The bytes of {@code args}, each; empty when they cannot be recovered (no /proc, or they do not match). */
    static Optional<List<byte[]>> of(String[] args) {
        try {
            return matching(args, Files.readAllBytes(CMDLINE), platformCharset());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The last {@code args.length} NUL-terminated entries of {@code cmdline}, if each decodes
     * (as the JVM decoded it) to its argument: then they are the arguments' own bytes.
     */
    static Optional<List<byte[]>> matching(String[] args, byte[] cmdline, Charset platform) {
        List<byte[]> entries = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < cmdline.length; i++) {
            if (cmdline[i] == 0) {
                entries.add(java.util.Arrays.copyOfRange(cmdline, start, i));
                start = i + 1;
            }
        }
        if (entries.size() < args.length) {
            return Optional.empty();
        }
        List<byte[]> tail = entries.subList(entries.size() - args.length, entries.size());
        for (int i = 0; i < args.length; i++) {
            if (!new String(tail.get(i), platform).equals(args[i])) {
                return Optional.empty();
            }
        }
        return Optional.of(List.copyOf(tail));
    }

    private static Charset platformCharset() {
        String name = System.getProperty("sun.jnu.encoding");
        try {
            return name == null ? Charset.defaultCharset() : Charset.forName(name);
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }
}
