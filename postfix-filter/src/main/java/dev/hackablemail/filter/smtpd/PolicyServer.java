package dev.hackablemail.filter.smtpd;

import dev.hackablemail.filter.FilterLog;
import dev.hackablemail.runner.report.Reasons;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The daemon's Postfix policy service (SMTPD_POLICY_README's protocol: {@code name=value}
 * lines ending with an empty line, answered by {@code action=...} and an empty line, many
 * requests per connection) for the re-injection listener's
 * {@code smtpd_end_of_data_restrictions}; every request goes to {@link HandOvers}.
 *
 * <p>Each Postfix smtpd process keeps one connection open (up to its
 * {@code smtpd_policy_service_max_idle}); each gets a thread. A request that is not the
 * protocol (a line over {@value #MAX_LINE} bytes, more than {@value #MAX_ATTRIBUTES}
 * attributes, more than {@value #MAX_REQUEST} characters in all: Postfix's are about 1 KB) closes
 * its connection, and only that one; so a connection holds {@value #MAX_REQUEST} characters of a
 * request at most, and one that repeats a name forever is cut too.
 */
final class PolicyServer implements AutoCloseable {

    static final int MAX_LINE = 8192;
    static final int MAX_ATTRIBUTES = 200;
    static final int MAX_REQUEST = 64 * 1024;
    /** Postfix closes idle policy connections after 300 s by default; a dead peer is dropped after this. */
    private static final Duration IDLE_TIMEOUT = Duration.ofHours(1);

    private final ServerSocket socket;
    private final HandOvers handOvers;
    private final Metrics metrics;
    private final FilterLog log;
    private final int maxConnections;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads;
    private volatile boolean closed;

    private PolicyServer(ServerSocket socket, HandOvers handOvers, Metrics metrics, FilterLog log, int maxConnections) {
        this.socket = socket;
        this.handOvers = handOvers;
        this.metrics = metrics;
        this.log = log;
        this.maxConnections = maxConnections;
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "smtpd-policy-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Listens on {@code address} (port 0: any free port).
     *
     * @param maxConnections connections at once (one per re-injection smtpd process); more are closed
     */
    static PolicyServer start(SmtpdConfig.HostPort address, HandOvers handOvers, Metrics metrics, FilterLog log,
            int maxConnections) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(address.host()), address.port()), 64);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        PolicyServer server = new PolicyServer(socket, handOvers, metrics, log, maxConnections);
        Thread accept = new Thread(server::acceptLoop, "smtpd-policy-accept");
        accept.setDaemon(true);
        accept.start();
        return server;
    }

    /** Where it listens (with the port it got when 0 was asked for). */
    SmtpdConfig.HostPort address() {
        return new SmtpdConfig.HostPort(socket.getInetAddress().getHostAddress(), socket.getLocalPort());
    }

    private void acceptLoop() {
        while (!closed) {
            Socket connection;
            try {
                connection = socket.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.line("smtpd: policy service on " + address() + ": accept failed: " + Reasons.of(e));
                    pause();
                }
                continue;
            }
            if (connections.size() >= maxConnections) {
                log.line("smtpd: policy service: more than " + maxConnections + " connections, closing "
                        + connection.getRemoteSocketAddress());
                closeQuietly(connection);
                continue;
            }
            connections.add(connection);
            threads.execute(() -> serve(connection));
        }
    }

    private void serve(Socket connection) {
        try (connection) {
            connection.setSoTimeout((int) IDLE_TIMEOUT.toMillis());
            InputStream in = new BufferedInputStream(connection.getInputStream());
            OutputStream out = connection.getOutputStream();
            HandOvers.Answer answer = action -> {
                out.write(("action=" + action + "\n\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            };
            try {
                for (Map<String, String> request; (request = readRequest(in)) != null;) {
                    metrics.policyRequest();
                    handOvers.endOfData(request, answer);
                }
            } catch (MalformedRequest e) {
                // Logged before the connection closes: whoever sees it closed finds the line.
                log.line("smtpd: policy service: " + e.getMessage() + " from " + connection.getRemoteSocketAddress()
                        + ", connection closed");
            }
        } catch (SocketException e) {
            // closed by the peer or by close()
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                log.line("smtpd: policy service: connection from " + connection.getRemoteSocketAddress()
                        + " ended: " + Reasons.of(e));
            }
        } finally {
            connections.remove(connection);
        }
    }

    /** The next request's attributes, or null at the end of the connection. */
    static Map<String, String> readRequest(InputStream in) throws IOException {
        Map<String, String> attributes = new HashMap<>();
        long size = 0;
        for (String line; (line = readLine(in)) != null;) {
            if (line.isEmpty()) {
                return attributes;
            }
            size += line.length() + 1;
            if (size > MAX_REQUEST) {
                throw new MalformedRequest("a request of more than " + MAX_REQUEST + " characters");
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new MalformedRequest("a line that is not name=value");
            }
            if (attributes.size() >= MAX_ATTRIBUTES) {
                throw new MalformedRequest("more than " + MAX_ATTRIBUTES + " attributes");
            }
            attributes.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return null; // the peer closed the connection (a request cut short is dropped)
    }

    /** A line without its end ({@code \n}, with or without {@code \r}), or null at the end of input. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        for (int b; (b = in.read()) != '\n';) {
            if (b < 0) {
                return null;
            }
            if (line.size() >= MAX_LINE) {
                throw new MalformedRequest("a line longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    /** Stops listening and closes every connection. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(socket);
        for (Socket s : connections) {
            closeQuietly(s);
        }
        threads.shutdownNow();
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // gone either way
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Input that is not the policy protocol. */
    static final class MalformedRequest extends IOException {
        MalformedRequest(String message) {
            super(message);
        }
    }
}
