package dev.hackablemail.runner.init;

import java.util.List;

/**
 * A language template of {@code xtp-sim plugin init}: turns a schema into a plugin
 * project. Implementations are listed in {@link ProjectTemplates} and need a public
 * no-argument constructor. Everything they write comes from xtp-sim itself (resources),
 * never from the network.
 */
public interface ProjectTemplate {

    /** What {@code --template} names it: {@code c}, {@code cpp}, {@code assemblyscript}. */
    String id();

    /** One line for the help and the prompt, e.g. "C (clang, wasm32-wasi)". */
    String description();

    /**
     * Every file of the project: bindings, the implementation file, the build file,
     * xtp.toml, a README and .gitignore.
     */
    List<GeneratedFile> generate(InitRequest request);
}
