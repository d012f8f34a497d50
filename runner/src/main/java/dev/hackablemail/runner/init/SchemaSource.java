package dev.hackablemail.runner.init;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hackablemail.schema.xtp.Problem;
import dev.hackablemail.schema.xtp.Schema;
import dev.hackablemail.schema.xtp.SchemaParser;
import dev.hackablemail.schema.xtp.SchemaResult;
import dev.hackablemail.schema.xtp.SchemaSyntaxException;
import dev.hackablemail.schema.xtp.XtpVersion;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;

/** Where plugin init gets its schema: a file, an http(s) URL, or a push server. */
public final class SchemaSource {

    /**
     * The push server's route listing its checks, under its base URL: a JSON manifest whose
     * {@code schema} names the extension point's schema, served at {@code CHECKS_ROUTE/NAME}
     * (the files {@code xtp-sim plugin checks --server URL} downloads; see docs/writing-plugins.md).
     */
    public static final String CHECKS_ROUTE = "/api/v1/checks";
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    private SchemaSource() {}

    /**
     * A schema and its text, named as the project's copy of it is ({@link #fileName}): the
     * generated files and the project's README name that copy, so that {@code xtp-sim check}
     * and {@code fuzz} run in the project folder as written.
     */
    public record Loaded(Schema schema, String text) {

        /** The copy's file name in the project: the schema's {@link Schema#source()}. */
        public String fileName() {
            return schema.source();
        }
    }

    /** A file path, or an http(s) URL. */
    public static Schema load(String location) {
        return read(location).schema();
    }

    /** A file path, or an http(s) URL, with the schema's text. */
    public static Loaded read(String location) {
        if (location.startsWith("http://") || location.startsWith("https://")) {
            return fetch(location);
        }
        Path file = Path.of(location);
        if (Files.isDirectory(file)) {
            throw new InitException(location + ": a folder, not a schema file");
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return valid(SchemaParser.parse(text, fileName(file.getFileName() == null ? "" : file.getFileName().toString())),
                    text, location);
        } catch (NoSuchFileException e) {
            throw new InitException(location + ": no such file (the schema)");
        } catch (SchemaSyntaxException e) {
            throw new InitException(location + ": not a YAML schema: " + e.getMessage());
        } catch (CharacterCodingException e) {
            throw new InitException(location + ": not UTF-8 text, so not a YAML schema");
        } catch (IOException e) {
            throw new InitException(location + ": cannot be read: " + ProjectWriter.describe(e));
        }
    }

    /**
     * The schema the push server at {@code base} (e.g. http://push.example.com:8025) checks
     * plugins against: its checks' manifest names the file, which is then fetched.
     */
    public static Loaded fromServer(String base) {
        return fetch(checksUrl(base) + "/" + plain(serverChecks(base).path("schema").asText(""), base));
    }

    /**
     * The push server's checks manifest ({@code schema}, {@code simulations} with their
     * {@code with} and {@code mock_host} files, {@code files}, limits).
     */
    public static JsonNode serverChecks(String base) {
        String url = checksUrl(base);
        String body = new String(get(url, "the server's checks (is it a push server?)"), StandardCharsets.UTF_8);
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new InitException(url + ": not the JSON list of the server's checks");
        }
    }

    /** One file the server's checks manifest names, as the server serves it. */
    public static byte[] serverCheckFile(String base, String name) {
        return get(checksUrl(base) + "/" + plain(name, base), "a file of the server's checks");
    }

    private static String checksUrl(String base) {
        String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        if (!b.startsWith("http://") && !b.startsWith("https://")) {
            throw new InitException("--server " + base + ": not an http:// or https:// URL");
        }
        return b + CHECKS_ROUTE;
    }

    /** A file name from the server, checked to be a plain one before it goes into a URL or a path. */
    private static String plain(String name, String base) {
        if (!name.matches("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}")) {
            throw new InitException(checksUrl(base) + ": names a check file '" + name + "', not a plain file name");
        }
        return name;
    }

    private static Loaded fetch(String url) {
        String body = new String(get(url, "the schema"), StandardCharsets.UTF_8);
        URI uri = URI.create(url); // get() checked it
        String name = uri.getPath() == null || uri.getPath().isEmpty() ? url
                : uri.getPath().substring(uri.getPath().lastIndexOf('/') + 1);
        try {
            return valid(SchemaParser.parse(body, fileName(name)), body, url);
        } catch (SchemaSyntaxException e) {
            throw new InitException(url + ": not a YAML schema: " + e.getMessage());
        }
    }

    /** The body of a 200 answer to GET {@code url}; {@code what} names what was asked for in errors. */
    private static byte[] get(String url, String what) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new InitException(url + ": not a valid URL");
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<byte[]> response;
        try {
            response = client.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new InitException(url + ": cannot be fetched: " + ProjectWriter.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InitException(url + ": interrupted");
        }
        if (response.statusCode() != 200) {
            throw new InitException(url + ": the server answered HTTP " + response.statusCode() + ", not " + what);
        }
        return response.body();
    }

    /** The name of the project's copy: the schema's own file name when it is a plain *.yaml one, else schema.yaml. */
    static String fileName(String name) {
        return name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*\\.(yaml|yml)") ? name : "schema.yaml";
    }

    private static Loaded valid(SchemaResult result, String text, String location) {
        if (!result.isValid()) {
            throw new InitException(location + ": not a valid XTP schema (check it with xtp-sim schema validate): "
                    + result.problems().stream().map(Problem::toString).collect(Collectors.joining("; ")));
        }
        if (result.schema().version() == XtpVersion.V0) {
            throw new InitException(location + ": a v0 schema names its exports only; bindings need their types:"
                    + " write it as version: v1-draft");
        }
        return new Loaded(result.schema(), text);
    }
}
