package dev.hackablemail.schema.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * {@code xtp-sim}'s exit codes: one table for all its commands ({@code test}, {@code call},
 * {@code check}, {@code schema validate}, {@code plugin ...}, {@code bench}), shown in each
 * one's {@code --help}. Scripts rely on these. (Here rather than in the runner because the
 * schema commands are xtp-sim commands too, and this module is the one they all see.)
 */
public final class ExitCodes {

    /** It passed: every assert held; no problems were found; the request was done. */
    public static final int OK = 0;
    /** It ran and failed: an assert failed or a plugin call did; problems were listed; the plugin was rejected. */
    public static final int FAILED = 1;
    /** It could not run: bad arguments, a missing or invalid file, a broken xtp.toml, no server. */
    public static final int CANNOT_RUN = 2;

    /** xtp-sim's table as {@code --help} shows it. */
    public static final Map<String, String> XTP_SIM = table(
            OK, "passed: every assert held and `test` returned 0, the schema or plugin has no problems, "
                    + "the server did what was asked",
            FAILED, "failed: an assert failed, `test` returned non-zero or a plugin call failed; the schema or "
                    + "plugin has problems (listed); the server rejected the plugin",
            CANNOT_RUN, "could not run: bad arguments, a missing or invalid file or module, a broken xtp.toml, "
                    + "no server, or an error the server reported");

    private ExitCodes() {}

    /** A table for {@link #showIn}: code, meaning, code, meaning... in this order. */
    public static Map<String, String> table(Object... codesAndMeanings) {
        Map<String, String> table = new LinkedHashMap<>();
        for (int i = 0; i < codesAndMeanings.length; i += 2) {
            table.put(String.valueOf(codesAndMeanings[i]), String.valueOf(codesAndMeanings[i + 1]));
        }
        return table;
    }

    /**
     * Shows {@code table} under "Exit codes:" in the help of {@code cli}, and of every
     * subcommand under it that does not list its own (their codes mean something narrower).
     */
    public static void showIn(CommandLine cli, Map<String, String> table) {
        cli.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(table);
        for (CommandLine sub : cli.getSubcommands().values()) {
            if (!sub.getCommandSpec().usageMessage().hidden() && sub.getParent() == cli
                    && sub.getCommandSpec().usageMessage().exitCodeList().isEmpty()) {
                showIn(sub, table);
            }
        }
    }
}
