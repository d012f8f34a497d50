package dev.hackablemail.runner.guest;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.types.FunctionType;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.extism.sdk.chicory.Kernel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Holds {@link KernelLoadStore} to the Extism kernel module's own functions, run by Chicory's interpreter. */
class KernelLoadStoreTest {

    /** The reference: calls go to the kernel module's exports. */
    private Instance kernel;
    /** Same bytes, accessed through {@link KernelLoadStore}. */
    private Instance direct;
    private long size;

    /** {@link KernelLoadStore}'s functions on {@link #direct}'s memory, made before any test grows it. */
    private final java.util.Map<String, HostFunction> shortcuts = new java.util.HashMap<>();

    @BeforeEach
    void twoKernelsWithTheSameBytes() throws IOException {
        twoKernels();
        fillBothMemories();
    }

    private void twoKernels() throws IOException {
        kernel = kernelInstance();
        direct = kernelInstance();
        for (String function : List.of("load_u8", "load_u64", "store_u8", "store_u64")) {
            shortcuts.put(function, KernelLoadStore.direct(new HostFunction("extism:host/env", function,
                    type(function), (instance, a) -> null), direct.memory()));
        }
    }

    /** The same pattern over the whole of both memories (the kernel's root included). */
    private void fillBothMemories() {
        size = (long) kernel.memory().pages() << 16;
        byte[] pattern = new byte[(int) size];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = (byte) (i * 31 + 7);
        }
        kernel.memory().write(0, pattern);
        direct.memory().write(0, pattern);
    }

    @Test
    void loadsReadWhatTheKernelReads() {
        assertLoadsAlike();
    }

    @Test
    void storesWriteWhatTheKernelWrites() {
        assertStoresAlike();
    }

    @Test
    void afterTheMemoryGrewTheNewEndAndThePageBoundariesBehaveAlike() throws IOException {
        twoKernels(); // fresh roots; the shortcuts are made before the memory grows
        long oneInstance = (long) direct.memory().pages() << 16;
        kernel.export("alloc").apply(3 * 65536L);
        direct.export("alloc").apply(3 * 65536L);
        fillBothMemories();
        assertThat(size).as("grown past one page").isGreaterThan(oneInstance);
        assertThat((long) direct.memory().pages() << 16).isEqualTo(size);

        assertLoadsAlike();
        assertStoresAlike();
    }

    @Test
    void withTheKernelsOwnRootUntouchedTheyBehaveAlike() throws IOException {
        twoKernels(); // a root that says one block of 16 bytes is in use, not the pattern
        size = (long) kernel.memory().pages() << 16;

        assertLoadsAlike();
        assertStoresAlike();
    }

    private void assertLoadsAlike() {
        for (long p : pointers()) {
            assertThat(outcome(() -> call(direct, "load_u8", p)))
                    .as("load_u8(%d)", p).isEqualTo(outcome(() -> kernel.export("load_u8").apply(p)[0]));
            assertThat(outcome(() -> call(direct, "load_u64", p)))
                    .as("load_u64(%d)", p).isEqualTo(outcome(() -> kernel.export("load_u64").apply(p)[0]));
        }
    }

    private void assertStoresAlike() {
        for (long p : pointers()) {
            assertThat(outcome(() -> call(direct, "store_u8", p, 0xABL)))
                    .as("store_u8(%d)", p).isEqualTo(outcome(() -> apply(kernel, "store_u8", p, 0xABL)));
            assertThat(outcome(() -> call(direct, "store_u64", p, 0x0102030405060708L)))
                    .as("store_u64(%d)", p).isEqualTo(outcome(() -> apply(kernel, "store_u64", p, 0x0102030405060708L)));
            assertThat(direct.memory().readBytes(0, (int) size)).as("memory after stores at %d", p)
                    .isEqualTo(kernel.memory().readBytes(0, (int) size));
        }
    }

    @Test
    void otherKernelFunctionsStayKernelCalls() {
        HostFunction length = new HostFunction("extism:host/env", "length", type("length"), (instance, args) -> null);
        assertThat(KernelLoadStore.direct(length, direct.memory())).isSameAs(length);
    }

    /**
     * Around the memory root, the end of memory, the first page boundary (an 8-byte access
     * across it), pointers that are negative as an int or an i64, and pointers whose
     * arithmetic wraps.
     */
    private List<Long> pointers() {
        List<Long> pointers = new ArrayList<>(List.of(0L, 1L, 56L, 57L, 63L, 64L, 65L, 100L, 4096L));
        for (long back = -9; back <= 1; back++) {
            pointers.add(size + back);
            pointers.add(65536 + back);
        }
        pointers.addAll(List.of((1L << 31) - 8, (1L << 31) - 1, 1L << 31, (1L << 32) - 8, (1L << 32) - 1,
                (long) Integer.MIN_VALUE, Integer.MIN_VALUE + 64L));
        pointers.addAll(List.of(1L << 32, (1L << 32) + 64, -1L, -7L, -8L, Long.MIN_VALUE, Long.MAX_VALUE,
                Long.MAX_VALUE - 6, Long.MAX_VALUE - 7));
        return pointers;
    }

    private long call(Instance on, String function, long... args) {
        long[] result = shortcuts.get(function).handle().apply(on, args);
        return result == null ? 0 : result[0];
    }

    private static long apply(Instance on, String function, long... args) {
        long[] result = on.export(function).apply(args);
        return result == null || result.length == 0 ? 0 : result[0];
    }

    private FunctionType type(String function) {
        return kernel.exportType(function);
    }

    /** The value, or "trap" for what the runner reports as a trap (any Chicory exception). */
    private static String outcome(Supplier<Long> access) {
        try {
            return "value " + access.get();
        } catch (ChicoryException trap) {
            return "trap";
        }
    }

    /** The SDK's kernel module, its memory grown to one page by a first allocation. */
    private static Instance kernelInstance() throws IOException {
        try (InputStream in = Kernel.class.getClassLoader().getResourceAsStream("extism-runtime.wasm")) {
            Instance instance = Instance.builder(Parser.parse(in)).build();
            instance.export("alloc").apply(16);
            return instance;
        }
    }
}
