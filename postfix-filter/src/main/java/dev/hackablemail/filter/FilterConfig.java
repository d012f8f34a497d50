package dev.hackablemail.filter;

import dev.hackablemail.runner.config.PluginLimitsSetting;
import dev.hackablemail.runner.config.Quantities;
import dev.hackablemail.runner.guest.Execution;
import dev.hackablemail.runner.guest.GuestLimits;
import dev.hackablemail.schema.xtp.YamlErrors;
import dev.hackablemail.store.StoreSetting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The filter's settings, read from a YAML file (see {@code postfix-filter/README.md}).
 * Every key is optional; an unknown key or a bad value is an error, so that a typo never
 * silently falls back to a default.
 *
 * @param store where the guest store is: a folder or PostgreSQL, and this machine's cache
 *     folder ({@code store}, {@code store_password_file}, {@code cache}; see {@link StoreSetting})
 * @param sendmail the command (and its first arguments) used to deliver and to reply
 * @param sendmailTimeout how long one sendmail run may take before it is killed
 * @param log the per-message log file; null for none, {@code -} for standard error
 * @param signupAddress the IT address that takes "/hackablemail signup" mails; null: no signup
 * @param invitationUrl the link put in invitations; {@code {token}} and {@code {address}} are
 *     replaced; null: the invitation carries the token alone
 * @param replyPeriod at most one reply per sender per recipient in this period (zero: no limit)
 * @param signupPeriod at most one invitation per address in this period (zero: no limit)
 * @param limits the bounds of one plugin call
 * @param timeLimit the whole filter run's bound; past it the filter exits (75, or 0 once delivered)
 * @param maxMessageSize the largest message the filter reads; a larger one bounces (69)
 * @param execution how plugins run: compiled to JVM bytecode, or interpreted
 * @param hostname the domain of the Message-IDs of replies; null: the recipient's domain
 * @param pushServer the push service's URL as the invitation names it: {@code service.public_url},
 *     else {@code http://} and {@code service.listen} (the {@code service:} section belongs to
 *     the push service, which checks it; the filter reads only these two keys of it)
 *     <p>The {@code smtpd:} section belongs to the content-filter daemon, which reads and checks
 *     it ({@code smtpd.SmtpdConfig}); the filter ignores it.
 */
