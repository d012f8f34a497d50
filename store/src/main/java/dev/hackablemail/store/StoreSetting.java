package dev.hackablemail.store;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;

/**
 * Where the guest store is, as the configuration says it (the filter and the push service
 * read it with this one class):
 *
 * <pre>
 * store: /var/lib/hackable-email/store            a folder (the default): one machine
 * store: postgresql://hackable@db.example.com:5432/hackable    PostgreSQL: several servers
 * store_password_file: /etc/hackable-email/db-password         else PGPASSWORD, else none
 * cache: /var/cache/hackable-email                this machine's compiled plugins
 * </pre>
 *
 * @param folder the store folder; null for PostgreSQL
 * @param postgres the PostgreSQL location; null for a folder
 * @param passwordFile the file holding the database password; null: {@code PGPASSWORD}
 * @param cache this machine's folder for compiled code (and, with PostgreSQL, the plugins
 *     it ran): {@code STORE/.compiled} for a folder store, {@link #DEFAULT_CACHE} otherwise
 * @param timeout the longest one store operation waits: for a connection, a statement, a row
 *     or table lock (PostgreSQL), a ledger's file lock (folder); past it the operation fails
 *     with an IOException (the mail is retried). {@link #DEFAULT_TIMEOUT} unless the program
 *     sets it ({@code store_timeout} in the filter's settings).
 */
public record StoreSetting(Path folder, Postgres postgres, Path passwordFile, Path cache, Duration timeout) {

    public static final Path DEFAULT_FOLDER = Path.of("/var/lib/hackable-email/store");
    public static final Path DEFAULT_CACHE = Path.of("/var/cache/hackable-email");
    /** The compiled-code folder inside a folder store; hex guest keys never start with a dot. */
    public static final String FOLDER_CACHE = ".compiled";
    /** The configuration keys this class reads. */
    public static final Set<String> KEYS = Set.of("store", "store_password_file", "cache");
    private static final String SCHEME = "postgresql://";
    /** How long one store operation may wait when the program does not say. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * A PostgreSQL database.
     *
     * @param user the role to log in as
     * @param host its host
     * @param port its port
     * @param database the database
     */
    public record Postgres(String user, String host, int port, String database) {
        public String jdbcUrl() {
            String h = host.contains(":") ? "[" + host + "]" : host;
            return "jdbc:postgresql://" + h + ":" + port + "/" + database;
        }

        @Override
        public String toString() {
            return SCHEME + user + "@" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/" + database;
        }
    }

    public StoreSetting {
        if ((folder == null) == (postgres == null)) {
            throw new IllegalArgumentException("store: a folder or a PostgreSQL URL, exactly one");
        }
        if (cache == null) {
            cache = folder != null ? folder.resolve(FOLDER_CACHE) : DEFAULT_CACHE;
        }
        if (timeout == null) {
            timeout = DEFAULT_TIMEOUT;
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("store_timeout: must be more than 0, got " + timeout);
        }
    }

    /** A store with the default timeout. */
    public StoreSetting(Path folder, Postgres postgres, Path passwordFile, Path cache) {
        this(folder, postgres, passwordFile, cache, null);
    }

    /** The same store, each operation waiting at most {@code timeout}. */
    public StoreSetting withTimeout(Duration timeout) {
        return new StoreSetting(folder, postgres, passwordFile, cache, timeout);
    }

    /** A folder store, its cache inside it. */
    public static StoreSetting folder(Path folder) {
        return new StoreSetting(folder, null, null, null);
    }

    public boolean isFolder() {
        return folder != null;
    }

    /**
     * Reads {@code store}, {@code store_password_file} and {@code cache} from parsed YAML
     * values (others are ignored).
     *
     * @throws IllegalArgumentException naming the key and the problem
     */
    public static StoreSetting read(Map<String, Object> values) {
        String store = text(values, "store");
        String passwordFile = text(values, "store_password_file");
        String cache = text(values, "cache");
        Postgres postgres = store != null && store.startsWith(SCHEME) ? parse(store) : null;
        if (postgres == null && store != null && store.contains("://")) {
            throw new IllegalArgumentException("store: '" + store + "' is neither a folder nor a URL "
                    + SCHEME + "USER@HOST:PORT/DATABASE");
        }
        if (postgres == null && passwordFile != null) {
            throw new IllegalArgumentException("store_password_file: only for a PostgreSQL store (store: "
                    + SCHEME + "...)");
        }
        return new StoreSetting(postgres == null ? Path.of(store == null ? DEFAULT_FOLDER.toString() : store) : null,
                postgres, passwordFile == null ? null : Path.of(passwordFile), cache == null ? null : Path.of(cache));
    }

