package dev.hackablemail.runner.guest;

/**
 * Sees every call the plugin makes to its mock host ({@code extism:host/user}), so that a
 * simulation can check what the plugin asked of its host: which function, with what payload,
 * and what the host answered.
 */
@FunctionalInterface
public interface HostCallObserver {

    /**
     * One host call, after it returned or failed.
     *
     * @param function the import's name, e.g. {@code deliver}
     * @param input the block the plugin handed over (empty for offset 0; null when the argument
     *     named no block or the function does not have the Extism shape {@code (i64) -> i64})
     * @param output the block the host answered with (empty for offset 0); null when the host
     *     call failed (the mock host trapped) or the answer named no block
     */
    void observe(String function, byte[] input, byte[] output);
}
