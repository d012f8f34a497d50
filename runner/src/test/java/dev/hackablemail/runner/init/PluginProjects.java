package dev.hackablemail.runner.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.hackablemail.schema.xtp.Schema;
import dev.hackablemail.schema.xtp.SchemaParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Generates plugin projects into folders outside the repository and builds them as an author would. */
final class PluginProjects {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path ALL_CONSTRUCTS = Path.of("src/test/resources/dev/hackablemail/runner/init/all-constructs.yaml");

    private PluginProjects() {}

    static Schema schema(Path file) {
        try {
            return SchemaParser.read(file).orThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ProjectTemplate template(String id) {
        switch (id) {
            case "cpp": return new CppTemplate();
            case "assemblyscript": return new AssemblyScriptTemplate();
            default: throw new IllegalArgumentException(id);
        }
    }

    /** Skips the test (with the reason) when the template's toolchain is not installed. */
    static void assumeToolchain(String id) {
        if (id.equals("cpp")) {
            assumeTrue(onPath("clang++-19") && Files.exists(Path.of("/usr/include/nlohmann/json.hpp")),
                    "clang++-19 and nlohmann-json3-dev are not installed (.ci/install-plugin-toolchains.sh installs them)");
        } else {
            assumeTrue(onPath("npm"), "npm is not installed");
        }
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /** Writes every generated file under dir. */
    static void write(Path dir, List<GeneratedFile> files) throws IOException {
        for (GeneratedFile file : files) {
            Path path = dir.resolve(file.path());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.content(), StandardCharsets.UTF_8);
        }
    }

    /** Runs the project's own build script ([scripts] build of its xtp.toml); returns the module (bin). */
    static Path build(Path dir) throws IOException, InterruptedException {
        JsonNode toml = new TomlMapper().readTree(dir.resolve("xtp.toml").toFile());
        String script = toml.path("scripts").path("build").asText();
        Path log = Files.createTempFile("plugin-build", ".log");
        Process process = new ProcessBuilder("sh", "-c", script).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = process.waitFor(10, TimeUnit.MINUTES);
        String output = Files.readString(log);
        Files.delete(log);
        assertThat(done).as("build finished within 10 minutes").isTrue();
        assertThat(process.exitValue()).as("build of %s failed:%n%s", dir, output).isZero();
        // the C++ build links Debian's nlohmann headers in; unlinked here so that JUnit's
        // temporary folder cleanup does not warn about a link leaving it
        Files.deleteIfExists(dir.resolve("build/include/nlohmann"));
        Path module = dir.resolve(toml.path("bin").asText());
        assertThat(module).as("build output " + output).exists();
        return module;
    }
}
