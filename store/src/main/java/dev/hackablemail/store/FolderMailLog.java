package dev.hackablemail.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hackablemail.store.GuestStore.MailRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A guest's recent mail in a folder store: {@code recent-mail.jsonl} in the guest's folder,
 * one JSON line per mail, each appended with one write (lines of concurrent filter
 * processes do not mix). Past {@link #ROTATE_BYTES} the file is renamed to
 * {@code recent-mail.1.jsonl} (replacing the one before), so the log stays between one and
 * two files' worth; a write racing with the rename lands in the renamed file and is still
 * read.
 */
final class FolderMailLog {

    static final String FILE = "recent-mail.jsonl";
    static final String OLDER = "recent-mail.1.jsonl";
    /** About 4,000 mails a file. */
    static final long ROTATE_BYTES = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;

    FolderMailLog(Path guestDir) {
        this.dir = guestDir;
    }

    void append(MailRecord mail) throws IOException {
        ObjectNode line = JSON.createObjectNode();
        line.put("time", mail.time().toString());
        line.put("sender", mail.sender());
        line.put("subject", mail.subject());
        line.put("plugin", mail.plugin());
        line.put("code", mail.code());
        line.put("outcome", mail.outcome());
        line.put("detail", mail.detail());
        line.put("micros", mail.pluginMicros());
        byte[] bytes = (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve(FILE);
        long size;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(bytes));
            size = ch.size();
        }
        if (size > ROTATE_BYTES) {
            try {
                Files.move(file, dir.resolve(OLDER), StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException e) {
                // another process rotated it first
            }
        }
    }

    List<MailRecord> newest(int skip, int limit) throws IOException {
        List<MailRecord> page = new ArrayList<>();
        int[] toSkip = {skip};
        for (String name : List.of(FILE, OLDER)) {
            if (page.size() >= limit) {
                break;
            }
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(dir.resolve(name));
            } catch (NoSuchFileException e) {
                continue;
            }
            readBackwards(bytes, toSkip, limit, page);
        }
        return page;
    }

    /** Walks the lines from the last; parses only those on the page. */
    private static void readBackwards(byte[] bytes, int[] toSkip, int limit, List<MailRecord> page)
            throws IOException {
        int end = bytes.length;
        while (end > 0 && page.size() < limit) {
            int start = end - 1;
            while (start > 0 && bytes[start - 1] != '\n') {
                start--;
            }
            int length = end - start;
            if (length > 1) { // not an empty line
                if (toSkip[0] > 0) {
                    toSkip[0]--;
                } else {
                    parse(bytes, start, length).ifPresent(page::add);
                }
            }
            end = start;
        }
    }

    private static java.util.Optional<MailRecord> parse(byte[] bytes, int start, int length) {
        try {
            JsonNode n = JSON.readTree(bytes, start, length);
            return java.util.Optional.of(new MailRecord(Instant.parse(n.path("time").asText()),
                    n.path("sender").asText(""), text(n, "subject"), text(n, "plugin"),
                    n.path("code").isInt() ? n.path("code").intValue() : null, n.path("outcome").asText(""),
                    text(n, "detail"), n.path("micros").asLong()));
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty(); // a torn last line (the disk filled up): skipped
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isTextual() ? v.asText() : null;
    }
}
