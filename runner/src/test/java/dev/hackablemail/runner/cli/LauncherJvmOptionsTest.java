package dev.hackablemail.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM options {@code bin/xtp-sim} starts the JVM with, seen by a stand-in {@code java}
 * that prints its arguments (the launcher is copied beside an empty jar, so nothing is built).
 */
class LauncherJvmOptionsTest {

    private static final Path LAUNCHER = Path.of("..", "bin", "xtp-sim");
    private static final String C1_ONLY = "-XX:TieredStopAtLevel=1";
    private static final String WASM_CODE_EARLY =
            "-XX:CompileCommand=CompileThresholdScaling,com.dylibso.chicory.$gen.*::*,0.1";

    @TempDir
    Path home;

    @Test
    void shortCommandsRunOnC1Only() throws Exception {
        assertThat(jvmOptions(Map.of(), "test", "--path", ".")).contains(C1_ONLY);
        assertThat(jvmOptions(Map.of(), "call", "plugin.wasm", "count_vowels")).contains(C1_ONLY);
        assertThat(jvmOptions(Map.of(), "--version")).contains(C1_ONLY);
    }

    @Test
    void onC1TheWasmPathCompilesEarlyAndQuietly() throws Exception {
        List<String> options = jvmOptions(Map.of(), "call", "plugin.wasm", "count_vowels");
        assertThat(options).contains(WASM_CODE_EARLY,
                "-XX:CompileCommand=CompileThresholdScaling,com.dylibso.chicory.runtime.*::*,0.1");
        assertThat(options.indexOf("-XX:CompileCommand=quiet")).isNotNegative().isLessThan(options.indexOf(WASM_CODE_EARLY));
        assertThat(jvmOptions(Map.of(), "fuzz", "plugin.wasm")).doesNotContain(WASM_CODE_EARLY);
    }

    @Test
    void fuzzingKeepsTheTieredJit() throws Exception {
        assertThat(jvmOptions(Map.of(), "fuzz", "--schema", "fuzz.yaml", "plugin.wasm")).doesNotContain(C1_ONLY);
        assertThat(jvmOptions(Map.of(), "call", "fuzz", "count_vowels")).contains(C1_ONLY);
    }

    @Test
    void theUsersOptionsComeLastSoTheyWin() throws Exception {
        List<String> options = jvmOptions(Map.of("XTP_SIM_JAVA_OPTS", "-XX:TieredStopAtLevel=4"), "test");
        assertThat(options.lastIndexOf("-XX:TieredStopAtLevel=4")).isGreaterThan(options.indexOf(C1_ONLY));
    }

    @Test
    void hugePagesOnlyWhereTheKernelOffersThem() throws Exception {
        Path thp = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        boolean offered = Files.isReadable(thp)
                && Files.readString(thp).matches("(?s).*\\[(madvise|always)\\].*");
        List<String> options = jvmOptions(Map.of(), "test");
        assertThat(options.contains("-XX:+UseTransparentHugePages")).isEqualTo(offered);
    }

    /** The arguments the launcher gives java before {@code -jar}, for {@code args}. */
    private List<String> jvmOptions(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path bin = Files.createDirectories(home.resolve("bin"));
        Files.copy(LAUNCHER, bin.resolve("xtp-sim"), StandardCopyOption.REPLACE_EXISTING);
        Path jar = home.resolve("runner/target/xtp-sim.jar");
        Files.createDirectories(jar.getParent());
        Files.write(jar, new byte[0]);
        Path java = Files.createDirectories(home.resolve("jdk/bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
        java.toFile().setExecutable(true);

        List<String> command = new ArrayList<>(List.of("bash", bin.resolve("xtp-sim").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("JAVA", java.toString());
        builder.environment().put("XTP_SIM_NO_ARCHIVE", "1");
        builder.environment().remove("XTP_SIM_JAVA_OPTS");
        builder.environment().putAll(env);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(out).isZero();
        List<String> printed = out.lines().toList();
        return printed.subList(0, printed.indexOf("-jar"));
    }
}
