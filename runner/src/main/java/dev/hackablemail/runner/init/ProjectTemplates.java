package dev.hackablemail.runner.init;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The templates {@code xtp-sim plugin init} offers: a fixed list, in the order shown. */
public final class ProjectTemplates {

    private static final List<ProjectTemplate> ALL = List.of(new CTemplate(), new CppTemplate(), new AssemblyScriptTemplate());

    private ProjectTemplates() {}

    public static List<ProjectTemplate> all() {
        return ALL;
    }

    public static Optional<ProjectTemplate> byId(String id) {
        return ALL.stream().filter(t -> t.id().equals(id)).findFirst();
    }

    /** The ids, comma-separated, for messages: "c, cpp, assemblyscript". */
    public static String ids() {
        return ALL.stream().map(ProjectTemplate::id).collect(Collectors.joining(", "));
    }
}
