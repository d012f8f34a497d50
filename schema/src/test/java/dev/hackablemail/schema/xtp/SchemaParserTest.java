package dev.hackablemail.schema.xtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaParserTest {

    private static final String FULL = String.join("\n",
            "version: v1-draft",
            "exports:",
            "  voidFunc:",
            "    description: takes and returns nothing",
            "  greet:",
            "    description: text in, JSON out",
            "    codeSamples:",
            "      - lang: rust",
            "        source: fn greet() {}",
            "        label: a sample",
            "    input: {contentType: text/plain; charset=utf-8, type: string}",
            "    output: {contentType: application/json, $ref: '#/components/schemas/Fruit'}",
            "  blob:",
            "    input: {contentType: application/x-binary, type: buffer}",
            "imports:",
            "  eat:",
            "    input: {contentType: application/json, $ref: '#/components/schemas/Basket', description: d}",
            "    output: {contentType: application/json, type: boolean}",
            "components:",
            "  schemas:",
            "    Fruit:",
            "      description: a fruit",
            "      enum: [apple, orange]",
            "    Basket:",
            "      required: [fruit, count]",
            "      properties:",
            "        fruit: {$ref: '#/components/schemas/Fruit', description: which}",
            "        count: {type: integer, format: int32}",
            "        price: {type: number, format: double, nullable: true}",
            "        when: {type: string, format: date-time}",
            "        tags: {type: array, items: {type: string}}",
            "        labels: {additionalProperties: {type: string}}",
            "        next: {$ref: '#/components/schemas/Basket'}",
            "    Count:",
            "      type: integer",
            "");

    @Test
    void readsEveryPartOfAValidV1Schema() throws Exception {
        SchemaResult result = SchemaParser.parse(FULL, "full.yaml");

        assertThat(result.problems()).isEmpty();
        Schema schema = result.orThrow();
        assertThat(schema.version()).isEqualTo(XtpVersion.V1_DRAFT);
        assertThat(schema.exports()).containsOnlyKeys("voidFunc", "greet", "blob");
        assertThat(schema.exports().keySet()).containsExactly("voidFunc", "greet", "blob");

        FunctionDecl voidFunc = schema.export("voidFunc").orElseThrow();
        assertThat(voidFunc.hasInput()).isFalse();
        assertThat(voidFunc.hasOutput()).isFalse();

        FunctionDecl greet = schema.export("greet").orElseThrow();
        assertThat(greet.codeSamples()).containsExactly(new CodeSample("rust", "fn greet() {}", "a sample"));
        assertThat(greet.input().contentType()).isEqualTo(ContentType.TEXT);
        assertThat(greet.input().type().type()).isEqualTo(XtpType.STRING);
        assertThat(greet.output().type().ref()).isEqualTo("Fruit");
        assertThat(schema.resolve(greet.output().type()).orElseThrow().enumValues()).containsExactly("apple", "orange");

        FunctionDecl eat = schema.hostFunction("eat").orElseThrow();
        assertThat(eat.input().description()).isEqualTo("d");
        assertThat(eat.location()).isEqualTo(new Location(16, 3));

        TypeSchema basket = schema.types().get("Basket");
        assertThat(basket.effectiveType()).isEqualTo(XtpType.OBJECT);
        assertThat(basket.properties().keySet())
                .containsExactly("fruit", "count", "price", "when", "tags", "labels", "next");
        assertThat(basket.isRequired("count")).isTrue();
        assertThat(basket.isRequired("price")).isFalse();
        assertThat(basket.properties().get("count").format()).isEqualTo("int32");
        assertThat(basket.properties().get("price").nullable()).isTrue();
        assertThat(basket.properties().get("tags").items().type()).isEqualTo(XtpType.STRING);
        assertThat(basket.properties().get("labels").additionalProperties().type()).isEqualTo(XtpType.STRING);
        assertThat(basket.properties().get("labels").effectiveType()).isEqualTo(XtpType.OBJECT);
        assertThat(schema.types().get("Fruit").effectiveType()).isEqualTo(XtpType.STRING);
    }

    @Test
    void readsAV0Schema() throws Exception {
        Schema schema = SchemaParser.parse("version: v0\nexports: [onEmail, count_vowels]\n", "old.yaml").orThrow();

        assertThat(schema.version()).isEqualTo(XtpVersion.V0);
        assertThat(schema.exports().keySet()).containsExactly("onEmail", "count_vowels");
        assertThat(schema.imports()).isEmpty();
    }

    @Test
    void optionalRecursionIsAllowed() throws Exception {
        // Basket.next refers to Basket, but it is optional: a finite basket exists
        assertThat(SchemaParser.parse(FULL, "full.yaml").problems()).isEmpty();
    }

    @Test
    void textThatIsNotYamlIsASyntaxErrorNamingFileAndLine() {
        assertThatThrownBy(() -> SchemaParser.parse("version: v1-draft\nexports: [unclosed\n", "broken.yaml"))
                .isInstanceOf(SchemaSyntaxException.class)
                .hasMessageStartingWith("broken.yaml:3:1: not valid YAML: ");
    }

    @Test
    void anEmptyFileIsOneProblem() throws Exception {
        SchemaResult result = SchemaParser.parse("", "empty.yaml");

        assertThat(result.schema()).isNull();
        assertThat(result.problems()).extracting(Problem::toString)
                .containsExactly("empty.yaml: the file is empty: an XTP schema starts with 'version: v1-draft'");
    }

    @Test
    void orThrowListsEveryProblem() throws Exception {
        SchemaResult result = SchemaParser.parse(
                "version: v1-draft\nexports:\n  f: {input: {type: string}}\n  g: {output: {type: nope, contentType: application/json}}\n",
                "two.yaml");

        assertThatThrownBy(result::orThrow)
                .isInstanceOf(InvalidSchemaException.class)
                .hasMessageContaining("two.yaml is not a valid XTP schema (2 problems):")
                .hasMessageContaining("two.yaml:3:14: exports.f.input: contentType is missing")
                .hasMessageContaining("two.yaml:4:22: exports.g.output.type: unknown type 'nope'");
    }

    @Test
    void problemsPrintAsFileLineColumnPathMessage() {
        Problem p = new Problem("on-email.yaml", "exports.onEmail.input.$ref", new Location(12, 7), "no schema named 'X'");
        assertThat(p).hasToString("on-email.yaml:12:7: exports.onEmail.input.$ref: no schema named 'X'");
        assertThat(List.of(new Problem("a.yaml", "", null, "m"))).extracting(Problem::toString).containsExactly("a.yaml: m");
    }

    /** T0 -> T1 -> ... -> T(n-1), each a required property; the last one points back at T0 when {@code closed}. */
    private static String chain(int n, boolean closed) {
        StringBuilder yaml = new StringBuilder("version: v1-draft\nexports:\n  f:\n"
                + "    input: {contentType: application/json, $ref: '#/components/schemas/T0'}\n"
                + "components:\n  schemas:\n");
        for (int i = 0; i < n; i++) {
            String next = i < n - 1 ? "{$ref: '#/components/schemas/T" + (i + 1) + "'}"
                    : closed ? "{$ref: '#/components/schemas/T0'}" : "{type: string}";
            yaml.append("    T").append(i).append(":\n      required: [p]\n      properties:\n        p: ")
                    .append(next).append('\n');
        }
        return yaml.toString();
    }

    /** Runs {@code parse} on a thread with a small stack: a deep schema must not need a deep stack. */
    private static SchemaResult onSmallStack(String yaml) throws InterruptedException {
        SchemaResult[] result = new SchemaResult[1];
        Throwable[] thrown = new Throwable[1];
        Thread thread = new Thread(null, () -> {
            try {
                result[0] = SchemaParser.parse(yaml, "chain.yaml");
            } catch (Throwable t) {
                thrown[0] = t;
            }
        }, "small-stack", 128 * 1024);
        thread.start();
        thread.join();
        assertThat(thrown[0]).isNull();
        return result[0];
    }

    @Test
    void aChainOfThousandsOfRequiredReferencesNeedsNoDeepStack() throws Exception {
        SchemaResult result = onSmallStack(chain(3000, false));

        assertThat(result.problems()).isEmpty();
        assertThat(result.orThrow().types()).hasSize(3000);
    }

    @Test
    void aCycleThousandsOfStepsLongIsReportedOnce() throws Exception {
        SchemaResult result = onSmallStack(chain(3000, true));

        assertThat(result.problems()).hasSize(1);
        assertThat(result.problems().get(0).toString())
                .contains("components.schemas.T0.properties.p")
                .contains("cyclic reference T0.p -> T1.p -> T2.p")
                .contains("T2999.p -> T0:");
    }
}
