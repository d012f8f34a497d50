package dev.hackablemail.runner.push;

import dev.hackablemail.runner.push.PushAnswer.Aliases;
import dev.hackablemail.runner.push.PushAnswer.ErrorAnswer;
import dev.hackablemail.runner.push.PushAnswer.GateAnswer;
import dev.hackablemail.runner.push.PushAnswer.RemoveAnswer;
import dev.hackablemail.runner.push.PushAnswer.RevokeAnswer;
import dev.hackablemail.runner.push.PushAnswer.Simulation;
import dev.hackablemail.runner.push.PushAnswer.SimulationSummary;
import dev.hackablemail.runner.push.PushAnswer.Version;
import dev.hackablemail.runner.push.PushAnswer.VersionList;
import dev.hackablemail.schema.cli.ExitCodes;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints the push service's answers for people: the {@code xtp-sim plugin} commands
 * (answers over HTTP) and the server's admin command {@code hackable-email plugin} (the same
 * answers, made in process) both use it, so an author and an admin read the same lines.
 */
public final class PluginOutput {

    private PluginOutput() {}

    /**
     * The exit code for an HTTP status ({@link ExitCodes}): 2xx 0; 413 and 422 (the plugin
     * refused) 1; anything else (a bad token, an unknown version, busy, a server error) 2.
     */
    public static int exitCode(int status) {
        if (status >= 200 && status < 300) {
            return ExitCodes.OK;
        }
        return status == 422 || status == 413 ? ExitCodes.FAILED : ExitCodes.CANNOT_RUN;
    }

    /**
     * Prints an answer: results on {@code out}, errors on {@code err}.
     *
     * @return the exit code for it ({@link #exitCode(int)})
     */
    public static int print(int status, PushAnswer answer, PrintWriter out, PrintWriter err) {
        return print(status, answer, out, err, true);
    }

    /**
     * {@link #print} for an answer made in process (the admin command): an error line without
     * the HTTP status, which means nothing to someone who sent no HTTP request.
     */
    public static int printInProcess(int status, PushAnswer answer, PrintWriter out, PrintWriter err) {
        return print(status, answer, out, err, false);
    }

    private static int print(int status, PushAnswer answer, PrintWriter out, PrintWriter err, boolean overHttp) {
        if (answer instanceof VersionList list) {
            list(list, out);
        } else if (answer instanceof GateAnswer gate) {
            if (gate.accepted()) {
                accepted(gate, out);
            } else {
                rejected(gate, out);
            }
        } else if (answer instanceof RemoveAnswer removed) {
            out.println(removed.removed()
                    ? "removed: " + removed.address() + " has no active plugin now"
                            + (removed.version() != null ? " (version " + removed.version()
                                    + " is kept: roll back to it any time)" : "")
                    : "nothing to remove: " + removed.address() + " had no active plugin");
        } else if (answer instanceof RevokeAnswer revoked) {
            out.println(revoked.revoked()
                    ? "revoked: " + revoked.address() + "'s token no longer works (a new signup issues a new one)"
                    : "nothing to revoke: " + revoked.address() + " has no token");
        } else if (answer instanceof Aliases aliases) {
            out.println(aliases.address() + (aliases.aliases().isEmpty() ? ": no aliases"
                    : ": aliases " + String.join(", ", aliases.aliases())));
        } else {
            String error = answer instanceof ErrorAnswer e ? e.error() : null;
            err.println((overHttp ? "error (HTTP " + status + "): " : "error: ")
                    + (error == null ? "the server gave no reason" : error));
        }
        out.flush();
        err.flush();
        return exitCode(status);
    }

