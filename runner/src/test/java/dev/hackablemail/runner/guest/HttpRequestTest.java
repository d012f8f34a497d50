package dev.hackablemail.runner.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** http_request through the SDK, limited to the allowed hosts (a server on loopback here). */
class HttpRequestTest {

    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hello", exchange -> {
            byte[] body = "hello from the host".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private byte[] request() {
        return ("{\"url\":\"http://127.0.0.1:" + server.getAddress().getPort() + "/hello\",\"method\":\"GET\","
                + "\"headers\":{}}").getBytes(StandardCharsets.UTF_8);
    }

    private static GuestPlugin plugin(List<String> allowedHosts) {
        return PluginTemplate.builder(Wat.module("http.wat")).withAllowedHosts(allowedHosts).build().instantiate();
    }

    @Test
    void anAllowedHostIsReached() {
        try (GuestPlugin plugin = plugin(List.of("127.0.0.1"))) {
            assertThat(plugin.call("fetch", request())).asString().isEqualTo("hello from the host");
        }
    }

    @Test
    void anyOtherHostIsRefused() {
        try (GuestPlugin plugin = plugin(List.of("example.com"))) {
            assertThatThrownBy(() -> plugin.call("fetch", request()))
                    .isInstanceOfSatisfying(GuestCallException.class,
                            e -> assertThat(e.kind()).isEqualTo(GuestCallException.Kind.HOST))
                    .hasMessageContaining("HTTP request to '127.0.0.1' is not allowed")
                    .hasMessageNotContaining("Exception"); // the host function's reason, not its class
        }
        try (GuestPlugin plugin = plugin(List.of())) {
            assertThatThrownBy(() -> plugin.call("fetch", request())).hasMessageContaining("is not allowed");
        }
    }
}
