package dev.hackablemail.onemail;

/**
 * The host side of the "on email" extension point: the two functions a plugin may import
 * from {@code extism:host/user}. The mock host (in Wasm) and the production filter (in
 * Java) implement the same contract:
 *
 * <ul>
 *   <li>each function may be called at most once per {@code onEmail} call; a second call
 *       fails the plugin call;</li>
 *   <li>the result is a sendmail-style return code: 0 for success, non-zero for failure.</li>
 * </ul>
 */
public interface EmailHost {

    /** Puts the mail in the recipient's mailbox; returns the delivery's return code. */
    int deliver(IncomingEmail email);

    /** Sends a reply to the original sender; returns the reply's return code. */
    int reply(ReplyEmail reply);
}
