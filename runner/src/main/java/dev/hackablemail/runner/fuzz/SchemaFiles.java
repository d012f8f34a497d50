package dev.hackablemail.runner.fuzz;

import dev.hackablemail.schema.xtp.InvalidSchemaException;
import dev.hackablemail.schema.xtp.Schema;
import dev.hackablemail.schema.xtp.SchemaParser;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the schema a fuzzing run is driven by. */
public final class SchemaFiles {

    private SchemaFiles() {}

    /**
     * A valid schema from {@code file}.
     *
     * @throws FuzzSetupException naming the file when it cannot be read or is not a valid schema
     */
    public static Schema load(Path file) {
        try {
            return SchemaParser.read(file).orThrow();
        } catch (NoSuchFileException e) {
            throw new FuzzSetupException(file + ": no such file (the schema)");
        } catch (CharacterCodingException e) {
            throw new FuzzSetupException(file + ": not UTF-8 text, so not a YAML schema");
        } catch (IOException e) {
            throw new FuzzSetupException(file + ": cannot be read as a schema: " + e.getMessage());
        } catch (InvalidSchemaException e) {
            throw new FuzzSetupException(file + ": not a valid schema: " + e.getMessage());
        }
    }
}
