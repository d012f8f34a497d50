package dev.hackablemail.runner.init;

import dev.hackablemail.schema.xtp.Schema;
import java.util.List;
import java.util.Objects;

/**
 * What {@code xtp-sim plugin init} was asked to generate.
 *
 * @param name the plugin's name (also the module's file name, {@code dist/NAME.wasm})
 * @param schema the extension point's schema, valid
 * @param withCodeSamples put the schema's code sample for the template's language in the
 *     implementation file instead of "not implemented" stubs, where the schema has one
 * @param tests simulations to list as {@code [[test]]} entries of the project's xtp.toml
 */
public record InitRequest(String name, Schema schema, boolean withCodeSamples, List<TestEntry> tests) {

    public InitRequest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(schema, "schema");
        tests = tests == null ? List.of() : List.copyOf(tests);
    }

    /**
     * One {@code [[test]]} entry of xtp.toml, with paths as they are written there
     * (relative to the project folder, or absolute).
     *
     * @param name the test's name
     * @param with the xtp-test module
     * @param mockHost the mock host module, or null for none
     */
    public record TestEntry(String name, String with, String mockHost) {

        public TestEntry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(with, "with");
        }
    }
}
