package dev.hackablemail.runner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hackablemail.runner.push.PluginOutput;
import dev.hackablemail.runner.push.PushAnswer;
import dev.hackablemail.runner.report.Reasons;
import dev.hackablemail.schema.cli.ExitCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The HTTP side of {@code xtp-sim plugin}: the options every subcommand shares and one
 * request to the push service ({@code plugin-service}'s API, {@code /api/v1/plugin}).
 */
final class PluginClient {

    static final String SERVER_ENV = "HACKABLE_EMAIL_SERVER";
    static final String TOKEN_ENV = "HACKABLE_EMAIL_TOKEN";
    static final String WASM_TYPE = "application/wasm";
    private static final ObjectMapper JSON = PushAnswer.JSON;

    /** {@code --server}, {@code --token}, {@code --timeout}, {@code --json}. */
    static final class Options {
        @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:" + SERVER_ENV + "}",
                description = "The push service, e.g. http://push.example.com:8025 (default: $" + SERVER_ENV + ").")
        String server;

        @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:" + TOKEN_ENV + "}",
                description = "The token of your signup invitation (default: $" + TOKEN_ENV + "; the variable keeps "
                        + "it out of your shell history).")
        String token;

        @Option(names = "--token-file", paramLabel = "FILE",
                description = "Read the token from this file instead.")
        Path tokenFile;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m",
                converter = Conversions.DurationConverter.class,
                description = "How long to wait for the server's answer; a push runs every simulation "
                        + "(default: ${DEFAULT-VALUE}).")
        Duration timeout;

        @Option(names = "--json", description = "Print the server's JSON answer as it is.")
        boolean json;
    }

    /** The server's answer: its status and its JSON body (null when it was not JSON). */
    record Answer(int status, JsonNode body, String text) {}

    /** Bad arguments or an unreachable server: the message says which; the command exits 2. */
    static final class ClientException extends Exception {
        private static final long serialVersionUID = 1L;

        ClientException(String message) {
            super(message);
        }
    }

    private final Options options;
    private final URI base;
    private final String token;
    private final HttpClient http;

    PluginClient(Options options) throws ClientException {
        this.options = options;
        this.base = base(options.server);
        this.token = token(options);
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    static URI base(String server) throws ClientException {
        if (server == null || server.isBlank()) {
            throw new ClientException("no server: give --server URL (or set $" + SERVER_ENV + ")");
        }
        String s = server.strip();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        try {
            URI uri = new URI(s);
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null) {
                throw new ClientException("--server must be an http(s) URL such as http://127.0.0.1:8025, got '"
                        + server + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ClientException("--server is not a URL: " + e.getMessage());
        }
    }

    private static String token(Options options) throws ClientException {
        String t = options.token;
        if (options.tokenFile != null) {
            try {
                t = Files.readString(options.tokenFile, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new ClientException("--token-file " + options.tokenFile + ": no such file");
            } catch (IOException e) {
                throw new ClientException("--token-file " + options.tokenFile + " cannot be read: " + e.getMessage());
            }
        }
        if (t == null || t.isBlank()) {
            throw new ClientException("no token: give --token TOKEN (from your signup invitation), --token-file FILE, "
                    + "or set $" + TOKEN_ENV);
        }
        return t.strip();
    }

    /** Sends one request to {@code /api/v1/plugin + path}. */
    Answer send(String method, String path, byte[] body, String contentType) throws ClientException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/v1/plugin" + path))
                .timeout(options.timeout)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            // No Expect: 100-continue: Java 17's client hangs when the answer to it is not 100 (JDK-8286171).
            request.method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                    .header("Content-Type", contentType);
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpConnectTimeoutException e) {
            throw new ClientException("could not reach " + base + ": the connection timed out");
        } catch (HttpTimeoutException e) {
            throw new ClientException(base + " did not answer within " + options.timeout.toSeconds() + " s (--timeout)");
        } catch (ConnectException e) {
            throw new ClientException("could not reach " + base + ": " + (e.getMessage() == null
                    ? "connection refused" : e.getMessage()));
        } catch (IOException e) {
            throw new ClientException("the request to " + base + " failed: " + Reasons.of(e) + (body != null && body.length > 1 << 20
                    ? " (the server may have closed the connection because the upload of " + body.length
                            + " bytes is over its max_upload)" : ""));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException("interrupted");
        }
        String text = new String(response.body(), StandardCharsets.UTF_8);
        JsonNode json = null;
        try {
            json = text.isBlank() ? null : JSON.readTree(text);
        } catch (IOException e) {
            // not JSON: a proxy's page, or not our server; shown as text
        }
        return new Answer(response.statusCode(), json, text);
    }

    /** Prints the answer (as JSON with --json) and returns the exit code. */
    int print(Answer answer, PrintWriter out, PrintWriter err) {
        if (options.json && answer.body() != null) {
            try {
                out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(answer.body()));
            } catch (IOException e) {
                out.println(answer.text());
            }
            out.flush();
            return PluginOutput.exitCode(answer.status());
        }
        if (answer.body() == null || !answer.body().isObject()) {
            String text = answer.text().strip();
            err.println("error (HTTP " + answer.status() + "): the server's answer is not JSON"
                    + (text.isEmpty() ? "" : ": " + (text.length() > 300 ? text.substring(0, 300) + "..." : text)));
            err.flush();
            return answer.status() >= 200 && answer.status() < 300 ? ExitCodes.CANNOT_RUN
                    : PluginOutput.exitCode(answer.status());
        }
        PushAnswer typed;
        try {
            typed = PushAnswer.read(answer.body());
        } catch (IOException e) {
            err.println("error (HTTP " + answer.status() + "): the server's answer does not fit the push API: "
                    + e.getMessage());
            err.flush();
            return ExitCodes.CANNOT_RUN;
        }
        return PluginOutput.print(answer.status(), typed, out, err);
    }

    /** Runs {@code request} and prints its answer; bad arguments and network trouble exit 2. */
    static int run(Options options, PrintWriter out, PrintWriter err, Request request) {
        try {
            PluginClient client = new PluginClient(options);
            return client.print(request.send(client), out, err);
        } catch (ClientException e) {
            err.println("xtp-sim plugin: " + e.getMessage());
            err.flush();
            return ExitCodes.CANNOT_RUN;
        }
    }

    /** One request of a subcommand. */
    interface Request {
        Answer send(PluginClient client) throws ClientException;
    }
}
