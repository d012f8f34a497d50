package dev.hackablemail.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * The one-time sign-in codes of a folder store: {@code STORE/signin/<SHA-256 of the code>},
 * each holding {@code "<expiry epoch millis> <address>"}. Using a code deletes its file, and
 * a file can be deleted once: of two concurrent uses only the one whose delete succeeded
 * signs in. ("signin" is no guest key: those are hex or start with {@code h-}.)
 */
final class FolderSignInCodes {

    static final String FOLDER = "signin";
    /** Codes are 32 URL-safe characters; anything else is not one of ours. */
    private static final int MAX_CODE_LENGTH = 128;

    private final Path dir;

    FolderSignInCodes(Path root) {
        this.dir = root.resolve(FOLDER);
    }

    void save(String address, String code, Instant now, Instant expires) throws IOException {
        Files.createDirectories(dir);
        forgetExpired(now);
        AtomicFiles.write(dir.resolve(Digests.sha256Hex(code)),
                (expires.toEpochMilli() + " " + address + "\n").getBytes(StandardCharsets.UTF_8));
    }

    Optional<String> use(String code, Instant now) throws IOException {
        if (code == null || code.isEmpty() || code.length() > MAX_CODE_LENGTH) {
            return Optional.empty();
        }
        Path file = dir.resolve(Digests.sha256Hex(code));
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8).strip();
            Files.delete(file);
        } catch (NoSuchFileException e) {
            return Optional.empty(); // unknown, or used (by this or a concurrent request)
        }
        int space = content.indexOf(' ');
        if (space < 0) {
            return Optional.empty();
        }
        long expires = Long.parseLong(content.substring(0, space));
        return now.toEpochMilli() < expires ? Optional.of(content.substring(space + 1)) : Optional.empty();
    }

    /** Unused codes would pile up: every save deletes those past their expiry. */
    private void forgetExpired(Instant now) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                try {
                    String content = Files.readString(file, StandardCharsets.UTF_8).strip();
                    int space = content.indexOf(' ');
                    if (space < 0 || Long.parseLong(content.substring(0, space)) <= now.toEpochMilli()) {
                        Files.deleteIfExists(file);
                    }
                } catch (NoSuchFileException | NumberFormatException e) {
                    // used meanwhile, or not ours: left alone
                }
            }
        }
    }
}
