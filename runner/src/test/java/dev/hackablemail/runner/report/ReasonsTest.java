package dev.hackablemail.runner.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ReasonsTest {

    @Test
    void aReasonIsTheMessageInOneLineNeverTheClassName() {
        assertThat(Reasons.of(new NoSuchFileException("/x/y.wasm"))).isEqualTo("/x/y.wasm: no such file");
        assertThat(Reasons.of(new AccessDeniedException("/x"))).isEqualTo("/x: permission denied");
        assertThat(Reasons.of(new IOException("Connection reset\nby peer"))).isEqualTo("Connection reset by peer");
        assertThat(Reasons.of(new UncheckedIOException(new NoSuchFileException("/z")))).isEqualTo("/z: no such file");
        assertThat(Reasons.of(new RuntimeException(new IOException("disk full")))).isEqualTo("disk full");
        assertThat(Reasons.of(new IllegalStateException())).isEqualTo("an error with no details");
        assertThat(Reasons.of(new RuntimeException(new IOException()))).isEqualTo("an input/output error with no details");
        assertThat(Reasons.of(new StackOverflowError())).doesNotContain("Error");
    }

    @Test
    void aWriteErrorNamesTheFileAndSaysWhy() {
        Path file = Path.of("/nonexistent/dir/r.json");
        assertThat(Reasons.writing(file, new NoSuchFileException("/nonexistent/dir")))
                .isEqualTo("/nonexistent/dir/r.json: cannot be written: no such folder");
        assertThat(Reasons.writing(Path.of("/tmp"), new FileSystemException("/tmp", null, "Is a directory")))
                .isEqualTo("/tmp: cannot be written: is a folder");
        assertThat(Reasons.writing(Path.of("/tmp"), new java.io.FileNotFoundException("/tmp (Is a directory)")))
                .isEqualTo("/tmp: cannot be written: is a folder");
        assertThat(Reasons.writing(file, new IOException("disk full"))).isEqualTo(file + ": cannot be written: disk full");
    }
}
