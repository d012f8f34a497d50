package dev.hackablemail.filter.cli;

import dev.hackablemail.filter.FilterConfig;
import dev.hackablemail.filter.FilterLog;
import dev.hackablemail.filter.SysExits;
import dev.hackablemail.filter.smtpd.ContentFilterDaemon;
import dev.hackablemail.filter.smtpd.SmtpdConfig;
import dev.hackablemail.runner.guest.CompiledCodeCache;
import dev.hackablemail.schema.cli.ExitCodes;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hackable-email smtpd [--config FILE]}: the filter as a long-running SMTP content filter. */
@Command(name = "smtpd",
        header = "Run the filter as a long-running SMTP content filter (Postfix FILTER_README).",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the filter as an after-queue SMTP content filter (Postfix's",
            "FILTER_README): Postfix's SMTP client delivers to it (smtpd.listen,",
            "default 127.0.0.1:10025); it runs each recipient's plugin, kept compiled",
            "between messages, and re-injects over SMTP into a Postfix smtpd without",
            "content filter (smtpd.reinject, default 127.0.0.1:10026).",
            "",
            "DATA is answered 250 only once every delivery and reply was accepted",
            "there; 4xx for a failure of ours or of re-injection (Postfix retries);",
            "5xx with the plugin's reason when it bounces the mail. One recipient per",
            "transaction (<transport>_destination_recipient_limit = 1 in main.cf).",
            "",
            "With smtpd.reinject_policy (HOST:PORT) it also answers the re-injection",
            "smtpd's end-of-data policy requests (smtpd_end_of_data_restrictions =",
            "check_policy_service there) and journals each delivery before that smtpd",
            "commits it: a SIGKILL then delivers no message twice.",
            "",
            "Settings: the filter's YAML file and its smtpd: section",
            "(postfix-filter/README.md). SIGTERM drains: 421 for new sessions, mail",
            "in flight finishes, then it exits 0. Any other exit means it is broken: the",
            "service manager should start it again (systemd: Restart=on-failure)."
        })
final class SmtpdCommand implements Callable<Integer> {

    /** The daemon's own table (not the filter's: it decides no mail by its exit). */
    static final Map<String, String> EXIT_CODES = ExitCodes.table(
            SysExits.OK, "stopped by SIGTERM/SIGINT after draining",
            SysExits.UNAVAILABLE, "cannot listen, or the journal is held by another daemon",
            SysExits.SOFTWARE, "it could serve no more (a thread it needs died, e.g. out of memory) or failed "
                    + "unexpectedly",
            SysExits.CONFIG, "bad arguments or configuration");

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML settings (default: /etc/hackable-email/filter.yaml if it exists, else built-in defaults)")
    private Path config;

    private final PrintStream err;

    SmtpdCommand() {
        this(System.err);
    }

    SmtpdCommand(PrintStream err) {
        this.err = err;
    }

    @Override
    public Integer call() throws InterruptedException {
        FilterConfig filterSettings;
        SmtpdConfig settings;
        try {
            Path file = config != null ? config : Files.exists(FilterConfig.DEFAULT_FILE) ? FilterConfig.DEFAULT_FILE : null;
            filterSettings = file == null ? FilterConfig.defaults() : FilterConfig.load(file);
            settings = file == null ? SmtpdConfig.fromSection(null, filterSettings, "(defaults)")
                    : SmtpdConfig.load(file, filterSettings);
        } catch (FilterConfig.ConfigException e) {
            err.println("hackable-email smtpd: configuration: " + e.getMessage());
            return SysExits.CONFIG;
        }
        Clock clock = Clock.systemDefaultZone();
        FilterLog log = FilterLog.of(filterSettings, clock);
        CompiledCodeCache.useDirectory(filterSettings.store().cache());
        ContentFilterDaemon daemon;
        try {
            daemon = new ContentFilterDaemon(filterSettings, settings, log, clock);
            daemon.start();
        } catch (IOException | java.io.UncheckedIOException e) {
            err.println("hackable-email smtpd: " + e.getMessage());
            return SysExits.UNAVAILABLE;
        }
        if (daemon.journalDamage() != null) {
            err.println("hackable-email smtpd: warning: journal " + daemon.journalDamage());
        }
        err.println("hackable-email smtpd: listening on " + daemon.listenAddress() + ", re-injecting to "
                + settings.reinject()
                + (daemon.policyAddress() == null ? "" : ", end-of-data policy on " + daemon.policyAddress())
                + (daemon.healthAddress() == null ? ""
                        : ", health and metrics on http://" + daemon.healthAddress() + "/metrics"));
        daemon.onBroken(why -> {
            err.println("hackable-email smtpd: cannot serve any more (" + why + "): exiting with "
                    + SysExits.SOFTWARE + " so that the service manager starts it again");
            err.flush();
            Runtime.getRuntime().halt(SysExits.SOFTWARE);
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            daemon.stop();
            err.println("hackable-email smtpd: stopped");
            err.flush();
            Runtime.getRuntime().halt(SysExits.OK); // drained as asked: a clean stop, not "killed by SIGTERM"
        }, "smtpd-shutdown"));
        new CountDownLatch(1).await(); // until SIGTERM or SIGINT
        return SysExits.OK;
    }
}
