package dev.hackablemail.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hackablemail.filter.Filter;
import dev.hackablemail.filter.FilterConfig;
import dev.hackablemail.store.GuestKeys;
import dev.hackablemail.store.GuestStore;
import dev.hackablemail.filter.Outcome;
import dev.hackablemail.filter.Sendmail;
import dev.hackablemail.runner.cli.PluginCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import picocli.CommandLine;

/**
 * A store, a configuration file and a running push service on 127.0.0.1 (an ephemeral
 * port), plus the ways tests talk to it: raw HTTP, the {@code xtp-sim plugin} client
 * commands, the admin command, and the filter reading the same store.
 */
final class Fixture implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A service section whose only simulation passes any plugin that fits the schema (its
     * test module, written into {@code dir}, returns 0).
     */
    static String lenientSimulations(Path dir) throws java.io.IOException {
        java.nio.file.Files.write(dir.resolve("pass.wasm"), TestModules.testModuleReturning(0));
        return "  simulations:\n"
                + "    - name: smoke\n"
                + "      with: pass.wasm\n"
                + "      mock_host: " + TestModules.HOME.resolve("mock-host/dist/host.wasm") + "\n";
    }

    /** A service section with the contract simulation and the example plugin's behavioural one. */
    static String contractAndExample() {
        Path home = TestModules.HOME;
        return "  simulations:\n"
                + "    - name: contract\n"
                + "      with: " + home.resolve("simulations/dist/contract.wasm") + "\n"
                + "      mock_host: " + home.resolve("mock-host/dist/host.wasm") + "\n"
                + "    - name: example\n"
                + "      with: " + home.resolve("simulations/dist/test.wasm") + "\n"
                + "      mock_host: " + home.resolve("mock-host/dist/host.wasm") + "\n";
    }

    final Path dir;
    final Path store;
    final Path configFile;
    final ServiceConfig config;
    final PushService service;
    final PluginServer server;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /**
     * @param serviceYaml the lines of the {@code service:} section (indented by the caller), or ""
     * @param gate wraps the real gate (tests that need to hold a push), or null for the real one
     */
    Fixture(Path dir, String serviceYaml, UnaryOperator<PluginGate> gate) throws IOException {
        this(dir, "", serviceYaml, gate);
    }

    /** With {@code filterYaml}: more of the filter's top-level keys (e.g. plugin_timeout). */
    Fixture(Path dir, String filterYaml, String serviceYaml, UnaryOperator<PluginGate> gate) throws IOException {
        this(dir, null, filterYaml, serviceYaml, gate);
    }

    /**
     * @param storeUrl a PostgreSQL store ({@code postgresql://...}), or null for a folder
     *     store in {@code dir/store}
     */
    Fixture(Path dir, String storeUrl, String filterYaml, String serviceYaml, UnaryOperator<PluginGate> gate)
            throws IOException {
        this.dir = dir;
        this.store = dir.resolve("store");
        Files.createDirectories(store);
        this.configFile = dir.resolve("filter.yaml");
        Files.writeString(configFile, "# the filter's keys, which the service ignores or reads\n"
                + (storeUrl == null ? "store: " + store + "\n" : "store: " + storeUrl + "\ncache: " + store + "\n")
                + "sendmail: /usr/sbin/sendmail -i\n"
                + "signup_address: it@example.com\n"
                + "reply_period: 0\n"
                + filterYaml
                + "service:\n"
                + "  listen: 127.0.0.1:0\n"
                + serviceYaml);
        this.config = ServiceConfig.load(configFile);
        PluginGate real = new SimulationGate(config).verify();
        this.service = new PushService(config, gate == null ? real : gate.apply(real), Clock.systemUTC());
        this.server = new PluginServer(service).start();
    }

    Fixture(Path dir, String serviceYaml) throws IOException {
        this(dir, serviceYaml, null);
    }

    /** Signs {@code address} up as the filter does; returns the token. */
    String signUp(String address) throws IOException {
        String token = "tok-" + address.replace('@', '-') + "-" + System.nanoTime();
        try (GuestStore guests = config.store().open(false)) {
            guests.register(address, token, Instant.now());
        }
        return token;
    }

    /** A folder store's active plugin file (to watch it being replaced). */
    Path pluginFile(String address) {
        return store.resolve(GuestKeys.of(address)).resolve("plugin.wasm");
    }

    String url() {
        return server.url();
    }

    record Answer(int status, JsonNode json, Map<String, List<String>> headers) {
        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), List.of()).stream().findFirst()
                    .orElse(null);
        }
    }

    Answer request(String method, String path, String token, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = r.body().isEmpty() ? null : JSON.readTree(r.body());
            Map<String, List<String>> headers = new java.util.TreeMap<>();
            r.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v));
            return new Answer(r.statusCode(), json, headers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Answer push(String token, byte[] wasm) {
        return request("POST", "/api/v1/plugin", token, wasm);
    }

    Answer list(String token) {
        return request("GET", "/api/v1/plugin", token, null);
    }

    Answer rollback(String token, int version) {
        return request("POST", "/api/v1/plugin/rollback", token,
                ("{\"version\": " + version + "}").getBytes(StandardCharsets.UTF_8));
    }

    /** What a command printed and returned. */
    record Run(int exit, String out, String err) {}

    /** {@code xtp-sim plugin ARGS} (the runner's client commands). */
    static Run client(String... args) {
        return run(new CommandLine(new PluginCommand()), args);
    }

    /** {@code hackable-email ARGS} (this module's command line). */
    static Run admin(String... args) {
        return run(ServiceMain.commandLine(), args);
    }

    private static Run run(CommandLine cli, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** Writes {@code bytes} to a file in the fixture's folder. */
    Path file(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    /** The filter over the same store, with a sendmail that records every submission. */
    final class Mail {
        static final String SIGNUP_ADDRESS = "it@example.com";
        final List<List<String>> submissions = Collections.synchronizedList(new ArrayList<>());
        final Filter filter;

        Mail() {
            Map<String, Object> values = new java.util.HashMap<>(config.store().asMap());
            values.put("log", "");
            values.put("reply_period", "0");
            values.put("signup_address", SIGNUP_ADDRESS);
            FilterConfig filterConfig = FilterConfig.fromMap(values, "test");
            Sendmail sendmail = (args, message) -> {
                submissions.add(List.of(String.join(" ", args), new String(message, StandardCharsets.UTF_8)));
                return Sendmail.Result.OK;
            };
            this.filter = new Filter(filterConfig, sendmail, Clock.systemUTC());
        }

        /** Delivers one mail through the filter; returns its outcome. */
        Outcome deliver(String sender, String recipient, String subject, String body) {
            String message = "From: " + sender + "\r\nTo: " + recipient + "\r\nSubject: " + subject
                    + "\r\nMessage-ID: <" + System.nanoTime() + "@example.com>\r\n\r\n" + body + "\r\n";
            return filter.process(sender, recipient, message.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public void close() {
        server.close();
        service.close();
    }
}