    /** {@code postgresql://USER@HOST:PORT/DATABASE}; the port may be left out (5432). */
    static Postgres parse(String url) {
        String example = " (expected " + SCHEME + "USER@HOST:PORT/DATABASE, the password in PGPASSWORD or "
                + "store_password_file)";
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("store: '" + url + "' is not a valid URL: " + e.getReason() + example);
        }
        String user = uri.getUserInfo();
        String path = uri.getPath() == null ? "" : uri.getPath();
        if (uri.getHost() == null || user == null || user.isEmpty() || path.length() < 2 || path.indexOf('/', 1) >= 0
                || uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException("store: '" + url + "' is not a PostgreSQL location" + example);
        }
        if (user.contains(":")) {
            throw new IllegalArgumentException("store: the URL must not carry the password (it would be in the "
                    + "configuration and the logs): use PGPASSWORD or store_password_file");
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new Postgres(user, host, uri.getPort() < 0 ? 5432 : uri.getPort(), path.substring(1));
    }

    /**
     * Opens the store. A folder store is only checked to exist; a PostgreSQL store
     * connects on first use and creates or migrates its tables then.
     *
     * @param pooled a connection pool for a long-running process; else one connection
     *     (a filter process handling one message)
     * @param environment the environment (for {@code PGPASSWORD})
     */
    public GuestStore open(boolean pooled, Function<String, String> environment) throws IOException {
        if (isFolder()) {
            return new FolderStore(folder, timeout);
        }
        Properties properties = new Properties();
        properties.setProperty("user", postgres.user());
        String password = password(environment);
        if (password != null) {
            properties.setProperty("password", password);
        }
        long ms = Math.max(1, timeout.toMillis());
        long seconds = Math.max(1, (ms + 999) / 1000);
        properties.setProperty("connectTimeout", Long.toString(Math.min(5, seconds)));
        // The server ends a statement (lock waits included) after the timeout; the socket
        // timeout, a little longer, ends a wait for a server that does not answer at all.
        properties.setProperty("options", "-c statement_timeout=" + ms + " -c lock_timeout=" + ms);
        properties.setProperty("socketTimeout", Long.toString(seconds + 2));
        properties.setProperty("ApplicationName", "hackable-email");
        Connections connections = pooled ? Connections.pooled(postgres.jdbcUrl(), properties, 8, Math.min(5_000, ms))
                : Connections.single(postgres.jdbcUrl(), properties);
        return new PostgresStore(connections, cache, postgres.toString());
    }

    /** Opens the store with the process's environment. */
    public GuestStore open(boolean pooled) throws IOException {
        return open(pooled, System::getenv);
    }

    private String password(Function<String, String> environment) throws IOException {
        if (passwordFile != null) {
            try {
                return Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
            } catch (NoSuchFileException e) {
                throw new IOException("store_password_file " + passwordFile + ": no such file");
            } catch (IOException e) {
                throw new IOException("store_password_file " + passwordFile + ": cannot be read: " + e.getMessage());
            }
        }
        return environment.apply("PGPASSWORD");
    }

    /** The store as the configuration would say it (never with a password). */
    public String describe() {
        return isFolder() ? folder.toString() : postgres.toString();
    }

    /** The three keys, as a YAML mapping would hold them (to rebuild a configuration). */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("store", describe());
        if (passwordFile != null) {
            m.put("store_password_file", passwordFile.toString());
        }
        if (!cache.equals(new StoreSetting(folder, postgres, null, null).cache())) {
            m.put("cache", cache.toString());
        }
        return m;
    }

    private static String text(Map<String, Object> values, String key) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Map || v instanceof List) {
            throw new IllegalArgumentException(key + " must be a single value");
        }
        String s = String.valueOf(v).trim();
        return s.isEmpty() ? null : s;
    }

    @Override
    public String toString() {
        return describe();
    }
}
