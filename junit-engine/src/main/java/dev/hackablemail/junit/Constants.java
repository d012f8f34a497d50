package dev.hackablemail.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * The engine's id and the configuration parameters it reads.
 *
 * <p>Configuration parameters come from wherever the JUnit Platform takes them: Surefire's
 * {@code <configurationParameters>}, {@code junit-platform.properties} on the test
 * classpath, a launcher request, or JVM system properties (so {@code -Dkey=value} on a forked
 * test JVM works too). A blank value counts as not set.
 *
 * <p>Limits given here are defaults for every simulation; the {@code limits} of a
 * {@code *.simulation.yaml} file override them for that file's simulation. Durations and
 * sizes are read as everywhere in this project (see {@code runner/config/Quantities}):
 * durations {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 7d}, ISO-8601
 * ({@code PT5S}) or a bare number of seconds; sizes {@code 65536} (bare: bytes),
 * {@code 512KiB}, {@code 64MiB} or {@code 1GiB} ({@code K}, {@code KB}, {@code KiB} all
 * count in powers of two).
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Constants {

    /** The engine's id, {@value}: the first segment of every unique id it makes. */
    public static final String ENGINE_ID = "xtp-simulation";

    /**
     * Wall time of one plugin call, {@value}: a call that takes longer fails as the assert
     * {@code call <function>}. Default {@code 5s}.
     */
    public static final String TIMEOUT_PROPERTY_NAME = "xtp.simulation.timeout";

    /**
     * Wall time of the test module's whole {@code test} run, {@value}: a run that takes
     * longer fails the simulation's container. Default {@code 5m}.
     */
    public static final String RUN_TIMEOUT_PROPERTY_NAME = "xtp.simulation.run-timeout";

    /**
     * The most linear memory a module may grow to, {@value}, at most 4 GiB (a size that is
     * not a multiple of 64 KiB is rounded up to whole pages). Default {@code 64MiB}.
     */
    public static final String MEMORY_PROPERTY_NAME = "xtp.simulation.memory";

    /**
     * The most bytes a guest may allocate through the Extism kernel in one call (input,
     * output and every block it asks for), {@value}. Default {@code 64MiB}.
     */
    public static final String KERNEL_MEMORY_PROPERTY_NAME = "xtp.simulation.kernel-memory";

    /** The largest output one plugin call may return, {@value}. Default {@code 16MiB}. */
    public static final String OUTPUT_PROPERTY_NAME = "xtp.simulation.output";

    /**
     * How Chicory runs the modules, {@value}: {@code compiler} (the default: Wasm compiled to
     * JVM bytecode once per module) or {@code interpreter} (no compile time, slower calls).
     */
    public static final String EXECUTION_PROPERTY_NAME = "xtp.simulation.execution";

    /**
     * A plugin that replaces the one every simulation names, {@value}: the way to run the
     * same simulations against another build of the plugin. A relative path is resolved
     * against {@link #PLUGIN_BASEDIR_PROPERTY_NAME}.
     */
    public static final String PLUGIN_PROPERTY_NAME = "xtp.simulation.plugin";

    /**
     * The folder a relative {@link #PLUGIN_PROPERTY_NAME} is resolved against, {@value}.
     * Default: the test JVM's working directory (under Maven, the module's folder). A build
     * that wants paths relative to the folder {@code mvn} was started in passes
     * {@code ${session.executionRootDirectory}} here.
     */
    public static final String PLUGIN_BASEDIR_PROPERTY_NAME = "xtp.simulation.plugin.basedir";

    /**
     * Whether the {@code build} command of an {@code xtp.toml} test runs (with {@code sh -c},
     * in the file's folder) before its simulation, {@value}: {@code true} or {@code false}.
     * Default {@code false}: the build tool is expected to have built the modules.
     */
    public static final String BUILD_PROPERTY_NAME = "xtp.simulation.build";

    /**
     * The least severe guest log line printed to standard error, {@value}: {@code off} (the
     * default), {@code error}, {@code warn}, {@code info}, {@code debug} or {@code trace}.
     */
    public static final String LOG_PROPERTY_NAME = "xtp.simulation.log";

    /**
     * A seed that makes every simulation repeatable, {@value}: WASI random bytes come from it
     * and WASI clocks start at 2000-01-01T00:00:00Z and move 1 ms at each reading (as
     * {@code xtp-sim test --seed}). A simulation file's {@code seed} overrides it. Default: none,
     * the real clock and random bytes.
     */
    public static final String SEED_PROPERTY_NAME = "xtp.simulation.seed";

    /**
     * How asserts are named, {@value}: {@code long} (the default) names each one by its group
     * and itself, {@code "Test without Subject header - onEmail returns 0"}, as Surefire's XML
     * report and flat test lists need (Surefire names a testcase by its display name, and
     * test modules repeat assert names from group to group); {@code short} by itself only,
     * {@code "onEmail returns 0"}, for trees that show the group anyway. As cucumber's
     * {@code cucumber.junit-platform.naming-strategy}.
     */
    public static final String NAMING_PROPERTY_NAME = "xtp.simulation.naming";

    private Constants() {}
}
