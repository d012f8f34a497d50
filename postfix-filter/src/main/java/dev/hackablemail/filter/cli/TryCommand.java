package dev.hackablemail.filter.cli;

import dev.hackablemail.filter.FilterConfig;
import dev.hackablemail.filter.OneLine;
import dev.hackablemail.filter.trial.CasesReport;
import dev.hackablemail.filter.trial.EnvelopeAddress;
import dev.hackablemail.filter.trial.MailCases;
import dev.hackablemail.filter.trial.MailTrial;
import dev.hackablemail.filter.trial.TrialReport;
import dev.hackablemail.filter.trial.TrialResult;
import dev.hackablemail.schema.cli.ExitCodes;
import dev.hackablemail.store.GuestStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hackable-email try}: the filter's core in record mode on one message (or on an
 * author's {@code *.cases.yaml}), sending nothing and writing nothing to the store.
 */
@Command(name = "try",
        header = "Show what a plugin would do with a mail, sending nothing.",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Runs a plugin on a message the way the filter does (the same parsing, headers,",
            "payload checks, limits, reply rules and reply composition) in record mode:",
            "nothing is delivered or sent, nothing is written to the store; the reply",
            "ledger is only read, to say when a reply would be suppressed.",
            "",
            "It prints the IncomingEmail the plugin received (long values abridged), each",
            "host call with its payload and answer, what would be delivered, the reply as",
            "it would be sent (or the rule that suppresses it), the plugin's log and the",
            "decision, and exits with the code the filter would exit with.",
            "",
            "With --cases it runs an author's mail test cases (postfix-filter/README.md,",
            "\"Mail test cases\") and exits 0 when all pass, 1 when one failed.",
            "",
            "Examples:",
            "  hackable-email try --plugin plugin.wasm --from alice@example.org \\",
            "      --to bob@example.com postfix-filter/examples/project-xyz.eml",
            "  hackable-email try --plugin plugin.wasm --cases plugin.cases.yaml",
            "",
        })
final class TryCommand implements Callable<Integer> {

    /** {@code try}'s own exit codes (the filter's, for a message; a cases run's; 2 when it cannot run). */
    static final Map<String, String> EXIT_CODES = ExitCodes.table(
            "0, 64..78", "a message: the code the filter would exit with (0 delivered or handled, 75 deferred, "
                    + "any other bounced; see hackable-email filter --help)",
            "0 / 1", "--cases: every case passed / a case failed",
            ExitCodes.CANNOT_RUN, "try could not run: bad arguments, a missing or unreadable file, a malformed "
                    + "cases file, a bad configuration, the store");

    @Option(names = "--config", paramLabel = "FILE",
            description = "the filter's YAML settings (default: /etc/hackable-email/filter.yaml if it exists, else "
                    + "built-in defaults); the store in it is only read")
    private Path config;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Plugin plugin;

    static final class Plugin {
        @Option(names = "--plugin", paramLabel = "FILE", required = true,
                description = "the plugin (.wasm) to try")
        Path file;

        @Option(names = "--guest", paramLabel = "ADDRESS", required = true,
                description = "try the active plugin of this guest, from the store")
        String guest;
    }

    @Option(names = "--from", paramLabel = "SENDER",
            description = "the envelope sender (\"\" or <> for the null sender)")
    private String from;

    @Option(names = "--to", paramLabel = "RECIPIENT",
            description = "the envelope recipient (default with --guest: the guest)")
    private String to;

    @Option(names = "--json", description = "print one JSON document instead of text")
    private boolean json;

    @Option(names = "--cases", paramLabel = "FILE", description = "run the mail test cases of this *.cases.yaml file")
    private Path cases;

    @Option(names = "--report-junit", paramLabel = "FILE", description = "with --cases: also write JUnit XML here")
    private Path junit;

    @Parameters(arity = "0..1", paramLabel = "MAIL.eml", description = "the message (- for standard input)")
    private String mail;

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;

    TryCommand() {
        this(System.in, System.out, System.err);
    }

    TryCommand(InputStream in, PrintStream out, PrintStream err) {
        this.in = in;
        this.out = out;
        this.err = err;
    }

    /** A reason try cannot run; exit 2. */
    private static final class CannotRun extends Exception {
        private static final long serialVersionUID = 1L;

        CannotRun(String message) {
            super(message);
        }
    }

    @Override
    public Integer call() {
        try {
            checkArguments();
            FilterConfig settings = loadConfig();
            try (GuestStore store = openStore(settings)) {
                MailTrial trial = new MailTrial(settings, store);
                return cases != null ? runCases(trial, store) : runOne(trial, store, settings);
            }
        } catch (CannotRun e) {
            err.println("hackable-email try: " + OneLine.withoutLineBreaks(e.getMessage()));
            err.flush();
            return ExitCodes.CANNOT_RUN;
        }
    }

