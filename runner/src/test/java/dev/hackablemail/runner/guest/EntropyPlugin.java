package dev.hackablemail.runner.guest;

import java.nio.charset.StandardCharsets;

/**
 * wasi-sources.wat, a plugin whose {@code entropy} export returns, hex-encoded, 16 WASI
 * random bytes and the realtime and monotonic WASI clocks: what a run with given
 * {@link WasiSources} reads. Other modules' tests use it through the runner's test jar.
 */
public final class EntropyPlugin {

    public static final String WAT = "wasi-sources.wat";

    private EntropyPlugin() {}

    public static byte[] wasm() {
        return Wat.bytes(WAT);
    }

    /** What {@code entropy} returns from a fresh instance reading {@code wasi}. */
    public static String entropy(WasiSources wasi) {
        PluginTemplate template = PluginTemplate.builder(Wat.module(WAT)).withWasi(wasi).build();
        try (GuestPlugin plugin = template.instantiate()) {
            return new String(plugin.call("entropy", new byte[0]), StandardCharsets.UTF_8);
        }
    }
}
