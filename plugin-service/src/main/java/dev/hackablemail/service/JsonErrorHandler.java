package dev.hackablemail.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hackablemail.runner.push.PushAnswer;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's own error answers (a request it refuses before any route runs: a NUL or another
 * ambiguous character in the path, a malformed request line, headers too large) as the
 * API's JSON {@code {"error": "...", "status": N}} instead of Jetty's HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {

    private static final ObjectMapper JSON = PushAnswer.JSON;

    static byte[] body(int status, String reason) {
        PushAnswer.ErrorAnswer node = new PushAnswer.ErrorAnswer(
                "the request was refused: " + (reason == null || reason.isBlank() ? "HTTP " + status : reason), status);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("a two-field JSON object always serializes", e);
        }
    }

    /** Errors found while parsing the request (before there is a request to answer). */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, "application/json"));
        return ByteBuffer.wrap(body(status, reason));
    }

    /** Errors of a parsed request that Jetty answers itself. */
    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request,
            HttpServletResponse response, int code, String message) throws IOException {
        byte[] bytes = body(code, message);
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
        baseRequest.setHandled(true);
    }
}
