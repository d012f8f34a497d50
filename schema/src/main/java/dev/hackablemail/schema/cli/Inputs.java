package dev.hackablemail.schema.cli;

import dev.hackablemail.schema.xtp.SchemaParser;
import dev.hackablemail.schema.xtp.SchemaResult;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the commands' input files, turning each failure into one clear sentence. */
final class Inputs {

    private Inputs() {}

    /** Reads and validates a schema; messages name the file as the user wrote it. */
    static SchemaResult schema(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new IOException("cannot read " + file + ": not UTF-8 text, so not a YAML schema", e);
        } catch (IOException e) {
            throw new IOException(describe(e, file), e);
        }
        return SchemaParser.parse(text, file.toString());
    }

    static byte[] bytes(Path file) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IOException(describe(e, file), e);
        }
    }

    private static String describe(IOException e, Path file) {
        if (e instanceof NoSuchFileException) {
            return "cannot read " + file + ": no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "cannot read " + file + ": permission denied";
        }
        if (Files.isDirectory(file)) {
            return "cannot read " + file + ": it is a directory";
        }
        return "cannot read " + file + ": " + e.getMessage();
    }

    static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
