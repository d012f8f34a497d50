package dev.hackablemail.runner.init;

import java.util.regex.Pattern;

/** The files every template writes alike: {@code xtp.toml}. */
public final class ProjectFiles {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    private ProjectFiles() {}

    /** Why {@code name} cannot name a plugin (it names files and build targets), or null. */
    public static String nameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "the plugin's name is empty";
        }
        if (name.length() > 64 || !NAME.matcher(name).matches()) {
            return "'" + name + "' is not a plugin name: use letters, digits, '-', '_' and '.' (at most 64),"
                    + " starting with a letter or digit";
        }
        return null;
    }

    /**
     * The project's {@code xtp.toml}: {@code bin}, {@code [scripts] build} and one
     * {@code [[test]]} for each of the request's tests.
     *
     * @param bin the module the build makes, relative to the project
     * @param build the shell command that builds it, run in the project folder
     */
    public static GeneratedFile xtpToml(InitRequest request, String bin, String build) {
        StringBuilder t = new StringBuilder();
        t.append("# The plugin project's file, as the XTP CLI's (paths are relative to this file).\n");
        t.append("# xtp-sim plugin build   runs [scripts] build\n");
        t.append("# xtp-sim test           runs each [[test]] against bin\n");
        t.append("name = ").append(quote(request.name())).append('\n');
        t.append("bin = ").append(quote(bin)).append("\n\n");
        t.append("[scripts]\nbuild = ").append(quote(build)).append('\n');
        for (InitRequest.TestEntry test : request.tests()) {
            t.append("\n[[test]]\nname = ").append(quote(test.name())).append('\n');
            t.append("with = ").append(quote(test.with())).append('\n');
            if (test.mockHost() != null) {
                t.append("mock_host = ").append(quote(test.mockHost())).append('\n');
            }
        }
        return new GeneratedFile("xtp.toml", t.toString(), false);
    }

    /** A TOML basic string. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
