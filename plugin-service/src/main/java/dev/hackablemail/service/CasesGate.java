package dev.hackablemail.service;

import dev.hackablemail.filter.FilterConfig;
import dev.hackablemail.filter.trial.MailCases;
import dev.hackablemail.filter.trial.MailTrial;
import dev.hackablemail.filter.trial.TrialResult;
import dev.hackablemail.store.GuestStore.Attachment;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the mail test cases an author pushed with a plugin ({@code *.cases.yaml}, the format of
 * postfix-filter/README.md "Mail test cases") at the gate: each case goes through the filter's
 * own core in record mode ({@link MailTrial}) with the server's filter settings, so the same
 * limits, reply rules and reply composition as in production. Nothing is sent (no sendmail
 * runs) and nothing is written: the trial has no store, so no aliases, an empty reply ledger,
 * and the result does not depend on the mail the guest received meanwhile (a rollback gets
 * the same answer as the push).
 *
 * <p>A pushed cases file carries its messages inline ({@code headers:} and {@code body:}): the
 * {@code .eml} files a local cases file may name ({@code message:}) are not on the server, and
 * a case naming one is a reason naming the file and its line.
 *
 * <p>The cases of one file run one after the other, at most for {@code runTimeout} all
 * together (each case is bounded by the plugin limits anyway); the cases left are then a reason.
 */
final class CasesGate {

    /** Why a case that names a message file cannot run here. */
    static final String NO_FILES = "it is not on the server: a pushed cases file carries its messages inline "
            + "('headers' and 'body')";

    private final MailTrial trial;
    private final Duration runTimeout;

    CasesGate(FilterConfig filter, Duration runTimeout) {
        this.trial = new MailTrial(filter, null);
        this.runTimeout = runTimeout;
    }

    /** Runs one pushed cases file with {@code plugin}; one outcome, a failure per case that failed. */
    GateReport.SimulationOutcome check(Attachment file, byte[] plugin) {
        long start = System.nanoTime();
        MailCases cases;
        try {
            cases = MailCases.parse(file.name(), file.bytes(), path -> {
                throw new IOException(NO_FILES);
            });
        } catch (MailCases.CasesException e) {
            return outcome(file.name(), 0, List.of(), e.getMessage(), start);
        }
        List<GateReport.Failure> failures = new ArrayList<>();
        int passed = 0;
        String error = null;
        List<MailCases.MailCase> all = cases.cases();
        for (int i = 0; i < all.size(); i++) {
            if (System.nanoTime() - start > runTimeout.toNanos()) {
                error = "stopped after " + i + " of " + all.size() + " cases: they took longer than "
                        + runTimeout.toSeconds() + " s all together (the server's run_timeout)";
                break;
            }
            MailCases.MailCase c = all.get(i);
            TrialResult r = trial.run(c.sender(), c.recipient(), c.message(), plugin);
            List<String> differences = c.expect().differences(r);
            if (differences.isEmpty()) {
                passed++;
            }
            for (String d : differences) {
                failures.add(new GateReport.Failure("case " + c.name(), d, null));
            }
        }
        return outcome(file.name(), passed, failures, error, start);
    }

    private static GateReport.SimulationOutcome outcome(String name, int passed, List<GateReport.Failure> failures,
            String error, long start) {
        int failed = (int) failures.stream().map(GateReport.Failure::group).distinct().count();
        return new GateReport.SimulationOutcome(GateReport.Kind.CASES, name, failures.isEmpty() && error == null,
                passed, failed, null, error, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), failures);
    }
}
