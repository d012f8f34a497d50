package dev.hackablemail.runner.guest;

import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Damaged copies of the example plugin, the same on every run (a fixed seed): each has four
 * bytes after the Wasm header replaced by random ones. With {@link #SEED} and
 * {@link #COUNT}, a few of them make Chicory's parser throw NullPointerException or
 * ArrayIndexOutOfBoundsException rather than a ChicoryException, which is what the tests
 * of every program that loads plugins need to see handled. Other modules' tests use it
 * through the runner's test jar.
 */
public final class WasmMutants {

    public static final long SEED = 1;
    public static final int COUNT = 200;
    private static final int BYTES_CHANGED = 4;
    private static final int HEADER = 8;

    private WasmMutants() {}

    /** {@link #COUNT} mutants of the example plugin, from {@link #SEED}. */
    public static List<byte[]> ofExamplePlugin(Path repositoryRoot) {
        try {
            return of(Files.readAllBytes(repositoryRoot.resolve("example-plugin/dist/plugin.wasm")), COUNT, SEED);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<byte[]> of(byte[] module, int count, long seed) {
        Random random = new Random(seed);
        List<byte[]> mutants = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] mutant = module.clone();
            for (int k = 0; k < BYTES_CHANGED; k++) {
                mutant[HEADER + random.nextInt(mutant.length - HEADER)] = (byte) random.nextInt(256);
            }
            mutants.add(mutant);
        }
        return mutants;
    }

    /**
     * Whether Chicory's parser fails on these bytes with something else than its own
     * exceptions: NullPointerException, ArrayIndexOutOfBoundsException, or, with assertions
     * enabled (as under Surefire), AssertionError.
     */
    public static boolean crashesChicorysParser(byte[] bytes) {
        try {
            Parser.parse(bytes);
            return false;
        } catch (ChicoryException e) {
            return false;
        } catch (RuntimeException | AssertionError e) { // AssertionError where the JVM runs with -ea
            return true;
        }
    }

    /** The mutants that crash Chicory's parser. */
    public static List<byte[]> crashing(List<byte[]> mutants) {
        return mutants.stream().filter(WasmMutants::crashesChicorysParser).toList();
    }
}
