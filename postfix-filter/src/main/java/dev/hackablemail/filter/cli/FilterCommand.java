package dev.hackablemail.filter.cli;

import dev.hackablemail.filter.EnvelopeAddress;
import dev.hackablemail.filter.Filter;
import dev.hackablemail.filter.FilterConfig;
import dev.hackablemail.filter.FilterLog;
import dev.hackablemail.filter.OneLine;
import dev.hackablemail.filter.Outcome;
import dev.hackablemail.filter.SendmailCommand;
import dev.hackablemail.filter.SysExits;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hackable-email filter [--config FILE] -f SENDER -- RECIPIENT}: one message, from stdin. */
@Command(name = "filter",
        header = "Handle one message for one recipient, as a Postfix pipe(8) service.",
        mixinStandardHelpOptions = true,
        description = {
            "Handles one message, read from standard input, for one recipient: runs the",
            "recipient's active plugin (from the store: a folder or PostgreSQL) with",
            "deliver and reply bound to sendmail, or delivers the message unchanged when",
            "there is none.",
            "",
            "Meant as a Postfix pipe(8) service, one recipient per call (master.cf):",
            "  argv=/opt/hackable-email/bin/hackable-email filter",
            "    -f $${sender} -- $${recipient}",
            "",
            "Exit codes are sysexits (below), the language of Postfix's pipe(8). The reason",
            "goes to standard error, one line; the log line goes to the log file."
        })
