package dev.hackablemail.runner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hackablemail.schema.cli.ExitCodes;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints the push service's JSON answers for people: the {@code xtp-sim plugin} commands
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
    public static int print(int status, JsonNode body, PrintWriter out, PrintWriter err) {
        String result = body == null ? "" : body.path("result").asText("");
        if (body != null && body.has("versions") && !body.has("result")) {
            list(body, out);
        } else if (result.equals("accepted")) {
            accepted(body, out);
        } else if (result.equals("rejected")) {
            rejected(body, out);
        } else if (result.equals("removed")) {
            String address = body.path("address").asText();
            if (body.path("removed").asBoolean()) {
                out.println("removed: " + address + " has no active plugin now; mail passes through unchanged"
                        + (body.path("version").isInt() ? " (version " + body.path("version").asInt()
                                + " is kept: roll back to it any time)" : ""));
            } else {
                out.println("nothing to remove: " + address + " had no active plugin");
            }
        } else if (result.equals("revoked")) {
            String address = body.path("address").asText();
            out.println(body.path("revoked").asBoolean()
                    ? "revoked: " + address + "'s token no longer works (a new signup mail issues a new one)"
                    : "nothing to revoke: " + address + " has no token");
        } else {
            String error = body == null ? null : body.path("error").asText(null);
            err.println("error (HTTP " + status + "): " + (error == null ? "the server gave no reason" : error));
        }
        out.flush();
        err.flush();
        return exitCode(status);
    }

    private static void accepted(JsonNode body, PrintWriter out) {
        String address = body.path("address").asText();
        int version = body.path("version").asInt();
        String sha = shortSha(body.path("sha256").asText(""));
        boolean rollback = body.path("action").asText().equals("rollback");
        if (body.path("unchanged").asBoolean()) {
            out.println("unchanged: version " + version + " of " + address + "'s plugin is already active (sha256 "
                    + sha + ")" + (body.has("simulations") ? "; it passed the checks again" : ""));
        } else if (rollback) {
            out.println("accepted: " + address + "'s plugin is back to version " + version + " (sha256 " + sha
                    + "), which passed today's checks");
        } else {
            out.println("accepted: version " + version + " of " + address + "'s plugin is active (sha256 " + sha
                    + ", " + body.path("size").asLong() + " bytes)");
        }
        gate(body, out);
        if (body.path("pruned").isArray() && body.path("pruned").size() > 0) {
            List<String> pruned = new ArrayList<>();
            body.path("pruned").forEach(v -> pruned.add(v.asText()));
            out.println("  old versions dropped: " + String.join(", ", pruned));
        }
        if (body.has("millis")) {
            out.println("  in " + seconds(body.path("millis").asLong()));
        }
    }

    private static void rejected(JsonNode body, PrintWriter out) {
        out.println("rejected: " + body.path("error").asText("the plugin did not pass its checks"));
        gate(body, out);
        JsonNode reasons = body.path("reasons");
        if (reasons.isArray() && reasons.size() > 0) {
            out.println("reasons:");
            for (JsonNode r : reasons) {
                out.println("  - " + r.asText());
            }
        }
    }

    private static void gate(JsonNode body, PrintWriter out) {
        JsonNode check = body.path("check");
        if (check.isObject()) {
            int problems = check.path("problems").size();
            out.println("  schema check: " + (problems == 0 ? "ok" : problems + " problem" + (problems == 1 ? "" : "s"))
                    + " (" + check.path("millis").asLong() + " ms)");
        }
        for (JsonNode s : body.path("simulations")) {
            StringBuilder line = new StringBuilder("  simulation ").append(s.path("name").asText()).append(": ");
            if (s.path("error").isTextual()) {
                line.append("error");
            } else {
                line.append(s.path("passed").asInt()).append(" passed, ").append(s.path("failed").asInt())
                        .append(" failed");
            }
            line.append(" (").append(seconds(s.path("millis").asLong())).append(')');
            out.println(line);
        }
    }

    private static void list(JsonNode body, PrintWriter out) {
        String address = body.path("address").asText();
        JsonNode active = body.path("active");
        if (active.isInt()) {
            out.println(address + ": version " + active.asInt() + " is active");
        } else if (body.path("activeSha256").isTextual()) {
            out.println(address + ": a plugin is active (sha256 " + shortSha(body.path("activeSha256").asText())
                    + ")");
        } else {
            out.println(address + ": no plugin is active; mail passes through unchanged");
        }
        if (body.path("note").isTextual()) {
            out.println("note: " + body.path("note").asText());
        }
        JsonNode versions = body.path("versions");
        if (versions.size() == 0) {
            out.println("no versions pushed yet");
            return;
        }
        out.println(String.format(Locale.ROOT, "  %-8s %-24s %-12s %9s  %-6s %s", "VERSION", "PUSHED", "SHA256",
                "BYTES", "BY", "SIMULATIONS"));
        for (int i = versions.size() - 1; i >= 0; i--) {
            JsonNode v = versions.get(i);
            List<String> sims = new ArrayList<>();
            for (JsonNode s : v.path("simulations")) {
                int passed = s.path("passed").asInt();
                sims.add(s.path("name").asText() + " " + passed + "/" + (passed + s.path("failed").asInt()));
            }
            out.println(String.format(Locale.ROOT, "%s %-8d %-24s %-12s %9d  %-6s %s",
                    v.path("active").asBoolean() ? "*" : " ", v.path("version").asInt(), v.path("pushed").asText(),
                    shortSha(v.path("sha256").asText()), v.path("size").asLong(), v.path("by").asText(),
                    String.join(", ", sims)));
        }
    }

    private static String shortSha(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) : sha;
    }

    private static String seconds(long millis) {
        return millis < 1000 ? millis + " ms" : String.format(Locale.ROOT, "%.2f s", millis / 1000.0);
    }
}
