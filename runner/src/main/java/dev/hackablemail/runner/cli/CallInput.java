package dev.hackablemail.runner.cli;

import dev.hackablemail.runner.report.Reasons;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --input STRING | --input-file FILE}: what a timed or single plugin call is given (an exclusive group). */
final class CallInput {

    @Option(names = "--input", paramLabel = "STRING", description = "The input, as UTF-8 text.")
    String data;

    @Option(names = "--input-file", paramLabel = "FILE", description = "A file whose bytes are the input.")
    Path file;

    /** The bytes of {@code given}, or {@code otherwise} when neither option was given ({@code given} null). */
    static byte[] bytes(CallInput given, byte[] otherwise) throws IOException {
        if (given == null) {
            return otherwise;
        }
        if (given.data != null) {
            return given.data.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return Files.readAllBytes(given.file);
        } catch (NoSuchFileException e) {
            throw new IOException(given.file + ": no such file (--input-file)", e);
        } catch (IOException e) {
            String reason = Files.isDirectory(given.file) ? "a folder" : Reasons.of(e);
            throw new IOException(given.file + ": cannot be read (--input-file): " + reason, e);
        }
    }
}
