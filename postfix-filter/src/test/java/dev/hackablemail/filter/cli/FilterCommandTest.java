package dev.hackablemail.filter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hackablemail.filter.TestPlugins;
import dev.hackablemail.store.FolderStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line as Postfix runs it: arguments, stdin, exit codes, stderr and the log. */
class FilterCommandTest {

    @TempDir
    Path tmp;
    Path config;
    Path recorded;

    @BeforeEach
    void setUp() throws IOException {
        recorded = tmp.resolve("recorded");
        Path sendmail = tmp.resolve("sendmail");
        Files.writeString(sendmail, "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + recorded + ".args'\ncat > '" + recorded
                + ".eml'\nexit 0\n");
        Files.setPosixFilePermissions(sendmail, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(tmp.resolve("store"));
        config = tmp.resolve("filter.yaml");
        Files.writeString(config, "store: " + tmp.resolve("store") + "\nsendmail: " + sendmail + "\nlog: "
                + tmp.resolve("filter.log") + "\n");
    }

    record Run(int code, String err) {}

    /** Runs the command as Main.main does (fast path or picocli), without exiting. */
    Run run(String stdin, String... args) {
        InputStream oldIn = System.in;
        PrintStream oldErr = System.err;
        PrintStream oldOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            var fast = FilterCommand.fastParse(args);
            int code = fast.isPresent() ? fast.get().call() : Main.commandLine().execute(args);
            return new Run(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setIn(oldIn);
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
    }

    @Test
    void aMessageIsReadFromStdinAndDelivered() throws IOException {
        Run r = run("Subject: hi\n\nbody\n", "filter", "--config", config.toString(), "-f", "a@x", "--", "b@y");
        assertThat(r.code()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(Files.readString(tmp.resolve("recorded.eml"))).isEqualTo("Subject: hi\n\nbody\n");
        assertThat(Files.readAllLines(tmp.resolve("recorded.args"))).containsExactly("-G", "-i", "-f", "a@x", "--", "b@y");
        List<String> log = Files.readAllLines(tmp.resolve("filter.log"));
        assertThat(log).hasSize(1);
        assertThat(log.get(0)).matches(".*Z hackable-email\\[\\d+\\]: from=<a@x> to=<b@y> size=18 plugin=none "
                + "deliver=0 exit=0 ms=\\d+");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "<>"})
    void theNullSenderMayBeEmptyOrAngleBrackets(String sender) throws IOException {
        Run r = run("Subject: bounce\n\n", "filter", "--config", config.toString(), "-f", sender, "--", "b@y");
        assertThat(r.code()).isZero();
        assertThat(Files.readAllLines(tmp.resolve("recorded.args"))).containsExactly("-G", "-i", "-f", "", "--", "b@y");
    }

    @Test
    void aRecipientThatLooksLikeAnOptionIsFineAfterTheDoubleDash() {
        assertThat(run("x\n", "filter", "--config", config.toString(), "-f", "a@x", "--", "-b@y").code()).isZero();
    }

    @Test
    void aFailureWritesOneShortLineToStderr() throws IOException {
        Files.writeString(config, Files.readString(config).replaceAll("sendmail: .*", "sendmail: /nonexistent/sendmail"));
        Run r = run("Subject: hi\n\nbody\n", "filter", "--config", config.toString(), "-f", "a@x", "--", "b@y");
        assertThat(r.code()).isEqualTo(75);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith("hackable-email: delivery failed: cannot run /nonexistent/sendmail");
        assertThat(Files.readString(tmp.resolve("filter.log"))).contains("exit=75");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "filter --config CONFIG -- b@y",                    // no -f
        "filter --config CONFIG -f a@x",                    // no recipient
        "filter --config CONFIG -f a@x -- b@y c@z",         // two recipients
        "filter --config CONFIG --bogus -f a@x -- b@y",     // unknown option
        "filter --config MISSING -f a@x -- b@y",            // no such config file
        "filter --config BADYAML -f a@x -- b@y",            // invalid YAML
        "filter --config UNKNOWNKEY -f a@x -- b@y",         // unknown setting
        "filter --config BADVALUE -f a@x -- b@y",           // bad value
        "",                                                 // no command
        "nonsense"                                          // unknown command
    })
    void anythingWrongWithTheCallDefersTheMail(String line) throws IOException {
        Files.writeString(tmp.resolve("bad.yaml"), "store: [unclosed\n");
        Files.writeString(tmp.resolve("unknown.yaml"), "stroe: /tmp\n");
        Files.writeString(tmp.resolve("badvalue.yaml"), "plugin_timeout: soon\n");
        List<String> args = new ArrayList<>();
        for (String word : line.split(" ")) {
            if (!word.isEmpty()) {
                args.add(word.replace("CONFIG", config.toString()).replace("MISSING", tmp.resolve("nope.yaml").toString())
                        .replace("BADYAML", tmp.resolve("bad.yaml").toString())
                        .replace("UNKNOWNKEY", tmp.resolve("unknown.yaml").toString())
                        .replace("BADVALUE", tmp.resolve("badvalue.yaml").toString()));
            }
        }
        Run r = run("Subject: hi\n\nbody\n", args.toArray(new String[0]));
        assertThat(r.code()).isEqualTo(75);
        assertThat(r.err()).startsWith("hackable-email: ");
        assertThat(Files.exists(tmp.resolve("recorded.eml"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "filter --config CONFIG -f a@x -- b@y",
        "filter --config=CONFIG -fa@x -- b@y",
        "filter -f a@x --config CONFIG b@y",
        "filter -f a@x --config CONFIG -- -b@y"})
    void thePostfixCallIsParsedWithoutPicocliAsPicocliWould(String line) {
        String[] args = line.replace("CONFIG", "/etc/x.yaml").split(" ");
        FilterCommand fast = FilterCommand.fastParse(args).orElseThrow();
        FilterCommand slow = new FilterCommand();
        new picocli.CommandLine(slow).parseArgs(java.util.Arrays.copyOfRange(args, 1, args.length));
        assertThat(fast).usingRecursiveComparison()
                .ignoringFields("senderArg", "senderPrefix", "recipientArg", "rawArguments").isEqualTo(slow);
    }

    @ParameterizedTest
    @ValueSource(strings = {"filter", "filter --help", "filter -f a@x", "filter -- b@y", "filter --bogus -f a@x -- b@y",
        "filter -f a@x -f c@x -- b@y", "bench", "filter -f", "filter --config -f a@x -- b@y x"})
    void anythingElseGoesToPicocli(String line) {
        assertThat(FilterCommand.fastParse(line.split(" "))).isEmpty();
    }

    @Test
    void helpIsNotAnError() {
        assertThat(run("", "filter", "--help").code()).isZero();
        assertThat(run("", "--help").code()).isZero();
    }

    /** A fresh JVM through Main.main: its own time limit ends a run that hangs (here: stdin never ends). */
    @Test
    void theFiltersOwnTimeLimitDefersAHangingRun() throws Exception {
        Files.writeString(config, Files.readString(config)
                + "time_limit: 8s\nplugin_timeout: 1s\nsendmail_timeout: 1s\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "filter", "--config", config.toString(), "-f", "a@x", "--", "b@y").start();
        p.getOutputStream().write("Subject: never ends\n".getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().flush(); // and stdin stays open
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(75);
        assertThat(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("hackable-email: the filter ran past its time limit of 8 s\n");
        assertThat(Files.readString(tmp.resolve("filter.log"))).contains("exit=75", "time limit");
        p.getOutputStream().close();
    }

    /**
     * A fresh JVM on a PostgreSQL store whose table another connection holds locked: the
     * filter's own time limit still ends the run (75) in time, the store wait included.
     */
    @Test
    void theTimeLimitHoldsWhileTheStoreStalls() throws Exception {
        dev.hackablemail.store.PostgresCluster cluster = dev.hackablemail.store.PostgresCluster.shared();
        String url = cluster.newDatabase();
        dev.hackablemail.store.StoreSetting setting = dev.hackablemail.store.StoreSetting.read(
                java.util.Map.of("store", url, "cache", tmp.resolve("cache").toString()));
        try (dev.hackablemail.store.GuestStore store = setting.open(false)) {
            store.activePlugin("b@y"); // makes the tables
        }
        Files.writeString(config, Files.readString(config).replace("store: " + tmp.resolve("store"), "store: " + url
                + "\ncache: " + tmp.resolve("cache")) + "time_limit: 8s\nplugin_timeout: 1s\nsendmail_timeout: 1s\n"
                + "store_timeout: 60s\n");
        try (java.sql.Connection lock = cluster.connect(url)) {
            lock.setAutoCommit(false);
            lock.createStatement().execute("LOCK TABLE hackable_guests IN ACCESS EXCLUSIVE MODE");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            long start = System.nanoTime();
            Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "filter", "--config", config.toString(), "-f", "a@x", "--", "b@y").start();
            p.getOutputStream().write("Subject: stalled\n\nhi\n".getBytes(StandardCharsets.US_ASCII));
            p.getOutputStream().close();
            assertThat(p.waitFor(40, TimeUnit.SECONDS)).isTrue();
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            assertThat(p.exitValue()).isEqualTo(75);
            assertThat(seconds).as("time_limit 8 s, the JVM's start included").isLessThan(20);
            assertThat(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("hackable-email: the filter ran past its time limit of 8 s\n");
            lock.rollback();
        }
        assertThat(Files.exists(recorded.resolveSibling("recorded.eml"))).as("nothing delivered").isFalse();
    }

    /**
     * The JVM's heap running out while a plugin runs is a failure of ours (75, the mail is
     * kept), never a bounce blamed on the plugin: here the plugin logs a 60 MiB block (its
     * kernel limit set far above a small heap), and copying it out fails in the call.
     */
    @Test
    void theHostRunningOutOfMemoryDefersTheMailInsteadOfBouncingIt() throws Exception {
        String err = filterDeferringUnder("-Xmx128m", TestPlugins.logBlockOf(60L << 20), "1GiB");
        assertThat(err).startsWith("hackable-email: the filter ran out of memory (").doesNotContain("Exception");
        assertThat(Files.exists(recorded.resolveSibling("recorded.eml"))).as("nothing delivered").isFalse();
    }

    /**
     * A plugin that asks the kernel for memory without end under a small heap: every thread
     * of the filter meets the OutOfMemoryError, the guest-call watchdog included, which must
     * survive it (it bounds every later call); the mail is deferred in words, nothing else is said.
     */
    @Test
    void anOutOfMemoryStormKillsNoThreadAndIsSaidInOneLine() throws Exception {
        String err = filterDeferringUnder("-Xmx96m", TestPlugins.allocateForever(), "3GiB");
        assertThat(err).as("no thread died of it").startsWith("hackable-email: the filter ran out of memory (")
                .doesNotContain("Exception").hasLineCount(1);
    }

    @Test
    void mainExitsWithTheCode() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "filter", "-f", "a@x").redirectErrorStream(true).start();
        p.getOutputStream().close();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(75);
    }

    @Test
    void theHelpShowsTheSysexitsTableAndBadArgumentsExitWithItsTempfail() {
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine cli = Main.commandLine();
        cli.setOut(new java.io.PrintWriter(out, true));
        assertThat(cli.execute("filter", "--help")).isZero();
        assertThat(out.toString()).contains("hackable-email filter\n    -f ${sender} -- ${recipient}\n")
                .contains("Exit codes:")
                .containsPattern("\\s0\\s+delivered or handled")
                .containsPattern("\\s64-78\\s+the plugin rejected the mail with this sysexits code")
                .containsPattern("\\s69\\s+the plugin rejected the mail with any other non-zero code")
                .containsPattern("\\s70\\s+the plugin failed")
                .containsPattern("\\s75\\s+the filter itself failed");
        assertThat(run("", "filter", "--no-such-option").code()).isEqualTo(75);
    }

    /** The codes under "Exit codes:" in {@code help}: numbers, ranges (64-78, 64..78) and lists (0 / 1). */
    static java.util.Set<Integer> exitTable(String help) {
        java.util.Set<Integer> codes = new java.util.TreeSet<>();
        String table = help.substring(help.indexOf("Exit codes:"));
        var row = java.util.regex.Pattern.compile("(?m)^\\s+([0-9][0-9 ,./-]*?)\\s{2,}\\S").matcher(table);
        while (row.find()) {
            var code = java.util.regex.Pattern.compile("(\\d+)(?:(?:-|\\.\\.)(\\d+))?").matcher(row.group(1));
            while (code.find()) {
                int from = Integer.parseInt(code.group(1));
                int to = code.group(2) == null ? from : Integer.parseInt(code.group(2));
                for (int c = from; c <= to; c++) {
                    codes.add(c);
                }
            }
        }
        return codes;
    }

    private String help(String command) {
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine cli = Main.commandLine();
        cli.setOut(new java.io.PrintWriter(out, true));
        assertThat(cli.execute(command, "--help")).isZero();
        return out.toString();
    }

    @Test
    void eachCommandExitsWithACodeItsOwnHelpPrints() throws IOException {
        assertThat(exitTable(help("smtpd"))).containsExactly(0, 69, 70, 78);
        assertThat(help("smtpd")).doesNotContain("the plugin rejected").containsOnlyOnce("Exit codes:");
        assertThat(exitTable(help("filter"))).contains(0, 64, 69, 70, 75, 78);

        Path badYaml = Files.writeString(tmp.resolve("bad.yaml"), "store: [\n");
        Path busy;
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            busy = Files.writeString(tmp.resolve("busy.yaml"), Files.readString(config) + "smtpd:\n  listen: 127.0.0.1:"
                    + taken.getLocalPort() + "\n");
            String[][] cases = {
                    {"filter", "--no-such-option"},
                    {"smtpd", "--no-such-option"},
                    {"smtpd", "--config", badYaml.toString()},
                    {"smtpd", "--config", busy.toString()},
                    {"try", "--no-such-option"},
                    {"bench", "--seconds", "soon"},
                    {"smtp-load"}};
            int[] expected = {75, 78, 78, 69, 2, 2, 2};
            for (int i = 0; i < cases.length; i++) {
                int code = run("", cases[i]).code();
                assertThat(code).as(String.join(" ", cases[i])).isEqualTo(expected[i]);
                assertThat(exitTable(help(cases[i][0]))).as(cases[i][0] + " --help").contains(code);
            }
        }
    }

    /**
     * Postfix's pipe(8) call with a sender holding the byte 0xFF, in a JVM started as Postfix
     * starts it (no locale: the JVM decodes its arguments as ASCII). The arguments are written
     * as bytes by the shell, since Java itself could not pass them.
     */
    @ParameterizedTest
    @ValueSource(strings = {"-f", "-f="})
    void theEnvelopeReachesSendmailByteForByte(String senderStyle) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String senderArgs = senderStyle.equals("-f") ? "-f \"$(printf 'j\\303\\266rg\\377@x')\""
                : "\"$(printf -- '-fj\\303\\266rg\\377@x')\"";
        String script = "exec env -i PATH=/usr/bin:/bin \"$0\" -cp \"$1\" " + Main.class.getName()
                + " filter --config \"$2\" " + senderArgs + " -- \"$(printf 'b\\351@y')\"";
        Process p = new ProcessBuilder("/bin/sh", "-c", script, java, System.getProperty("java.class.path"),
                config.toString()).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write("Subject: hi\n\nbody\n".getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(said).isZero();
        byte[] args = Files.readAllBytes(tmp.resolve("recorded.args"));
        byte[] expected = {'-', 'G', '\n', '-', 'i', '\n', '-', 'f', '\n', 'j', (byte) 0xc3, (byte) 0xb6, 'r', 'g',
            (byte) 0xff, '@', 'x', '\n', '-', '-', '\n', 'b', (byte) 0xe9, '@', 'y', '\n'};
        assertThat(args).isEqualTo(expected);
        assertThat(Files.readString(tmp.resolve("recorded.eml"))).isEqualTo("Subject: hi\n\nbody\n");
    }

    /**
     * Runs {@code filter} for b@y, whose plugin is {@code plugin}, in a JVM with the heap
     * {@code xmx}; asserts it deferred the mail (75) and returns its standard error.
     */
    private String filterDeferringUnder(String xmx, byte[] plugin, String kernelMemory) throws Exception {
        new FolderStore(tmp.resolve("store")).push("b@y", plugin, Instant.now(), "admin", List.of(), 20);
        Files.writeString(config, Files.readString(config) + "plugin_kernel_memory: " + kernelMemory
                + "\nplugin_timeout: 30s\nsendmail_timeout: 1s\ntime_limit: 60s\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, xmx, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "filter", "--config", config.toString(), "-f", "a@x", "--", "b@y").start();
        p.getOutputStream().write("Subject: hi\n\nhello\n".getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(err).isEqualTo(75);
        return err;
    }
}
