package dev.hackablemail.runner.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hackablemail.schema.xtp.Schema;
import dev.hackablemail.schema.xtp.TypeSchema;
import dev.hackablemail.schema.xtp.XtpType;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Makes JSON values of a schema type: every required property, optional ones half of the
 * time, maps from empty to hundreds of keys, enums, formats, nested types; numbers often at
 * their edges and strings from {@link StringGenerator}. Every value it makes is valid for
 * its type, so a failure is the plugin's, never the generator's.
 */
final class ValueGenerator {

    /**
     * About how many characters of strings one value may hold in all: one value in
     * {@value #LARGE_ONE_IN} may have long strings (hundreds of KB), the others stay small,
     * so that most of the budget goes to many varied inputs.
     */
    static final int LARGE_BUDGET = 200_000;
    static final int SMALL_BUDGET = 4_096;
    static final int LARGE_ONE_IN = 8;
    private static final int MAX_DEPTH = 16;
    /**
     * The most JSON nodes one value has: a schema whose maps or arrays recurse would otherwise
     * make values of up to 255^16 nodes (strings count against {@link #budget}, nesting does not).
     */
    static final int MAX_NODES = 20_000;

    private static final long[] INT32_EDGES = {0, 1, -1, 2, 127, 128, 255, 256, 65_535, 65_536,
        Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE - 1, Integer.MIN_VALUE + 1};
    private static final long[] INT64_EDGES = {Long.MAX_VALUE, Long.MIN_VALUE, 1L << 32, (1L << 53) + 1, -(1L << 53) - 1};
    private static final double[] NUMBER_EDGES = {0.0, -0.0, 0.5, -1.5, 1e-7, 1e21, Double.MAX_VALUE,
        -Double.MAX_VALUE, Double.MIN_VALUE, Float.MAX_VALUE, 9007199254740993.0};

    private final Schema schema;
    private final StringGenerator strings;
    private final Dictionary dictionary;
    private int budget;
    private int nodes;

    ValueGenerator(Schema schema, Dictionary dictionary) {
        this.schema = schema;
        this.dictionary = dictionary;
        this.strings = new StringGenerator(dictionary);
    }

    /** A new value of {@code type}. */
    JsonNode generate(TypeSchema type, SplittableRandom random) {
        budget = random.nextInt(LARGE_ONE_IN) == 0 ? LARGE_BUDGET : SMALL_BUDGET;
        nodes = MAX_NODES;
        return value(type, random, 0);
    }

    /**
     * The plainest value of {@code type}: required properties only, empty maps, arrays and
     * strings, the first enum value, zero and false. Nesting ends in null at the depth where
     * {@link #generate} ends it (a required property may recurse, or a chain be thousands deep).
     */
    JsonNode plainest(TypeSchema declared) {
        return plainest(declared, 0);
    }