    private static void accepted(GateAnswer answer, PrintWriter out) {
        String address = answer.address();
        String sha = shortSha(answer.sha256());
        if (Boolean.TRUE.equals(answer.unchanged())) {
            out.println("unchanged: version " + answer.version() + " of " + address + "'s plugin is already active "
                    + "(sha256 " + sha + ")" + (answer.simulations() != null ? "; it passed the checks again" : ""));
        } else if (answer.rollback()) {
            out.println("accepted: " + address + "'s plugin is back to version " + answer.version() + " (sha256 " + sha
                    + "), which passed today's checks");
        } else {
            out.println("accepted: version " + answer.version() + " of " + address + "'s plugin is active (sha256 "
                    + sha + ", " + answer.size() + " bytes)");
        }
        gate(answer, out);
        if (!answer.pruned().isEmpty()) {
            List<String> pruned = new ArrayList<>();
            answer.pruned().forEach(v -> pruned.add(v.toString()));
            out.println("  old versions dropped: " + String.join(", ", pruned));
        }
        out.println("  in " + seconds(answer.millis()));
    }

    private static void rejected(GateAnswer answer, PrintWriter out) {
        out.println("rejected: " + (answer.error() == null ? "the plugin did not pass its checks" : answer.error()));
        gate(answer, out);
        if (!answer.reasons().isEmpty()) {
            out.println("reasons:");
            for (String r : answer.reasons()) {
                out.println("  - " + r);
            }
        }
    }

    private static void gate(GateAnswer answer, PrintWriter out) {
        if (answer.check() != null) {
            int problems = answer.check().problems().size();
            out.println("  schema check: " + (problems == 0 ? "ok" : problems + " problem" + (problems == 1 ? "" : "s"))
                    + " (" + answer.check().millis() + " ms)");
        }
        if (answer.simulations() == null) {
            return;
        }
        for (Simulation s : answer.simulations()) {
            StringBuilder line = new StringBuilder("  ").append(label(s)).append(": ");
            if (s.error() != null) {
                line.append("error");
            } else {
                line.append(s.passed()).append(" passed, ").append(s.failed()).append(" failed");
            }
            line.append(" (").append(seconds(s.millis())).append(')');
            out.println(line);
        }
    }

    /** How a check is named, as the server's reasons name it: contract simulation, fuzz, your simulation X, your cases F. */
    static String label(Simulation s) {
        if ("fuzz".equals(s.kind())) {
            return "fuzz";
        }
        if ("author".equals(s.kind())) {
            return "your simulation " + s.name();
        }
        if ("cases".equals(s.kind())) {
            return "your cases " + s.name();
        }
        return "contract".equals(s.name()) ? "contract simulation" : "server simulation " + s.name();
    }

    private static void list(VersionList list, PrintWriter out) {
        String address = list.address();
        if (list.active() != null) {
            out.println(address + ": version " + list.active() + " is active");
        } else if (list.activeSha256() != null) {
            out.println(address + ": a plugin is active (sha256 " + shortSha(list.activeSha256()) + ")");
        } else {
            out.println(address + ": no plugin is active");
        }
        if (list.note() != null) {
            out.println("note: " + list.note());
        }
        List<Version> versions = list.versions() == null ? List.of() : list.versions();
        if (versions.isEmpty()) {
            out.println("no versions pushed yet");
            return;
        }
        out.println(String.format(Locale.ROOT, "  %-8s %-24s %-12s %9s  %-6s %s", "VERSION", "PUSHED", "SHA256",
                "BYTES", "BY", "SIMULATIONS"));
        for (int i = versions.size() - 1; i >= 0; i--) {
            Version v = versions.get(i);
            List<String> sims = new ArrayList<>();
            for (SimulationSummary s : v.simulations()) {
                sims.add(s.name() + " " + s.passed() + "/" + (s.passed() + s.failed()));
            }
            out.println(String.format(Locale.ROOT, "%s %-8d %-24s %-12s %9d  %-6s %s",
                    v.active() ? "*" : " ", v.version(), v.pushed(), shortSha(v.sha256()), v.size(), v.by(),
                    String.join(", ", sims)));
        }
    }

    private static String shortSha(String sha) {
        return sha == null ? "" : sha.length() > 12 ? sha.substring(0, 12) : sha;
    }

    private static String seconds(long millis) {
        return millis < 1000 ? millis + " ms" : String.format(Locale.ROOT, "%.2f s", millis / 1000.0);
    }
}
