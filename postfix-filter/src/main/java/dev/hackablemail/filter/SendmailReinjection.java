package dev.hackablemail.filter;

import java.util.List;

/**
 * Re-injection through sendmail, as FILTER_README's simple content filter does: a delivery
 * is {@code sendmail -G -i -f SENDER -- RECIPIENT}, a reply {@code sendmail -i -f "" -- TO}.
 * Never {@code -t}: the envelope is given, never read from the headers.
 */
public final class SendmailReinjection implements Reinjection {

    private final Sendmail sendmail;

    public SendmailReinjection(Sendmail sendmail) {
        this.sendmail = sendmail;
    }

    @Override
    public Result deliver(String sender, String recipient, byte[] message) {
        return of(sendmail.send(List.of("-G", "-i", "-f", sender, "--", recipient), message));
    }

    @Override
    public Result reply(String recipient, byte[] message) {
        return of(sendmail.send(List.of("-i", "-f", "", "--", recipient), message));
    }

    private static Result of(Sendmail.Result r) {
        return r.ok() && r.detail().isEmpty() ? Result.OK : new Result(r.exitCode(), r.detail());
    }

    @Override
    public String toString() {
        return sendmail.toString();
    }
}
