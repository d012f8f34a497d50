package dev.hackablemail.schema.xtp;

import java.util.Map;

/**
 * Checks that each input and output's contentType fits its type, following {@code $ref}s:
 * text is a string (or an enum), raw bytes are a buffer, and a buffer is never JSON.
 */
final class ContentTypeRules {

    private ContentTypeRules() {}

    static void check(Schema schema, NodeReader reader) {
        check(schema, schema.exports(), "exports", reader);
        check(schema, schema.imports(), "imports", reader);
    }

    private static void check(Schema schema, Map<String, FunctionDecl> functions, String path, NodeReader reader) {
        for (FunctionDecl f : functions.values()) {
            String at = YamlPaths.key(path, f.name());
            check(schema, f.input(), YamlPaths.key(at, "input"), reader);
            check(schema, f.output(), YamlPaths.key(at, "output"), reader);
        }
    }

    private static void check(Schema schema, Parameter p, String path, NodeReader reader) {
        if (p == null || p.contentType() == null || p.type() == null) {
            return;
        }
        XtpType type = schema.resolve(p.type()).map(TypeSchema::effectiveType).orElse(null);
        if (type == null) {
            return; // a dangling reference or a missing type: reported already
        }
        String message = null;
        if (p.contentType() == ContentType.BINARY && type != XtpType.BUFFER) {
            message = "contentType application/x-binary carries raw bytes: the type must be buffer, not " + type;
        } else if (p.contentType() == ContentType.TEXT && type != XtpType.STRING) {
            message = "contentType text/plain; charset=utf-8 carries text: the type must be string (or an enum), not " + type;
        } else if (p.contentType() == ContentType.JSON && type == XtpType.BUFFER) {
            message = "type buffer is raw bytes: use contentType application/x-binary";
        }
        if (message != null) {
            reader.report(p.type().location(), path, message);
        }
    }
}
