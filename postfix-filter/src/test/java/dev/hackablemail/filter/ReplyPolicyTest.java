package dev.hackablemail.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 3834 and RFC 5230 (Pigeonhole's vacation): which mail is never answered automatically. */
class ReplyPolicyTest {

    static final String ME = "bob@example.com";
    static final String ALICE = "alice@example.org";

    /** A mail addressed To the recipient, with {@code extra} header lines. */
    static MailMessage mailTo(String to, String... extra) {
        StringBuilder m = new StringBuilder("From: Alice <" + ALICE + ">\n");
        if (to != null) {
            m.append("To: ").append(to).append('\n');
        }
        for (String line : extra) {
            m.append(line).append('\n');
        }
        return MailMessage.parse(Mails.utf8(m.append("Subject: hello\n\nHi\n").toString()));
    }

    static Optional<String> forbidden(String sender, MailMessage mail) {
        return ReplyPolicy.forbidden(sender, ME, Set.of(), mail);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "<>", "MAILER-DAEMON@example.org", "mailer-daemon@x", "postmaster@x", "listserv@x",
        "LISTSERV@x", "Majordomo@x", "owner-list@x", "list-owner@x", "list-request@x", "list-bounces@x",
        "list-bounces+abc@x", "noreply@x", "no-reply@x", "donotreply@x", "do-not-reply@x", "bounce@x",
        "BOB@example.com"})
    void theseSendersGetNoReply(String sender) {
        assertThat(forbidden(sender, mailTo(ME))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"list-request-x@x", "foo-request+bar@x", "a-REQUEST-b@x", "x+y-request@x"})
    void aLocalPartWithRequestAnywhereIsAList(String sender) {
        assertThat(forbidden(sender, mailTo(ME))).hasValue("the sender " + sender + " is a program or a list, not a person");
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice@example.org", "owner@x", "requester@x", "request@x", "bouncer@x", "alice+lists@x",
        "a@x"})
    void peopleGetReplies(String sender) {
        assertThat(forbidden(sender, mailTo(ME))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Auto-Submitted: auto-replied", "auto-submitted: auto-generated", "Auto-Submitted: auto-notified; owner-email=x",
        "Auto-Submitted: no, auto-replied", "Precedence: bulk", "Precedence: first-class, bulk", "Precedence: LIST",
        "precedence: junk", "List-Id: <a.b.c>", "List-Unsubscribe: <mailto:x>", "List-Post: NO", "list-help: <x>",
        "X-Auto-Response-Suppress: All", "X-Auto-Response-Suppress: DR, OOF", "X-Auto-Response-Suppress: AutoReply"})
    void theseHeadersForbidAReply(String line) {
        assertThat(forbidden(ALICE, mailTo(ME, line))).isPresent();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"Auto-Submitted: no", "Auto-Submitted: No (a person)",
        "Precedence: first-class", "X-Auto-Response-Suppress: DR", "Listing: yes", "X-List: y"})
    void theseHeadersAllowIt(String line) {
        assertThat(forbidden(ALICE, mailTo(ME, line))).isEmpty();
    }

    @Test
    void theReasonSaysWhy() {
        assertThat(forbidden(ALICE, mailTo(ME, "Precedence: bulk"))).hasValue("the mail has Precedence: bulk");
    }

    // ---------------------------------------------------------------- was I addressed? (RFC 5230 4.5)

    @ParameterizedTest
    @ValueSource(strings = {"To: bob@example.com", "To: Bob <BOB@Example.COM>", "Cc: x@y, Bob <bob@example.com>",
        "Bcc: bob@example.com", "Resent-To: bob@example.com", "Resent-Cc: <bob@example.com>",
        "Resent-Bcc: bob@example.com", "To: team: x@y, bob@example.com;", "To: x@y,\n  \"Doe, Bob\" <bob@example.com>",
        "To: =?UTF-8?Q?B=C3=B6b?= <bob@example.com>", "cc: bob@example.com", "TO: x@y\nTo: bob@example.com"})
    void aMailNamingTheRecipientIsAnswered(String lines) {
        assertThat(forbidden(ALICE, mailTo(null, lines))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"To: list@example.com", "To: \"bob@example.com\" <other@example.com>",
        "To: bob@example.com.evil", "Reply-To: bob@example.com", "From-To: bob@example.com",
        "X-Original-To: bob@example.com", "To: bobby@example.com, xbob@example.com"})
    void aMailThatDoesNotNameTheRecipientIsNot(String lines) {
        assertThat(forbidden(ALICE, mailTo(null, lines)))
                .hasValueSatisfying(why -> assertThat(why).startsWith("the mail does not name the recipient"));
    }

    @Test
    void aMailWithoutAddressHeadersIsABccCopy() {
        assertThat(forbidden(ALICE, mailTo(null))).isPresent();
    }

    @Test
    void aDeclaredAliasCountsAsTheRecipient() {
        MailMessage toAlias = mailTo("Robert <Robert.Smith@Example.com>");
        assertThat(ReplyPolicy.forbidden(ALICE, ME, Set.of("robert.smith@example.com"), toAlias)).isEmpty();
        assertThat(ReplyPolicy.forbidden(ALICE, ME, Set.of(), toAlias)).isPresent();
    }

    @Test
    void aSenderThatIsOneOfTheGuestsAddressesGetsNoReply() {
        assertThat(ReplyPolicy.forbidden("robert.smith@example.com", ME, Set.of("Robert.Smith@example.com"),
                mailTo(ME))).hasValue("the sender is the recipient itself");
    }

    @Test
    void aSignupIsAnsweredWhoeverTheMailNames() {
        assertThat(ReplyPolicy.forbiddenWhoeverIsNamed(ALICE, ME, mailTo("it@example.com"))).isEmpty();
        assertThat(ReplyPolicy.forbiddenWhoeverIsNamed(ALICE, ME, mailTo(ME, "Precedence: bulk"))).isPresent();
    }
}
