package dev.hackablemail.runner.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hackablemail.schema.payload.Direction;
import dev.hackablemail.schema.payload.PayloadValidator;
import dev.hackablemail.schema.xtp.FunctionDecl;
import dev.hackablemail.schema.xtp.Schema;
import dev.hackablemail.schema.xtp.SchemaParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Generated values are valid for their type, varied where code breaks, and a function of the seed. */
class ValueGeneratorTest {

    private static final Schema SCHEMA = parse("""
            version: v1-draft
            exports:
              run:
                input:
                  contentType: application/json
                  $ref: "#/components/schemas/Everything"
                output:
                  contentType: application/json
                  type: integer
            components:
              schemas:
                Kind:
                  enum: [small, large]
                Everything:
                  required: [name, labels]
                  properties:
                    name: {type: string}
                    labels: {type: object, additionalProperties: {type: string}}
                    count: {type: integer, format: int32}
                    big: {type: integer, format: int64}
                    ratio: {type: number, format: float}
                    when: {type: string, format: date-time}
                    blob: {type: string, format: byte}
                    raw: {type: buffer}
                    flag: {type: boolean}
                    kind: {$ref: "#/components/schemas/Kind"}
                    items: {type: array, items: {$ref: "#/components/schemas/Kind"}}
                    maybe: {type: string, nullable: true}
                    child: {$ref: "#/components/schemas/Child"}
                Child:
                  required: [id]
                  properties:
                    id: {type: integer}
                    tags: {type: array, items: {type: string}}
            """);

