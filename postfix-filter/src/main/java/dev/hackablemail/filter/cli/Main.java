package dev.hackablemail.filter.cli;

import dev.hackablemail.filter.OneLine;
import dev.hackablemail.filter.SysExits;
import dev.hackablemail.runner.report.Reasons;
import dev.hackablemail.schema.cli.ExitCodes;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code hackable-email}: the production side of hackable email.
 *
 * <p>Every way this program can fail that is not a decision about a mail exits with
 * {@link SysExits#TEMPFAIL} (75), never picocli's 1 or 2: Postfix bounces mail for any exit
 * code but 75 and 71, and bad arguments or a crash must keep the mail in the queue.
 */
@Command(name = "hackable-email",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        subcommands = {FilterCommand.class, SmtpdCommand.class, TryCommand.class, BenchCommand.class,
            SmtpLoadCommand.class, CdsTrainingCommand.class},
        description = "Runs each recipient's mail plugin on the mail Postfix hands it.",
        footerHeading = "%nThe launcher bin/hackable-email also runs:%n",
        footer = {
            "  serve    the push service (plugin-service/README.md)",
            "  plugin   its admin side: push, list, rollback, remove, revoke, aliases",
            "  store    migrate --from DIR --to postgresql://USER@HOST:PORT/DB",
        })
public final class Main implements Runnable {

    /** The table every command's {@code --help} shows: sysexits, as Postfix's pipe(8) reads them. */
    static final Map<String, String> EXIT_CODES = ExitCodes.table(
            SysExits.OK, "delivered or handled (the plugin returned 0)",
            SysExits.USAGE + "-" + SysExits.CONFIG, "the plugin rejected the mail with this sysexits code: Postfix "
                    + "bounces it (75 defers it)",
            SysExits.UNAVAILABLE, "the plugin rejected the mail with any other non-zero code, or the message is "
                    + "larger than max_message_size: Postfix bounces it",
            SysExits.SOFTWARE, "the plugin failed (an invalid module, a trap, a timeout, a limit, bad output) before "
                    + "it delivered: Postfix bounces it",
            SysExits.TEMPFAIL, "the filter itself failed (arguments, configuration, store, time_limit): Postfix "
                    + "keeps the mail and retries");

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed: filter, smtpd, try or bench");
    }

    public static void main(String[] args) {
        int code;
        try {
            java.util.Optional<FilterCommand> postfixCall = FilterCommand.fastParse(args);
            code = postfixCall.isPresent() ? postfixCall.get().withRawArguments(RawArguments.of(args)).call()
                    : commandLine().execute(args);
        } catch (Throwable t) { // OutOfMemoryError included
            code = SysExits.TEMPFAIL;
            try {
                System.err.println("hackable-email: internal error: " + Reasons.of(t));
            } catch (Throwable ignored) {
                // nothing left to tell it with
            }
        }
        System.exit(code);
    }

    /** The command line with every error mapped to 75 (see the class comment). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        // each command its own table, with the codes its errors exit with: only the filter's
        // is the table Postfix reads; the others are for people and service managers
        exits(cl.getSubcommands().get("smtpd"), SmtpdCommand.EXIT_CODES, SysExits.CONFIG, SysExits.SOFTWARE);
        exits(cl.getSubcommands().get("try"), TryCommand.EXIT_CODES, ExitCodes.CANNOT_RUN, ExitCodes.CANNOT_RUN);
        exits(cl.getSubcommands().get("bench"), BenchCommand.EXIT_CODES, ExitCodes.CANNOT_RUN, ExitCodes.CANNOT_RUN);
        exits(cl.getSubcommands().get("smtp-load"), SmtpLoadCommand.EXIT_CODES, ExitCodes.CANNOT_RUN,
                ExitCodes.CANNOT_RUN);
        ExitCodes.showIn(cl, EXIT_CODES);
        for (CommandLine c : List.of(cl, cl.getSubcommands().get("filter"))) {
            c.getCommandSpec().exitCodeOnInvalidInput(SysExits.TEMPFAIL);
            c.getCommandSpec().exitCodeOnExecutionException(SysExits.TEMPFAIL);
        }
        cl.setExitCodeExceptionMapper(t -> SysExits.TEMPFAIL);
        cl.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            boolean trial = isTry(e.getCommandLine());
            String message = trial ? e.getMessage().replaceFirst("^Error: ", "") : e.getMessage();
            err.println("hackable-email" + (trial ? " try" : "") + ": " + OneLine.withoutLineBreaks(message)
                    + " (see hackable-email " + subcommandName(e.getCommandLine()) + "--help)");
            err.flush();
            return e.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
        });
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (isTry(commandLine)) {
                err.println("hackable-email try: internal error: " + Reasons.of(e));
                err.flush();
                return ExitCodes.CANNOT_RUN;
            }
            err.println("hackable-email: internal error: " + Reasons.of(e));
            err.flush();
            return commandLine.getCommandSpec().exitCodeOnExecutionException();
        });
        return cl;
    }

    private static void exits(CommandLine command, Map<String, String> table, int badArguments, int failure) {
        ExitCodes.showIn(command, table);
        command.getCommandSpec().exitCodeOnInvalidInput(badArguments);
        command.getCommandSpec().exitCodeOnExecutionException(failure);
    }

    private static boolean isTry(CommandLine cl) {
        return cl.getCommandSpec().userObject() instanceof TryCommand;
    }

    private static String subcommandName(CommandLine cl) {
        return cl.getParent() == null ? "" : cl.getCommandName() + " ";
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"hackable-email " + (v == null ? "(development build)" : v)};
        }
    }
}
