package dev.hackablemail.filter.cli;

import dev.hackablemail.filter.Filter;
import dev.hackablemail.filter.FilterConfig;
import dev.hackablemail.filter.Sendmail;
import dev.hackablemail.filter.SendmailCommand;
import dev.hackablemail.store.GuestStore;
import dev.hackablemail.store.StoreSetting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * A hidden command that bin/hackable-email runs once under
 * {@code -XX:ArchiveClassesAtExit}: it takes the paths a real filter run takes (config,
 * parse, the example plugin with deliver and reply, a sendmail process, the log) so that the
 * classes they load go into the CDS archive and later runs start faster.
 */
@Command(name = "cds-training", hidden = true)
final class CdsTrainingCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        Path store = Files.createTempDirectory("hackable-cds");
        try {
            Path configFile = store.resolve("filter.yaml");
            Files.writeString(configFile, "store: " + store + "\nsendmail: /bin/true\nlog: " + store.resolve("log")
                    + "\nreply_period: 1d\n");
            FilterConfig config = FilterConfig.load(configFile);
            try (GuestStore guests = config.store().open(false)) {
                guests.push("guest@cds.test", BenchCommand.resource("plugin.wasm"), Instant.now(), "admin", List.of(),
                        1);
            }
            Sendmail sendmail = Files.isExecutable(Path.of("/bin/true"))
                    ? new SendmailCommand(List.of("/bin/true"), () -> Duration.ofSeconds(5))
                    : (args, message) -> Sendmail.Result.OK;
            Filter filter = new Filter(config, sendmail, Clock.systemDefaultZone());
            var log = dev.hackablemail.filter.FilterLog.of(config, Clock.systemDefaultZone());
            log.line(filter.process("a@cds.test", "guest@cds.test", BenchCommand.resource("project-xyz.eml")).log());
            log.line(filter.process("b@cds.test", "guest@cds.test", BenchCommand.resource("plain.eml")).log());
            log.line(filter.process("c@cds.test", "nobody@cds.test", BenchCommand.resource("plain.eml")).log());
            // the other execution mode too, so that a configuration choosing it starts as fast
            String other = config.execution() == dev.hackablemail.runner.guest.Execution.COMPILER ? "interpreter" : "compiler";
            Filter second = new Filter(config.with(Map.of("execution", other)), sendmail, Clock.systemDefaultZone());
            log.line(second.process("d@cds.test", "guest@cds.test", BenchCommand.resource("project-xyz.eml")).log());
            loadPostgresClasses(store);
            return 0;
        } finally {
            BenchCommand.deleteTree(store);
        }
    }

    /** A PostgreSQL store's classes (driver, connection set-up) too: a refused connection loads most of them. */
    private static void loadPostgresClasses(Path cache) {
        StoreSetting nowhere = StoreSetting.read(Map.of("store", "postgresql://cds@127.0.0.1:1/cds", "cache",
                cache.toString()));
        try (GuestStore store = nowhere.open(false)) {
            store.activePlugin("guest@cds.test");
        } catch (java.io.IOException expected) {
            // nothing listens there: only the classes mattered
        }
    }
}
