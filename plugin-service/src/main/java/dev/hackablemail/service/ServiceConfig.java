package dev.hackablemail.service;

import dev.hackablemail.filter.FilterConfig;
import dev.hackablemail.runner.config.PluginLimitsSetting;
import dev.hackablemail.runner.config.Quantities;
import dev.hackablemail.runner.guest.Execution;
import dev.hackablemail.runner.guest.GuestLimits;
import dev.hackablemail.schema.xtp.YamlErrors;
import dev.hackablemail.store.StoreSetting;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The push service's settings. They live in the filter's YAML file: the service reads the
 * filter's store ({@link StoreSetting}) and the plugin limits ({@link PluginLimitsSetting}:
 * {@code plugin_timeout}, {@code plugin_memory}, {@code plugin_kernel_memory},
 * {@code plugin_output}, {@code execution}), the same readers as the filter's, so that the
 * simulations run the plugin the way the filter will, ignores the filter's other keys, and
 * takes its own keys from a {@code service:} section, where an unknown key is an error:
 *
 * <pre>
 * store: /var/lib/hackable-email/store
 * service:
 *   listen: 127.0.0.1:8025          # HOST:PORT ([::1]:8025 for IPv6); port 0: any free port
 *   public_url: https://mail.example.com/push   # how guests reach it (the invitation names it)
 *   max_upload: 16MiB               # the largest plugin a push may upload
 *   max_concurrent_pushes: 2        # pushes and rollbacks checked at once; more get 429
 *   keep_versions: 20               # versions kept per guest (the active one always is)
 *   fuzz_runs: 200                  # the fuzzing step: at most this many inputs...
 *   fuzz_time: 2s                   # ...in at most this long (shrinking a failure gets as long again)
 *   simulations:                    # default: the contract simulation (the rules every plugin honours)
 *     - name: contract
 *       with: simulations/dist/contract.wasm  # paths are relative to this file
 *       mock_host: mock-host/dist/host.wasm
 *       mock_input: "some text"               # or {data: "..."} or {file: PATH}
 *       run_timeout: 60s                      # the whole run's bound
 *   admins: [it@example.com]        # who sees the web console's operator view
 *   daemon_health: http://127.0.0.1:10027/health   # the daemon's health page, shown there
 * </pre>
 *
 * @param source the file it came from (for messages), or {@code (defaults)}
 * @param store the guest store, shared with the filter: a folder or PostgreSQL ({@link StoreSetting})
 * @param limits the bounds of each plugin call in the simulations (the filter's)
 * @param execution how the simulations run plugins (the filter's {@code execution})
 * @param listenHost the address the HTTP API binds
 * @param listenPort its port (0: any free port)
 * @param publicUrl the URL guests push to, when a proxy stands in front; null: {@code http://listen}
 * @param maxUpload the largest plugin, in bytes
 * @param maxConcurrentPushes how many pushes (and rollbacks) are checked at once
 * @param keepVersions how many versions of a guest's plugin are kept
 * @param fuzz the budget of the gate's fuzzing step
 * @param simulations every simulation a plugin must pass, run one after the other
 * @param console the web console's settings
 * @param filter the filter's settings from the same file: pushed mail test cases run with them
 *     (record mode: the limits, reply rules and composition the filter applies; nothing is sent)
 */
public record ServiceConfig(
        String source,
        StoreSetting store,
        GuestLimits limits,
        Execution execution,
        String listenHost,
        int listenPort,
        String publicUrl,
        long maxUpload,
        int maxConcurrentPushes,
        int keepVersions,
        FuzzBudget fuzz,
        List<SimulationConfig> simulations,
        ConsoleSettings console,
        FilterConfig filter) {

    /** The system property the launcher sets to the repository (install) root. */
    public static final String HOME_PROPERTY = "hackable.home";
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8025;
    public static final long DEFAULT_MAX_UPLOAD = 16L << 20;
    public static final int DEFAULT_MAX_CONCURRENT_PUSHES = 2;
    public static final int DEFAULT_KEEP_VERSIONS = 20;
    /** Enough inputs to find the defects of fuzz-targets/ in about a second of a push. */
    public static final FuzzBudget DEFAULT_FUZZ = new FuzzBudget(200, Duration.ofSeconds(2));
    /** A sound plugin runs the email simulation in well under a second; a stuck one is stopped here. */
    public static final Duration DEFAULT_RUN_TIMEOUT = Duration.ofSeconds(60);

    /** Where the filter's configuration, which the service shares, is when {@code --config} is not given. */
    public static final Path DEFAULT_FILE = Path.of("/etc/hackable-email/filter.yaml");
    private static final Set<String> SERVICE_KEYS = new LinkedHashSet<>(List.of(
            "listen", "public_url", "max_upload", "max_concurrent_pushes", "keep_versions", "fuzz_runs", "fuzz_time",
            "simulations", "admins", "daemon_health"));
    private static final Set<String> SIMULATION_KEYS = new LinkedHashSet<>(List.of(
            "name", "with", "mock_host", "mock_input", "run_timeout"));

    public ServiceConfig {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(execution, "execution");
        Objects.requireNonNull(fuzz, "fuzz");
        Objects.requireNonNull(console, "console");
        Objects.requireNonNull(filter, "filter");
        simulations = List.copyOf(simulations);
        if (simulations.isEmpty()) {
            throw new ConfigException(source + ": service.simulations is empty: a plugin must pass at least one");
        }
        if (listenPort < 0 || listenPort > 65535) {
            throw new ConfigException(source + ": service.listen: port " + listenPort + " is out of range");
        }
        if (maxUpload < 1) {
            throw new ConfigException(source + ": service.max_upload must be at least 1 byte");
        }
        if (maxConcurrentPushes < 1) {
            throw new ConfigException(source + ": service.max_concurrent_pushes must be at least 1");
        }
        if (keepVersions < 1) {
            throw new ConfigException(source + ": service.keep_versions must be at least 1");
        }
        if (fuzz.runs() < 1) {
            throw new ConfigException(source + ": service.fuzz_runs must be at least 1");
        }
    }

    /**
     * How long the gate fuzzes {@code onEmail}: it stops at {@code runs} inputs or after
     * {@code time}, whichever comes first, with a fixed seed so a plugin meets the same inputs
     * on every push.
     */
    public record FuzzBudget(int runs, Duration time) {
        public FuzzBudget {
            Objects.requireNonNull(time, "time");
        }
    }

    /**
     * The web console's settings.
     *
     * @param admins the addresses whose sign-in opens the operator view too (compared without case)
     * @param daemonHealth the SMTP daemon's health URL ({@code smtpd.metrics} + {@code /health}); null: none
     */
    public record ConsoleSettings(List<String> admins, String daemonHealth) {
        public static final ConsoleSettings NONE = new ConsoleSettings(List.of(), null);

        public ConsoleSettings {
            admins = List.copyOf(admins);
        }

        public boolean isAdmin(String address) {
            return admins.stream().anyMatch(a -> a.equalsIgnoreCase(address));
        }
    }

    /**
     * One simulation of the extension point.
     *
     * @param name how reports name it
     * @param testModule the xtp-test module ({@code with})
     * @param mockHost the module serving the plugin's host imports; null for none
     * @param mockInput what the harness's {@code mock_input} returns; null for none
     * @param runTimeout the bound of one whole run of the test module
     */
    public record SimulationConfig(String name, Path testModule, Path mockHost, byte[] mockInput, Duration runTimeout) {
        public SimulationConfig {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(testModule, "with");
            Objects.requireNonNull(runTimeout, "run_timeout");
            mockInput = mockInput == null ? null : mockInput.clone();
        }

        @Override
        public byte[] mockInput() {
            return mockInput == null ? null : mockInput.clone();
        }
    }

    /** The install home: {@code -Dhackable.home}, else the current folder. */
    public static Path home() {
        return Path.of(System.getProperty(HOME_PROPERTY, ".")).toAbsolutePath().normalize();
    }

    /** The name of the contract simulation, the default. */
    public static final String CONTRACT = "contract";
    /** The name of the example plugin's behavioural simulation. */
    public static final String EXAMPLE = "example";
    /** Where the mock host is under the install home. */
    public static final String MOCK_HOST_FILE = "mock-host/dist/host.wasm";

    /**
     * The default simulation: the contract every plugin honours (simulations/dist/contract.wasm
     * with the mock host), found under {@link #home()}.
     */
    public static SimulationConfig contractSimulation(Path home) {
        return new SimulationConfig(CONTRACT, home.resolve("simulations/dist/contract.wasm"),
                home.resolve(MOCK_HOST_FILE), null, DEFAULT_RUN_TIMEOUT);
    }

    /**
     * The example plugin's own behavioural simulation (Project XYZ; simulations/dist/test.wasm):
     * not for other plugins, but a server may configure it, and the tests do.
     */
    public static SimulationConfig exampleSimulation(Path home) {
        return new SimulationConfig(EXAMPLE, home.resolve("simulations/dist/test.wasm"),
                home.resolve(MOCK_HOST_FILE), null, DEFAULT_RUN_TIMEOUT);
    }

    /** Every setting at its default. */
    public static ServiceConfig defaults() {
        return fromMap(Map.of(), Path.of("."), "(defaults)");
    }

    /** A copy with another store (the bench pushes into a temporary one). */
    public ServiceConfig withStore(StoreSetting value) {
        return new ServiceConfig(source, value, limits, execution, listenHost, listenPort, publicUrl, maxUpload,
                maxConcurrentPushes, keepVersions, fuzz, simulations, console, filter);
    }

    /** A copy that runs the simulations (and mail test cases) in another execution mode. */
    public ServiceConfig withExecution(Execution value) {
        return new ServiceConfig(source, store, limits, value, listenHost, listenPort, publicUrl, maxUpload,
                maxConcurrentPushes, keepVersions, fuzz, simulations, console,
                filter.with(Map.of("execution", value.settingName())));
    }

    /** A copy listening on {@code host:port} (the {@code serve --listen} option). */
    public ServiceConfig withListen(String host, int port) {
        return new ServiceConfig(source, store, limits, execution, host, port, publicUrl, maxUpload,
                maxConcurrentPushes, keepVersions, fuzz, simulations, console, filter);
    }

    /** A copy with other console settings (the browser tests name an admin). */
    public ServiceConfig withConsole(ConsoleSettings value) {
        return new ServiceConfig(source, store, limits, execution, listenHost, listenPort, publicUrl, maxUpload,
                maxConcurrentPushes, keepVersions, fuzz, simulations, value, filter);
    }

    /**
     * Reads the YAML file shared with the filter.
     *
     * @throws ConfigException naming the file and the key when it cannot be read or is wrong
     */
    public static ServiceConfig load(Path file) {
        Object root;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read: " + e.getMessage());
        } catch (YAMLException e) {
            throw new ConfigException(YamlErrors.describe(file.toString(), e));
        }
        Path base = file.toAbsolutePath().getParent();
        if (root == null) {
            return fromMap(Map.of(), base, file.toString());
        }
        if (!(root instanceof Map)) {
            throw new ConfigException(file + ": expected a mapping of settings");
        }
        return fromMap(stringKeys((Map<?, ?>) root), base, file.toString());
    }

    /**
     * Builds the settings from parsed YAML: the filter's keys at the top, ours under
     * {@code service}. Relative simulation paths are resolved against {@code base}.
     */
    public static ServiceConfig fromMap(Map<String, Object> values, Path base, String source) {
        // The filter's keys this service uses (the store and the plugin limits); the filter's
        // other keys are not ours to judge.
        StoreSetting store;
        GuestLimits limits;
        Execution execution;
        try {
            store = StoreSetting.read(values);
            limits = PluginLimitsSetting.limits(values);
            execution = PluginLimitsSetting.execution(values);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + ": " + e.getMessage());
        }
        Object section = values.get("service");
        Map<String, Object> service;
        if (section == null) {
            service = Map.of();
        } else if (section instanceof Map) {
            service = stringKeys((Map<?, ?>) section);
        } else {
            throw new ConfigException(source + ": service must be a mapping of settings");
        }
        for (String key : service.keySet()) {
            if (!SERVICE_KEYS.contains(key)) {
                throw new ConfigException(source + ": unknown setting 'service." + key + "' (known: "
                        + String.join(", ", SERVICE_KEYS) + ")");
            }
        }
        String listen = text(service, "listen", source);
        String host = DEFAULT_HOST;
        int port = DEFAULT_PORT;
        if (listen != null) {
            String[] hostPort = parseListen(listen, source);
            host = hostPort[0];
            port = Integer.parseInt(hostPort[1]);
        }
        String publicUrl = text(service, "public_url", source);
        if (publicUrl != null && !publicUrl.matches("https?://[^\\s/]+.*")) {
            throw new ConfigException(source + ": service.public_url: '" + publicUrl
                    + "' is not an http(s) URL (example: https://mail.example.com:8025)");
        }
        long maxUpload = service.containsKey("max_upload")
                ? parse(Quantities::positiveBytes, text(service, "max_upload", source), source + ": service.max_upload")
                : DEFAULT_MAX_UPLOAD;
        int concurrent = integer(service, "max_concurrent_pushes", DEFAULT_MAX_CONCURRENT_PUSHES, source);
        int keep = integer(service, "keep_versions", DEFAULT_KEEP_VERSIONS, source);
        FuzzBudget fuzz = new FuzzBudget(integer(service, "fuzz_runs", DEFAULT_FUZZ.runs(), source),
                service.containsKey("fuzz_time")
                        ? parse(Quantities::positiveDuration, text(service, "fuzz_time", source),
                                source + ": service.fuzz_time")
                        : DEFAULT_FUZZ.time());
        List<SimulationConfig> simulations = service.containsKey("simulations")
                ? simulations(service.get("simulations"), base, source)
                : List.of(contractSimulation(home()));
        String daemonHealth = text(service, "daemon_health", source);
        if (daemonHealth != null && !daemonHealth.matches("https?://[^\\s/]+.*")) {
            throw new ConfigException(source + ": service.daemon_health: '" + daemonHealth
                    + "' is not an http(s) URL (example: http://127.0.0.1:10027/health)");
        }
        ConsoleSettings console = new ConsoleSettings(admins(service.get("admins"), source), daemonHealth);
        FilterConfig filter;
        try { // the filter's keys it knows (a newer filter's are not ours to judge), with the filter's checks
            Map<String, Object> known = new LinkedHashMap<>(values);
            known.keySet().retainAll(FilterConfig.KEYS);
            filter = FilterConfig.fromMap(known, source);
        } catch (FilterConfig.ConfigException e) {
            throw new ConfigException(e.getMessage());
        }
        return new ServiceConfig(source, store, limits, execution, host, port, publicUrl,
                maxUpload, concurrent, keep, fuzz, simulations, console, filter);
    }

    private static List<String> admins(Object value, String source) {
        if (value == null) {
            return List.of();
        }
        List<?> items = value instanceof List ? (List<?>) value : List.of(value);
        List<String> admins = new ArrayList<>();
        for (Object item : items) {
            String address = item == null ? "" : String.valueOf(item).strip();
            if (item instanceof Map || item instanceof List || !address.contains("@")) {
                throw new ConfigException(source + ": service.admins: '" + item
                        + "' is not a mail address (example: admins: [it@example.com])");
            }
            admins.add(address);
        }
        return admins;
    }

    private static List<SimulationConfig> simulations(Object value, Path base, String source) {
        if (!(value instanceof List)) {
            throw new ConfigException(source + ": service.simulations must be a list of {name, with, mock_host, "
                    + "mock_input}");
        }
        List<SimulationConfig> list = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        int index = 0;
        for (Object item : (List<?>) value) {
            String where = source + ": service.simulations[" + index++ + "]";
            if (!(item instanceof Map)) {
                throw new ConfigException(where + " must be a mapping {name, with, mock_host, mock_input}");
            }
            Map<String, Object> sim = stringKeys((Map<?, ?>) item);
            for (String key : sim.keySet()) {
                if (!SIMULATION_KEYS.contains(key)) {
                    throw new ConfigException(where + ": unknown setting '" + key + "' (known: "
                            + String.join(", ", SIMULATION_KEYS) + ")");
                }
            }
            String with = text(sim, "with", where);
            if (with == null) {
                throw new ConfigException(where + ": 'with' (the test module) is missing");
            }
            Path testModule = base.resolve(with).normalize();
            String name = text(sim, "name", where);
            if (name == null) {
                name = testModule.getFileName().toString();
            }
            if (!names.add(name)) {
                throw new ConfigException(where + ": a second simulation named '" + name + "'");
            }
            String host = text(sim, "mock_host", where);
            Duration runTimeout = sim.containsKey("run_timeout")
                    ? parse(Quantities::positiveDuration, text(sim, "run_timeout", where), where + ".run_timeout")
                    : DEFAULT_RUN_TIMEOUT;
            list.add(new SimulationConfig(name, testModule, host == null ? null : base.resolve(host).normalize(),
                    mockInput(sim.get("mock_input"), base, where), runTimeout));
        }
        return list;
    }

    private static byte[] mockInput(Object value, Path base, String where) {
        if (value == null) {
            return null;
        }
        if (value instanceof Map) {
            Map<String, Object> m = stringKeys((Map<?, ?>) value);
            if (m.size() != 1 || !(m.containsKey("data") || m.containsKey("file"))) {
                throw new ConfigException(where + ".mock_input must be a string, {data: TEXT} or {file: PATH}");
            }
            if (m.containsKey("data")) {
                return String.valueOf(m.get("data")).getBytes(StandardCharsets.UTF_8);
            }
            Path file = base.resolve(String.valueOf(m.get("file"))).normalize();
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw new ConfigException(where + ".mock_input: " + file + " cannot be read"
                        + (e instanceof NoSuchFileException ? ": no such file" : ": " + e.getMessage()));
            }
        }
        if (value instanceof List) {
            throw new ConfigException(where + ".mock_input must be a string, {data: TEXT} or {file: PATH}");
        }
        return String.valueOf(value).getBytes(StandardCharsets.UTF_8);
    }

    private static final Pattern LISTEN = Pattern.compile("(?:\\[([0-9A-Fa-f:.]+)]|([^:\\[\\]]*)):(\\d{1,5})");

    /** {@code HOST:PORT}, {@code [IPV6]:PORT}, or {@code :PORT} (loopback). */
    static String[] parseListen(String text, String source) {
        Matcher m = LISTEN.matcher(text.trim());
        if (!m.matches()) {
            throw new ConfigException(source + ": service.listen: '" + text
                    + "' is not HOST:PORT (examples: 127.0.0.1:8025, [::1]:8025, 0.0.0.0:8025)");
        }
        String host = m.group(1) != null ? m.group(1) : m.group(2);
        if (host.isEmpty()) {
            host = DEFAULT_HOST;
        }
        int port = Integer.parseInt(m.group(3));
        if (port > 65535) {
            throw new ConfigException(source + ": service.listen: port " + port + " is out of range");
        }
        return new String[] {host, Integer.toString(port)};
    }

    /** {@code text} as {@code reader} (one of {@link Quantities}') reads it; its complaint names {@code where}. */
    private static <T> T parse(Function<String, T> reader, String text, String where) {
        try {
            return reader.apply(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": " + e.getMessage());
        }
    }

    private static String text(Map<String, Object> values, String key, String where) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Map || v instanceof List) {
            throw new ConfigException(where + ": " + key + " must be a single value");
        }
        String s = String.valueOf(v).trim();
        return s.isEmpty() ? null : s;
    }

    private static int integer(Map<String, Object> values, String key, int fallback, String source) {
        String s = text(values, key, source);
        if (s == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new ConfigException(source + ": service." + key + ": '" + s + "' is not a whole number");
        }
    }

    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            out.put(String.valueOf(e.getKey()), e.getValue());
        }
        return out;
    }

    /** The configuration is missing, unreadable or wrong; the message says where. */
    public static final class ConfigException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ConfigException(String message) {
            super(message);
        }
    }
}
