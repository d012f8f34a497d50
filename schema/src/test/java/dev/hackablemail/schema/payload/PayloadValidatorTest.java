package dev.hackablemail.schema.payload;

import static dev.hackablemail.schema.payload.Direction.INPUT;
import static dev.hackablemail.schema.payload.Direction.OUTPUT;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hackablemail.schema.SampleSchemas;
import dev.hackablemail.schema.xtp.Schema;
import dev.hackablemail.schema.xtp.SchemaParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class PayloadValidatorTest {

    private static final Schema ON_EMAIL = SampleSchemas.onEmail();
    private static final String MAIL = "{\"sender\": \"a@example.com\", \"receiver\": \"b@example.com\","
            + " \"headers\": {\"Subject\": \"simulation00\"}, \"body\": \"What body?\"}";

    private static List<String> check(String function, Direction direction, String json) {
        return PayloadValidator.validate(ON_EMAIL, function, direction, json.getBytes(UTF_8));
    }

    @Test
    void aGoodMailPasses() {
        assertThat(check("onEmail", INPUT, MAIL)).isEmpty();
        assertThat(check("deliver", INPUT, MAIL)).isEmpty();
    }

    @Test
    void theCheckHandsBackTheTreeItRead() {
        PayloadValidator.Checked good = PayloadValidator.check(ON_EMAIL, "deliver", INPUT, MAIL.getBytes(UTF_8));
        PayloadValidator.Checked bad = PayloadValidator.check(ON_EMAIL, "deliver", INPUT, "{\"sender\": ".getBytes(UTF_8));

        assertThat(good.problems()).isEmpty();
        assertThat(good.json().get("headers").get("Subject").textValue()).isEqualTo("simulation00");
        assertThat(bad.problems()).singleElement().asString().startsWith("IncomingEmail: not valid JSON: ");
        assertThat(bad.json()).isNull();
    }

    @Test
    void hostileJsonIsAProblemAndHandsBackNoTree() {
        String valid = MAIL.strip();
        java.util.Map<String, byte[]> payloads = new java.util.LinkedHashMap<>();
        payloads.put("Trailing token", (valid + " {}").getBytes(UTF_8));
        payloads.put("Unrecognized token 'garbage'", (valid + " garbage").getBytes(UTF_8));
        payloads.put("nesting depth (1001) exceeds the maximum allowed (1000",
                ("[".repeat(1001) + "]".repeat(1001)).getBytes(UTF_8));
        byte[] latin1 = valid.replace("simulation00", "caf\u00e9").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        payloads.put("Invalid UTF-8", latin1);
        payloads.forEach((expected, payload) -> {
            PayloadValidator.Checked checked = PayloadValidator.check(ON_EMAIL, "deliver", INPUT, payload);
            assertThat(checked.problems()).as(expected).singleElement().asString()
                    .startsWith("IncomingEmail: not valid JSON: ").contains(expected);
            assertThat(checked.json()).as(expected).isNull();
        });
    }

    @Test
    void aDuplicateKeyIsCheckedAsTheValueTheTreeKeeps() {
        String twice = MAIL.strip().replaceFirst("\\{", "{\"sender\": 7, ");
        PayloadValidator.Checked checked = PayloadValidator.check(ON_EMAIL, "deliver", INPUT, twice.getBytes(UTF_8));
        assertThat(checked.problems()).isEmpty(); // the later, valid sender is the one bound
        assertThat(checked.json().get("sender").isTextual()).isTrue();

        String invalidLast = MAIL.strip().replaceFirst("\\}\\s*$", ", \"sender\": 7}");
        assertThat(PayloadValidator.check(ON_EMAIL, "deliver", INPUT, invalidLast.getBytes(UTF_8)).problems())
                .singleElement().asString().contains("sender");
    }

    @Test
    void aMissingRequiredFieldIsNamed() {
        assertThat(check("onEmail", INPUT, "{\"sender\": \"a@x\", \"receiver\": \"b@x\", \"headers\": {}}"))
                .containsExactly("IncomingEmail: missing required field 'body'");
    }

    @Test
    void aWrongTypeIsNamedByItsFieldPath() {
        assertThat(check("onEmail", INPUT, MAIL.replace("\"simulation00\"", "12")))
                .containsExactly("IncomingEmail.headers.Subject: expected string, got number");
    }

    @Test
    void everyProblemIsListed() {
        String json = "{\"sender\": null, \"receiver\": [], \"headers\": \"Subject: hi\", \"to\": \"c@x\"}";

        assertThat(check("deliver", INPUT, json)).containsExactly(
                "IncomingEmail: missing required field 'body'",
                "IncomingEmail.sender: expected string, got null",
                "IncomingEmail.receiver: expected string, got array",
                "IncomingEmail.headers: expected object, got string",
                "IncomingEmail: unexpected field 'to' (fields: sender, receiver, headers, body)");
    }

    @Test
    void headerNamesThatAreNotPlainArePrintedInBrackets() {
        assertThat(check("onEmail", INPUT, MAIL.replace("\"Subject\"", "\"X Weird.Name\"").replace("\"simulation00\"", "true")))
                .containsExactly("IncomingEmail.headers[\"X Weird.Name\"]: expected string, got boolean");
    }

    @Test
    void theReturnCodeIsAJsonInteger() {
        assertThat(check("onEmail", OUTPUT, "0")).isEmpty();
        assertThat(check("onEmail", OUTPUT, "75")).isEmpty();
        assertThat(check("onEmail", OUTPUT, "\"0\"")).containsExactly("onEmail output: expected integer, got string");
        assertThat(check("onEmail", OUTPUT, "1.5")).containsExactly("onEmail output: expected integer, got number 1.5");
        assertThat(check("deliver", OUTPUT, "4294967296")).containsExactly("deliver output: 4294967296 does not fit in int32");
        assertThat(check("reply", OUTPUT, "null")).containsExactly("reply output: expected integer, got null");
    }

    @Test
    void aReplyNeedsSubjectAndBody() {
        assertThat(check("reply", INPUT, "{\"body\": \"hello\"}"))
                .containsExactly("ReplyEmail: missing required field 'subject'");
    }

    @Test
    void payloadsThatAreNotJsonAreReported() {
        assertThat(check("onEmail", INPUT, "{\"sender\": ")).singleElement().asString()
                .startsWith("IncomingEmail: not valid JSON: ");
        assertThat(check("onEmail", OUTPUT, "0 1")).singleElement().asString()
                .startsWith("onEmail output: not valid JSON: ");
        assertThat(check("onEmail", OUTPUT, "")).containsExactly("onEmail output: expected JSON, got nothing");
    }

    @Test
    void anUnknownFunctionIsAnError() {
        assertThatThrownBy(() -> check("onSms", INPUT, "{}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("schema on-email.yaml declares no export or import named 'onSms'");
    }

    private static final Schema KINDS = parse(String.join("\n",
            "version: v1-draft",
            "exports:",
            "  text: {input: {contentType: text/plain; charset=utf-8, $ref: '#/components/schemas/Fruit'}}",
            "  bytes: {input: {contentType: application/x-binary, type: buffer}}",
            "  nothing: {}",
            "  thing: {input: {contentType: application/json, $ref: '#/components/schemas/Thing'}}",
            "components:",
            "  schemas:",
            "    Fruit: {enum: [apple, pear]}",
            "    Thing:",
            "      required: [when, tags, fruit]",
            "      properties:",
            "        when: {type: string, format: date-time}",
            "        tags: {type: array, items: {type: string}}",
            "        fruit: {$ref: '#/components/schemas/Fruit'}",
            "        maybe: {$ref: '#/components/schemas/Fruit', nullable: true}",
            "        data: {type: buffer}",
            "        ratio: {type: number}",
            "        big: {type: integer, format: int64}"));

    private static Schema parse(String yaml) {
        try {
            return SchemaParser.parse(yaml, "kinds.yaml").orThrow();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> kinds(String function, String payload) {
        return PayloadValidator.validate(KINDS, function, INPUT, payload.getBytes(UTF_8));
    }

    @Test
    void textIsCheckedAsUtf8AndAgainstAnEnum() {
        assertThat(kinds("text", "apple")).isEmpty();
        assertThat(kinds("text", "plum")).containsExactly("Fruit: expected one of apple, pear, got 'plum'");
        assertThat(PayloadValidator.validate(KINDS, "text", INPUT, new byte[] {(byte) 0xff, 'a'}))
                .containsExactly("Fruit: expected UTF-8 text, got bytes that are not UTF-8");
    }

    @Test
    void binaryIsNotChecked() {
        assertThat(PayloadValidator.validate(KINDS, "bytes", INPUT, new byte[] {0, (byte) 0xff})).isEmpty();
    }

    @Test
    void anUndeclaredInputMustBeEmpty() {
        assertThat(kinds("nothing", "")).isEmpty();
        assertThat(kinds("nothing", "{}")).containsExactly("nothing input: the schema declares none, got 2 bytes");
    }

    @Test
    void formatsArraysEnumsAndNullablesAreChecked() {
        String good = "{\"when\": \"2024-05-01T12:30:00Z\", \"tags\": [\"a\"], \"fruit\": \"pear\", \"maybe\": null,"
                + " \"data\": \"AAEC\", \"ratio\": 0.5, \"big\": 9007199254740993}";
        assertThat(kinds("thing", good)).isEmpty();

        String bad = "{\"when\": \"yesterday\", \"tags\": [\"a\", 2], \"fruit\": null, \"data\": \"not base64!\","
                + " \"ratio\": \"half\", \"big\": 1e3}";
        assertThat(kinds("thing", bad)).containsExactly(
                "Thing.when: expected a date-time such as 2024-05-01T12:30:00Z, got 'yesterday'",
                "Thing.tags[1]: expected string, got number",
                "Thing.fruit: expected one of apple, pear, got null",
                "Thing.data: expected a buffer as base64, got text that is not base64",
                "Thing.ratio: expected number, got string",
                "Thing.big: expected integer, got number 1000.0");
    }

    @Test
    void aV0SchemaChecksNothing() throws Exception {
        Schema v0 = SchemaParser.parse("version: v0\nexports: [onEmail]\n", "old.yaml").orThrow();

        assertThat(PayloadValidator.validate(v0, "onEmail", INPUT, "not json".getBytes(UTF_8))).isEmpty();
    }

    @Test
    void aFloodOfProblemsIsCapped() {
        StringBuilder tags = new StringBuilder("[");
        for (int i = 0; i < 80; i++) {
            tags.append(i == 0 ? "" : ",").append(i);
        }
        String json = "{\"when\": \"2024-05-01T12:30:00Z\", \"fruit\": \"pear\", \"tags\": " + tags + "]}";

        List<String> problems = kinds("thing", json);
        assertThat(problems).hasSize(Messages.CAP + 1).last().isEqualTo("... and 30 more");
    }
}
