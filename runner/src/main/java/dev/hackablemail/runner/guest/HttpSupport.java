package dev.hackablemail.runner.guest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.extism.sdk.chicory.http.ExtismHttpException;
import org.extism.sdk.chicory.http.HttpClientAdapter;
import org.extism.sdk.chicory.http.HttpConfig;
import org.extism.sdk.chicory.http.HttpJsonCodec;

/**
 * What the SDK's {@code http_request} needs: a JSON codec for Extism's request metadata
 * and a client. Which hosts a guest may reach is checked by the SDK against the allowed
 * hosts of the {@link PluginTemplate} (none by default) before this client is used.
 */
final class HttpSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Built on first use: most guests never make a request, and a client costs a cold start ~0.2 s. */
    private static final class Lazy {
        static final HttpClient CLIENT = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    private HttpSupport() {}

    static HttpConfig config() {
        return HttpConfig.builder().withJsonCodec(Codec::new).withClientAdapter(Client::new).build();
    }

    private record Metadata(String method, URI uri, Map<String, String> headers)
            implements HttpJsonCodec.RequestMetadata {}

    private static final class Codec implements HttpJsonCodec {
        @Override
        public RequestMetadata decodeMetadata(byte[] json) {
            try {
                JsonNode node = JSON.readTree(json);
                Map<String, String> headers = new LinkedHashMap<>();
                node.path("headers").properties().forEach(e -> headers.put(e.getKey(), e.getValue().asText()));
                String method = node.path("method").asText("GET");
                return new Metadata(method.isEmpty() ? "GET" : method, URI.create(node.path("url").asText()), headers);
            } catch (IOException | IllegalArgumentException e) {
                throw new ExtismHttpException("malformed http_request metadata: " + e.getMessage());
            }
        }

        @Override
        public byte[] encodeHeaders(Map<String, List<String>> headers) {
            Map<String, String> flat = new LinkedHashMap<>();
            headers.forEach((k, v) -> flat.put(k, String.join(", ", v)));
            try {
                return JSON.writeValueAsBytes(flat);
            } catch (IOException e) {
                throw new ExtismHttpException(e);
            }
        }
    }

    private static final class Client implements HttpClientAdapter {
        private int status;
        private Map<String, List<String>> headers = Map.of();

        @Override
        public byte[] request(String method, URI uri, Map<String, String> requestHeaders, byte[] body) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            requestHeaders.forEach(request::header);
            try {
                HttpResponse<byte[]> response = Lazy.CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                status = response.statusCode();
                headers = response.headers().map();
                return response.body();
            } catch (IOException e) {
                throw new ExtismHttpException("HTTP request to " + uri + " failed: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ExtismHttpException("HTTP request to " + uri + " was interrupted");
            }
        }

        @Override
        public int statusCode() {
            return status;
        }

        @Override
        public Map<String, List<String>> headers() {
            return headers;
        }
    }
}
