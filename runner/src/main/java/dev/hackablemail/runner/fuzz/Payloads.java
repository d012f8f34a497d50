package dev.hackablemail.runner.fuzz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hackablemail.schema.xtp.ContentType;
import dev.hackablemail.schema.xtp.Parameter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Turns a generated value into the bytes that cross the host boundary, by the parameter's
 * content type: JSON as JSON (UTF-8, control characters escaped), text as its UTF-8 bytes,
 * binary (always a buffer) as the bytes its base64 string stands for.
 */
final class Payloads {

    static final ObjectMapper JSON = new ObjectMapper();

    private Payloads() {}

    static byte[] encode(Parameter parameter, JsonNode value) {
        if (parameter == null) {
            return new byte[0];
        }
        ContentType type = parameter.contentType() == null ? ContentType.JSON : parameter.contentType();
        switch (type) {
            case TEXT:
                return value.asText().getBytes(StandardCharsets.UTF_8);
            case BINARY:
                return Base64.getDecoder().decode(value.asText()); // the schema makes it a buffer
            default:
                try {
                    return JSON.writeValueAsBytes(value);
                } catch (JsonProcessingException e) {
                    throw new UncheckedIOException(e);
                }
        }
    }

    /** Bytes as readable text for messages: UTF-8, cut at {@code max} characters. */
    static String preview(byte[] bytes, int max) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        return text.length() <= max ? text : text.substring(0, max) + "... (" + bytes.length + " bytes)";
    }
}
