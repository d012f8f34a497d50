package dev.hackablemail.runner.cli;

import picocli.CommandLine.Option;

/** {@code --color=auto|always|never}: colour only on a terminal, unless told otherwise. */
final class ColorOption {

    enum When { auto, always, never }

    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
            description = "Colour the output: auto (on a terminal, unless NO_COLOR is set), always, never "
                    + "(default: ${DEFAULT-VALUE}).")
    When when;

    boolean enabled() {
        switch (when) {
            case always:
                return true;
            case never:
                return false;
            default:
                String term = System.getenv("TERM");
                return System.console() != null && System.getenv("NO_COLOR") == null
                        && term != null && !term.equals("dumb");
        }
    }
}
