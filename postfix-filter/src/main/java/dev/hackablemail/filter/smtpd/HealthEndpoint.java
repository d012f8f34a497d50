package dev.hackablemail.filter.smtpd;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP endpoint for operators and monitoring, on {@code smtpd.metrics} (keep it on
 * loopback): {@code GET /health} is 200 {@code ok} while the daemon takes mail and 503
 * {@code draining} while it shuts down; {@code GET /metrics} is every counter in
 * Prometheus' text format (messages by result and exit code, plugin time, sessions...).
 * The JDK's own HTTP server: nothing more is needed for two plain-text pages.
 */
final class HealthEndpoint {

    /** The JDK names the thread that accepts and dispatches every exchange so. */
    private static final String DISPATCHER = "HTTP-Dispatcher";

    private final HttpServer server;
    private final ExecutorService exchanges;
    private final Thread dispatcher;

    private HealthEndpoint(HttpServer server, ExecutorService exchanges, Thread dispatcher) {
        this.server = server;
        this.exchanges = exchanges;
        this.dispatcher = dispatcher;
    }

    static HealthEndpoint start(SmtpdConfig.HostPort at, ContentFilterDaemon daemon) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(at.host(), at.port()), 16);
        server.createContext("/health", exchange -> {
            boolean draining = daemon.draining();
            respond(exchange, draining ? 503 : 200, draining ? "draining\n" : "ok\n");
        });
        server.createContext("/metrics", exchange -> respond(exchange, 200, daemon.metricsText()));
        // Not the server's own thread: it reads each request's head, and a client that stalls
        // there would keep /health from answering anyone else.
        AtomicInteger threads = new AtomicInteger();
        ExecutorService exchanges = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "smtpd-http-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(exchanges);
        java.util.Set<Thread> before = dispatchers();
        server.start();
        Thread dispatcher = dispatchers().stream().filter(t -> !before.contains(t)).findFirst().orElse(null);
        return new HealthEndpoint(server, exchanges, dispatcher);
    }

    private static java.util.Set<Thread> dispatchers() {
        java.util.Set<Thread> found = new java.util.HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(DISPATCHER)) {
                found.add(t);
            }
        }
        return found;
    }

    /** The thread that serves this endpoint (null if it could not be told apart): when it dies, /health is silent. */
    Thread dispatcher() {
        return dispatcher;
    }

    SmtpdConfig.HostPort address() {
        InetSocketAddress a = server.getAddress();
        return new SmtpdConfig.HostPort(a.getHostString(), a.getPort());
    }

    void stop() {
        server.stop(0);
        exchanges.shutdownNow();
    }

    private static void respond(HttpExchange exchange, int status, String text) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(status, "HEAD".equals(exchange.getRequestMethod()) ? -1 : body.length);
            if (!"HEAD".equals(exchange.getRequestMethod())) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }
}
