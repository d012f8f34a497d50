package dev.hackablemail.schema;

import dev.hackablemail.schema.xtp.Schema;
import dev.hackablemail.schema.xtp.SchemaParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A real-world schema for this module's tests: {@code on-email.yaml}, read from the file
 * next to this module's pom (the module's tests run there). The schema module knows
 * nothing about mail; the file is only a rich example of an extension point.
 */
public final class SampleSchemas {

    /** The file, relative to the module folder the tests run in. */
    public static final Path ON_EMAIL_FILE = Path.of("on-email.yaml");

    private SampleSchemas() {}

    public static Schema onEmail() {
        try {
            return SchemaParser.read(ON_EMAIL_FILE).orThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
