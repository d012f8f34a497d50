package dev.hackablemail.runner.guest;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.Memory;

/**
 * The Extism kernel's {@code load_u8}, {@code load_u64}, {@code store_u8} and
 * {@code store_u64}, done in Java on the kernel's memory instead of as calls into the
 * kernel module.
 *
 * <p>Guests copy every input, output and var through these, one byte or eight at a time:
 * they are most of a plugin call's host calls (63 of 85 for count_vowels("hello")). As
 * kernel calls each one boxes its arguments, goes through Chicory's export dispatch and
 * boxes its result; done here it is a bounds test and one memory access. The bounds rule
 * is the kernel's own ({@code extism-runtime.wasm}: a pointer below the 64-byte memory
 * root or past the end of memory reads 0 and writes nothing); an access that straddles
 * the end traps in both. {@code KernelLoadStoreTest} holds this to the kernel module.
 */
final class KernelLoadStore {

    /** Size of the kernel's memory root: no block starts below it. */
    static final long ROOT_BYTES = 64;

    private KernelLoadStore() {}

    /** The direct version of the kernel function {@code f} on {@code memory}, or {@code f} itself. */
    static HostFunction direct(HostFunction f, Memory memory) {
        switch (f.name()) {
            case "load_u8":
                return new HostFunction(f.module(), f.name(), f.functionType(),
                        (instance, args) -> new long[] {loadU8(memory, args[0])});
            case "load_u64":
                return new HostFunction(f.module(), f.name(), f.functionType(),
                        (instance, args) -> new long[] {loadU64(memory, args[0])});
            case "store_u8":
                return new HostFunction(f.module(), f.name(), f.functionType(), (instance, args) -> {
                    storeU8(memory, args[0], (byte) args[1]);
                    return null;
                });
            case "store_u64":
                return new HostFunction(f.module(), f.name(), f.functionType(), (instance, args) -> {
                    storeU64(memory, args[0], args[1]);
                    return null;
                });
            default:
                return f;
        }
    }

    static long loadU8(Memory memory, long pointer) {
        return inBounds(memory, pointer) ? memory.read((int) pointer) & 0xFF : 0;
    }

    static long loadU64(Memory memory, long pointer) {
        return inBounds(memory, pointer + 7) ? memory.readLong((int) pointer) : 0;
    }

    static void storeU8(Memory memory, long pointer, byte value) {
        if (inBounds(memory, pointer)) {
            memory.writeByte((int) pointer, value);
        }
    }

    static void storeU64(Memory memory, long pointer, long value) {
        if (inBounds(memory, pointer + 7)) {
            memory.writeLong((int) pointer, value);
        }
    }

    /**
     * The kernel's test on an access's last byte: past the root and at most the memory's
     * size. Signed comparisons give the kernel's unsigned ones here, since the size is
     * positive and below 2^33: a "negative" pointer fails the first test in both.
     */
    private static boolean inBounds(Memory memory, long last) {
        return last >= ROOT_BYTES && last <= ((long) memory.pages() << 16);
    }
}