public record FilterConfig(
        StoreSetting store,
        List<String> sendmail,
        Duration sendmailTimeout,
        String log,
        String signupAddress,
        String invitationUrl,
        Duration replyPeriod,
        Duration signupPeriod,
        GuestLimits limits,
        Duration timeLimit,
        long maxMessageSize,
        Execution execution,
        String hostname,
        String pushServer) {

    /** Where the filter looks for its configuration when {@code --config} is not given. */
    public static final Path DEFAULT_FILE = Path.of("/etc/hackable-email/filter.yaml");
    public static final Path DEFAULT_STORE = StoreSetting.DEFAULT_FOLDER;
    /** The log file's name in the store folder (or, with PostgreSQL, in the cache folder). */
    public static final String LOG_FILE = "filter.log";
    public static final String DEFAULT_SENDMAIL = "/usr/sbin/sendmail";
    /** The {@code log} value that means standard error (for trying the filter by hand). */
    public static final String LOG_STDERR = "-";

    /** The limits of a plugin call: 10 s, 64 MiB of memory and of kernel blocks, 64 KiB of output. */
    public static final GuestLimits DEFAULT_LIMITS = PluginLimitsSetting.DEFAULTS;

    /** Every top-level key the filter's file may have. */
    public static final Set<String> KEYS = Set.of(
            "store", "store_password_file", "cache", "store_timeout", "sendmail", "sendmail_timeout", "log", "signup_address", "invitation_url",
            "reply_period", "signup_period", "plugin_timeout", "plugin_memory", "plugin_kernel_memory",
            "plugin_output", "time_limit", "max_message_size", "execution", "hostname", "service", "smtpd");

    /** Where the push service listens when its section does not say. */
    public static final String DEFAULT_PUSH_LISTEN = "127.0.0.1:8025";

    public FilterConfig {
        Objects.requireNonNull(store, "store");
        sendmail = List.copyOf(sendmail);
        if (sendmail.isEmpty()) {
            throw new IllegalArgumentException("sendmail: the command is empty");
        }
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(execution, "execution");
        // One run may take the plugin's time, then a deliver and a reply that each wait for
        // sendmail; the filter's own limit must cover all of it with a margin, so that it
        // never has to end the process while a sendmail it started may still deliver.
        Duration needed = limits.timeout().plus(sendmailTimeout.multipliedBy(2)).plusSeconds(5);
        if (timeLimit.compareTo(needed) < 0) {
            throw new IllegalArgumentException("time_limit (" + timeLimit.toSeconds() + " s) must be at least"
                    + " plugin_timeout + 2 x sendmail_timeout + 5 s (" + needed.toSeconds() + " s)");
        }
    }

    /** Every setting at its default. */
    public static FilterConfig defaults() {
        return fromMap(Map.of(), "(defaults)");
    }

    /** The log file; null when the log is off or goes to standard error ({@code log} is then "" or "-"). */
    public Path logFile() {
        if (log == null || log.isEmpty() || log.equals(LOG_STDERR)) {
            return null;
        }
        return Path.of(log);
    }

    /**
     * Reads a YAML configuration file.
     *
     * @throws ConfigException naming the file and the key when it cannot be read or is wrong
     */
    public static FilterConfig load(Path file) {
        return fromMap(readYaml(file), file.toString());
    }

    /**
     * The settings of a YAML file as a mapping (empty for an empty file); the daemon reads its
     * {@code smtpd:} section from it too.
     *
     * @throws ConfigException naming the file when it cannot be read or is no mapping
     */
    public static Map<String, Object> readYaml(Path file) {
        Object root;
        try (java.io.Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read: " + e.getMessage());
        } catch (YAMLException e) {
            throw new ConfigException(YamlErrors.describe(file.toString(), e));
        }
        if (root == null) {
            return Map.of();
        }
        if (!(root instanceof Map)) {
            throw new ConfigException(file + ": expected a mapping of settings, got " + describe(root));
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) root).entrySet()) {
            values.put(String.valueOf(e.getKey()), e.getValue());
        }
        return values;
    }

    /** Builds a configuration from already parsed values (keys as in the YAML file). */
    public static FilterConfig fromMap(Map<String, Object> values, String source) {
        for (String key : values.keySet()) {
            if (!KEYS.contains(key)) {
                throw new ConfigException(source + ": unknown setting '" + key + "' (known: "
                        + String.join(", ", KEYS.stream().sorted().toList()) + ")");
            }
        }
        try {
            return build(new Values(values, source), values, source);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + ": " + e.getMessage());
        }
    }

    private static FilterConfig build(Values r, Map<String, Object> values, String source) {
        StoreSetting store = StoreSetting.read(values)
                .withTimeout(r.duration("store_timeout", StoreSetting.DEFAULT_TIMEOUT));
        String logValue = values.containsKey("log") ? r.optionalString("log")
                : (store.isFolder() ? store.folder() : store.cache()).resolve(LOG_FILE).toString();
        GuestLimits limits = PluginLimitsSetting.limits(values);
        Execution mode = PluginLimitsSetting.execution(values);
        return new FilterConfig(
                store,
                r.command("sendmail", DEFAULT_SENDMAIL),
                r.duration("sendmail_timeout", Duration.ofSeconds(20)),
                logValue,
                r.optionalString("signup_address"),
                r.optionalString("invitation_url"),
                r.duration("reply_period", Duration.ofDays(7)),
                r.duration("signup_period", Duration.ofHours(1)),
                limits,
                r.duration("time_limit", Duration.ofSeconds(60)),
                r.size("max_message_size", 64L << 20),
                mode,
                r.optionalString("hostname"),
                pushServer(values.get("service"), source));
    }

    /** The push service's URL from its section: public_url, else http:// and listen. */
    private static String pushServer(Object section, String source) {
        if (section == null) {
            return "http://" + DEFAULT_PUSH_LISTEN;
        }
        if (!(section instanceof Map)) {
            throw new ConfigException(source + ": service: expected a mapping of the push service's settings");
        }
        Map<?, ?> service = (Map<?, ?>) section;
        Object url = service.get("public_url");
        if (url != null) {
            return String.valueOf(url);
        }
        Object listen = service.get("listen");
        return "http://" + (listen == null ? DEFAULT_PUSH_LISTEN : String.valueOf(listen));
    }

    /** A copy with some settings replaced (keys as in the YAML file); for tests and the bench. */
    public FilterConfig with(Map<String, Object> overrides) {
        Map<String, Object> values = new LinkedHashMap<>(asMap());
        if (overrides.containsKey("store")) {
            StoreSetting.KEYS.forEach(values::remove); // the old store's cache is not the new one's
        }
        values.putAll(overrides);
        return fromMap(values, "(overrides)");
    }

    private Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.putAll(store.asMap());
        m.put("store_timeout", store.timeout().toMillis() + "ms");
        m.put("sendmail", sendmail);
        m.put("sendmail_timeout", sendmailTimeout.toMillis() + "ms");
        m.put("log", log);
        m.put("signup_address", signupAddress);
        m.put("invitation_url", invitationUrl);
        m.put("reply_period", replyPeriod.toMillis() + "ms");
        m.put("signup_period", signupPeriod.toMillis() + "ms");
        m.put("plugin_timeout", limits.timeout().toMillis() + "ms");
        m.put("plugin_memory", (long) limits.maxMemoryPages() * GuestLimits.PAGE_SIZE);
        m.put("plugin_kernel_memory", limits.maxKernelBytes());
        m.put("plugin_output", limits.maxOutputBytes());
        m.put("time_limit", timeLimit.toMillis() + "ms");
        m.put("max_message_size", maxMessageSize);
        m.put("execution", execution.settingName());
        m.put("hostname", hostname);
        m.put("service", Map.of("public_url", pushServer));
        return m;
    }

    private static String describe(Object value) {
        if (value instanceof Map) {
            return "a mapping";
        }
        if (value instanceof List) {
            return "a list";
        }
        return "'" + value + "'";
    }

    /** Typed access to the raw YAML values, with messages naming the file and key. */
    private static final class Values {
        private final Map<String, Object> values;
        private final String source;

        Values(Map<String, Object> values, String source) {
            this.values = values;
            this.source = source;
        }

        String string(String key, String fallback) {
            String s = optionalString(key);
            return s == null ? fallback : s;
        }

        String optionalString(String key) {
            Object v = values.get(key);
            if (v == null) {
                return null;
            }
            if (v instanceof Map || v instanceof List) {
                throw new ConfigException(source + ": " + key + " must be a single value, got " + describe(v));
            }
            String s = String.valueOf(v).trim();
            return s.isEmpty() ? null : s;
        }

        List<String> command(String key, String fallback) {
            Object v = values.get(key);
            List<String> words = new ArrayList<>();
            if (v instanceof List) {
                for (Object o : (List<?>) v) {
                    words.add(String.valueOf(o));
                }
            } else {
                String s = string(key, fallback);
                for (String w : s.trim().split("\\s+")) {
                    if (!w.isEmpty()) {
                        words.add(w);
                    }
                }
            }
            if (words.isEmpty()) {
                throw new ConfigException(source + ": " + key + " is empty");
            }
            return words;
        }

        /** A duration as {@link Quantities#duration} reads it. */
        Duration duration(String key, Duration fallback) {
            return read(key, Quantities::duration, fallback);
        }

        /** A size as {@link Quantities#bytes} reads it. */
        long size(String key, long fallback) {
            return read(key, Quantities::bytes, fallback);
        }

        /** The value of {@code key} as {@code reader} reads its text; its complaint names the file and key. */
        <T> T read(String key, Function<String, T> reader, T fallback) {
            String text = optionalString(key);
            if (text == null) {
                return fallback;
            }
            try {
                return reader.apply(text);
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new ConfigException(source + ": " + key + ": " + e.getMessage());
            }
        }
    }

    /** The configuration file is missing, unreadable or wrong; the message says where. */
    public static final class ConfigException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ConfigException(String message) {
            super(message);
        }
    }
}
