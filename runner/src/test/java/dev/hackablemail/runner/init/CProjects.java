package dev.hackablemail.runner.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hackablemail.schema.xtp.Schema;
import dev.hackablemail.schema.xtp.SchemaParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** C plugin projects for tests: generated with {@link CTemplate}, built with the real toolchain. */
public final class CProjects {

    /** The repository's schema of the "on email" extension point (tests run in runner/). */
    public static final Path ON_EMAIL = Path.of("../schema/on-email.yaml");

    private CProjects() {}

    /** Skips the test, saying why, when clang 14 with wasi-libc is not installed. */
    public static void assumeToolchain() {
        boolean clang;
        try {
            Process p = new ProcessBuilder("clang-14", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            clang = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            clang = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            clang = false;
        }
        assumeTrue(clang && Files.isDirectory(Path.of("/usr/include/wasm32-wasi")),
                "clang-14 with wasi-libc is not installed (bash .ci/install-wasm-toolchain.sh installs it)");
    }

    public static Schema onEmail() {
        return load(ON_EMAIL);
    }

    /** all-constructs.yaml: every construct of XTP schema v1. */
    public static Schema allConstructs() {
        return parse(resource("all-constructs.yaml"), "all-constructs.yaml");
    }

    /** The pass-through implementation of all-constructs.yaml. */
    public static String passThrough() {
        return resource("all-constructs-passthrough.c");
    }

    public static Schema load(Path file) {
        try {
            return SchemaParser.read(file).orThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Schema parse(String yaml, String name) {
        try {
            return SchemaParser.parse(yaml, name).orThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String resource(String name) {
        try (InputStream in = CProjects.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Generates the C project into {@code folder} (new files only). */
    public static void generate(Path folder, InitRequest request) {
        ProjectWriter.write(folder, new CTemplate().generate(request), ProjectWriter.Mode.NEW_FILES_ONLY);
    }

    /**
     * Runs the project's Makefile with warnings as errors, and returns the module.
     * Fails the test with the compiler's output when the build fails.
     */
    public static Path build(Path folder, String name) {
        try {
            Process p = new ProcessBuilder("make", "CFLAGS_EXTRA=-Werror").directory(folder.toFile())
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("make in %s:%n%s", folder, output).isZero();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        Path module = folder.resolve("dist/" + name + ".wasm");
        assertThat(module).isRegularFile();
        return module;
    }

    /** A request without tests. */
    public static InitRequest request(String name, Schema schema, boolean samples) {
        return new InitRequest(name, schema, samples, List.of());
    }
}
