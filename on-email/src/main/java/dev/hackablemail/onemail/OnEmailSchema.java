package dev.hackablemail.onemail;

import dev.hackablemail.schema.xtp.Schema;
import dev.hackablemail.schema.xtp.SchemaParser;
import dev.hackablemail.schema.xtp.SchemaSyntaxException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The schema of the "on email" extension point, {@code schema/on-email.yaml}, as shipped
 * on this module's classpath, and the names it declares.
 */
public final class OnEmailSchema {

    /** Where the YAML sits on the classpath. */
    public static final String RESOURCE = "/dev/hackablemail/onemail/on-email.yaml";
    /** The name used in messages about it. */
    public static final String SOURCE = "on-email.yaml";

    /** The export the host calls for each mail. */
    public static final String ON_EMAIL = "onEmail";
    /** The host function that puts the mail in the recipient's mailbox. */
    public static final String DELIVER = "deliver";
    /** The host function that answers the sender. */
    public static final String REPLY = "reply";
    /** The schema names of the JSON types. */
    public static final String INCOMING_EMAIL = "IncomingEmail";
    public static final String REPLY_EMAIL = "ReplyEmail";

    private OnEmailSchema() {}

    /** The parsed schema (parsed once, then shared: it is immutable). */
    public static Schema load() {
        return Holder.SCHEMA;
    }

    /** The YAML text, e.g. to write it out for plugin authors. */
    public static String yaml() {
        try (InputStream in = OnEmailSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class Holder {
        static final Schema SCHEMA = parse();

        private static Schema parse() {
            try {
                return SchemaParser.parse(yaml(), SOURCE).orThrow();
            } catch (SchemaSyntaxException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
    }
}
