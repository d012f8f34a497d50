package dev.hackablemail.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's HTTP details behind a TLS proxy with a path (the browser tests run on plain http at the root). */
class WebConsoleHttpTest {

    @TempDir
    Path tmp;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    HttpResponse<String> send(Fixture fx, HttpRequest.Builder b) throws Exception {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpRequest.Builder get(Fixture fx, String path) {
        return HttpRequest.newBuilder(URI.create(fx.url() + path));
    }

    @Test
    void behindAnHttpsPublicUrlTheCookieIsSecureAndEveryLinkHasThePath() throws Exception {
        try (Fixture fx = new Fixture(tmp, "  public_url: https://mail.example.com/push/\n")) {
            String token = fx.signUp("alice@example.com");
            HttpResponse<String> signIn = send(fx, get(fx, "/signin").header("Content-Type",
                    "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("token=" + token)));
            assertThat(signIn.statusCode()).isEqualTo(303);
            assertThat(signIn.headers().firstValue("Location")).hasValue("/push/plugin");
            String cookie = signIn.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(cookie).contains("Path=/push/", "HttpOnly", "SameSite=Strict", "Secure");

            HttpResponse<String> page = send(fx, get(fx, "/plugin").header("Cookie", cookie.split(";")[0]));
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("href=\"/push/static/console.css\"", "action=\"/push/signout\"",
                    "xtp-sim plugin push plugin.wasm --server https://mail.example.com/push/");
            assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                    .contains("default-src 'self'", "frame-ancestors 'none'");
            assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
            assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
            assertThat(page.body()).doesNotContain("http://", "//fonts.", "cdn");
        }
    }

    @Test
    void theStyleAndScriptComeFromTheJarAndNothingElseDoes() throws Exception {
        try (Fixture fx = new Fixture(tmp, "")) {
            HttpResponse<String> css = send(fx, get(fx, "/static/console.css"));
            assertThat(css.statusCode()).isEqualTo(200);
            assertThat(css.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/css");
            assertThat(css.body()).doesNotContain("@import", "url(");
            assertThat(send(fx, get(fx, "/static/console.js")).statusCode()).isEqualTo(200);
            assertThat(send(fx, get(fx, "/static/WebConsole.class")).statusCode()).isEqualTo(404);
            assertThat(send(fx, get(fx, "/static/..%2FWebConsole.class")).statusCode()).isEqualTo(404);
            HttpResponse<String> root = send(fx, get(fx, "/"));
            assertThat(root.statusCode()).isEqualTo(303);
            assertThat(root.headers().firstValue("Location")).hasValue("/plugin");
        }
    }

    @Test
    void aSignInWithNeitherCodeNorTokenIsABadRequestPage() throws Exception {
        try (Fixture fx = new Fixture(tmp, "")) {
            HttpResponse<String> r = send(fx, get(fx, "/signin").header("Content-Type",
                    "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("")));
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
            assertThat(r.body()).contains("Paste your push token");
        }
    }
}
