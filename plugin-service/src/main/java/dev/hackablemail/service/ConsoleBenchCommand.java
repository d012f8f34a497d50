package dev.hackablemail.service;

import dev.hackablemail.store.GuestStore;
import dev.hackablemail.store.StoreSetting;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
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
 * {@code hackable-email plugin console-bench}: how fast the web console's pages answer on a
 * warm service with many guests and much recent mail. It fills a temporary store (or the
 * one named) with guests, each with an active plugin, gives one guest the recent-mail rows,
 * starts the service on a free loopback port, signs in over HTTP as that guest and as an
 * operator, warms every page up, then times each page and prints the median, p99 and
 * maximum beside the yardstick.
 */
@Command(name = "console-bench", mixinStandardHelpOptions = true,
        header = "Measure the web console's pages on a warm service: N guests, M recent-mail rows; prints each "
                + "page's median, p99 and max beside the 100 ms yardstick.")
final class ConsoleBenchCommand implements Callable<Integer> {

    static final String GUEST = "bench@example.com";
    static final String OPERATOR = "ops@example.com";
    static final long YARDSTICK_MS = 100;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Option(names = "--guests", paramLabel = "N", defaultValue = "1000", description = "Guests, each with an "
            + "active plugin (default: ${DEFAULT-VALUE}).")
    int guests;

    @Option(names = "--mails", paramLabel = "M", defaultValue = "10000", description = "Recent-mail rows of the "
            + "guest whose pages are timed (default: ${DEFAULT-VALUE}).")
    int mails;

    @Option(names = "--runs", paramLabel = "R", defaultValue = "200", description = "Timed requests per page, after "
            + "as many to warm up (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--plugin", paramLabel = "FILE",
            description = "Every guest's plugin (default: example-plugin/dist/plugin.wasm under the install home).")
    Path plugin;

    @Option(names = "--store", paramLabel = "STORE",
            description = "Fill this store instead: an empty PostgreSQL database postgresql://USER@HOST:PORT/DB "
                    + "(password in PGPASSWORD) or folder (default: a new temporary folder, deleted after).")
    String storeOption;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (guests < 1 || mails < 0 || runs < 1) {
            spec.commandLine().getErr().println("hackable-email plugin console-bench: --guests and --runs must be at "
                    + "least 1, --mails at least 0");
            return ServiceMain.CANNOT_RUN;
        }
        Path wasmFile = plugin != null ? plugin : ServiceConfig.home().resolve("example-plugin/dist/plugin.wasm");
        byte[] wasm;
        try {
            wasm = Files.readAllBytes(wasmFile);
        } catch (IOException e) {
            spec.commandLine().getErr().println("hackable-email plugin console-bench: " + wasmFile
                    + ": cannot be read (" + e.getMessage() + ")");
            return ServiceMain.CANNOT_RUN;
        }
        ServiceConfig settings = config.load(spec.commandLine().getErr());
        Path temp = Files.createTempDirectory("hackable-console-bench-");
        settings = settings.withStore(storeOption == null ? StoreSetting.folder(temp)
                        : StoreSetting.read(java.util.Map.of("store", storeOption, "cache", temp.toString())))
                .withListen("127.0.0.1", 0)
                .withConsole(new ServiceConfig.ConsoleSettings(List.of(OPERATOR), null));
        try {
            long fill = System.nanoTime();
            String token = fill(settings, wasm);
            out.printf(Locale.ROOT, "store %s: %d guests with a plugin, %d recent-mail rows, filled in %d s%n",
                    storeOption == null ? "(temporary folder)" : settings.store().describe(), guests, mails,
                    (System.nanoTime() - fill) / 1_000_000_000);
            out.flush();
            PluginGate gate = new SimulationGate(settings).verify();
            try (PushService service = new PushService(settings, gate, Clock.systemUTC());
                    PluginServer server = new PluginServer(service).start()) {
                measure(out, server.url(), token);
            }
        } finally {
            deleteTree(temp);
        }
        return ServiceMain.OK;
    }

    /** Fills the store; returns the timed guest's token. */
    private String fill(ServiceConfig settings, byte[] wasm) throws IOException {
        Instant now = Instant.now();
        String token = "bench-token-" + System.nanoTime();
        try (GuestStore store = settings.store().open(true)) {
            store.register(GUEST, token, now);
            store.register(OPERATOR, token + "-ops", now);
            store.push(GUEST, wasm, now, PushService.BY_GUEST, List.of(), 20);
            for (int i = 1; i < guests; i++) {
                String address = String.format(Locale.ROOT, "guest%05d@example.com", i);
                store.register(address, token + "-" + i, now);
                store.push(address, wasm, now, PushService.BY_GUEST, List.of(), 20);
            }
            for (int i = 0; i < mails; i++) {
                store.recordMail(GUEST, new GuestStore.MailRecord(now.minusSeconds(mails - i),
                        "sender" + (i % 500) + "@example.org", "Message number " + i + " about Project XYZ",
                        "0123456789ab", 0, i % 3 == 0 ? "delivered, replied" : "delivered", null, 850 + i % 200));
            }
        }
        return token;
    }

    private void measure(PrintWriter out, String url, String token) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        String guest = signIn(http, url, token);
        String operator = signIn(http, url, token + "-ops");
        int lastPage = Math.max(1, (mails + 49) / 50);
        String[][] pages = {
            {"/signin", null},
            {"/plugin", guest},
            {"/versions", guest},
            {"/push", guest},
            {"/aliases", guest},
            {"/try", guest},
            {"/mail", guest},
            {"/mail?page=" + lastPage, guest},
            {"/admin", operator},
            {"/admin?page=" + Math.max(1, (guests + 49) / 50), operator},
            {"/admin/guest?address=" + GUEST, operator},
        };
        out.printf(Locale.ROOT, "%-36s %9s %9s %9s   (yardstick: %d ms; %d timed requests each, after as many "
                + "to warm up)%n", "page", "median", "p99", "max", YARDSTICK_MS, runs);
        boolean allUnder = true;
        for (String[] page : pages) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + page[0])).GET();
            if (page[1] != null) {
                b.header("Cookie", page[1]);
            }
            HttpRequest request = b.build();
            for (int i = 0; i < runs; i++) {
                check(http.send(request, HttpResponse.BodyHandlers.discarding()), page[0]);
            }
            long[] nanos = new long[runs];
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                check(http.send(request, HttpResponse.BodyHandlers.ofByteArray()), page[0]);
                nanos[i] = System.nanoTime() - start;
            }
            Arrays.sort(nanos);
            double p99 = nanos[Math.min(runs - 1, (int) Math.ceil(runs * 0.99) - 1)] / 1e6;
            allUnder &= p99 < YARDSTICK_MS;
            out.printf(Locale.ROOT, "%-36s %6.2f ms %6.2f ms %6.2f ms%n", page[0], nanos[runs / 2] / 1e6, p99,
                    nanos[runs - 1] / 1e6);
            out.flush();
        }
        out.println(allUnder ? "every page's p99 is under " + YARDSTICK_MS + " ms"
                : "some page's p99 is over " + YARDSTICK_MS + " ms");
    }

    private static String signIn(HttpClient http, String url, String token) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/signin"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + token)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 303) {
            throw new IOException("signing in answered HTTP " + r.statusCode());
        }
        return r.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    }

    private static void check(HttpResponse<?> r, String page) throws IOException {
        if (r.statusCode() != 200) {
            throw new IOException(page + " answered HTTP " + r.statusCode());
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
