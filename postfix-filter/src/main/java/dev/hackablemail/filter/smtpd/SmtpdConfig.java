package dev.hackablemail.filter.smtpd;

import dev.hackablemail.filter.FilterConfig;
import dev.hackablemail.filter.FilterConfig.ConfigException;
import dev.hackablemail.runner.config.Quantities;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The daemon's settings: the {@code smtpd:} section of the filter's YAML file (everything
 * below the transport, from the store to the plugin limits, comes from the same file's
 * filter settings). Every key is optional; an unknown key or a bad value is an error naming
 * the file and the key.
 *
 * @param listen where Postfix's SMTP client delivers to (FILTER_README: 127.0.0.1:10025)
 * @param reinject the Postfix smtpd without content filter that takes the mail back (127.0.0.1:10026)
 * @param maxSessions SMTP sessions at once; at least twice the content-filter transport's maxproc
 *     in master.cf, since Postfix's connection cache keeps idle sessions open while its smtp
 *     processes open new ones (a 421 marks the daemon dead until the next queue run)
 * @param sessionTimeout how long a client may stay silent before the session ends (421)
 * @param reinjectTimeout connecting to the re-injection server, and each of its answers
 * @param shutdownTimeout how long a SIGTERM waits for mail in flight before the sessions are cut
 * @param cachedPlugins how many plugins stay compiled and ready (the least recently used go first)
 * @param journal the file of messages delivered recently (no duplicate after a crash), by default
 *     {@code STORE/.smtpd-journal} with a folder store, {@code CACHE/.smtpd-journal} with PostgreSQL
 *     (per machine: the journal is this daemon's own)
 * @param journalPeriod how long a delivered message is remembered: at least the time Postfix
 *     may retry one ({@code maximal_queue_lifetime}, 5 days)
 * @param metrics where the health and metrics endpoint listens (HTTP); null: none
 * @param reinjectPolicy where the daemon answers the re-injection listener's end-of-data policy
 *     requests ({@code smtpd_end_of_data_restrictions = check_policy_service inet:...} there), so
 *     that a delivery is journaled before the listener commits it ({@link HandOvers}); null: none,
 *     a delivery is journaled on the listener's 250. Off by default: it only works together with
 *     that master.cf line, and that line alone would make the listener refuse all mail (451)
 * @param maxBytesInFlight how many bytes of mail the daemon holds at once (declared in MAIL
 *     FROM's {@code SIZE=}, or read): a message beyond it is answered 452 at MAIL (or 451 at the end
 *     of DATA) and comes again later, so that waves of large mails meet a busy daemon rather than
 *     an exhausted heap. One message is always taken. By default an eighth of the JVM's heap
 */
public record SmtpdConfig(
        HostPort listen,
        HostPort reinject,
        int maxSessions,
        Duration sessionTimeout,
        Duration reinjectTimeout,
        Duration shutdownTimeout,
        int cachedPlugins,
        Path journal,
        Duration journalPeriod,
        HostPort metrics,
        HostPort reinjectPolicy,
        long maxBytesInFlight) {

    /** An eighth of the largest heap this JVM may have: each byte of mail costs several while a plugin runs. */
    public static long defaultMaxBytesInFlight() {
        return Math.max(1L << 20, Runtime.getRuntime().maxMemory() / 8);
    }

    public static final HostPort DEFAULT_LISTEN = new HostPort("127.0.0.1", 10025);
    public static final HostPort DEFAULT_REINJECT = new HostPort("127.0.0.1", 10026);
    /** The journal's file name, in a folder store or, with PostgreSQL, in the per-machine cache folder. */
    public static final String JOURNAL_FILE = ".smtpd-journal";

    private static final Set<String> KEYS = new TreeSet<>(List.of("listen", "reinject", "max_sessions",
            "session_timeout", "reinject_timeout", "shutdown_timeout", "cached_plugins", "journal",
            "journal_period", "metrics", "reinject_policy", "max_bytes_in_flight"));

    /** A host (name or address) and a TCP port. */
    public record HostPort(String host, int port) {
        public HostPort {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is out of range");
            }
        }

        /**
         * {@code host:port}, {@code [v6]:port} or {@code :port} (all addresses of the host: 0.0.0.0).
         *
         * @throws IllegalArgumentException saying what is wrong
         */
        public static HostPort parse(String text) {
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("expected HOST:PORT, got '" + text + "'");
            }
            String host = text.substring(0, colon).trim();
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            try {
                return new HostPort(host.isEmpty() ? "0.0.0.0" : host, Integer.parseInt(text.substring(colon + 1).trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected HOST:PORT, got '" + text + "'");
            }
        }

        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** The daemon's settings from a YAML file (the filter's), defaults where the section is silent. */
    public static SmtpdConfig load(Path file, FilterConfig filter) {
        return fromSection(FilterConfig.readYaml(file).get("smtpd"), filter, file.toString());
    }

    /** The daemon's settings from the parsed {@code smtpd:} section (null: all defaults). */
    public static SmtpdConfig fromSection(Object section, FilterConfig filter, String source) {
        if (section != null && !(section instanceof Map)) {
            throw new ConfigException(source + ": smtpd: expected a mapping of the daemon's settings");
        }
        Map<?, ?> values = section == null ? Map.of() : (Map<?, ?>) section;
        for (Object key : values.keySet()) {
            if (!KEYS.contains(String.valueOf(key))) {
                throw new ConfigException(source + ": smtpd: unknown setting '" + key + "' (known: "
                        + String.join(", ", KEYS) + ")");
            }
        }
        Reader r = new Reader(values, source);
        Path journal = r.has("journal") ? Path.of(r.text("journal")) : (filter.store().isFolder() ? filter.store().folder() : filter.store().cache()).resolve(JOURNAL_FILE);
        return new SmtpdConfig(
                r.address("listen", DEFAULT_LISTEN),
                r.address("reinject", DEFAULT_REINJECT),
                r.count("max_sessions", 40),
                r.duration("session_timeout", Duration.ofMinutes(5)),
                r.duration("reinject_timeout", Duration.ofSeconds(60)),
                r.duration("shutdown_timeout", Duration.ofSeconds(60)),
                r.count("cached_plugins", 64),
                journal,
                r.duration("journal_period", Duration.ofDays(5)),
                r.address("metrics", null),
                r.address("reinject_policy", null),
                r.size("max_bytes_in_flight", defaultMaxBytesInFlight()));
    }

    /** Typed reads of the section's values, with messages naming the file and the key. */
    private static final class Reader {
        private final Map<?, ?> values;
        private final String source;

        Reader(Map<?, ?> values, String source) {
            this.values = values;
            this.source = source;
        }

        boolean has(String key) {
            Object v = values.get(key);
            return v != null && !String.valueOf(v).isBlank();
        }

        String text(String key) {
            Object v = values.get(key);
            if (v instanceof Map || v instanceof List) {
                throw new ConfigException(source + ": smtpd: " + key + " must be a single value");
            }
            return String.valueOf(v).trim();
        }

        HostPort address(String key, HostPort fallback) {
            if (!has(key)) {
                return fallback;
            }
            try {
                return HostPort.parse(text(key));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(source + ": smtpd: " + key + ": " + e.getMessage());
            }
        }

        int count(String key, int fallback) {
            if (!has(key)) {
                return fallback;
            }
            try {
                int n = Integer.parseInt(text(key));
                if (n < 1) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new ConfigException(source + ": smtpd: " + key + " must be a whole number of at least 1, got '"
                        + text(key) + "'");
            }
        }

        long size(String key, long fallback) {
            return positive(key, fallback, Quantities::bytes, n -> n >= 1);
        }

        Duration duration(String key, Duration fallback) {
            return positive(key, fallback, Quantities::duration, d -> !d.isNegative() && !d.isZero());
        }

        private <T> T positive(String key, T fallback, Function<String, T> parse, Predicate<T> isPositive) {
            if (!has(key)) {
                return fallback;
            }
            try {
                T value = parse.apply(text(key));
                if (!isPositive.test(value)) {
                    throw new IllegalArgumentException("must be more than 0");
                }
                return value;
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new ConfigException(source + ": smtpd: " + key + ": " + e.getMessage());
            }
        }
    }
}
