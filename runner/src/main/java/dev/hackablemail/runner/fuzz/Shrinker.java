package dev.hackablemail.runner.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hackablemail.schema.xtp.Schema;
import dev.hackablemail.schema.xtp.TypeSchema;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Shrinks a failing JSON input to a small one that still fails, greedily and in the spirit of
 * delta debugging: at each place in the value (outermost first) it tries simpler values, drops
 * optional properties, map keys and array elements (half of them, then a quarter... then one
 * at a time), renames map keys to one letter, shortens strings the same way and brings
 * numbers toward zero, keeping every
 * change after which the input still fails, until nothing more helps or the budget is spent.
 * Every candidate stays valid for its type: required properties are never dropped.
 */
final class Shrinker {

    /** A place in the value: the path to it and its declared type. */
    private record Site(List<Object> path, JsonNode node, TypeSchema type) {}

    private static final int MAX_GRANULARITY = 64;

    private final Schema schema;
    private final ValueGenerator values;
    private final Predicate<JsonNode> stillFails;
    private final long deadlineNanos;
    private final int maxAttempts;
    private int attempts;

    Shrinker(Schema schema, ValueGenerator values, Predicate<JsonNode> stillFails, long budgetNanos, int maxAttempts) {
        this.schema = schema;
        this.values = values;
        this.stillFails = stillFails;
        this.deadlineNanos = System.nanoTime() + budgetNanos;
        this.maxAttempts = maxAttempts;
    }

    /** How many candidates were tried. */
    int attempts() {
        return attempts;
    }

    JsonNode shrink(JsonNode failing, TypeSchema type) {
        JsonNode current = failing;
        boolean progress = true;
        while (progress && !spent()) {
            progress = false;
            // after a success, carry on from the same place: the places before it did not help
            for (int index = 0; !spent(); index++) {
                List<Site> sites = new ArrayList<>();
                collect(current, type, new ArrayList<>(), sites);
                if (index >= sites.size()) {
                    break;
                }
                JsonNode smaller = tryCandidates(current, sites.get(index));
                if (smaller != null) {
                    current = smaller;
                    progress = true;
                    index--;
                }
            }
        }
        return current;
    }

    private boolean spent() {
        return attempts >= maxAttempts || System.nanoTime() - deadlineNanos > 0;
    }

    private JsonNode tryCandidates(JsonNode root, Site site) {
        for (Iterator<Supplier<JsonNode>> it = candidates(site).iterator(); it.hasNext() && !spent(); ) {
            JsonNode candidate = it.next().get();
            if (candidate.equals(site.node()) || size(candidate) > size(site.node())) {
                continue; // a larger candidate is no shrink: the plainest value of a long chain is deeper than its end
            }
            JsonNode replaced = replace(root, site.path(), candidate);
            attempts++;
            if (stillFails.test(replaced)) {
                return replaced;
            }
        }
        return null;
    }

