package dev.hackablemail.service;

import dev.hackablemail.store.GuestStore.Attachment;
import java.util.List;
import java.util.regex.Pattern;

/** Decides whether a plugin may become active. {@link SimulationGate} is the real one. */
public interface PluginGate {

    /**
     * Checks a candidate plugin, with the files its author pushed with it.
     *
     * @return the findings; never throws for anything the plugin (or an attachment) does
     */
    GateReport check(Candidate candidate);

    /** {@link #check(Candidate)} of bare bytes named {@code plugin.wasm}. */
    default GateReport check(byte[] wasm) {
        return check(Candidate.of(wasm));
    }

    /**
     * What is checked: the plugin and the files pushed with it.
     *
     * @param fileName how reports name the plugin: the name of the file pushed (a plain file
     *     name; anything else becomes {@code plugin.wasm}), never a path of the server
     * @param wasm the plugin's bytes
     * @param attachments the author's own simulations, mock host, cases (see {@link Attachment})
     */
    record Candidate(String fileName, byte[] wasm, List<Attachment> attachments) {

        public static final String DEFAULT_NAME = "plugin.wasm";
        private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}");

        public Candidate {
            fileName = fileName != null && PLAIN.matcher(fileName).matches() ? fileName : DEFAULT_NAME;
            attachments = List.copyOf(attachments);
        }

        public static Candidate of(byte[] wasm) {
            return new Candidate(DEFAULT_NAME, wasm, List.of());
        }
    }
}