    private void checkArguments() throws CannotRun {
        if (cases != null) {
            if (mail != null || from != null || to != null || json) {
                throw new CannotRun("--cases takes the messages, senders and recipients from the cases file: "
                        + "no MAIL.eml, --from, --to or --json with it (see hackable-email try --help)");
            }
            return;
        }
        if (junit != null) {
            throw new CannotRun("--report-junit goes with --cases (see hackable-email try --help)");
        }
        if (to == null && plugin.guest != null) {
            to = plugin.guest;
        }
        List<String> missing = new java.util.ArrayList<>();
        if (mail == null) {
            missing.add("MAIL.eml (or - for standard input)");
        }
        if (from == null) {
            missing.add("--from SENDER");
        }
        if (to == null) {
            missing.add("--to RECIPIENT");
        }
        if (!missing.isEmpty()) {
            throw new CannotRun("missing " + String.join(", ", missing) + ": a message needs MAIL.eml, --from SENDER"
                    + " and --to RECIPIENT (see hackable-email try --help)");
        }
        if (to.isBlank()) {
            throw new CannotRun("--to: the recipient is empty");
        }
        if (from.equals("<>")) {
            from = "";
        }
        if (!from.isEmpty() && EnvelopeAddress.problem(from) != null) {
            throw new CannotRun("--from '" + from + "': " + EnvelopeAddress.problem(from)
                    + "; \"\" or <> is the null sender");
        }
        if (EnvelopeAddress.problem(to) != null) {
            throw new CannotRun("--to '" + to + "': " + EnvelopeAddress.problem(to));
        }
    }

    private int runOne(MailTrial trial, GuestStore store, FilterConfig settings) throws CannotRun {
        byte[] wasm = pluginBytes(store, to);
        byte[] message = readMessage(settings.maxMessageSize());
        TrialResult result = trial.run(from, to, message, wasm);
        if (json) {
            out.print(TrialReport.json(result));
        } else {
            out.println("hackable-email try: " + (plugin.file != null ? plugin.file : plugin.guest + "'s active plugin")
                    + " on " + (mail.equals("-") ? "standard input" : mail) + " (" + message.length
                    + " bytes), from <" + from + "> to <" + to + ">; record mode: nothing is sent or stored");
            out.println();
            out.print(TrialReport.text(result));
        }
        out.flush();
        return result.exitCode();
    }

    private int runCases(MailTrial trial, GuestStore store) throws CannotRun {
        MailCases file;
        try {
            file = MailCases.read(cases);
        } catch (MailCases.CasesException e) {
            throw new CannotRun(e.getMessage());
        }
        byte[] wasm = plugin.file != null ? pluginBytes(store, null) : guestPlugin(store);
        List<MailCases.CaseResult> results = file.run(trial, wasm);
        out.print(CasesReport.text(file, results));
        out.flush();
        if (junit != null) {
            try {
                CasesReport.junit(junit, file, results);
            } catch (IOException e) {
                throw new CannotRun("--report-junit " + junit + ": cannot be written: " + (e instanceof NoSuchFileException
                        ? "its folder " + junit.toAbsolutePath().getParent() + " does not exist"
                        : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                        : e.getMessage()));
            }
        }
        return results.stream().allMatch(MailCases.CaseResult::passed) ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /**
     * The plugin to run for {@code recipient}: the --plugin file, or with --guest the guest's
     * active plugin; null when that is the recipient's own, which the core reads from the
     * store as the filter does (none: the mail passes through unchanged).
     */
    private byte[] pluginBytes(GuestStore store, String recipient) throws CannotRun {
        if (plugin.file != null) {
            try {
                return Files.readAllBytes(plugin.file);
            } catch (NoSuchFileException e) {
                throw new CannotRun("--plugin " + plugin.file + ": no such file");
            } catch (IOException e) {
                throw new CannotRun("--plugin " + plugin.file + ": cannot be read: " + e.getMessage());
            }
        }
        if (plugin.guest.equalsIgnoreCase(recipient)) {
            // the core reads it again, as the filter does; a store it cannot read is try's problem (2), not the mail's
            activePlugin(store);
            return null;
        }
        return guestPlugin(store);
    }

    private byte[] guestPlugin(GuestStore store) throws CannotRun {
        return activePlugin(store).orElseThrow(() -> new CannotRun("--guest " + plugin.guest
                + ": no active plugin in the store " + store.describe()));
    }

    private Optional<byte[]> activePlugin(GuestStore store) throws CannotRun {
        try {
            return store.activePlugin(plugin.guest);
        } catch (IOException e) {
            throw new CannotRun(storeProblem(store.describe(), e));
        }
    }

    /** The message, read as the filter reads it: at most max_message_size + 1 bytes (a larger one bounces). */
    private byte[] readMessage(long maxMessageSize) throws CannotRun {
        int limit = (int) Math.min(Integer.MAX_VALUE - 16, maxMessageSize + 1);
        if (mail.equals("-")) {
            try {
                return in.readNBytes(limit);
            } catch (IOException e) {
                throw new CannotRun("cannot read the message from standard input: " + e.getMessage());
            }
        }
        try (InputStream file = Files.newInputStream(Path.of(mail))) {
            return file.readNBytes(limit);
        } catch (NoSuchFileException e) {
            throw new CannotRun(mail + ": no such file");
        } catch (IOException e) {
            throw new CannotRun(mail + ": cannot be read: " + e.getMessage());
        }
    }

    private FilterConfig loadConfig() throws CannotRun {
        try {
            if (config != null) {
                return FilterConfig.load(config);
            }
            if (Files.exists(FilterConfig.DEFAULT_FILE)) {
                return FilterConfig.load(FilterConfig.DEFAULT_FILE);
            }
            return FilterConfig.defaults();
        } catch (FilterConfig.ConfigException e) {
            throw new CannotRun("configuration: " + e.getMessage());
        }
    }

    /** The store's failure, naming the store once (its messages often start with its path already). */
    private static String storeProblem(String store, IOException e) {
        String why = e.getMessage() == null ? "cannot be read" : e.getMessage();
        return "the store " + (why.startsWith(store) ? why : store + ": " + why);
    }

    private static GuestStore openStore(FilterConfig settings) throws CannotRun {
        try {
            return settings.store().open(false);
        } catch (IOException e) {
            throw new CannotRun(storeProblem(settings.store().describe(), e));
        }
    }
}