    private List<Supplier<JsonNode>> candidates(Site site) {
        JsonNode node = site.node();
        List<Supplier<JsonNode>> out = new ArrayList<>();
        TypeSchema type = site.type() == null ? null : schema.resolve(site.type()).orElse(null);
        if (type != null && !node.isNull()) {
            out.add(() -> values.plainest(type));
        }
        if (node.isObject()) {
            List<String> removable = new ArrayList<>();
            node.fieldNames().forEachRemaining(name -> {
                if (type == null || !type.isRequired(name)) {
                    removable.add(name);
                }
            });
            for (List<String> chunk : chunks(removable)) {
                out.add(() -> without((ObjectNode) node, chunk));
            }
            List<String> longKeys = new ArrayList<>();
            for (String key : removable) {
                if ((type == null || !type.properties().containsKey(key)) && key.length() > 1) {
                    longKeys.add(key);
                }
            }
            if (longKeys.size() > 1) {
                out.add(() -> renamed((ObjectNode) node, longKeys));
            }
            for (String key : longKeys) {
                out.add(() -> renamed((ObjectNode) node, List.of(key)));
            }
        } else if (node.isArray()) {
            List<Integer> indexes = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                indexes.add(i);
            }
            for (List<Integer> chunk : chunks(indexes)) {
                out.add(() -> without((ArrayNode) node, chunk));
            }
        } else if (node.isTextual() && (type == null || (type.enumValues().isEmpty() && type.format() == null))) {
            int[] codePoints = node.textValue().codePoints().toArray();
            List<Integer> positions = new ArrayList<>();
            for (int i = 0; i < codePoints.length; i++) {
                positions.add(i);
            }
            for (List<Integer> chunk : chunks(positions)) {
                out.add(() -> JsonNodeFactory.instance.textNode(without(codePoints, chunk)));
            }
        } else if (node.isIntegralNumber() && node.canConvertToLong()) {
            long v = node.longValue();
            out.add(() -> JsonNodeFactory.instance.numberNode(v / 2));
        } else if (node.isNumber()) {
            double v = node.doubleValue();
            out.add(() -> JsonNodeFactory.instance.numberNode(Math.rint(v)));
        }
        return out;
    }

    /**
     * Ranges of {@code items} to drop: all of it, then halves, quarters... down to single
     * items when there are at most {@value #MAX_GRANULARITY} of them.
     */
    static <T> List<List<T>> chunks(List<T> items) {
        List<List<T>> chunks = new ArrayList<>();
        int n = items.size();
        if (n == 0) {
            return chunks;
        }
        chunks.add(items);
        for (int granularity = 2; ; granularity *= 2) {
            int size = (n + granularity - 1) / granularity;
            for (int from = 0; from < n; from += size) {
                chunks.add(items.subList(from, Math.min(n, from + size)));
            }
            if (size == 1 || granularity >= MAX_GRANULARITY) {
                break;
            }
        }
        return chunks;
    }

    private static ObjectNode without(ObjectNode object, List<String> names) {
        ObjectNode copy = JsonNodeFactory.instance.objectNode();
        object.fields().forEachRemaining(e -> {
            if (!names.contains(e.getKey())) {
                copy.set(e.getKey(), e.getValue());
            }
        });
        return copy;
    }

    /** {@code object} with the map keys {@code keys} renamed to a, b, c... (names it lacks). */
    private static ObjectNode renamed(ObjectNode object, List<String> keys) {
        java.util.Set<String> taken = new java.util.HashSet<>();
        object.fieldNames().forEachRemaining(taken::add);
        int next = 0;
        ObjectNode copy = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            if (keys.contains(name)) {
                do {
                    name = next < 26 ? String.valueOf((char) ('a' + next)) : "k" + next;
                    next++;
                } while (taken.contains(name));
                taken.add(name);
            }
            copy.set(name, e.getValue());
        }
        return copy;
    }

    private static ArrayNode without(ArrayNode array, List<Integer> indexes) {
        ArrayNode copy = JsonNodeFactory.instance.arrayNode();
        int first = indexes.get(0);
        int last = indexes.get(indexes.size() - 1);
        for (int i = 0; i < array.size(); i++) {
            if (i < first || i > last) {
                copy.add(array.get(i));
            }
        }
        return copy;
    }

    private static String without(int[] codePoints, List<Integer> positions) {
        int first = positions.get(0);
        int last = positions.get(positions.size() - 1);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < codePoints.length; i++) {
            if (i < first || i > last) {
                s.appendCodePoint(codePoints[i]);
            }
        }
        return s.toString();
    }

    /** Every place in {@code node}, outermost first. */
    private void collect(JsonNode node, TypeSchema declared, List<Object> path, List<Site> out) {
        List<Site> level = new ArrayList<>();
        level.add(new Site(List.copyOf(path), node, declared));
        while (!level.isEmpty()) {
            out.addAll(level);
            List<Site> next = new ArrayList<>();
            for (Site site : level) {
                children(site, next);
            }
            level = next;
        }
    }

    private void children(Site site, List<Site> into) {
        TypeSchema type = site.type() == null ? null : schema.resolve(site.type()).orElse(null);
        JsonNode node = site.node();
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                TypeSchema child = type == null ? null : type.properties().containsKey(e.getKey())
                        ? type.properties().get(e.getKey()) : type.additionalProperties();
                into.add(new Site(append(site.path(), e.getKey()), e.getValue(), child));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                into.add(new Site(append(site.path(), i), node.get(i), type == null ? null : type.items()));
            }
        }
    }

    private static List<Object> append(List<Object> path, Object segment) {
        List<Object> longer = new ArrayList<>(path);
        longer.add(segment);
        return List.copyOf(longer);
    }

    /** Nodes plus characters of text and names in {@code value}, counted without recursion. */
    static long size(JsonNode value) {
        long size = 0;
        java.util.ArrayDeque<JsonNode> pending = new java.util.ArrayDeque<>();
        pending.push(value);
        while (!pending.isEmpty()) {
            JsonNode node = pending.pop();
            size++;
            if (node.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    size += e.getKey().length();
                    pending.push(e.getValue());
                }
            } else if (node.isArray()) {
                node.forEach(pending::push);
            } else {
                size += node.asText().length();
            }
        }
        return size;
    }

    /**
     * {@code root} with the node at {@code path} replaced; containers on the way are copied.
     * A loop, not recursion: a shrunk value can be nested thousands deep (a long chain of
     * types), and one Java frame a level would overflow the stack, more readily while the
     * JVM has not compiled this method yet. A path that leads nowhere leaves {@code root} as is.
     */
    private static JsonNode replace(JsonNode root, List<Object> path, JsonNode value) {
        JsonNode[] containers = new JsonNode[path.size()];
        JsonNode node = root;
        for (int depth = 0; depth < path.size(); depth++) {
            if (node == null) {
                return root;
            }
            containers[depth] = node;
            Object segment = path.get(depth);
            node = segment instanceof String name ? (node.isObject() ? node.get(name) : null)
                    : node.isArray() ? node.get((Integer) segment) : null;
        }
        if (node == null) {
            return root;
        }
        JsonNode replaced = value;
        for (int depth = path.size() - 1; depth >= 0; depth--) {
            replaced = copyWith(containers[depth], path.get(depth), replaced);
        }
        return replaced;
    }

    /** A copy of {@code container} whose member or item {@code segment} is {@code child}. */
    private static JsonNode copyWith(JsonNode container, Object segment, JsonNode child) {
        if (segment instanceof String name) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            container.fields().forEachRemaining(e -> copy.set(e.getKey(), e.getKey().equals(name) ? child : e.getValue()));
            return copy;
        }
        int index = (Integer) segment;
        ArrayNode copy = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < container.size(); i++) {
            copy.add(i == index ? child : container.get(i));
        }
        return copy;
    }
}
