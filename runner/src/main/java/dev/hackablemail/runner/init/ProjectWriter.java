package dev.hackablemail.runner.init;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a generated project into a folder. Existing files are never overwritten unless
 * asked: {@link Mode#FORCE} overwrites every file, {@link Mode#REGENERATE} writes only the
 * {@link GeneratedFile#regenerated() regenerated} ones (the bindings) and leaves the
 * author's files alone.
 */
public final class ProjectWriter {

    /** What may be overwritten. */
    public enum Mode { NEW_FILES_ONLY, REGENERATE, FORCE }

    /** What was written, relative to the folder, and what was overwritten among them. */
    public record Written(List<String> files, List<String> overwritten) {}

    private ProjectWriter() {}

    /**
     * @throws InitException naming the files that exist (and writing nothing) in
     *     {@link Mode#NEW_FILES_ONLY}, or the file that cannot be written
     */
    public static Written write(Path folder, List<GeneratedFile> files, Mode mode) {
        List<GeneratedFile> chosen = new ArrayList<>();
        List<String> existing = new ArrayList<>();
        for (GeneratedFile file : files) {
            if (mode == Mode.REGENERATE && !file.regenerated()) {
                continue;
            }
            chosen.add(file);
            if (Files.exists(folder.resolve(file.path()))) {
                existing.add(file.path());
            }
        }
        if (mode == Mode.NEW_FILES_ONLY && !existing.isEmpty()) {
            throw new InitException(folder + " already has " + String.join(", ", existing)
                    + ": nothing was written. Choose another --path, --regenerate to write only the generated"
                    + " bindings again, or --force to overwrite every file");
        }
        List<String> written = new ArrayList<>();
        for (GeneratedFile file : chosen) {
            Path target = folder.resolve(file.path());
            try {
                Files.createDirectories(target.getParent());
                Files.writeString(target, file.content(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new InitException(target + ": cannot be written: " + describe(e));
            }
            written.add(file.path());
        }
        return new Written(written, existing);
    }

    /** Writes a downloaded file (replacing it), its folders included. */
    public static void writeBytes(Path target, byte[] bytes) {
        try {
            Files.createDirectories(target.getParent());
            Files.write(target, bytes);
        } catch (IOException e) {
            throw new InitException(target + ": cannot be written: " + describe(e));
        }
    }

    /** An I/O failure in words: no exception class names, and never an empty reason. */
    static String describe(IOException e) {
        if (e instanceof java.net.ConnectException) {
            return "connection refused (is the server running, and is that its port?)";
        }
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "no answer in time";
        }
        if (e instanceof java.net.UnknownHostException || e.getCause() instanceof java.net.UnknownHostException) {
            return "unknown host";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or folder: " + e.getMessage();
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        if (e.getMessage() != null && !e.getMessage().isBlank()) {
            return e.getMessage();
        }
        String what = e.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2");
        return what.isEmpty() ? "an I/O error" : what.toLowerCase() + " failed";
    }
}
