package dev.hackablemail.runner.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleFilesTest {

    @TempDir
    Path dir;

    @Test
    void aFileIsReadOnceAndNamedAsGiven() throws Exception {
        Path file = dir.resolve("echo.wasm");
        Files.write(file, Wat.bytes("limits.wat"));
        ModuleFiles modules = new ModuleFiles();

        GuestModule first = modules.load(file);

        assertThat(modules.load(file)).isSameAs(first);
        assertThat(modules.reads()).isEqualTo(1);
        assertThat(first.name()).isEqualTo(file.toString());
        assertThat(GuestModule.load(file)).isNotSameAs(first); // what each use paid before
    }

    @Test
    void aRebuiltFileIsReadAgain() throws Exception {
        Path file = dir.resolve("plugin.wasm");
        Files.write(file, Wat.bytes("limits.wat"));
        ModuleFiles modules = new ModuleFiles();
        GuestModule before = modules.load(file);

        Files.write(file, Wat.bytes("http.wat"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));

        GuestModule after = modules.load(file);
        assertThat(after.digest()).isNotEqualTo(before.digest());
        assertThat(modules.load(file)).isSameAs(after);
    }

    @Test
    void aFileRewrittenWithTheSameSizeAndModificationTimeIsReadAgain() throws Exception {
        Path file = dir.resolve("plugin.wasm");
        Files.write(file, returning(1));
        FileTime built = Files.getLastModifiedTime(file);
        ModuleFiles modules = new ModuleFiles();
        GuestModule before = modules.load(file);

        Files.write(file, returning(2)); // same size; the time put back as a copy keeping times would
        Files.setLastModifiedTime(file, built);

        assertThat(modules.load(file).digest()).isEqualTo(GuestModule.of("2", returning(2)).digest())
                .isNotEqualTo(before.digest());
    }

    @Test
    void aSymlinkPointedAtAnotherFileOfTheSameSizeAndTimeIsFollowed() throws Exception {
        Path one = Files.write(dir.resolve("one.wasm"), returning(1));
        Path two = Files.write(dir.resolve("two.wasm"), returning(2));
        Files.setLastModifiedTime(two, Files.getLastModifiedTime(one));
        Path link = Files.createSymbolicLink(dir.resolve("plugin.wasm"), one);
        ModuleFiles modules = new ModuleFiles();
        GuestModule before = modules.load(link);

        Files.delete(link);
        Files.createSymbolicLink(link, two);

        assertThat(modules.load(link).digest()).isEqualTo(GuestModule.of("2", returning(2)).digest())
                .isNotEqualTo(before.digest());
    }

    /** A module whose one export returns {@code value}: same size for every digit. */
    private static byte[] returning(int value) {
        return com.dylibso.chicory.wabt.Wat2Wasm.parse(
                "(module (func (export \"f\") (result i32) i32.const " + value + "))");
    }

    @Test
    void aFileThatFailsIsReportedEachTime() throws Exception {
        Path file = dir.resolve("missing.wasm");
        ModuleFiles modules = new ModuleFiles();

        assertThatThrownBy(() -> modules.load(file)).isInstanceOf(GuestLoadException.class)
                .hasMessage(file + ": no such file");
        Files.write(file, Wat.bytes("limits.wat"));
        assertThat(modules.load(file).name()).isEqualTo(file.toString());
    }
}
