package dev.hackablemail.filter.smtpd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hackablemail.filter.SysExits;
import org.junit.jupiter.api.Test;

class SmtpReplyTest {

    @Test
    void exitCodesReadAsPostfixsPipeReadsThem() {
        assertThat(SmtpReply.forExit(SysExits.OK, null)).hasToString("250 2.0.0 Ok: handled");
        assertThat(SmtpReply.forExit(SysExits.TEMPFAIL, "hackable-email: x").toString()).isEqualTo("451 4.3.0 hackable-email: x");
        assertThat(SmtpReply.forExit(SysExits.OSERR, "y").code()).isEqualTo(451);
        assertThat(SmtpReply.forExit(SysExits.UNAVAILABLE, "z").toString()).isEqualTo("554 5.3.0 z");
        assertThat(SmtpReply.forExit(SysExits.SOFTWARE, "z").code()).isEqualTo(554);
        assertThat(SmtpReply.forExit(SysExits.NOUSER, "z").toString()).startsWith("550 5.1.1");
        assertThat(SmtpReply.forExit(SysExits.NOPERM, "z").toString()).startsWith("550 5.7.1");
        assertThat(SmtpReply.forExit(SysExits.DATAERR, "z").toString()).startsWith("554 5.6.0");
    }

    @Test
    void theReasonIsOneShortLine() {
        SmtpReply r = SmtpReply.forExit(SysExits.SOFTWARE, "line one\r\nline two " + "x".repeat(1000));
        assertThat(r.text()).doesNotContain("\r", "\n").startsWith("5.3.0 line one line two");
        assertThat(r.text().length()).isLessThan(420);
    }
}
