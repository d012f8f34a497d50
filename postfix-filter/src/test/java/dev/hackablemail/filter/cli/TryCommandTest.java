package dev.hackablemail.filter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hackablemail.filter.TestPlugins;
import dev.hackablemail.store.FolderStore;
import dev.hackablemail.store.GuestStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hackable-email try} as an author runs it: what it prints, its exit codes, and that it
 * never runs sendmail, never writes the store, the ledger or the log.
 */
class TryCommandTest {

    static final String ALICE = "alice@example.org";
    static final String BOB = "bob@example.com";
    static final Path EXAMPLE_MAIL = Path.of("examples/project-xyz.eml");
    static final Path EXAMPLE_CASES = Path.of("examples/example-plugin.cases.yaml");

    @TempDir
    Path tmp;
    Path config;
    Path store;
    Path sendmailRan;
    Map<String, String> before;

    @BeforeEach
    void setUp() throws IOException {
        sendmailRan = tmp.resolve("sendmail-ran");
        Path sendmail = tmp.resolve("sendmail");
        // fails the test if it ever runs: try sends nothing
        Files.writeString(sendmail, "#!/bin/sh\necho \"$@\" >> '" + sendmailRan + "'\nexit 1\n");
        Files.setPosixFilePermissions(sendmail, PosixFilePermissions.fromString("rwxr-xr-x"));
        store = tmp.resolve("store");
        Files.createDirectories(store);
        try (GuestStore s = new FolderStore(store)) {
            s.setAliases(BOB, List.of("robert@example.com"));
            s.claim(BOB, GuestStore.Ledger.REPLIES, "carol@example.net", Duration.ofDays(7), Instant.now());
        }
        config = tmp.resolve("filter.yaml");
        Files.writeString(config, "store: " + store + "\nsendmail: " + sendmail + "\nlog: " + tmp.resolve("filter.log")
                + "\nplugin_timeout: 2s\n");
        before = snapshot();
    }

    @AfterEach
    void nothingWasSentOrWritten() throws IOException {
        assertThat(sendmailRan).as("sendmail must never run").doesNotExist();
        assertThat(tmp.resolve("filter.log")).as("the filter's log").doesNotExist();
        assertThat(snapshot()).as("the store and its ledgers").isEqualTo(before);
    }

