package dev.hackablemail.runner.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hackablemail.schema.xtp.TypeSchema;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The shrinker keeps the part of an input that makes it fail, and only what the type requires besides. */
class ShrinkerTest {

    private final TypeSchema email = FuzzTargetsTest.ON_EMAIL.export("onEmail").orElseThrow().input().type();
    private final ValueGenerator values = new ValueGenerator(FuzzTargetsTest.ON_EMAIL, Dictionary.of(List.of()));

    private JsonNode shrink(String json, Predicate<JsonNode> fails) throws Exception {
        Shrinker shrinker = new Shrinker(FuzzTargetsTest.ON_EMAIL, values, fails, 10_000_000_000L, 10_000);
        return shrinker.shrink(Payloads.JSON.readTree(json), email);
    }

    @Test
    void dropsMapKeysAndShortensStringsDownToTheCause() throws Exception {
        String body = "lorem ipsum dolor sit amet \u20ac consectetur adipiscing elit ".repeat(40);
        JsonNode shrunk = shrink("{\"sender\":\"alice@example.com\",\"receiver\":\"bob@example.com\","
                + "\"headers\":{\"Subject\":\"hello\",\"X-A\":\"1\",\"X-B\":\"2\",\"Received\":\"by mx\"},"
                + "\"body\":\"" + body + "\"}", input -> input.path("body").asText().contains("\u20ac"));

        assertThat(shrunk.toString()).isEqualTo("{\"sender\":\"\",\"receiver\":\"\",\"headers\":{},\"body\":\"\u20ac\"}");
    }

    @Test
    void keepsAsManyKeysAsTheFailureNeeds() throws Exception {
        StringBuilder headers = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            headers.append(i == 0 ? "" : ",").append("\"H").append(i).append("\":\"value ").append(i).append('"');
        }
        JsonNode shrunk = shrink("{\"sender\":\"\",\"receiver\":\"\",\"headers\":{" + headers + "},\"body\":\"\"}",
                input -> input.path("headers").size() > 16);

        assertThat(shrunk.path("headers").size()).isEqualTo(17);
        shrunk.path("headers").elements().forEachRemaining(v -> assertThat(v.textValue()).isEmpty());
        shrunk.path("headers").fieldNames().forEachRemaining(name -> assertThat(name).hasSize(1));
    }

    @Test
    void neverDropsARequiredProperty() throws Exception {
        JsonNode shrunk = shrink("{\"sender\":\"a\",\"receiver\":\"b\",\"headers\":{},\"body\":\"c\"}", input -> true);

        assertThat(shrunk.toString()).isEqualTo("{\"sender\":\"\",\"receiver\":\"\",\"headers\":{},\"body\":\"\"}");
    }

    @Test
    void stopsWhenItsBudgetIsSpent() throws Exception {
        Shrinker shrinker = new Shrinker(FuzzTargetsTest.ON_EMAIL, values, input -> input.path("body").asText()
                .length() > 10, 10_000_000_000L, 3);
        JsonNode shrunk = shrinker.shrink(Payloads.JSON.readTree("{\"sender\":\"a\",\"receiver\":\"b\","
                + "\"headers\":{},\"body\":\"" + "x".repeat(1000) + "\"}"), email);

        assertThat(shrinker.attempts()).isEqualTo(3);
        assertThat(shrunk.path("body").asText()).hasSizeGreaterThan(10);
    }

    @Test
    void chunksGoFromAllToHalvesToSingleItems() {
        assertThat(Shrinker.chunks(List.of(1, 2, 3, 4))).containsExactly(
                List.of(1, 2, 3, 4), List.of(1, 2), List.of(3, 4), List.of(1), List.of(2), List.of(3), List.of(4));
    }

    /** T0 -> T1 -> ... -> T(n-1), each a required property: the plainest value of a link is 17 objects deep. */
    private static dev.hackablemail.schema.xtp.Schema chain(int n) throws Exception {
        StringBuilder yaml = new StringBuilder("version: v1-draft\nexports:\n  f:\n"
                + "    input: {contentType: application/json, $ref: '#/components/schemas/T0'}\ncomponents:\n  schemas:\n");
        for (int i = 0; i < n; i++) {
            yaml.append("    T").append(i).append(":\n      required: [p]\n      properties:\n        p: ")
                    .append(i < n - 1 ? "{$ref: '#/components/schemas/T" + (i + 1) + "'}" : "{type: string}").append('\n');
        }
        return dev.hackablemail.schema.xtp.SchemaParser.parse(yaml.toString(), "chain.yaml").orThrow();
    }

    @Test
    void neverTradesAValueForALargerOneSoAFailingChainDoesNotGrowDeeper() throws Exception {
        dev.hackablemail.schema.xtp.Schema chain = chain(40);
        Shrinker shrinker = new Shrinker(chain, new ValueGenerator(chain, Dictionary.of(List.of())), input -> true,
                10_000_000_000L, 10_000);
        JsonNode value = Payloads.JSON.readTree("{\"p\":{\"p\":{\"p\":null}}}");

        JsonNode shrunk = shrinker.shrink(value, chain.export("f").orElseThrow().input().type());

        assertThat(Shrinker.size(shrunk)).isLessThanOrEqualTo(Shrinker.size(value));
        assertThat(shrunk).isEqualTo(value);
    }
}
