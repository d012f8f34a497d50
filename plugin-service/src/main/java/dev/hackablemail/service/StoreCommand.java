package dev.hackablemail.service;

import dev.hackablemail.store.StoreMigration;
import dev.hackablemail.store.StoreSetting;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hackable-email store ...}: the guest store itself. */
@Command(
        name = "store",
        mixinStandardHelpOptions = true,
        header = "The guest store: move a folder store to PostgreSQL.",
        subcommands = {StoreCommand.Migrate.class, CommandLine.HelpCommand.class},
        synopsisSubcommandLabel = "COMMAND",
        // migrate's codes, its only command's (not the push service's: nothing here pushes)
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:copied (or everything was there already)", "2:nothing or not everything was copied"})
final class StoreCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "migrate", mixinStandardHelpOptions = true,
            header = "Copy a folder store into PostgreSQL: guests, tokens, aliases, plugin versions, the active "
                    + "one, audit trails, reply ledgers.",
            description = {
                "The tables are created if needed. Each guest is copied in one transaction; a guest already in the "
                        + "database is kept as it is (missing versions and ledger entries are added), so running it "
                        + "again, after an interruption or to be sure, changes nothing. The password comes from "
                        + "PGPASSWORD.",
                "",
                "Then point `store:` of every server's configuration at the URL (see the README)."
            },
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {"0:copied (or everything was there already)", "2:nothing or not everything was copied"})
    static final class Migrate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--from", required = true, paramLabel = "DIR", description = "The folder store.")
        Path from;

        @Option(names = "--to", required = true, paramLabel = "URL",
                description = "The database: postgresql://USER@HOST:PORT/DATABASE.")
        String to;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            AdminCommand.quietLogs();
            if (!Files.isDirectory(from)) {
                err.println("hackable-email store migrate: --from " + from + ": no such folder");
                err.flush();
                return ServiceMain.CANNOT_RUN;
            }
            StoreSetting target;
            try {
                target = StoreSetting.read(Map.of("store", to));
            } catch (IllegalArgumentException e) {
                err.println("hackable-email store migrate: --to: " + e.getMessage());
                err.flush();
                return ServiceMain.CANNOT_RUN;
            }
            if (target.isFolder()) {
                err.println("hackable-email store migrate: --to must be a PostgreSQL URL "
                        + "(postgresql://USER@HOST:PORT/DATABASE), got " + to);
                err.flush();
                return ServiceMain.CANNOT_RUN;
            }
            StoreMigration.Report report = StoreMigration.run(from, target);
            out.println("migrated " + from + " to " + target.describe() + ": " + report.guests() + " guest(s), "
                    + report.copied() + " copied, " + report.alreadyThere() + " already there");
            out.flush();
            return ServiceMain.OK;
        }
    }
}
