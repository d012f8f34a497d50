package dev.hackablemail.filter.trial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hackablemail.filter.FilterConfig;
import dev.hackablemail.filter.TestPlugins;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cases API as the push gate uses it: a cases file and its messages held in memory, run against plugin bytes. */
class MailCasesTest {

    static final Map<String, byte[]> ATTACHED = Map.of("mail/xyz.eml", bytes(Path.of("examples/project-xyz.eml")));

    static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static MailCases parse(String yaml) throws MailCases.CasesException {
        return MailCases.parse("plugin.cases.yaml", yaml.getBytes(StandardCharsets.UTF_8), path -> {
            byte[] b = ATTACHED.get(path);
            if (b == null) {
                throw new NoSuchFileException(path);
            }
            return b;
        });
    }

    @Test
    void theCasesFileOfTheWritingPluginsGuideIsWellFormed() throws Exception {
        String guide = Files.readString(Path.of("../docs/writing-plugins.md"));
        int start = guide.indexOf("```yaml\nfrom: alice@example.org");
        assertThat(start).as("the guide's cases file").isPositive();
        String yaml = guide.substring(start + "```yaml\n".length(), guide.indexOf("```", start + 7));
        MailCases cases = MailCases.parse("vacation.cases.yaml", yaml.getBytes(StandardCharsets.UTF_8),
                path -> bytes(Path.of("examples").resolve(path)));
        assertThat(cases.cases()).extracting(MailCases.MailCase::name).containsExactly(
                "a mail is delivered and answered", "no answer to a mailing list", "no answer to a bounce");
    }

    @Test
    void casesHeldInMemoryRunAgainstPluginBytes() throws Exception {
        MailCases cases = parse("""
                from: alice@example.org
                to: bob@example.com
                cases:
                  - name: attached message
                    message: mail/xyz.eml
                    expect: {exit: 0, delivered: true, reply: {subject_contains: XYZ}}
                  - name: inline message, headers in their order
                    from: ""
                    headers:
                      Subject: Project XYZ bounce
                      X-Multi: "two\\nlines"
                    body: undeliverable
                    expect: {reply: none, suppressed: null sender}
                """);
        assertThat(cases.cases()).extracting(MailCases.MailCase::line).containsExactly(4, 7);
        assertThat(new String(cases.cases().get(1).message(), StandardCharsets.UTF_8))
                .isEqualTo("Subject: Project XYZ bounce\nX-Multi: two\n lines\n\nundeliverable\n");

        List<MailCases.CaseResult> results = cases.run(new MailTrial(FilterConfig.defaults(), null),
                Files.readAllBytes(TestPlugins.EXAMPLE));

        assertThat(results).allSatisfy(r -> assertThat(r.differences()).as(r.mailCase().name()).isEmpty());
        assertThat(results.get(1).result().suppressed().rule()).contains("null sender");
    }

    @Test
    void aCaseFailsWithEveryDifferenceSpelledOut() throws Exception {
        MailCases cases = parse("""
                from: alice@example.org
                to: bob@example.com
                cases:
                  - name: bounces
                    message: mail/xyz.eml
                    expect:
                      exit: 77
                      delivered: false
                      reply: {subject: "Nope", body_matches: "^Go away"}
                """);
        List<MailCases.CaseResult> results = cases.run(new MailTrial(FilterConfig.defaults(), null),
                Files.readAllBytes(TestPlugins.EXAMPLE));

        assertThat(results.get(0).passed()).isFalse();
        assertThat(results.get(0).differences()).containsExactly(
                "exit code: expected 77, got 0 (delivered; the filter exits 0)",
                "delivered: expected no, got yes (delivered; the filter exits 0)",
                "reply subject: expected 'Nope', got 'RE: Status of Project XYZ'",
                "reply body: expected it to match /^Go away/, got 'Hello,\\n\\nyour message was delivered, but please "
                        + "note: talking about Project XYZ is forbidden. Do not mention it in mail to this address "
                        + "again.\\n\\nThis is an automatic reply.\\n'");
    }

    @Test
    void aReplyExpectedButNotCalledSaysSo() throws Exception {
        MailCases cases = parse("""
                cases:
                  - name: wants a reply
                    from: a@example.org
                    to: b@example.com
                    body: hi
                    expect: {reply: sent}
                """);
        List<MailCases.CaseResult> results = cases.run(new MailTrial(FilterConfig.defaults(), null),
                TestPlugins.deliverInput());
        assertThat(results.get(0).differences()).containsExactly("reply: expected one, got none (the plugin did not "
                + "call reply)");
    }

    @Test
    void mistakesNameTheFileAndLine() {
        assertThatThrownBy(() -> parse("cases:\n  - name: x\n    from: a@b\n    to: c@d\n    message: other.eml\n"
                + "    expect: {exit: 0}\n"))
                .hasMessage("plugin.cases.yaml:5: case 'x': the message file other.eml does not exist");
        assertThatThrownBy(() -> parse("cases:\n  - name: x\n    from: a@b\n    to: c@d\n    body: hi\n"
                + "    expect: {reply: sent, suppressed: List}\n"))
                .hasMessage("plugin.cases.yaml:6: case 'x': a reply cannot be both sent and suppressed");
        assertThatThrownBy(() -> parse("cases: []\n")).hasMessage("plugin.cases.yaml:1: 'cases' is empty");
        assertThatThrownBy(() -> parse("")).hasMessageStartingWith("plugin.cases.yaml: empty");
        assertThatThrownBy(() -> parse("cases:\n  - name: x\n    from: a@b\n    to: c@d\n    body: hi\n"
                + "    expect: {delivered: maybe}\n"))
                .hasMessage("plugin.cases.yaml:6: delivered: expected true or false, got 'maybe'");
        assertThatThrownBy(() -> parse("cases:\n  - name: x\n    from: a@b\n    to: c@d\n    headers: {\"Bad Name\": v}\n"
                + "    expect: {exit: 0}\n"))
                .hasMessage("plugin.cases.yaml:5: case 'x': 'Bad Name' is not a header name");
    }
}
