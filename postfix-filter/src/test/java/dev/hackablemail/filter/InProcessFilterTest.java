package dev.hackablemail.filter;

import dev.hackablemail.store.FolderStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the tests that run the filter in process start from: a folder store, a recording
 * sendmail and the filter settings naming them (and a log file), in a temporary folder.
 */
abstract class InProcessFilterTest {

    static final String ALICE = "alice@example.org";
    static final String BOB = "bob@example.com";

    @TempDir
    Path tmp;
    RecordingSendmail sendmail;
    FolderStore store;
    Map<String, Object> settings = new HashMap<>();

    @BeforeEach
    void createStoreAndSendmail() throws IOException {
        sendmail = new RecordingSendmail(tmp.resolve("sendmail"));
        store = new FolderStore(tmp.resolve("store"));
        Files.createDirectories(store.root());
        settings.put("store", store.root().toString());
        settings.put("sendmail", sendmail.command());
        settings.put("log", tmp.resolve("filter.log").toString());
    }
}
