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
            finder.visit(name);
        }
        return finder.problems;
    }

    /** A schema on the current path and how many of its steps have been followed. */
    private static final class Frame {
        final String name;
        final List<Step> steps;
        int next;

        Frame(String name, List<Step> steps) {
            this.name = name;
            this.steps = steps;
        }
    }

    /**
     * Depth-first from {@code root}, with an explicit stack: a chain of references is as
     * long as the schema makes it (thousands of types), and recursing once per step would
     * overflow the thread's stack on a long one, sooner when the JVM has not compiled
     * this code yet (interpreted frames are larger).
     */
    private void visit(String root) {
        if (done.contains(root) || !types.containsKey(root)) {
            return;
        }
        Deque<Frame> path = new ArrayDeque<>();
        Set<String> onPath = new HashSet<>();
        List<Step> steps = new ArrayList<>(); // the steps from root along the path
        path.push(new Frame(root, steps(root)));
        onPath.add(root);
        while (!path.isEmpty()) {
            Frame frame = path.peek();
            if (frame.next == frame.steps.size()) {
                path.pop();
                onPath.remove(frame.name);
                done.add(frame.name);
                if (!path.isEmpty()) {
                    steps.remove(steps.size() - 1); // the step that led here
                }
                continue;
            }
            Step step = frame.steps.get(frame.next++);
            if (onPath.contains(step.target())) {
                steps.add(step);
                report(step.target(), steps);
                steps.remove(steps.size() - 1);
            } else if (!done.contains(step.target()) && types.containsKey(step.target())) {
                steps.add(step);
                onPath.add(step.target());
                path.push(new Frame(step.target(), steps(step.target())));
            }
        }
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
