package dev.hackablemail.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hackablemail.filter.Outcome;
import dev.hackablemail.store.GuestStore;
import dev.hackablemail.store.PostgresCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console on a PostgreSQL store shared by two services: a sign-in code works once across
 * both, and the recent mail the filter writes there is on the page (the browser tests run on
 * a folder store).
 */
class WebConsolePostgresTest {

    @TempDir
    Path tmp;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    HttpResponse<String> post(Fixture fx, String path, String cookie, String form) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fx.url() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(Fixture fx, String path, String cookie) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(fx.url() + path)).header("Cookie", cookie).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aCodeSignsInOnceAcrossServersAndTheFiltersMailIsOnThePage() throws Exception {
        String url = PostgresCluster.shared().newDatabase();
        try (Fixture a = new Fixture(tmp.resolve("a"), url, "", "", null);
                Fixture b = new Fixture(tmp.resolve("b"), url, "", "", null)) {
            String token = a.signUp("alice@example.com");
            a.service.store().saveSignInCode("alice@example.com", "the-code", Instant.now(), Duration.ofHours(1));
            HttpResponse<String> first = post(b, "/signin", null, "code=the-code");
            assertThat(first.statusCode()).isEqualTo(303);
            assertThat(post(a, "/signin", null, "code=the-code").statusCode()).as("used on the other server")
                    .isEqualTo(401);
            String cookie = first.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];

            assertThat(a.push(token, TestModules.example()).status()).isEqualTo(201);
            Outcome outcome = b.new Mail().deliver("bob@example.org", "alice@example.com", "Hello <i>Alice</i>",
                    "hi");
            assertThat(outcome.exitCode()).as(outcome.log()).isZero();
            assertThat(a.service.store().recentMail("alice@example.com", 0, 10))
                    .extracting(GuestStore.MailRecord::outcome).containsExactly("delivered");

            HttpResponse<String> mail = get(b, "/mail", cookie);
            assertThat(mail.statusCode()).isEqualTo(200);
            assertThat(mail.body()).contains("bob@example.org", "Hello &lt;i&gt;Alice&lt;/i&gt;", "delivered")
                    .doesNotContain("<i>Alice");
            assertThat(get(a, "/mail", cookie).statusCode()).as("sessions belong to the server that made them")
                    .isEqualTo(303);
        }
    }
}