    private JsonNode plainest(TypeSchema declared, int depth) {
        TypeSchema type = schema.resolve(declared).orElse(null);
        if (type == null || depth > MAX_DEPTH) {
            return JsonNodeFactory.instance.nullNode();
        }
        if (type.hasProperties()) {
            ObjectNode object = JsonNodeFactory.instance.objectNode();
            type.properties().forEach((name, property) -> {
                if (type.isRequired(name)) {
                    object.set(name, plainest(property, depth + 1));
                }
            });
            return object;
        }
        if (type.additionalProperties() != null) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!type.enumValues().isEmpty()) {
            return text(type.enumValues().get(0));
        }
        XtpType t = type.effectiveType();
        if (t == null) {
            return text("");
        }
        switch (t) {
            case STRING: return text("date-time".equals(type.format()) ? "1970-01-01T00:00:00Z" : "");
            case INTEGER: return JsonNodeFactory.instance.numberNode(0);
            case NUMBER: return JsonNodeFactory.instance.numberNode(0.0);
            case BOOLEAN: return JsonNodeFactory.instance.booleanNode(false);
            case BUFFER: return text("");
            case ARRAY: return JsonNodeFactory.instance.arrayNode();
            default: return JsonNodeFactory.instance.objectNode();
        }
    }

    private JsonNode value(TypeSchema declared, SplittableRandom random, int depth) {
        nodes--;
        TypeSchema type = schema.resolve(declared).orElse(null);
        if (type == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        if ((declared.nullable() || type.nullable()) && random.nextInt(10) == 0) {
            return JsonNodeFactory.instance.nullNode();
        }
        if (type.hasProperties()) {
            return object(type, random, depth);
        }
        if (type.additionalProperties() != null) {
            return map(type.additionalProperties(), random, depth);
        }
        if (!type.enumValues().isEmpty()) {
            return text(StringGenerator.pick(random, type.enumValues()));
        }
        XtpType t = type.effectiveType();
        if (t == null) {
            return text(strings.next(random, 256));
        }
        switch (t) {
            case STRING: return string(type.format(), random);
            case INTEGER: return JsonNodeFactory.instance.numberNode(integer(type.format(), random));
            case NUMBER: return JsonNodeFactory.instance.numberNode(number(type.format(), random));
            case BOOLEAN: return JsonNodeFactory.instance.booleanNode(random.nextBoolean());
            case BUFFER: return text(base64(random));
            case ARRAY: return array(type.items(), random, depth);
            default: return JsonNodeFactory.instance.objectNode();
        }
    }

    private JsonNode object(TypeSchema type, SplittableRandom random, int depth) {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        int style = random.nextInt(4); // 0: required only, 1: everything, else each optional at 50%
        for (Map.Entry<String, TypeSchema> property : type.properties().entrySet()) {
            boolean include = type.isRequired(property.getKey())
                    || nodes > 0 && (style == 1 || (style > 1 && random.nextBoolean()));
            if (include) {
                object.set(property.getKey(), depth >= MAX_DEPTH || nodes <= 0
                        ? JsonNodeFactory.instance.nullNode() : value(property.getValue(), random, depth + 1));
            }
        }
        if (type.additionalProperties() != null) {
            ObjectNode extra = map(type.additionalProperties(), random, depth);
            extra.fieldNames().forEachRemaining(name -> {
                if (!object.has(name)) {
                    object.set(name, extra.get(name));
                }
            });
        }
        return object;
    }

    private ObjectNode map(TypeSchema values, SplittableRandom random, int depth) {
        ObjectNode map = JsonNodeFactory.instance.objectNode();
        if (depth >= MAX_DEPTH) {
            return map;
        }
        int size = random.nextInt(8) == 0 ? 16 + random.nextInt(240) : random.nextInt(5);
        for (int i = 0; i < size && budget > 0 && nodes > 0; i++) {
            map.set(key(random), value(values, random, depth + 1));
        }
        return map;
    }

    /** A map key: often one of the plugin's words, else any string. */
    private String key(SplittableRandom random) {
        int mode = random.nextInt(10);
        if (mode < 4 && !dictionary.isEmpty()) {
            String token = StringGenerator.pick(random, dictionary.tokens());
            return mode == 0 ? token.toLowerCase(java.util.Locale.ROOT) : token;
        }
        return mode < 7 ? strings.ascii(random, 1 + random.nextInt(12)) : strings.mixed(random, 1 + random.nextInt(3));
    }

    private JsonNode array(TypeSchema items, SplittableRandom random, int depth) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        if (items == null || depth >= MAX_DEPTH) {
            return array;
        }
        int size = random.nextInt(8) == 0 ? 16 + random.nextInt(240) : random.nextInt(4);
        for (int i = 0; i < size && budget > 0 && nodes > 0; i++) {
            array.add(value(items, random, depth + 1));
        }
        return array;
    }

    private JsonNode string(String format, SplittableRandom random) {
        if ("date-time".equals(format)) {
            return text(dateTime(random));
        }
        if ("byte".equals(format)) {
            return text(base64(random));
        }
        String s = strings.next(random, Math.max(0, budget));
        budget -= s.length();
        return text(s);
    }

    private static String dateTime(SplittableRandom random) {
        long[] edges = {0, 253_402_300_799L, -62_135_596_800L, 951_782_400L, 2_147_483_647L, 2_147_483_648L};
        long seconds = random.nextBoolean() ? edges[random.nextInt(edges.length)]
                : random.nextLong(-62_135_596_800L, 253_402_300_799L);
        int offsetMinutes = random.nextInt(4) == 0 ? random.nextInt(-18 * 60, 18 * 60 + 1) : 0;
        Instant instant = Instant.ofEpochSecond(seconds, random.nextBoolean() ? 0 : random.nextInt(1_000_000_000));
        return instant.atOffset(ZoneOffset.ofTotalSeconds(offsetMinutes * 60)).toString();
    }

    private String base64(SplittableRandom random) {
        byte[] bytes = new byte[random.nextInt(8) == 0 ? Math.min(Math.max(0, budget), 65_536) : random.nextInt(64)];
        random.nextBytes(bytes);
        budget -= bytes.length;
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static long integer(String format, SplittableRandom random) {
        boolean int32 = "int32".equals(format);
        if (random.nextBoolean()) {
            long edge = !int32 && random.nextInt(3) == 0 ? INT64_EDGES[random.nextInt(INT64_EDGES.length)]
                    : INT32_EDGES[random.nextInt(INT32_EDGES.length)];
            return edge;
        }
        if (random.nextBoolean()) {
            return random.nextInt(-100, 101);
        }
        return int32 ? random.nextInt() : random.nextLong();
    }

    private static double number(String format, SplittableRandom random) {
        double value = random.nextBoolean() ? NUMBER_EDGES[random.nextInt(NUMBER_EDGES.length)]
                : (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-10, 20));
        if ("float".equals(format)) {
            // JSON has no infinity: keep floats within their range
            return (float) Math.max(-Float.MAX_VALUE, Math.min(Float.MAX_VALUE, value));
        }
        return value;
    }

    private static JsonNode text(String s) {
        return JsonNodeFactory.instance.textNode(s);
    }
}
