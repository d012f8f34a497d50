package dev.hackablemail.runner.init;

import dev.hackablemail.runner.project.XtpToml;
import dev.hackablemail.schema.xtp.Schema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A rerunnable bench of plugin init: for each template and schema, the time to generate and
 * write a project once the JVM is warm (goal: under 1 s), and the time of the project's
 * build ({@code [scripts] build} of its xtp.toml, the module removed before each run).
 *
 * <pre>
 * java -cp runner/target/xtp-sim.jar dev.hackablemail.runner.init.InitBench [SCHEMA.yaml...]
 * </pre>
 */
public final class InitBench {

    private static final int WARM_UP = 30;
    private static final int RUNS = 200;
    private static final int BUILDS = 5;

    private InitBench() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        List<String> schemas = args.length == 0 ? List.of("schema/on-email.yaml") : Arrays.asList(args);
        System.out.println("plugin init bench (" + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + Runtime.version() + ")");
        for (String file : schemas) {
            Schema schema = SchemaSource.load(file);
            for (ProjectTemplate template : ProjectTemplates.all()) {
                bench(schema, template);
            }
        }
    }

    private static void bench(Schema schema, ProjectTemplate template) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("xtp-sim-init-bench");
        try {
            InitRequest request = new InitRequest("bench", schema, true, List.of());
            long[] nanos = new long[RUNS];
            for (int i = -WARM_UP; i < RUNS; i++) {
                long start = System.nanoTime();
                ProjectWriter.write(dir, template.generate(request), ProjectWriter.Mode.FORCE);
                if (i >= 0) {
                    nanos[i] = System.nanoTime() - start;
                }
            }
            Arrays.sort(nanos);
            System.out.printf("%-16s %-22s generate+write, warm (n=%d): min %.2f ms, median %.2f ms, max %.2f ms"
                    + "   (goal: < 1000 ms)%n", template.id(), schema.source(), RUNS, nanos[0] / 1e6,
                    nanos[RUNS / 2] / 1e6, nanos[RUNS - 1] / 1e6);
            XtpToml project = XtpToml.load(dir.resolve("xtp.toml"));
            String build = project.buildScript().orElseThrow();
            Path module = project.plugin().orElseThrow();
            long[] builds = new long[BUILDS];
            for (int i = 0; i < BUILDS; i++) {
                Files.deleteIfExists(module);
                long start = System.nanoTime();
                Process p = new ProcessBuilder("sh", "-c", build).directory(dir.toFile())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                int status = p.waitFor();
                builds[i] = System.nanoTime() - start;
                if (status != 0 || !Files.isRegularFile(module)) {
                    System.out.printf("%-16s %-22s build (%s) failed with status %d: see %s%n", template.id(),
                            schema.source(), build, status, dir);
                    return;
                }
            }
            long first = builds[0];
            long[] next = Arrays.copyOfRange(builds, 1, BUILDS);
            Arrays.sort(next);
            System.out.printf("%-16s %-22s build (%s): first %.2f s, then median %.2f s (n=%d); module %,d bytes%n",
                    template.id(), schema.source(), build, first / 1e9, next[next.length / 2] / 1e9, next.length,
                    Files.size(module));
        } finally {
            delete(dir);
        }
    }

    private static void delete(Path dir) throws IOException {
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(paths::add);
        }
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }
}
