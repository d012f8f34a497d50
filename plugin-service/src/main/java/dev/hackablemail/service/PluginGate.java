package dev.hackablemail.service;

/** Decides whether a plugin may become active. {@link SimulationGate} is the real one. */
public interface PluginGate {

    /**
     * Checks a candidate plugin.
     *
     * @param wasm the plugin's bytes
     * @return the findings; never throws for anything the plugin does
     */
    GateReport check(byte[] wasm);
}
