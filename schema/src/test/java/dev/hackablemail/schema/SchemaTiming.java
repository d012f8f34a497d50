package dev.hackablemail.schema;

import com.dylibso.chicory.wabt.Wat2Wasm;
import dev.hackablemail.schema.payload.Direction;
import dev.hackablemail.schema.payload.PayloadValidator;
import dev.hackablemail.schema.wasm.PluginChecker;
import dev.hackablemail.schema.xtp.Schema;
import dev.hackablemail.schema.xtp.SchemaParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * How long schema validation, a plugin check and a payload check take: the first call
 * (cold JVM), then the median and 90th percentile of warm calls. A measurement to rerun,
 * not a test: nothing here asserts a time.
 *
 * <pre>
 * cd /work/main &amp;&amp; mvn -q -B -pl schema test-compile exec:java \
 *     -Dexec.mainClass=dev.hackablemail.schema.SchemaTiming -Dexec.classpathScope=test
 * </pre>
 *
 * Optional arguments: the number of warm runs (default 2000) and a plugin file (default
 * example-plugin/dist/plugin.wasm if present, else a small WAT plugin).
 */
public final class SchemaTiming {

    private SchemaTiming() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        Path pluginFile = args.length > 1 ? Path.of(args[1]) : examplePlugin();
        String yaml = Files.readString(SampleSchemas.ON_EMAIL_FILE);
        byte[] plugin;
        String pluginName;
        if (Files.isRegularFile(pluginFile)) {
            plugin = Files.readAllBytes(pluginFile);
            pluginName = pluginFile.toString();
        } else {
            plugin = Wat2Wasm.parse("(module (import \"extism:host/user\" \"deliver\" (func (param i64) (result i64)))"
                    + " (func (export \"onEmail\") (result i32) i32.const 0))");
            pluginName = "a small WAT plugin";
        }
        Schema schema = SampleSchemas.onEmail();
        byte[] mail = ("{\"sender\": \"a@example.com\", \"receiver\": \"b@example.com\","
                + " \"headers\": {\"Subject\": \"simulation00\", \"From\": \"A <a@example.com>\"},"
                + " \"body\": \"What body?\"}").getBytes(StandardCharsets.UTF_8);

        System.out.printf("%d warm runs each, after as many warm-up runs; times in milliseconds%n", runs);
        time("schema validation (on-email.yaml)", runs,
                () -> SchemaParser.parse(yaml, "on-email.yaml").problems().size());
        time("plugin check (" + pluginName + ", " + plugin.length + " bytes)", runs,
                () -> PluginChecker.check(schema, plugin, "plugin.wasm").size());
        time("payload check (onEmail input)", runs,
                () -> PayloadValidator.validate(schema, "onEmail", Direction.INPUT, mail).size());
    }

    /** The example plugin, whether run from the repository's top or from the module. */
    private static Path examplePlugin() {
        Path fromTop = Path.of("example-plugin/dist/plugin.wasm");
        return Files.isRegularFile(fromTop) ? fromTop : Path.of("../example-plugin/dist/plugin.wasm");
    }

    private static void time(String what, int runs, Callable<Integer> task) throws Exception {
        long start = System.nanoTime();
        int problems = task.call();
        double cold = (System.nanoTime() - start) / 1e6;
        for (int i = 0; i < runs; i++) {
            task.call();
        }
        long[] nanos = new long[runs];
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            task.call();
            nanos[i] = System.nanoTime() - t;
        }
        Arrays.sort(nanos);
        System.out.printf("%-60s first %8.3f   median %7.3f   p90 %7.3f   (%d problems)%n",
                what, cold, nanos[runs / 2] / 1e6, nanos[runs * 9 / 10] / 1e6, problems);
    }
}
