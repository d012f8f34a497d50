package dev.hackablemail.filter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A command line whose arguments reach the program byte for byte. Java encodes a process's
 * arguments in the JVM's platform charset, which under Postfix's pipe(8) (no locale: plain
 * ASCII) turns every byte over 127 into {@code ?}. Arguments that are all ASCII are passed
 * as they are; otherwise the command goes through {@code /bin/sh}, which rebuilds each
 * argument from octal escapes with {@code printf '%b'} and then runs it.
 */
final class ExactArgv {

    /** Rebuilds "$@" from escaped arguments (a trailing x keeps trailing newlines), then runs it. */
    static final String SHELL = "n=$#; for a do v=$(printf '%bx' \"$a\"); set -- \"$@\" \"${v%x}\"; done; "
            + "shift \"$n\"; exec \"$@\"";

    private ExactArgv() {}

    /** The argument strings to hand {@link ProcessBuilder} for a program and its arguments, as bytes. */
    static List<String> of(List<byte[]> argv) {
        List<String> out = new ArrayList<>(argv.size() + 4);
        boolean ascii = argv.stream().allMatch(ExactArgv::ascii);
        if (!ascii) {
            out.addAll(List.of("/bin/sh", "-c", SHELL, "sh"));
        }
        for (byte[] arg : argv) {
            out.add(ascii ? new String(arg, StandardCharsets.US_ASCII) : escaped(arg));
        }
        return out;
    }

    private static boolean ascii(byte[] arg) {
        for (byte b : arg) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    /** Letters, digits and {@code @._+-} as they are; every other byte as {@code \0ooo} (printf's %b). */
    static String escaped(byte[] arg) {
        StringBuilder out = new StringBuilder(arg.length * 2);
        for (byte b : arg) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "@._+-/=".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append("\\0").append(Integer.toOctalString(c | 0x200).substring(1)); // three digits
            }
        }
        return out.toString();
    }
}
