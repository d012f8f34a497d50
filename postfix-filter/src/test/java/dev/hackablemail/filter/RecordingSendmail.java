package dev.hackablemail.filter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A sendmail stand-in: a shell script in a temp folder that records each run's arguments
 * (NUL-separated, so empty arguments survive) and standard input, and exits with the code in
 * its {@code exit-code} file (0 when absent). It can also sleep first ({@code sleep} file).
 */
final class RecordingSendmail {

    /** One recorded run. */
    record Call(List<String> args, byte[] stdin) {
        String text() {
            return new String(stdin, StandardCharsets.UTF_8);
        }
    }

    private final Path dir;
    private final Path script;

    RecordingSendmail(Path dir) {
        this.dir = dir;
        this.script = dir.resolve("sendmail");
        try {
            Files.createDirectories(dir);
            Files.writeString(script, "#!/bin/sh\n"
                    + "d='" + dir + "'\n"
                    + "[ -f \"$d/sleep\" ] && sleep \"$(cat \"$d/sleep\")\"\n"
                    + "i=$(( $(cat \"$d/count\" 2>/dev/null || echo 0) + 1 ))\n"
                    + "echo $i > \"$d/count\"\n"
                    + "printf '%s\\0' \"$@\" > \"$d/call-$i.args\"\n"
                    + "cat > \"$d/call-$i.eml\"\n"
                    + "code=$(cat \"$d/exit-code\" 2>/dev/null || echo 0)\n"
                    + "[ \"$code\" = 0 ] || echo \"sendmail: fatal: simulated failure $code\" >&2\n"
                    + "exit $code\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The command for the {@code sendmail} setting. */
    String command() {
        return script.toString();
    }

    RecordingSendmail exitWith(int code) {
        write("exit-code", Integer.toString(code));
        return this;
    }

    RecordingSendmail sleepFirst(double seconds) {
        write("sleep", Double.toString(seconds));
        return this;
    }

    private void write(String file, String content) {
        try {
            Files.writeString(dir.resolve(file), content + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Call> calls() {
        List<Call> calls = new ArrayList<>();
        try {
            for (int i = 1; Files.exists(dir.resolve("call-" + i + ".args")); i++) {
                String args = Files.readString(dir.resolve("call-" + i + ".args"), StandardCharsets.UTF_8);
                List<String> list = args.isEmpty() ? List.of()
                        : new ArrayList<>(Arrays.asList(args.substring(0, args.length() - 1).split("\0", -1)));
                calls.add(new Call(list, Files.readAllBytes(dir.resolve("call-" + i + ".eml"))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return calls;
    }
}
