package dev.hackablemail.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hackablemail.store.GuestStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mail test cases pushed with a plugin ({@code --cases}): run at the gate with the server's
 * filter settings in record mode (the configured sendmail, a script that leaves a mark, never
 * runs), kept with the version and run again on rollback; a failing or malformed file rejects
 * the push with reasons naming the file, the case or the line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PushedCasesTest {

    static final String PROJECT_XYZ_CASES = """
            from: alice@example.org
            to: %1$s
            cases:
              - name: Project XYZ gets the reply
                headers: {From: alice@example.org, To: %1$s, Subject: Status of Project XYZ, Message-ID: <1@example.org>}
                body: "How is Project XYZ going?"
                expect:
                  exit: 0
                  delivered: true
                  reply: {subject: "RE: Status of Project XYZ", body_contains: forbidden}
              - name: other mail is only delivered
                headers: {From: alice@example.org, Subject: Lunch}
                body: "Noon?"
                expect: {exit: 0, delivered: true, reply: none}
            """;

    @TempDir
    static Path dir;

    Fixture fx;
    Path sendmailMark;
    String guest;
    String token;
    int guests;

    @BeforeAll
    void start() throws Exception {
        sendmailMark = dir.resolve("sendmail-ran");
        Path sendmail = dir.resolve("sendmail.sh");
        Files.writeString(sendmail, "#!/bin/sh\necho \"$@\" >> " + sendmailMark + "\ncat >/dev/null\n");
        Files.setPosixFilePermissions(sendmail, PosixFilePermissions.fromString("rwxr-xr-x"));
        fx = new Fixture(dir, "plugin_timeout: 1s\nsendmail: " + sendmail + "\n", "", null);
    }

    @AfterAll
    void stop() {
        fx.close();
    }

    @BeforeEach
    void newGuest() throws Exception {
        guest = "cases" + ++guests + "@example.com";
        token = fx.signUp(guest);
    }

    @AfterEach
    void noSendmailEverRan() {
        assertThat(sendmailMark).as("a trial sends nothing").doesNotExist();
    }

    private Fixture.Run clientPush(Path plugin, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("push", plugin.toString(), "--server", fx.url(),
                "--token", token));
        args.addAll(List.of(more));
        return Fixture.client(args.toArray(new String[0]));
    }

    private Path cases(String name, String yaml) throws Exception {
        return fx.file(name, yaml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void passingCasesAreKeptWithTheVersionAndRunAgainOnRollback() throws Exception {
        Path mine = cases("example.cases.yaml", PROJECT_XYZ_CASES.formatted(guest));
        Path example = fx.file("example.wasm", TestModules.example());

        Fixture.Run first = clientPush(example, "--cases", mine.toString());
        assertThat(first.exit()).as(first.out() + first.err()).isZero();
        assertThat(first.out()).contains("accepted: version 1")
                .contains("your cases example.cases.yaml: 2 passed, 0 failed");
        try (GuestStore store = fx.config.store().open(false)) {
            assertThat(store.attachments(guest, 1)).extracting(GuestStore.Attachment::name, GuestStore.Attachment::kind)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("example.cases.yaml", "cases"));
        }

        assertThat(clientPush(TestModules.testPluginFile("accepted/pass-through")).exit()).isZero();

        Fixture.Answer back = fx.rollback(token, 1);
        assertThat(back.status()).as(back.json().toString()).isEqualTo(200);
        JsonNode cases = back.json().path("simulations").get(2);
        assertThat(cases.path("kind").asText()).isEqualTo("cases");
        assertThat(cases.path("name").asText()).isEqualTo("example.cases.yaml");
        assertThat(cases.path("passed").asInt()).as("run again at the rollback").isEqualTo(2);
        assertThat(Files.readAllBytes(fx.pluginFile(guest))).isEqualTo(TestModules.example());
    }

    @Test
    void failingCasesRejectThePushWithTheirDifferencesInTheReasons() throws Exception {
        Path mine = cases("mine.cases.yaml", PROJECT_XYZ_CASES.formatted(guest));

        // a pass-through never replies: the first case fails, the second passes
        Fixture.Run push = clientPush(TestModules.testPluginFile("accepted/pass-through"), "--cases", mine.toString());

        assertThat(push.exit()).as(push.out() + push.err()).isEqualTo(1);
        assertThat(push.out()).contains("rejected by your mail test cases")
                .contains("  - your cases mine.cases.yaml: case Project XYZ gets the reply: reply: expected one, "
                        + "got none (the plugin did not call reply)")
                .doesNotContain("other mail is only delivered");
        assertThat(Files.exists(fx.pluginFile(guest))).isFalse();

        // the operator's command takes them too, with the same verdict
        Fixture.Run admin = Fixture.admin("plugin", "push", "--config", fx.configFile.toString(), "--guest", guest,
                TestModules.testPluginFile("accepted/pass-through").toString(), "--cases", mine.toString());
        assertThat(admin.exit()).as(admin.out() + admin.err()).isEqualTo(1);
        assertThat(admin.out() + admin.err()).contains("your cases mine.cases.yaml: case Project XYZ gets the reply: "
                + "reply: expected one, got none");
    }

    @Test
    void aMalformedCasesFileRejectsThePushNamingTheFileAndTheLine() throws Exception {
        Path bad = cases("bad.cases.yaml", """
                to: someone@example.com
                from: alice@example.org
                cases:
                  - name: typo
                    body: hi
                    expect: {exit: 0, deliverd: true}
                """);

        Fixture.Run push = clientPush(TestModules.testPluginFile("accepted/pass-through"), "--cases", bad.toString());

        assertThat(push.exit()).as(push.out() + push.err()).isEqualTo(1);
        assertThat(push.out()).contains("  - your cases bad.cases.yaml: bad.cases.yaml:6: unknown key 'deliverd'");
        assertThat(Files.exists(fx.pluginFile(guest))).isFalse();
    }

    @Test
    void aCaseNamingAMessageFileSaysPushedCasesCarryTheirMessagesInline() throws Exception {
        Path files = cases("files.cases.yaml", """
                from: alice@example.org
                to: someone@example.com
                cases:
                  - name: from a file
                    message: mail/xyz.eml
                    expect: {exit: 0}
                """);

        Fixture.Run push = clientPush(TestModules.testPluginFile("accepted/pass-through"), "--cases", files.toString());

        assertThat(push.exit()).as(push.out() + push.err()).isEqualTo(1);
        assertThat(push.out()).contains("  - your cases files.cases.yaml: files.cases.yaml:5: case 'from a file': "
                + "the message file mail/xyz.eml cannot be read: it is not on the server: a pushed cases file "
                + "carries its messages inline ('headers' and 'body')");
    }

    @Test
    void casesRunOnlyOnceTheServersChecksPassed() throws Exception {
        Path mine = cases("mine.cases.yaml", PROJECT_XYZ_CASES.formatted(guest));

        Fixture.Run push = clientPush(TestModules.testPluginFile("rejected/hide-failure"), "--cases", mine.toString());

        assertThat(push.exit()).isEqualTo(1);
        assertThat(push.out()).contains("rejected by the server's checks").doesNotContain("your cases");
    }
}
