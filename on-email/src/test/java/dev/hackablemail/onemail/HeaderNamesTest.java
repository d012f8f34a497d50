package dev.hackablemail.onemail;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one spelling of header names that plugins see. */
class HeaderNamesTest {

    @ParameterizedTest
    @CsvSource({"subject,Subject", "SUBJECT,Subject", "Subject,Subject", "sUbJeCt,Subject", "message-id,Message-ID",
        "MESSAGE-ID,Message-ID", "Message-Id,Message-ID", "mime-version,MIME-Version", "Mime-Version,MIME-Version",
        "content-type,Content-Type", "CONTENT-TRANSFER-ENCODING,Content-Transfer-Encoding", "list-id,List-Id",
        "LIST-ID,List-Id", "list-unsubscribe,List-Unsubscribe", "auto-submitted,Auto-Submitted", "cc,Cc", "CC,Cc",
        "bcc,Bcc", "in-reply-to,In-Reply-To", "references,References", "reply-to,Reply-To",
        "return-path,Return-Path", "received,Received", "dkim-signature,DKIM-Signature",
        "x-auto-response-suppress,X-Auto-Response-Suppress", "PRECEDENCE,Precedence", "date,Date", "from,From",
        "to,To", "received-spf,Received-SPF", "arc-seal,ARC-Seal", "content-id,Content-ID",
        "resent-message-id,Resent-Message-ID"})
    void wellKnownFieldsGetTheirRegisteredSpelling(String name, String canonical) {
        assertThat(HeaderNames.canonical(name)).isEqualTo(canonical);
    }

    @ParameterizedTest
    @CsvSource({"x-spam-status,X-Spam-Status", "X-SPAM-STATUS,X-Spam-Status", "x-mailing-LIST,X-Mailing-List",
        "thread-topic,Thread-Topic", "x,X", "x--y,X--Y", "-x,-X", "x-,X-", "x_custom_1,X_custom_1",
        "x-1st-try,X-1st-Try", "X-ÄBC,X-Äbc"})
    void otherNamesAreCapitalisedWordByWord(String name, String canonical) {
        assertThat(HeaderNames.canonical(name)).isEqualTo(canonical);
    }
}
