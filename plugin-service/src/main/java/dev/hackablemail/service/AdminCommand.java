package dev.hackablemail.service;

import dev.hackablemail.store.GuestStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hackablemail.runner.push.PluginOutput;
import dev.hackablemail.runner.push.PushAnswer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hackable-email plugin ...}: the admin's commands, run on the server against the
 * store itself, through the same {@link PushService} and gate as the HTTP API.
 */
@Command(
        name = "plugin",
        mixinStandardHelpOptions = true,
        header = "Manage a guest's plugin on the server: push (through the same checks and simulations as a guest's "
                + "push), list, rollback, remove, revoke the guest's token, set the guest's aliases.",
        subcommands = {
            AdminCommand.Push.class,
            AdminCommand.ListVersions.class,
            AdminCommand.Rollback.class,
            AdminCommand.Remove.class,
            AdminCommand.Revoke.class,
            AdminCommand.Aliases.class,
            BenchCommand.class,
            ConsoleBenchCommand.class,
            CommandLine.HelpCommand.class,
        },
        synopsisSubcommandLabel = "COMMAND")
final class AdminCommand implements Runnable {

    private static final ObjectMapper JSON = PushAnswer.JSON;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The options every admin subcommand has. */
    static final class GuestOptions {
        @Mixin
        ConfigOption config;

        @Option(names = "--guest", required = true, paramLabel = "ADDRESS", description = "The guest's mail address.")
        String guest;

        @Option(names = "--json", description = "Print the JSON answer the HTTP API would give.")
        boolean json;
    }

    /** One admin action on the service. */
    interface Action {
        PushService.Response run(PushService service, String guest) throws IOException, ApiException;
    }

    /** Runs an action and prints its answer as the client does; returns the exit code. */
    static int run(CommandSpec spec, GuestOptions options, boolean needsGate, Action action) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PushService.Response response = answer(spec, options, needsGate, action);
        if (options.json) {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(response.body()));
            out.flush();
            return PluginOutput.exitCode(response.status());
        }
        return PluginOutput.printInProcess(response.status(), response.body(), out, spec.commandLine().getErr());
    }

    /** Runs an action on a service over the configured store; a refusal is an answer too. */
    static PushService.Response answer(CommandSpec spec, GuestOptions options, boolean needsGate, Action action)
            throws IOException {
        quietLogs();
        ServiceConfig config = options.config.loadWithStore(spec.commandLine().getErr());
        PluginGate gate = needsGate ? new SimulationGate(config).verify() : candidate -> {
            throw new IllegalStateException("no gate for this command");
        };
        try (PushService service = new PushService(config, gate, Clock.systemUTC())) {
            return action.run(service, options.guest);
        } catch (ApiException e) {
            return new PushService.Response(e.status(), new PushAnswer.ErrorAnswer(e.getMessage(), e.status()));
        }
    }

    /** The service's per-request log lines are for the server; a command prints its own answer. */
    static void quietLogs() {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
    }

    @Command(name = "push", mixinStandardHelpOptions = true,
            header = "Check a plugin and, if it passes the server's checks (schema, simulations, fuzzing) and "
                    + "its author's own simulations and mail test cases, make it the guest's active plugin.")
    static final class Push implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        GuestOptions options;

        @Parameters(index = "0", paramLabel = "PLUGIN.wasm", description = "The plugin.")
        Path plugin;

        @Option(names = "--simulation", paramLabel = "TEST.wasm",
                description = "A simulation (xtp-test module) of the plugin's own behaviour, run after the server's "
                        + "checks and kept with the version (a rollback runs it again). Repeatable.")
        List<Path> simulations = new java.util.ArrayList<>();

        @Option(names = "--mock-host", paramLabel = "HOST.wasm",
                description = "The mock host those simulations use (default: the server's).")
        Path mockHost;

        @Option(names = "--cases", paramLabel = "FILE.cases.yaml",
                description = "Mail test cases of the plugin (postfix-filter/README.md, \"Mail test cases\"; "
                        + "messages inline), run after the server's checks with this server's filter settings, "
                        + "nothing sent, and kept with the version (a rollback runs them again). Repeatable.")
        List<Path> cases = new java.util.ArrayList<>();

        @Override
        public Integer call() throws IOException {
            PluginGate.Candidate candidate;
            try {
                List<GuestStore.Attachment> files = new java.util.ArrayList<>();
                for (Path sim : simulations) {
                    files.add(attachment(sim, GuestStore.Attachment.SIMULATION));
                }
                if (mockHost != null) {
                    files.add(attachment(mockHost, GuestStore.Attachment.MOCK_HOST));
                }
                for (Path c : cases) {
                    files.add(attachment(c, GuestStore.Attachment.CASES));
                }
                candidate = new PluginGate.Candidate(plugin.getFileName().toString(), read(plugin), files);
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("hackable-email plugin push: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return ServiceMain.CANNOT_RUN;
            }
            return run(spec, options, true, (service, guest) -> service.push(guest, candidate, PushService.BY_ADMIN));
        }

        private static GuestStore.Attachment attachment(Path file, String kind) throws IOException {
            return new GuestStore.Attachment(file.getFileName().toString(), kind, read(file));
        }

        private static byte[] read(Path file) throws IOException {
            try {
                return Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException(file + ": no such file", e);
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            header = "List the guest's versions: digest, time, simulation results, which one is active.")
    static final class ListVersions implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        GuestOptions options;

        @Override
        public Integer call() throws IOException {
            return run(spec, options, false, (service, guest) -> service.list(guest));
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            header = "Make an earlier version active again, after it passes today's simulations.")
    static final class Rollback implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        GuestOptions options;

        @Parameters(index = "0", paramLabel = "VERSION", description = "The version number, as `list` shows it.")
        int version;

        @Override
        public Integer call() throws IOException {
            return run(spec, options, true, (service, guest) -> service.rollback(guest, version, PushService.BY_ADMIN));
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            header = "Remove the guest's active plugin: mail passes through unchanged. The versions are kept.")
    static final class Remove implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        GuestOptions options;

        @Override
        public Integer call() throws IOException {
            return run(spec, options, false, (service, guest) -> service.remove(guest, PushService.BY_ADMIN));
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            header = "Revoke the guest's token: it stops working at once (a new signup mail issues a new one). "
                    + "The active plugin stays.")
    static final class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        GuestOptions options;

        @Override
        public Integer call() throws IOException {
            return run(spec, options, false, (service, guest) -> service.revoke(guest, PushService.BY_ADMIN));
        }
    }

    @Command(name = "aliases", mixinStandardHelpOptions = true,
            header = "Show or set the guest's aliases: the other addresses that are theirs (a reply goes only to mail "
                    + "that names the guest or one of them).")
    static final class Aliases implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        GuestOptions options;

        @Option(names = "--set", paramLabel = "ADDRESS", split = ",",
                description = "Replace the aliases with these (repeat, or separate with commas).")
        List<String> set;

        @Option(names = "--clear", description = "Remove every alias.")
        boolean clear;

        @Override
        public Integer call() throws IOException {
            if (set != null && clear) {
                spec.commandLine().getErr().println("hackable-email plugin aliases: --set or --clear, not both");
                spec.commandLine().getErr().flush();
                return ServiceMain.CANNOT_RUN;
            }
            boolean change = set != null || clear;
            List<String> aliases = clear ? List.of() : set;
            Action action = (service, guest) -> change ? service.setAliases(guest, aliases, PushService.BY_ADMIN)
                    : service.aliases(guest);
            return run(spec, options, false, action);
        }
    }
}