    private static Schema parse(String yaml) {
        try {
            return SchemaParser.parse(yaml, "test.yaml").orThrow();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private final FunctionDecl run = SCHEMA.export("run").orElseThrow();
    private final ValueGenerator generator =
            new ValueGenerator(SCHEMA, Dictionary.of(List.of("Project XYZ", "Subject")));

    private List<JsonNode> generate(long seed, int count) {
        SplittableRandom random = new SplittableRandom(seed);
        List<JsonNode> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            values.add(generator.generate(run.input().type(), random.split()));
        }
        return values;
    }

    @Test
    void everyValueValidatesAgainstItsType() {
        for (JsonNode value : generate(7, 400)) {
            byte[] payload = Payloads.encode(run.input(), value);
            assertThat(PayloadValidator.validate(SCHEMA, run, Direction.INPUT, payload))
                    .as(Payloads.preview(payload, 300)).isEmpty();
        }
    }

    @Test
    void theSameSeedGivesTheSameValues() {
        assertThat(generate(3, 50)).isEqualTo(generate(3, 50)).isNotEqualTo(generate(4, 50));
    }

    @Test
    void valuesReachWhatBreaksCode() {
        Set<Integer> utf8Lengths = new HashSet<>();
        boolean control = false;
        boolean quote = false;
        boolean empty = false;
        boolean dictionaryWord = false;
        int longest = 0;
        int mostKeys = 0;
        boolean optionalLeftOut = false;
        boolean nullSeen = false;
        for (JsonNode value : generate(11, 400)) {
            List<String> strings = new ArrayList<>();
            value.path("labels").fields().forEachRemaining(e -> {
                strings.add(e.getKey());
                strings.add(e.getValue().textValue());
            });
            strings.add(value.path("name").textValue());
            mostKeys = Math.max(mostKeys, value.path("labels").size());
            optionalLeftOut |= !value.has("count");
            nullSeen |= value.has("maybe") && value.get("maybe").isNull();
            for (String s : strings) {
                longest = Math.max(longest, s.getBytes(StandardCharsets.UTF_8).length);
                empty |= s.isEmpty();
                control |= s.chars().anyMatch(c -> c < 0x20);
                quote |= s.contains("\"") || s.contains("\\");
                dictionaryWord |= s.contains("Project XYZ");
                s.codePoints().forEach(c -> utf8Lengths.add(new String(Character.toChars(c))
                        .getBytes(StandardCharsets.UTF_8).length));
            }
        }
        assertThat(utf8Lengths).containsExactlyInAnyOrder(1, 2, 3, 4);
        assertThat(control).isTrue();
        assertThat(quote).isTrue();
        assertThat(empty).isTrue();
        assertThat(dictionaryWord).isTrue();
        assertThat(longest).isGreaterThan(65_536);
        assertThat(mostKeys).isGreaterThan(16);
        assertThat(optionalLeftOut).isTrue();
        assertThat(nullSeen).isTrue();
    }

    @Test
    void numbersReachTheirEdges() {
        Set<Long> counts = new HashSet<>();
        Set<Long> bigs = new HashSet<>();
        for (JsonNode value : generate(5, 400)) {
            if (value.has("count")) {
                counts.add(value.get("count").longValue());
            }
            if (value.has("big")) {
                bigs.add(value.get("big").longValue());
            }
        }
        assertThat(counts).contains(0L, -1L, (long) Integer.MAX_VALUE, (long) Integer.MIN_VALUE);
        assertThat(bigs).contains(Long.MAX_VALUE, Long.MIN_VALUE);
    }

    @Test
    void textAndBinaryInputsAreEncodedAsTheirContentTypeSays() {
        Schema schema = parse("""
                version: v1-draft
                exports:
                  text:
                    input: {contentType: "text/plain; charset=utf-8", type: string}
                  bytes:
                    input: {contentType: application/x-binary, type: buffer}
                """);
        ValueGenerator values = new ValueGenerator(schema, Dictionary.of(List.of()));
        SplittableRandom random = new SplittableRandom(2);
        for (String name : List.of("text", "bytes")) {
            FunctionDecl export = schema.export(name).orElseThrow();
            for (int i = 0; i < 100; i++) {
                byte[] payload = Payloads.encode(export.input(), values.generate(export.input().type(), random));
                assertThat(PayloadValidator.validate(schema, export, Direction.INPUT, payload)).isEmpty();
            }
        }
    }

    @Test
    void thePlainestValueHasOnlyTheRequiredParts() {
        JsonNode plain = generator.plainest(run.input().type());

        assertThat(plain.toString()).isEqualTo("{\"name\":\"\",\"labels\":{}}");
    }
    /** A schema whose map values are the type itself: each value stays small, whatever the seed. */
    @Test
    void valuesOfATypeWhoseMapValuesRecurseStayBounded() {
        Schema tree = parse(HostileSchemas.recursiveMapValues("run"));
        ValueGenerator trees = new ValueGenerator(tree, Dictionary.of(List.of()));
        SplittableRandom random = new SplittableRandom(1);
        long start = System.nanoTime();
        int most = 0;
        for (int i = 0; i < 200; i++) {
            most = Math.max(most, count(trees.generate(tree.export("run").orElseThrow().input().type(), random.split())));
        }
        assertThat(most).isGreaterThan(100).isLessThanOrEqualTo(2 * ValueGenerator.MAX_NODES);
        assertThat(System.nanoTime() - start).as("200 values, nanoseconds").isLessThan(20_000_000_000L);
    }

    /** A chain of 3,000 types, each with a required property of the next: no StackOverflowError. */
    @Test
    void theDeepestChainOfRequiredTypesEndsInNull() {
        Schema chain = parse(HostileSchemas.chainOf3000RequiredTypes("run"));
        ValueGenerator deep = new ValueGenerator(chain, Dictionary.of(List.of()));
        TypeSchemaHolder input = () -> chain.export("run").orElseThrow().input().type();

        assertThat(deep.plainest(input.type()).toString()).startsWith("{\"p\":{\"p\":").contains("\"p\":null}");
        assertThat(deep.generate(input.type(), new SplittableRandom(1)).toString()).startsWith("{\"p\":{\"p\":");
    }

    private interface TypeSchemaHolder {
        dev.hackablemail.schema.xtp.TypeSchema type();
    }

    private static int count(JsonNode node) {
        int n = 1;
        for (JsonNode child : node) {
            n += count(child);
        }
        return n;
    }
}
