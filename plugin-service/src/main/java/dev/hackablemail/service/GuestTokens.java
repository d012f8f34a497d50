package dev.hackablemail.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hackablemail.filter.GuestStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Finds a guest by the token of their signup invitation. The store keeps only each token's
 * SHA-256 ({@code STORE/<guest key>/token.sha256}, written by the filter's signup); the
 * client sends the token alone, so the guest is found by scanning the guest folders for
 * that hash (a few thousand small files at company scale, read in milliseconds).
 * Revoking deletes the hash: the token stops working at once; a new signup mail issues a
 * new one.
 */
final class GuestTokens {

    /** Tokens are 32 URL-safe characters; anything far longer is not one. */
    static final int MAX_TOKEN_LENGTH = 512;

    private final GuestStore store;

    GuestTokens(GuestStore store) {
        this.store = store;
    }

    /** The address whose current token this is; empty for an unknown, revoked or malformed token. */
    Optional<String> addressOf(String token) throws IOException {
        if (token == null || token.isBlank() || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        byte[] wanted = sha256Hex(token.strip().getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII);
        Path root = store.root();
        if (!Files.isDirectory(root)) {
            throw new NoSuchFileException(root.toString(), null, "the plugin store folder is missing");
        }
        try (DirectoryStream<Path> guests = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path dir : guests) {
                byte[] stored;
                try {
                    stored = Files.readString(dir.resolve(GuestStore.TOKEN_FILE), StandardCharsets.US_ASCII).trim()
                            .getBytes(StandardCharsets.US_ASCII);
                } catch (NoSuchFileException e) {
                    continue;
                }
                if (MessageDigest.isEqual(stored, wanted)) {
                    return address(dir);
                }
            }
        }
        return Optional.empty();
    }

    /** The address of a guest folder, from guest.json, if it names this very folder. */
    private static Optional<String> address(Path dir) throws IOException {
        JsonNode guest;
        try {
            guest = PluginVersions.JSON.readTree(Files.readAllBytes(dir.resolve(GuestStore.GUEST_FILE)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        String address = guest == null ? null : guest.path("address").asText(null);
        if (address == null || !GuestStore.guestKey(address).equals(dir.getFileName().toString())) {
            return Optional.empty();
        }
        return Optional.of(address);
    }

    /** Deletes the guest's token hash; true when there was one. */
    boolean revoke(String address) throws IOException {
        return AtomicFiles.delete(store.guestDir(address).resolve(GuestStore.TOKEN_FILE));
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