    /** Every file of the store: its path, size, modification time and content. */
    Map<String, String> snapshot() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(store)) {
            for (Path p : all.toList()) {
                files.put(store.relativize(p).toString(), Files.isDirectory(p) ? "dir"
                        : Files.getLastModifiedTime(p) + " " + new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
            }
        }
        return files;
    }

    record Run(int code, String out, String err) {}

    Run run(String stdin, String... args) {
        InputStream oldIn = System.in;
        PrintStream oldErr = System.err;
        PrintStream oldOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            int code = Main.commandLine().execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setIn(oldIn);
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
    }

    Run tryExample(String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("try", "--config", config.toString(), "--plugin",
                TestPlugins.EXAMPLE.toString(), "--from", ALICE, "--to", BOB));
        args.addAll(List.of(more));
        return run("", args.toArray(String[]::new));
    }

    Path plugin(byte[] wasm) throws IOException {
        Path p = tmp.resolve("plugin-" + System.nanoTime() + ".wasm");
        Files.write(p, wasm);
        return p;
    }

    @Test
    void theExamplePluginOnAProjectXyzMailShowsTheReplyItWouldSendAndExitsZero() {
        Run r = tryExample(EXAMPLE_MAIL.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        String out = r.out();
        // in order: the input, the host calls, the delivery, the reply, the log, the decision
        assertThat(out).containsSubsequence(
                "The mail the plugin received (IncomingEmail):", "sender:   " + ALICE, "receiver: " + BOB,
                "Subject: Status of Project XYZ", "body: 137 characters", "| could you send me the latest numbers",
                "Host calls:", "deliver {\"sender\":\"alice@example.org\"", "-> 0",
                "reply {\"subject\":\"RE: Status of Project XYZ\"", "-> 0",
                "Delivery:", "to <bob@example.com>, envelope sender <alice@example.org>: the original message, byte "
                        + "for byte (877 bytes)",
                "Answer to the sender:", "the reply as it would be sent to <alice@example.org>",
                "| From: <bob@example.com>", "| To: <alice@example.org>", "| Subject: RE: Status of Project XYZ",
                "| In-Reply-To: <9d2e3b8f-6e1c-4a51-9d3c-0f6e2b7a1c44@example.org>",
                "| Auto-Submitted: auto-replied", "| ", "| your message was delivered, but please note: talking about "
                        + "Project XYZ is forbidden.",
                "Plugin log:", "Decision: delivered; the filter exits 0");
        // a long header value is abridged, saying how much was left out
        assertThat(out).containsPattern("Received: from mx\\.example\\.org .*\\.\\.\\. \\(\\d+ more characters\\)");
    }

    @Test
    void aSenderBouncingPluginExitsWithTheFiltersCodeAndItsReason() throws IOException {
        Path mail = tmp.resolve("spam.eml");
        Files.writeString(mail, "From: <mallory@spam.example>\nTo: <bob@example.com>\nSubject: offer\n\nbuy\n");
        Run r = run("", "try", "--config", config.toString(), "--plugin", "../example-plugin/dist/sender-bouncer.wasm",
                "--from", "mallory@spam.example", "--to", BOB, mail.toString());

        assertThat(r.code()).isEqualTo(77);
        assertThat(r.out()).containsSubsequence("Host calls:\n  (none)", "nothing would be delivered",
                "Plugin log:\n  INFO: sender-bouncer: the sender's domain is blocked; bouncing with 77",
                "Decision: bounced: Postfix returns the mail to its sender; the filter exits 77",
                "hackable-email: the recipient's plugin rejected the mail (code 77)");

        Run other = run("", "try", "--config", config.toString(), "--plugin", "../example-plugin/dist/sender-bouncer.wasm",
                "--from", ALICE, "--to", BOB, EXAMPLE_MAIL.toString());
        assertThat(other.code()).isZero();
        assertThat(other.out()).contains("deliver {", "Decision: delivered; the filter exits 0");
    }

    @Test
    void aLoopingPluginIsStoppedAtItsTimeoutAndReportedAsTheFilterReportsIt() throws IOException {
        // fuzz-targets' long-body-loop never ends on a body of 64 KiB or more
        Path mail = tmp.resolve("long.eml");
        Files.writeString(mail, "From: <alice@example.org>\nTo: <bob@example.com>\nSubject: long\n\n"
                + ("x".repeat(75) + "\n").repeat(1000));
        Run r = run("", "try", "--config", config.toString(), "--plugin", "../fuzz-targets/dist/long-body-loop.wasm",
                "--from", ALICE, "--to", BOB, mail.toString());

        assertThat(r.code()).isEqualTo(70);
        assertThat(r.out()).contains("Decision: bounced: Postfix returns the mail to its sender; the filter exits 70",
                "nothing would be delivered").containsPattern("hackable-email: .*(timeout|time limit|took longer)");
    }

    @Test
    void aReplyTheLedgerWouldSuppressIsReportedAndTheLedgerIsOnlyRead() throws IOException {
        Files.writeString(tmp.resolve("carol.eml"), new String(Files.readAllBytes(EXAMPLE_MAIL), StandardCharsets.UTF_8)
                .replace("alice@example.org", "carol@example.net"));
        Run r = run("", "try", "--config", config.toString(), "--plugin", TestPlugins.EXAMPLE.toString(), "--from",
                "carol@example.net", "--to", BOB, tmp.resolve("carol.eml").toString());

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("reply {\"subject\":\"RE: Status of Project XYZ\"",
                "the plugin's reply would not be sent: already sent to carol@example.net at ")
                .doesNotContain("| Auto-Submitted");
    }

    @Test
    void aReplyToAMailingListIsSuppressedByItsRule() throws IOException {
        Run r = run("List-Id: <team.example.org>\n" + Files.readString(EXAMPLE_MAIL), "try", "--config",
                config.toString(), "--plugin", TestPlugins.EXAMPLE.toString(), "--from", ALICE, "--to", BOB, "-");

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("standard input",
                "the plugin's reply would not be sent: the mail comes from a mailing list (List-Id)");
    }

    @Test
    void anAliasOfTheGuestInToIsReadFromTheStore() throws IOException {
        Run r = run(Files.readString(EXAMPLE_MAIL).replace("To: Bob Example <bob@example.com>",
                "To: Robert <robert@example.com>"), "try", "--config", config.toString(), "--plugin",
                TestPlugins.EXAMPLE.toString(), "--from", ALICE, "--to", BOB, "-");

        assertThat(r.out()).contains("| To: <alice@example.org>", "| Subject: RE: Status of Project XYZ");
    }

    @Test
    void jsonIsOneDocumentWithTheSameParts() throws IOException {
        Run r = tryExample("--json", EXAMPLE_MAIL.toString());

        assertThat(r.code()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.path("input").path("headers").path("Subject").asText()).isEqualTo("Status of Project XYZ");
        assertThat(json.path("hostCalls").findValuesAsText("function")).containsExactly("deliver", "reply");
        assertThat(json.path("hostCalls").get(1).path("answer").asInt(-1)).isZero();
        assertThat(json.path("delivery").path("unchanged").asBoolean()).isTrue();
        assertThat(json.path("answer").path("subject").asText()).isEqualTo("RE: Status of Project XYZ");
        assertThat(json.path("answer").path("message").asText()).contains("Auto-Submitted: auto-replied\n",
                "In-Reply-To: <9d2e3b8f-6e1c-4a51-9d3c-0f6e2b7a1c44@example.org>\n");
        assertThat(json.path("suppressed").isNull()).isTrue();
        assertThat(json.path("decision").asText()).isEqualTo("delivered");
        assertThat(json.path("exitCode").asInt(-1)).isZero();
    }

    @Test
    void theGuestsActivePluginIsReadFromTheStore() throws IOException {
        try (GuestStore s = new FolderStore(store)) {
            s.push(BOB, Files.readAllBytes(TestPlugins.EXAMPLE), Instant.now(), "admin", List.of(), 5);
        }
        before = snapshot();
        Run r = run("", "try", "--config", config.toString(), "--guest", BOB, "--from", ALICE, EXAMPLE_MAIL.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("bob@example.com's active plugin", "| Subject: RE: Status of Project XYZ");
    }

    @Test
    void aHeaderChangeOfThePluginIsShown() throws IOException {
        Path edits = plugin(TestPlugins.deliverJson("{\"sender\":\"" + ALICE + "\",\"receiver\":\"" + BOB
                + "\",\"headers\":{\"Subject\":\"[ext] hello\",\"To\":\"<bob@example.com>\"},\"body\":\"hello\\n\"}"));
        Run r = run("From: <alice@example.org>\nTo: <bob@example.com>\nSubject: hello\n\nhello\n", "try", "--config",
                config.toString(), "--plugin", edits.toString(), "--from", ALICE, "--to", BOB, "-");

        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("the original message with the plugin's changes", "  - Subject: hello",
                "  + Subject: [ext] hello");
    }

    @Test
    void aReplyTheHostRefusesIsShownWithItsReasonAndTheFiltersCode() throws IOException {
        Path overlong = plugin(TestPlugins.replyJson("{\"subject\":\"" + "x".repeat(2000) + "\",\"body\":\"text\"}"));
        Run r = run("", "try", "--config", config.toString(), "--plugin", overlong.toString(), "--from", ALICE, "--to",
                BOB, EXAMPLE_MAIL.toString());

        assertThat(r.code()).isEqualTo(65);
        assertThat(r.out()).containsSubsequence("reply {\"subject\":\"xxx", "-> 65",
                "the plugin's reply is refused: the subject is 2000 characters long",
                "Decision: bounced: Postfix returns the mail to its sender; the filter exits 65");
    }

    @Test
    void whatTryCannotRunOnIsAClearErrorWithExitTwo() throws IOException {
        Run missingMail = tryExample(tmp.resolve("nope.eml").toString());
        assertThat(missingMail.code()).isEqualTo(2);
        assertThat(missingMail.err()).isEqualTo("hackable-email try: " + tmp.resolve("nope.eml") + ": no such file\n");

        Run noPlugin = run("", "try", "--from", ALICE, "--to", BOB, EXAMPLE_MAIL.toString());
        assertThat(noPlugin.code()).isEqualTo(2);
        assertThat(noPlugin.err()).startsWith("hackable-email try: ").contains("--plugin", "--guest", "try --help");

        Run noSender = run("", "try", "--plugin", TestPlugins.EXAMPLE.toString(), "--to", BOB, EXAMPLE_MAIL.toString());
        assertThat(noSender.code()).isEqualTo(2);
        assertThat(noSender.err()).contains("--from SENDER");

        Run missingPlugin = run("", "try", "--config", config.toString(), "--plugin", "nope.wasm", "--from", ALICE,
                "--to", BOB, EXAMPLE_MAIL.toString());
        assertThat(missingPlugin.code()).isEqualTo(2);
        assertThat(missingPlugin.err()).isEqualTo("hackable-email try: --plugin nope.wasm: no such file\n");

        Path badConfig = tmp.resolve("bad.yaml");
        Files.writeString(badConfig, "plugin_timeot: 1s\n");
        Run config = run("", "try", "--config", badConfig.toString(), "--plugin", TestPlugins.EXAMPLE.toString(),
                "--from", ALICE, "--to", BOB, EXAMPLE_MAIL.toString());
        assertThat(config.code()).isEqualTo(2);
        assertThat(config.err()).contains("configuration: " + badConfig + ": unknown setting 'plugin_timeot'");

        Run noGuestPlugin = run("", "try", "--config", this.config.toString(), "--guest", "dan@example.com", "--to", BOB,
                "--from", ALICE, EXAMPLE_MAIL.toString());
        assertThat(noGuestPlugin.code()).isEqualTo(2);
        assertThat(noGuestPlugin.err()).contains("--guest dan@example.com: no active plugin in the store");
    }

    @Test
    void aStoreThatCannotBeReadIsTrysProblemNotTheMails() throws IOException {
        Path noStore = tmp.resolve("no-store.yaml");
        Files.writeString(noStore, "store: " + tmp.resolve("missing-store") + "\n");
        Run r = run("", "try", "--config", noStore.toString(), "--guest", BOB, "--from", ALICE, EXAMPLE_MAIL.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        String missing = tmp.resolve("missing-store").toString();
        assertThat(r.err()).startsWith("hackable-email try: the store " + missing + ": ")
                .doesNotContain("Exception", "\tat ");
        assertThat(r.err().split(java.util.regex.Pattern.quote(missing), -1)).as("the store named once").hasSize(2);
    }

    @Test
    void everyMissingPartOfTheMessageIsNamed() {
        Run r = run("", "try", "--config", config.toString(), "--plugin", TestPlugins.EXAMPLE.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("hackable-email try: missing MAIL.eml (or - for standard input), --from SENDER,"
                + " --to RECIPIENT: ");
        r = run("", "try", "--config", config.toString(), "--plugin", TestPlugins.EXAMPLE.toString(), "--from", ALICE,
                EXAMPLE_MAIL.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("hackable-email try: missing --to RECIPIENT: ");
    }

    @Test
    void anEnvelopeAddressThatPostfixCouldNotHandOverIsAnErrorNotAPlausibleAnswer() {
        Map<List<String>, String> wrong = Map.of(
                List.of("--from", "Alice <alice@example.org>", "--to", BOB),
                "--from 'Alice <alice@example.org>': not an address: the part before @ has a space",
                List.of("--from", ALICE, "--to", "bob"), "--to 'bob': not an address: expected local-part@domain",
                List.of("--from", ALICE, "--to", "bob@example.com\r\nBcc: eve@example.net"),
                "--to 'bob@example.com Bcc: eve@example.net': contains a control character",
                List.of("--from", "alice@", "--to", BOB), "--from 'alice@': not an address: expected local-part@domain");
        for (Map.Entry<List<String>, String> w : wrong.entrySet()) {
            List<String> args = new java.util.ArrayList<>(List.of("try", "--config", config.toString(), "--plugin",
                    TestPlugins.EXAMPLE.toString()));
            args.addAll(w.getKey());
            args.add(EXAMPLE_MAIL.toString());
            Run r = run("", args.toArray(String[]::new));
            assertThat(r.code()).as(w.getKey().toString()).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).as(w.getKey().toString()).startsWith("hackable-email try: " + w.getValue());
        }
        // what Postfix does hand over still runs: the null sender, a quoted local part, an address literal
        assertThat(run("", "try", "--config", config.toString(), "--plugin", TestPlugins.EXAMPLE.toString(),
                "--from", "<>", "--to", BOB, EXAMPLE_MAIL.toString()).code()).isZero();
        assertThat(run("", "try", "--config", config.toString(), "--plugin", TestPlugins.EXAMPLE.toString(),
                "--from", "\"alice smith\"@[192.0.2.1]", "--to", BOB, EXAMPLE_MAIL.toString()).code()).isZero();
    }

    @Test
    void aJunitReportThatCannotBeWrittenSaysWhy() {
        Path junit = tmp.resolve("no-such-folder/junit.xml");
        Run r = run("", "try", "--config", config.toString(), "--plugin", TestPlugins.EXAMPLE.toString(), "--cases",
                EXAMPLE_CASES.toString(), "--report-junit", junit.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("hackable-email try: --report-junit " + junit + ": cannot be written: its folder "
                + junit.toAbsolutePath().getParent() + " does not exist\n");
    }

    @Test
    void helpExplainsTheCommandAndItsExitCodes() {
        Run r = run("", "try", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("record mode", "--plugin=FILE", "--guest=ADDRESS", "--cases=FILE",
                "--report-junit=FILE", "Exit codes:", "try could not run");
    }

    // ------------------------------------------------------------------ cases

    @Test
    void theCommittedExampleCasesPass() {
        Run r = run("", "try", "--config", config.toString(), "--plugin", TestPlugins.EXAMPLE.toString(), "--cases",
                EXAMPLE_CASES.toString());

        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("✓ Project XYZ in the subject gets the reply (line 6)", "4 passed, 0 failed");
    }

    @Test
    void passingAndFailingCasesAreReportedWithTheDifferenceAndExitOne() throws IOException {
        Files.copy(EXAMPLE_MAIL, tmp.resolve("project-xyz.eml"));
        Path cases = tmp.resolve("mine.cases.yaml");
        Files.writeString(cases, """
                from: alice@example.org
                to: bob@example.com
                cases:
                  - name: the reply says RE
                    message: project-xyz.eml
                    expect:
                      reply:
                        subject_matches: "^RE: .*XYZ$"
                  - name: no auto-reply to Re mail
                    headers:
                      Subject: "Re: Project XYZ"
                      To: bob@example.com
                    body: see above
                    expect:
                      exit: 0
                      reply: none
                  - name: a wrong exit code
                    message: project-xyz.eml
                    expect:
                      exit: 69
                      delivered: false
                      reply:
                        body_contains: welcome
                """);
        Path junit = tmp.resolve("junit.xml");
        Run r = run("", "try", "--config", config.toString(), "--plugin", TestPlugins.EXAMPLE.toString(), "--cases",
                cases.toString(), "--report-junit", junit.toString());

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).containsSubsequence(
                "✓ the reply says RE (line 4)",
                "✗ no auto-reply to Re mail (line 9)",
                "reply: expected none, got one (Subject: RE: Re: Project XYZ)",
                "✗ a wrong exit code (line 17)",
                "exit code: expected 69, got 0 (delivered; the filter exits 0)",
                "delivered: expected no, got yes",
                "reply body: expected it to contain 'welcome', got 'Hello,\\n\\nyour message was delivered",
                "1 passed, 2 failed");
        String xml = Files.readString(junit);
        assertThat(xml).contains("<testsuite name=\"" + cases + "\" tests=\"3\" failures=\"2\"",
                "<testcase classname=\"" + cases + "\" name=\"the reply says RE\"></testcase>",
                "<failure message=\"reply: expected none, got one (Subject: RE: Re: Project XYZ)\"");
    }

    @Test
    void aMalformedCasesFileIsAClearErrorNamingTheFileAndLine() throws IOException {
        Path cases = tmp.resolve("bad.cases.yaml");
        Map<String, String> wrong = Map.of(
                "cases:\n  - name: one\n    message: [unclosed\n",
                ":4:1: not valid YAML: while parsing a flow sequence (from line 3): expected ',' or ']'",
                "cases:\n  - name: one\n    mesage: a.eml\n    expect: {exit: 0}\n", ":3: unknown key 'mesage' in a case",
                "from: a@b\nto: c@d\ncases:\n  - name: one\n    message: missing.eml\n    expect: {exit: 0}\n",
                ":5: case 'one': the message file missing.eml does not exist",
                "from: a@b\nto: c@d\ncases:\n  - name: one\n    body: hi\n    expect:\n      exit: zero\n",
                ":7: exit: expected an exit code (0, 64..78), got 'zero'",
                "from: a@b\nto: c@d\ncases:\n  - name: one\n    body: hi\n    expect:\n      reply: {body_matches: '(('}\n",
                ":7: body_matches: not a regular expression",
                "cases:\n  - name: one\n    body: hi\n    expect: {exit: 0}\n", ":2: case 'one': no 'from'",
                "- just a list\n", ":1: the file must be a mapping",
                "from: Alice <a@b>\nto: c@d\ncases:\n  - name: one\n    body: hi\n    expect: {exit: 0}\n",
                ":1: from 'Alice <a@b>': not an address",
                "from: a@b\ncases:\n  - name: one\n    to: bob\n    body: hi\n    expect: {exit: 0}\n",
                ":4: case 'one': to 'bob': not an address: expected local-part@domain");
        for (Map.Entry<String, String> w : wrong.entrySet()) {
            Files.writeString(cases, w.getKey());
            Run r = run("", "try", "--plugin", TestPlugins.EXAMPLE.toString(), "--cases", cases.toString());
            assertThat(r.code()).as(w.getKey()).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).as(w.getKey()).startsWith("hackable-email try: " + cases + w.getValue())
                    .doesNotContain("Exception", "\tat ");
        }
    }
}
