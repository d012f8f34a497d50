package dev.hackablemail.service;

import java.nio.file.Path;

/** Decides whether a plugin may become active. {@link SimulationGate} is the real one. */
public interface PluginGate {

    /**
     * Checks a candidate plugin.
     *
     * @param candidate a file holding {@code wasm} (the simulations load the plugin from it)
     * @param wasm the plugin's bytes
     * @return the findings; never throws for anything the plugin does
     */
    GateReport check(Path candidate, byte[] wasm);
}
