package dev.hackablemail.schema.xtp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds reference cycles that no finite value can satisfy.
 *
 * <p>The rule: a cycle is an error only when every step of it is a {@code $ref} that must
 * be followed, i.e. a required, non-nullable property (or a schema that is itself just a
 * non-nullable {@code $ref}) pointing at a non-nullable schema. Then a value would have to
 * contain itself forever. A cycle with an optional or nullable step, or one that passes
 * through an array or a map (which may be empty), describes ordinary recursive data such
 * as a tree, and is allowed.
 */
final class CycleFinder {

    /** One must-follow step: from a schema, at a path, to the schema named {@code target}. */
    private record Step(String from, String path, Location location, String label, String target) {}

    private final Map<String, TypeSchema> types;
    private final Set<String> done = new HashSet<>();
    private final Set<String> reported = new HashSet<>();
    private final List<Problem> problems = new ArrayList<>();
    private final String source;

    private CycleFinder(String source, Map<String, TypeSchema> types) {
        this.source = source;
        this.types = types;
    }

    static List<Problem> find(Schema schema) {
        CycleFinder finder = new CycleFinder(schema.source(), schema.types());
        for (String name : schema.types().keySet()) {
            finder.visit(name, new ArrayDeque<>(), new ArrayList<>());
        }
        return finder.problems;
    }

    private void visit(String name, Deque<String> onPath, List<Step> steps) {
        if (done.contains(name) || !types.containsKey(name)) {
            return;
        }
        onPath.addLast(name);
        for (Step step : steps(name)) {
            if (onPath.contains(step.target())) {
                steps.add(step);
                report(step.target(), steps);
                steps.remove(steps.size() - 1);
            } else {
                steps.add(step);
                visit(step.target(), onPath, steps);
                steps.remove(steps.size() - 1);
            }
        }
        onPath.removeLast();
        done.add(name);
    }

    private List<Step> steps(String name) {
        TypeSchema schema = types.get(name);
        String base = YamlPaths.key("components.schemas", name);
        List<Step> steps = new ArrayList<>();
        if (schema.isRef() && !schema.nullable() && mustFollow(schema.ref())) {
            steps.add(new Step(name, YamlPaths.key(base, "$ref"), schema.location(), name, schema.ref()));
        }
        for (Map.Entry<String, TypeSchema> p : schema.properties().entrySet()) {
            TypeSchema property = p.getValue();
            if (property.isRef() && schema.isRequired(p.getKey()) && !property.nullable() && mustFollow(property.ref())) {
                steps.add(new Step(name, YamlPaths.key(YamlPaths.key(base, "properties"), p.getKey()),
                        property.location(), name + "." + p.getKey(), property.ref()));
            }
        }
        return steps;
    }

    private boolean mustFollow(String target) {
        TypeSchema t = types.get(target);
        return t != null && !t.nullable();
    }

    /** Reports the cycle that ends in {@code start}, once however many times it is met. */
    private void report(String start, List<Step> steps) {
        int first = 0;
        while (!steps.get(first).from().equals(start)) {
            first++;
        }
        List<Step> cycle = steps.subList(first, steps.size());
        List<String> labels = new ArrayList<>();
        for (Step s : cycle) {
            labels.add(s.label());
        }
        Set<String> key = new HashSet<>(labels);
        if (!reported.add(String.join("|", new TreeSet<>(key)))) {
            return;
        }
        Step at = cycle.get(0);
        problems.add(new Problem(source, at.path(), at.location(), "cyclic reference "
                + String.join(" -> ", labels) + " -> " + start
                + ": every step is required and not nullable, so no finite value exists;"
                + " make one of these properties optional or nullable"));
    }
}
