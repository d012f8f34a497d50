package dev.hackablemail.schema.payload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hackablemail.schema.xtp.ContentType;
import dev.hackablemail.schema.xtp.FunctionDecl;
import dev.hackablemail.schema.xtp.Parameter;
import dev.hackablemail.schema.xtp.Schema;
import dev.hackablemail.schema.xtp.TypeSchema;
import dev.hackablemail.schema.xtp.XtpVersion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Checks a payload that crosses the host boundary against the schema: the input or the
 * output of an export or an import.
 *
 * <pre>{@code
 * List<String> problems = PayloadValidator.validate(schema, "onEmail", Direction.INPUT, json);
 * // e.g. ["IncomingEmail: missing required field 'body'",
 * //       "IncomingEmail.headers.Subject: expected string, got number"]
 * }</pre>
 *
 * <p>Each message starts with the field's path: the schema name for a {@code $ref}
 * ({@code IncomingEmail.headers.Subject}), else the function and direction
 * ({@code onEmail output}). The rules:
 *
 * <ul>
 *   <li>{@code application/json}: valid JSON of the declared type; required fields present;
 *       {@code null} only where nullable; no fields beyond an object's properties (unless
 *       it has additionalProperties); integers integral and within int32/int64; enum values,
 *       {@code date-time} and base64 ({@code byte}, {@code buffer}) strings checked.</li>
 *   <li>{@code text/plain; charset=utf-8}: valid UTF-8 (and an enum's value, if the type is one).</li>
 *   <li>{@code application/x-binary}: anything.</li>
 *   <li>No input or output declared: the payload must be empty.</li>
 *   <li>{@code v0} schemas declare no types: nothing is checked.</li>
 * </ul>
 *
 * <p>At most 50 messages are returned (then "... and N more"). Thread-safe.
 */
public final class PayloadValidator {

    /**
     * Without Jackson's default cap of 20,000,000 characters per string: a payload is
     * already in memory, no string in it can be longer than the payload itself, and the
     * callers bound payload sizes (the filter's {@code max_message_size}, the kernel's
     * memory limit). A 30 MB string is a valid payload.
     */
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private PayloadValidator() {}

    /**
     * A payload checked against the schema: every problem found, and the JSON tree it was
     * read into (null unless the payload is declared JSON and parses), so that a host binds
     * the tree ({@code ObjectMapper.treeToValue}) instead of parsing the bytes again.
     */
    public record Checked(List<String> problems, JsonNode json) {
        public Checked {
            problems = List.copyOf(problems);
        }

        private static Checked of(List<String> problems) {
            return new Checked(problems, null);
        }
    }

    /**
     * Checks a payload of the export or import {@code name} (an export, when the schema
     * has both of that name).
     *
     * @return every problem found; empty when the payload fits
     * @throws IllegalArgumentException when the schema has no export or import {@code name}
     */
    public static List<String> validate(Schema schema, String name, Direction direction, byte[] payload) {
        return check(schema, name, direction, payload).problems();
    }

    /**
     * Checks a payload as {@link #validate(Schema, String, Direction, byte[])} does, and
     * hands back the JSON tree it read.
     *
     * @throws IllegalArgumentException when the schema has no export or import {@code name}
     */
    public static Checked check(Schema schema, String name, Direction direction, byte[] payload) {
        FunctionDecl function = schema.export(name).or(() -> schema.hostFunction(name))
                .orElseThrow(() -> new IllegalArgumentException(
                        "schema " + schema.source() + " declares no export or import named '" + name + "'"));
        return check(schema, function, direction, payload);
    }

    /** Checks a payload of the given export or import of {@code schema}. */
    public static List<String> validate(Schema schema, FunctionDecl function, Direction direction, byte[] payload) {
        return check(schema, function, direction, payload).problems();
    }

    private static Checked check(Schema schema, FunctionDecl function, Direction direction, byte[] payload) {
        String label = function.name() + " " + direction.word();
        if (schema.version() == XtpVersion.V0) {
            return Checked.of(List.of());
        }
        Parameter parameter = direction == Direction.INPUT ? function.input() : function.output();
        if (parameter == null) {
            return Checked.of(payload.length == 0 ? List.of()
                    : List.of(label + ": the schema declares none, got " + payload.length + " bytes"));
        }
        TypeSchema type = parameter.type();
        String root = type.isRef() ? type.ref() : label;
        ContentType contentType = parameter.contentType() == null ? ContentType.JSON : parameter.contentType();
        switch (contentType) {
            case BINARY:
                return Checked.of(List.of());
            case TEXT:
                return Checked.of(checkText(schema, type, root, payload));
            default:
                return checkJson(schema, type, root, payload);
        }
    }

    private static Checked checkJson(Schema schema, TypeSchema type, String root, byte[] payload) {
        if (payload.length == 0) {
            return Checked.of(List.of(root + ": expected JSON, got nothing"));
        }
        JsonNode value;
        try {
            value = JSON.readTree(payload);
        } catch (JsonProcessingException e) {
            return Checked.of(List.of(root + ": not valid JSON: " + e.getOriginalMessage()));
        } catch (IOException e) {
            return Checked.of(List.of(root + ": not readable as JSON: " + e.getMessage()));
        }
        Messages out = new Messages();
        new JsonChecker(schema, out).check(type, value, root);
        return new Checked(out.list(), value);
    }

    private static List<String> checkText(Schema schema, TypeSchema type, String root, byte[] payload) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload)).toString();
        } catch (CharacterCodingException e) {
            return List.of(root + ": expected UTF-8 text, got bytes that are not UTF-8");
        }
        List<String> allowed = schema.resolve(type).map(TypeSchema::enumValues).orElse(List.of());
        if (!allowed.isEmpty() && !allowed.contains(text)) {
            return List.of(root + ": expected one of " + String.join(", ", allowed) + ", got '" + text + "'");
        }
        return List.of();
    }
}
