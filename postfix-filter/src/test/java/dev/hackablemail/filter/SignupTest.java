package dev.hackablemail.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hackablemail.store.GuestKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Signup by mail to the IT address. */
class SignupTest extends InProcessFilterTest {

    static final String IT = "it@example.com";

    FilterTest.MutableClock clock = new FilterTest.MutableClock(Instant.parse("2026-11-24T10:00:00Z"));

    @BeforeEach
    void setUp() {
        settings.put("log", "");
        settings.put("signup_address", IT);
        settings.put("invitation_url", "https://mail.example.com/hackable?address={address}&token={token}");
    }

    Outcome run(String sender, String recipient, String subject, String... extraHeaders) {
        FilterConfig config = FilterConfig.fromMap(settings, "test");
        String headers = String.join("\n", extraHeaders) + (extraHeaders.length > 0 ? "\n" : "");
        byte[] mail = (headers + "From: " + sender + "\nTo: " + recipient + "\nSubject: " + subject
                + "\nMessage-ID: <signup-1@example.org>\n\nplease\n").getBytes(StandardCharsets.UTF_8);
        return new Filter(config, new SendmailCommand(config.sendmail(), config::sendmailTimeout), clock)
                .process(sender, recipient, mail);
    }

    @org.junit.jupiter.api.Test
    void theInvitationNamesThePushServiceOfTheSharedConfig() {
        settings.put("service", Map.of("public_url", "https://mail.example.com/push", "max_upload", "1MiB"));
        Outcome outcome = run(ALICE, "IT@example.com", "/hackablemail signup");
        assertThat(outcome.exitCode()).as(outcome.log()).isZero();
        MailMessage invitation = MailMessage.parse(sendmail.calls().get(0).stdin());
        assertThat(invitation.body()).contains("xtp-sim plugin push plugin.wasm --server https://mail.example.com/push\n")
                .contains("export HACKABLE_EMAIL_TOKEN=")
                .contains("xtp-sim plugin checks --server https://mail.example.com/push plugin.wasm\n")
                .contains("--simulation my-test.wasm").contains("the contract")
                .contains("the guide docs/writing-plugins.md")
                .contains("    hackable-email try --plugin plugin.wasm --from someone@example.org --to ")
                .contains("    hackable-email try --plugin plugin.wasm --cases plugin.cases.yaml\n")
                .contains("    xtp-sim plugin push plugin.wasm --cases plugin.cases.yaml --server "
                        + "https://mail.example.com/push\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/hackablemail signup", "/hackableemail signup", "/HackableMail   SIGNUP please",
        "  /hackablemail\tsignup"})
    void aSignupRegistersTheSenderAndRepliesWithAToken(String subject) throws IOException {
        Outcome outcome = run(ALICE, "IT@example.com", subject);
        assertThat(outcome.exitCode()).as(outcome.log()).isZero();
        assertThat(sendmail.calls()).hasSize(1);
        RecordingSendmail.Call call = sendmail.calls().get(0);
        assertThat(call.args()).containsExactly("-i", "-f", "", "--", ALICE);
        MailMessage invitation = MailMessage.parse(call.stdin());
        assertThat(invitation.header("To")).isEqualTo("<" + ALICE + ">");
        assertThat(invitation.header("From")).isEqualTo("<IT@example.com>");
        assertThat(invitation.header("Subject")).isEqualTo(Signup.INVITATION_SUBJECT);
        assertThat(invitation.header("In-Reply-To")).isEqualTo("<signup-1@example.org>");
        assertThat(invitation.header("Auto-Submitted")).isEqualTo("auto-replied");
        Matcher m = Pattern.compile("token=([A-Za-z0-9_-]{32})").matcher(invitation.body());
        assertThat(m.find()).as(invitation.body()).isTrue();
        assertThat(invitation.body()).contains("address=alice%40example.org");
        String token = m.group(1);
        assertThat(store.addressOfToken(token)).contains(ALICE);
        assertThat(Files.readString(store.root().resolve(GuestKeys.of(ALICE)).resolve("token.sha256"))).doesNotContain(token);
        assertThat(store.guest(ALICE).get().registered()).hasToString("2026-11-24T10:00:00Z");
        assertThat(outcome.log()).contains("signup", "invitation=0");
        assertThat(invitation.body())
                .contains("Your push token is:\n\n    " + token + "\n")
                .contains("xtp-sim plugin push plugin.wasm --server http://127.0.0.1:8025\n");
    }

