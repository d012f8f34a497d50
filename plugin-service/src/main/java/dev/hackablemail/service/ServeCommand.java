package dev.hackablemail.service;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        header = "Run the push service's HTTP API until stopped (SIGTERM, Ctrl-C).",
        description = {
            "Guests push with `xtp-sim plugin push PLUGIN.wasm --server URL --token TOKEN`. The service listens on "
                    + "service.listen (default 127.0.0.1:8025, loopback only: put a TLS proxy in front of it to "
                    + "reach it from other machines).",
        })
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Overrides service.listen.")
    String listen;

    @Override
    public Integer call() throws InterruptedException, java.io.IOException {
        PrintWriter out = spec.commandLine().getOut();
        ServiceConfig settings = config.loadWithStore(spec.commandLine().getErr());
        if (listen != null) {
            String[] hostPort = ServiceConfig.parseListen(listen, "--listen");
            settings = settings.withListen(hostPort[0], Integer.parseInt(hostPort[1]));
        }
        SimulationGate gate = new SimulationGate(settings).verify();
        PushService service = new PushService(settings, gate, Clock.systemUTC());
        PluginServer server = new PluginServer(service);
        try {
            server.start();
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("hackable-email serve: cannot listen on " + settings.listenHost() + ":"
                    + settings.listenPort() + ": " + rootMessage(e));
            spec.commandLine().getErr().flush();
            return ServiceMain.CANNOT_RUN;
        }
        out.println("listening on " + server.url());
        out.flush();
        warmUp(gate);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            service.close();
            stopped.countDown();
        }, "hackable-email-stop"));
        stopped.await();
        return ServiceMain.OK;
    }

    /** Runs the gate once on the example plugin in the background, so the first push is fast too. */
    private static void warmUp(SimulationGate gate) {
        java.nio.file.Path example = ServiceConfig.home().resolve("example-plugin/dist/plugin.wasm");
        if (!java.nio.file.Files.isRegularFile(example)) {
            return;
        }
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ServeCommand.class);
        Thread warm = new Thread(() -> {
            long start = System.nanoTime();
            try {
                GateReport report = gate.warmUp(example);
                // Only the outcome of the contract says something about the server: other simulations
                // an operator configured need not accept the example plugin.
                boolean contractOnly = gate.runsOnlyTheContract();
                log.info("warmed up the gate with the example plugin in {} ms{}", (System.nanoTime() - start) / 1_000_000,
                        !contractOnly ? "" : report.passed() ? "" : "; it did not pass the contract simulation, so "
                                + "check the install: " + report.reasons());
            } catch (Exception e) {
                log.warn("warm-up with {} failed: {}", example, e.toString());
            }
        }, "hackable-email-warm-up");
        warm.setDaemon(true);
        warm.setPriority(Thread.MIN_PRIORITY);
        warm.start();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
