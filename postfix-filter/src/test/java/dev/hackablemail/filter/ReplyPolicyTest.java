package dev.hackablemail.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 3834: which mail is never answered automatically. */
class ReplyPolicyTest {

    static final String ME = "bob@example.com";

    @ParameterizedTest
    @ValueSource(strings = {"", "<>", "MAILER-DAEMON@example.org", "mailer-daemon@x", "postmaster@x", "listserv@x",
        "majordomo@x", "owner-list@x", "list-owner@x", "list-request@x", "list-bounces@x", "list-bounces+abc@x",
        "noreply@x", "no-reply@x", "donotreply@x", "do-not-reply@x", "bounce@x", "BOB@example.com"})
    void theseSendersGetNoReply(String sender) {
        assertThat(ReplyPolicy.forbidden(sender, ME, Map.of())).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice@example.org", "owner@x", "requester@x", "bouncer@x", "alice+lists@x", "a@x"})
    void peopleGetReplies(String sender) {
        assertThat(ReplyPolicy.forbidden(sender, ME, Map.of())).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Auto-Submitted|auto-replied", "auto-submitted|auto-generated", "Auto-Submitted|auto-notified; owner-email=x",
        "Auto-Submitted|no, auto-replied", "Precedence|bulk", "Precedence|first-class, bulk", "Precedence|LIST", "precedence|junk",
        "List-Id|<a.b.c>", "List-Unsubscribe|<mailto:x>", "List-Post|NO", "list-help|<x>",
        "X-Auto-Response-Suppress|All", "X-Auto-Response-Suppress|DR, OOF", "X-Auto-Response-Suppress|AutoReply"})
    void theseHeadersForbidAReply(String name, String value) {
        assertThat(ReplyPolicy.forbidden("alice@example.org", ME, Map.of(name, value))).isPresent();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"Auto-Submitted|no", "Auto-Submitted|No (a person)", "Precedence|first-class",
        "X-Auto-Response-Suppress|DR", "Listing|yes", "X-List|y"})
    void theseHeadersAllowIt(String name, String value) {
        assertThat(ReplyPolicy.forbidden("alice@example.org", ME, Map.of(name, value))).isEmpty();
    }

    @Test
    void theReasonSaysWhy() {
        assertThat(ReplyPolicy.forbidden("alice@example.org", ME, Map.of("Precedence", "bulk")))
                .hasValue("the mail has Precedence: bulk");
    }
}
