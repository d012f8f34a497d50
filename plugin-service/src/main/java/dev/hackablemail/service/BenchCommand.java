package dev.hackablemail.service;

import dev.hackablemail.runner.guest.Execution;
import dev.hackablemail.runner.push.PushAnswer.ErrorAnswer;
import dev.hackablemail.runner.push.PushAnswer.GateAnswer;
import dev.hackablemail.runner.push.PushAnswer.Simulation;
import dev.hackablemail.store.StoreSetting;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hackable-email plugin bench}: how long a push takes, check plus simulations plus
 * activation, measured in process against a temporary store. Each push is a new plugin to
 * the server (the bytes differ by a custom section), as real pushes are, so parsing and
 * compiling are measured too.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        header = "Measure pushes: N pushes into a temporary store, with the configured simulations; prints the "
                + "first (cold) push and the median of the others.")
final class BenchCommand implements Callable<Integer> {

    static final String GUEST = "bench@example.com";

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "20", description = "Pushes (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--plugin", paramLabel = "FILE",
            description = "The plugin to push (default: example-plugin/dist/plugin.wasm under the install home).")
    Path plugin;

    @Option(names = "--store", paramLabel = "STORE",
            description = "Push into this store: a PostgreSQL URL postgresql://USER@HOST:PORT/DB (password in "
                    + "PGPASSWORD; the guest " + GUEST + " gets the versions) or a folder (default: a new "
                    + "temporary folder).")
    String storeOption;

    @Option(names = "--execution", paramLabel = "MODE",
            description = "interpreter or compiler (default: the configuration's `execution`).")
    Execution execution;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        AdminCommand.quietLogs();
        if (runs < 2) {
            spec.commandLine().getErr().println("hackable-email plugin bench: --runs must be 2 or more");
            return ServiceMain.CANNOT_RUN;
        }
        ServiceConfig settings = config.load(spec.commandLine().getErr());
        if (execution != null) {
            settings = settings.withExecution(execution);
        }
        Path file = plugin != null ? plugin : ServiceConfig.home().resolve("example-plugin/dist/plugin.wasm");
        byte[] wasm = Files.readAllBytes(file);
        Path store = Files.createTempDirectory("hackable-bench-");
        settings = settings.withStore(storeOption == null ? StoreSetting.folder(store)
                : StoreSetting.read(java.util.Map.of("store", storeOption, "cache", store.toString())));
        try (PushService service = new PushService(settings, new SimulationGate(settings).verify(),
                Clock.systemUTC())) {
            out.println("bench: " + runs + " pushes of " + file + " (" + wasm.length + " bytes, each a new plugin), "
                    + settings.simulations().size() + " simulation(s), execution "
                    + settings.execution().name().toLowerCase(Locale.ROOT) + ", store " + settings.store());
            String memoryBefore = memory();
            long[] total = new long[runs];
            long[] check = new long[runs];
            long[] sims = new long[runs];
            long[] rest = new long[runs];
            long[] fuzz = new long[runs];
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                PushService.Response r;
                try {
                    r = service.push(GUEST, distinct(wasm, i), PushService.BY_ADMIN);
                } catch (ApiException e) {
                    spec.commandLine().getErr().println("bench: push " + (i + 1) + ": " + e.getMessage());
                    return ServiceMain.CANNOT_RUN;
                }
                total[i] = (System.nanoTime() - start) / 1_000_000;
                if (r.status() != 201 || !(r.body() instanceof GateAnswer body)) {
                    String why = r.body() instanceof GateAnswer g ? g.error() + " " + g.reasons()
                            : r.body() instanceof ErrorAnswer e ? e.error() : String.valueOf(r.body());
                    out.println("push " + (i + 1) + " was not accepted (HTTP " + r.status() + "): " + why);
                    return ServiceMain.REJECTED;
                }
                check[i] = body.check().millis();
                sims[i] = body.simulationMillis();
                for (Simulation outcome : body.simulations()) {
                    if (outcome.name().equals(FuzzGate.NAME)) {
                        fuzz[i] = outcome.millis();
                    }
                }
                rest[i] = Math.max(0, total[i] - check[i] - sims[i]);
            }
            out.printf(Locale.ROOT, "first push (cold): %d ms (check %d ms, simulations %d ms)%n", total[0], check[0],
                    sims[0]);
            long[] warmTotal = Arrays.copyOfRange(total, 1, runs);
            out.printf(Locale.ROOT, "next %d pushes: median %d ms, p90 %d ms, min %d ms, max %d ms "
                    + "(median check %d ms, median simulations %d ms, median rest %d ms: the store's "
                    + "transaction)%n", runs - 1, median(warmTotal),
                    percentile(warmTotal, 0.9), Arrays.stream(warmTotal).min().orElse(0),
                    Arrays.stream(warmTotal).max().orElse(0), median(Arrays.copyOfRange(check, 1, runs)),
                    median(Arrays.copyOfRange(sims, 1, runs)), median(Arrays.copyOfRange(rest, 1, runs)));
            out.printf(Locale.ROOT, "of which fuzzing (%s): first %d ms, median of the next %d ms%n", FuzzGate.NAME,
                    fuzz[0], median(Arrays.copyOfRange(fuzz, 1, runs)));
            out.println("memory after a GC, before the pushes: " + memoryBefore + "; after: " + memory());
            out.flush();
            return ServiceMain.OK;
        } finally {
            deleteTree(store);
        }
    }

    /** Heap and metaspace in use after a full GC, in MiB. */
    private static String memory() {
        System.gc();
        long heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long meta = 0;
        for (java.lang.management.MemoryPoolMXBean pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getName().equals("Metaspace")) {
                meta = pool.getUsage().getUsed();
            }
        }
        return String.format(Locale.ROOT, "heap %d MiB, metaspace %d MiB", heap >> 20, meta >> 20);
    }

    /** The plugin with a custom section appended ("bench" + i): a new module, same behaviour. */
    static byte[] distinct(byte[] wasm, int i) {
        byte[] name = "bench".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] data = Integer.toString(i).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int size = 1 + name.length + data.length;
        byte[] out = Arrays.copyOf(wasm, wasm.length + 2 + size);
        int p = wasm.length;
        out[p++] = 0; // custom section
        out[p++] = (byte) size; // < 128: one LEB128 byte
        out[p++] = (byte) name.length;
        System.arraycopy(name, 0, out, p, name.length);
        System.arraycopy(data, 0, out, p + name.length, data.length);
        return out;
    }

    static long median(long[] values) {
        return percentile(values, 0.5);
    }

    static long percentile(long[] values, double q) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static void deleteTree(Path root) throws IOException {
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.forEach(paths::add);
        }
        paths.sort(Comparator.reverseOrder());
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }
}
