package dev.hackablemail.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hackablemail.store.GuestStore.MailRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderMailLogTest {

    @TempDir
    Path dir;

    static MailRecord mail(int i) {
        return new MailRecord(Instant.parse("2026-12-01T00:00:00Z").plusSeconds(i), "s" + i + "@example.org",
                "subject " + "x".repeat(150) + " " + i, "0123456789ab", 0, "delivered", null, 700);
    }

    @Test
    void pastItsSizeTheLogRotatesAndReadsOnAcrossBothFiles() throws Exception {
        FolderMailLog log = new FolderMailLog(dir);
        int i = 0;
        while (!Files.exists(dir.resolve(FolderMailLog.OLDER))) {
            log.append(mail(i++));
        }
        int rotatedAt = i;
        for (int k = 0; k < 10; k++) {
            log.append(mail(i++));
        }
        assertThat(Files.size(dir.resolve(FolderMailLog.OLDER))).isGreaterThan(FolderMailLog.ROTATE_BYTES);
        List<MailRecord> page = log.newest(5, 10); // 5 in the new file, then 5 in the rotated one
        assertThat(page).extracting(MailRecord::sender).first().isEqualTo("s" + (i - 6) + "@example.org");
        assertThat(page).extracting(MailRecord::sender).last().isEqualTo("s" + (rotatedAt - 5) + "@example.org");
        assertThat(log.newest(0, 100_000)).hasSize(i);
    }

    @Test
    void aTornLastLineIsSkipped() throws Exception {
        FolderMailLog log = new FolderMailLog(dir);
        log.append(mail(1));
        Files.write(dir.resolve(FolderMailLog.FILE), "{\"time\":\"2026-".getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.APPEND);
        assertThat(log.newest(0, 10)).extracting(MailRecord::sender).containsExactly("s1@example.org");
        assertThat(new FolderMailLog(dir.resolve("nobody")).newest(0, 10)).isEmpty();
    }
}