final class FilterCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML settings (default: " + "/etc/hackable-email/filter.yaml if it exists, else built-in defaults)")
    private Path config;

    @Option(names = "-f", required = true, paramLabel = "SENDER",
            description = "the envelope sender; empty (or <>) for the null sender; passed on to sendmail byte for byte")
    private String sender;

    @Parameters(arity = "1..*", paramLabel = "RECIPIENT", description = "the envelope recipient (exactly one)")
    private List<String> recipients;

    private final InputStream in;
    private final PrintStream err;
    /** Where the sender and the recipient stand among the arguments (fast path only), to find their bytes. */
    private int senderArg = -1;
    private int senderPrefix;
    private int recipientArg = -1;
    private Optional<List<byte[]>> rawArguments = Optional.empty();

    FilterCommand() {
        this(System.in, System.err);
    }

    FilterCommand(InputStream in, PrintStream err) {
        this.in = in;
        this.err = err;
    }

    /**
     * The call Postfix makes, parsed without picocli: {@code filter [--config FILE] -f SENDER
     * [--] RECIPIENT...} (also {@code --config=FILE} and {@code -fSENDER}). Building
     * picocli's command model costs about 200 ms of a cold start, a fifth of the whole run.
     * Anything else, including every mistake and {@code --help}, gives empty, and picocli
     * parses it (and reports it) as usual.
     */
    static java.util.Optional<FilterCommand> fastParse(String[] args) {
        if (args.length < 2 || !args[0].equals("filter")) {
            return java.util.Optional.empty();
        }
        FilterCommand c = new FilterCommand();
        List<String> positional = new java.util.ArrayList<>();
        int i = 1;
        for (; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                i++;
                break;
            } else if (a.equals("--config") && i + 1 < args.length && c.config == null) {
                c.config = Path.of(args[++i]);
            } else if (a.startsWith("--config=") && c.config == null) {
                c.config = Path.of(a.substring("--config=".length()));
            } else if (a.equals("-f") && i + 1 < args.length && c.sender == null) {
                c.sender = args[++i];
                c.senderArg = i;
            } else if (a.startsWith("-f") && !a.startsWith("-f=") && c.sender == null) {
                c.sender = a.substring(2);
                c.senderArg = i;
                c.senderPrefix = 2;
            } else if (!a.startsWith("-")) {
                c.recipientArg = i;
                positional.add(a);
            } else {
                return java.util.Optional.empty();
            }
        }
        for (; i < args.length; i++) {
            c.recipientArg = i;
            positional.add(args[i]);
        }
        if (c.sender == null || positional.isEmpty()) {
            return java.util.Optional.empty();
        }
        c.recipients = positional;
        return java.util.Optional.of(c);
    }

    /**
     * Takes the arguments' original bytes ({@link RawArguments}), so that the envelope
     * addresses reach sendmail byte for byte; without them they are the decoded text.
     */
    FilterCommand withRawArguments(Optional<List<byte[]>> raw) {
        this.rawArguments = raw;
        return this;
    }

    private EnvelopeAddress envelope(int arg, int prefix, String decoded) {
        if (arg >= 0 && rawArguments.isPresent()) {
            byte[] raw = rawArguments.get().get(arg);
            return EnvelopeAddress.ofBytes(java.util.Arrays.copyOfRange(raw, prefix, raw.length));
        }
        return EnvelopeAddress.ofText(decoded);
    }

    @Override
    public Integer call() {
        long started = System.nanoTime();
        if (recipients.size() != 1) {
            return fail("one recipient per call, got " + recipients.size()
                    + " (set <transport>_destination_recipient_limit = 1 in main.cf)");
        }
        EnvelopeAddress recipientAddress = envelope(recipientArg, 0, recipients.get(0));
        EnvelopeAddress senderAddress = envelope(senderArg, senderPrefix, sender);
        String recipient = recipientAddress.text();
        String from = senderAddress.text().equals("<>") ? "" : senderAddress.text();
        FilterConfig settings;
        try {
            settings = loadConfig();
        } catch (FilterConfig.ConfigException e) {
            return fail("configuration: " + e.getMessage());
        }
        Clock clock = Clock.systemDefaultZone();
        FilterLog log = FilterLog.of(settings, clock);
        long deadline = started + settings.timeLimit().toNanos();
        // The time limit covers everything from here, the store included: a store that stalls
        // (a locked table, a held lock) must not keep the mail past it (Postfix would bounce it).
        java.util.concurrent.atomic.AtomicReference<Filter> running = new java.util.concurrent.atomic.AtomicReference<>();
        Watchdog watchdog = Watchdog.start(settings.timeLimit().minusNanos(System.nanoTime() - started), () -> {
            Filter f = running.get();
            int code = f != null && f.delivered() ? SysExits.OK : SysExits.TEMPFAIL;
            String reason = "the filter ran past its time limit of " + settings.timeLimit().toSeconds() + " s";
            log.line("from=<" + from + "> to=<" + recipient + "> exit=" + code + " reason=\"" + reason + "\"");
            if (code != SysExits.OK) {
                err.println("hackable-email: " + reason);
            }
            err.flush();
            return code;
        });
        try {
            SendmailCommand sendmail = new SendmailCommand(settings.sendmail(),
                    () -> sendmailTimeout(settings, deadline), List.of(senderAddress, recipientAddress));
            // A JVM per message: load the plugin's compiled classes from this machine's cache
            // rather than compiling it again for every mail.
            dev.hackablemail.runner.guest.CompiledCodeCache.useDirectory(settings.store().cache());
            dev.hackablemail.store.GuestStore store;
            try {
                store = settings.store().open(false);
            } catch (IOException e) {
                return fail("the store " + settings.store().describe() + ": " + e.getMessage());
            }
            Filter filter = new Filter(settings, store, sendmail, clock);
            running.set(filter);
            try {
                filter.preload(recipient);
                return handle(filter, settings, log, from, recipient);
            } finally {
                filter.close();
            }
        } finally {
            watchdog.close();
        }
    }

    private int handle(Filter filter, FilterConfig settings, FilterLog log, String from, String recipient) {
        byte[] message;
        try {
            message = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, settings.maxMessageSize() + 1));
        } catch (IOException e) {
            return fail("cannot read the message: " + e.getMessage());
        }
        Outcome outcome = filter.process(from, recipient, message);
        log.line(outcome.log());
        if (outcome.reason() != null) {
            err.println(outcome.reason());
            err.flush();
        }
        return outcome.exitCode();
    }

    /** What a sendmail run may take: {@code sendmail_timeout}, but never past the filter's own limit. */
    private static Duration sendmailTimeout(FilterConfig settings, long deadlineNanos) {
        // What is left of the filter's own limit, less a margin to exit cleanly; when that is
        // under a second, sendmail is not started at all (SendmailCommand.MIN_RUN).
        Duration left = Duration.ofNanos(deadlineNanos - System.nanoTime()).minusSeconds(2);
        Duration cap = settings.sendmailTimeout();
        return left.compareTo(cap) < 0 ? left : cap;
    }

    private FilterConfig loadConfig() {
        if (config != null) {
            return FilterConfig.load(config);
        }
        if (Files.exists(FilterConfig.DEFAULT_FILE)) {
            return FilterConfig.load(FilterConfig.DEFAULT_FILE);
        }
        return FilterConfig.defaults();
    }

    private int fail(String why) {
        err.println("hackable-email: " + OneLine.withoutLineBreaks(why));
        err.flush();
        return SysExits.TEMPFAIL;
    }
}
