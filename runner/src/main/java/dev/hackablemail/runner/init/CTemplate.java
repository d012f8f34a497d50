package dev.hackablemail.runner.init;

import dev.hackablemail.schema.xtp.CodeSample;
import dev.hackablemail.schema.xtp.FunctionDecl;
import dev.hackablemail.schema.xtp.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * C, built with clang 14 for wasm32-wasi: {@code src/plugin.c} to edit, the bindings
 * {@code src/pdk.h} and {@code src/pdk.c} (see {@link CBindings}), this repository's
 * guest library in {@code guest-lib/}, a Makefile.
 */
public final class CTemplate implements ProjectTemplate {

    /** The {@code lang} of the schema's code samples this template uses. */
    static final String SAMPLE_LANG = "c";
    private static final List<String> GUEST_LIB = List.of("extism.h", "extism.c", "json.h", "json.c");

    @Override
    public String id() {
        return "c";
    }

    @Override
    public String description() {
        return "C (clang 14, wasm32-wasi; Makefile)";
    }

    @Override
    public List<GeneratedFile> generate(InitRequest request) {
        Schema schema = request.schema();
        List<GeneratedFile> files = new ArrayList<>(CBindings.generate(schema));
        for (String file : GUEST_LIB) {
            files.add(new GeneratedFile("guest-lib/" + file, Resources.text("c/guest-lib/" + file), true));
        }
        files.add(new GeneratedFile("src/plugin.c", implementation(request), false));
        Map<String, String> values = Map.of(
                "name", request.name(),
                "schema", schema.source(),
                "exports", schema.exports().keySet().stream().collect(Collectors.joining(", ")));
        files.add(new GeneratedFile("Makefile", Resources.fill("c/Makefile", values), false));
        files.add(new GeneratedFile("README.md", Resources.fill("c/README.md", values), false));
        files.add(new GeneratedFile(".gitignore", Resources.text("c/gitignore"), false));
        files.add(ProjectFiles.xtpToml(request, "dist/" + request.name() + ".wasm", "make"));
        return files;
    }

    /** src/plugin.c: each export's code sample in C, when asked for and present, else a stub. */
    private static String implementation(InitRequest request) {
        Schema schema = request.schema();
        StringBuilder c = new StringBuilder();
        c.append("/*\n * ").append(request.name()).append(": a plugin for ").append(schema.source())
                .append(". This is the file to edit.\n *\n")
                .append(" * Its types and the host's functions are declared in src/pdk.h, generated from the\n")
                .append(" * schema (read it; never edit it). Build: xtp-sim plugin build. Test: xtp-sim test.\n */\n")
                .append("#include \"pdk.h\"\n");
        for (FunctionDecl f : schema.exports().values()) {
            c.append('\n');
            Optional<CodeSample> sample = request.withCodeSamples()
                    ? f.codeSamples().stream().filter(s -> SAMPLE_LANG.equalsIgnoreCase(s.lang())).findFirst()
                    : Optional.empty();
            if (sample.isPresent()) {
                if (sample.get().label() != null) {
                    c.append("/* ").append(sample.get().label().replace("*/", "* /")).append(" */\n");
                }
                c.append(sample.get().source().strip()).append('\n');
            } else {
                c.append(stub(schema, f));
            }
        }
        return c.toString();
    }

    private static String stub(Schema schema, FunctionDecl f) {
        StringBuilder body = new StringBuilder();
        String header = CBindings.exportPrototype(schema, f);
        if (f.hasInput()) {
            body.append("    (void)input;\n");
        }
        if (f.hasOutput()) {
            body.append("    (void)output;\n");
        }
        return header + " {\n" + body
                + "    return pdk_error(\"not implemented yet: write it in src/plugin.c\");\n}\n";
    }
}