    @Test
    void theInvitationCarriesAOneTimeSignInLinkThatExpiresWithinTheHour() throws IOException {
        run(ALICE, IT, "/hackablemail signup");
        String body = MailMessage.parse(sendmail.calls().get(0).stdin()).body();
        Matcher link = Pattern.compile("\n    http://127\\.0\\.0\\.1:8025/signin\\?code=([A-Za-z0-9_-]{32})\n").matcher(body);
        assertThat(link.find()).as(body).isTrue();
        String code = link.group(1);
        java.time.Instant sent = java.time.Instant.parse("2026-11-24T10:00:00Z");
        assertThat(store.useSignInCode(code, sent.plus(Signup.SIGN_IN_LIFETIME))).as("expired").isEmpty();
        run(ALICE, IT, "/hackablemail signup"); // within signup_period: suppressed, no new code sent
        assertThat(sendmail.calls()).hasSize(1);
    }

    @Test
    void theSignInLinkWorksOnce() throws IOException {
        run(ALICE, IT, "/hackablemail signup");
        Matcher link = Pattern.compile("/signin\\?code=([A-Za-z0-9_-]{32})")
                .matcher(MailMessage.parse(sendmail.calls().get(0).stdin()).body());
        assertThat(link.find()).isTrue();
        java.time.Instant soon = java.time.Instant.parse("2026-11-24T10:10:00Z");
        assertThat(store.useSignInCode(link.group(1), soon)).contains(ALICE);
        assertThat(store.useSignInCode(link.group(1), soon)).isEmpty();
    }

    @Test
    void aSecondSignupWithinThePeriodSendsNothing() {
        run(ALICE, IT, "/hackablemail signup");
        Outcome second = run(ALICE, IT, "/hackablemail signup");
        assertThat(second.exitCode()).isZero();
        assertThat(second.log()).contains("invitation=suppressed");
        assertThat(sendmail.calls()).hasSize(1);
        clock.advance(java.time.Duration.ofHours(2));
        run(ALICE, IT, "/hackablemail signup");
        assertThat(sendmail.calls()).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hackablemail signup", "Re: /hackablemail signup", "/hackablemailsignup", "/hackable mail signup",
        "/hackablemail", "Question about /hackablemail signup"})
    void otherMailToTheItAddressIsDeliveredNormally(String subject) throws IOException {
        Outcome outcome = run(ALICE, IT, subject);
        assertThat(outcome.exitCode()).isZero();
        assertThat(sendmail.calls()).hasSize(1);
        assertThat(sendmail.calls().get(0).args()).containsExactly("-G", "-i", "-f", ALICE, "--", IT);
        assertThat(store.guest(ALICE)).isEmpty();
    }

    @Test
    void aSignupSubjectToAnotherAddressIsNotASignup() {
        Outcome outcome = run(ALICE, "bob@example.com", "/hackablemail signup");
        assertThat(sendmail.calls().get(0).args()).containsExactly("-G", "-i", "-f", ALICE, "--", "bob@example.com");
        assertThat(outcome.log()).doesNotContain("invitation");
    }

    @Test
    void noSignupWithoutASignupAddress() throws IOException {
        settings.remove("signup_address");
        run(ALICE, IT, "/hackablemail signup");
        assertThat(sendmail.calls().get(0).args()).containsExactly("-G", "-i", "-f", ALICE, "--", IT);
        assertThat(store.guest(ALICE)).isEmpty();
    }

    @Test
    void anAutomaticSignupRequestIsDeliveredToItInstead() throws IOException {
        Outcome outcome = run(ALICE, IT, "/hackablemail signup", "Auto-Submitted: auto-replied");
        assertThat(outcome.log()).contains("not a signup: the mail is Auto-Submitted");
        assertThat(sendmail.calls().get(0).args()).containsExactly("-G", "-i", "-f", ALICE, "--", IT);
        assertThat(store.guest(ALICE)).isEmpty();
        run("", IT, "/hackablemail signup");
        assertThat(sendmail.calls().get(1).args()).containsExactly("-G", "-i", "-f", "", "--", IT);
    }

    @Test
    void aFailedInvitationIsRetried() throws IOException {
        sendmail.exitWith(75);
        Outcome outcome = run(ALICE, IT, "/hackablemail signup");
        assertThat(outcome.exitCode()).isEqualTo(SysExits.TEMPFAIL);
        assertThat(outcome.reason()).contains("signup could not be answered");
        sendmail.exitWith(0);
        assertThat(run(ALICE, IT, "/hackablemail signup").exitCode()).isZero(); // not suppressed: none went out
        assertThat(sendmail.calls()).hasSize(2);
    }
}
