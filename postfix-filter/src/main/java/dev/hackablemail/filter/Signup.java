package dev.hackablemail.filter;

import dev.hackablemail.onemail.ReplyEmail;
import dev.hackablemail.runner.report.Reasons;
import dev.hackablemail.store.GuestStore;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Signup by mail: a mail to the IT address ({@code signup_address}) whose Subject starts
 * with {@code /hackablemail signup} (or {@code /hackableemail}, any case) registers its
 * sender as a guest and answers with an invitation carrying its push token. The answer
 * goes to the sender's own mailbox, which proves that they own the address; only the
 * token's SHA-256 is stored ({@link GuestStore#register}).
 *
 * <p>A signup request that must not be answered (RFC 3834: an auto-reply, a list, the null
 * sender; see {@link ReplyPolicy}) is not one: it is delivered to the IT address like any
 * other mail. At most one invitation per address goes out per {@code signup_period}; a
 * request within it is answered by nothing (the earlier token stays valid), unless the
 * token was revoked since: then the next request gets a new one.
 */
final class Signup {

    static final Pattern SUBJECT = Pattern.compile("^/hackablee?mail\\s+signup", Pattern.CASE_INSENSITIVE);
    static final String INVITATION_SUBJECT = "Your hackable-email invitation";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** How long the invitation's sign-in link works (once); the push token works until replaced. */
    static final java.time.Duration SIGN_IN_LIFETIME = java.time.Duration.ofHours(1);

    private Signup() {}

    /** Whether this mail is a signup request that the filter answers (else: normal handling). */
    static boolean applies(FilterConfig config, String recipient, MailMessage mail) {
        if (!isSignupAddress(config, recipient)) {
            return false;
        }
        String subject = mail.header("Subject");
        return subject != null && SUBJECT.matcher(subject.strip()).find();
    }

    /** Whether {@code recipient} is the IT address that takes signup requests. */
    static boolean isSignupAddress(FilterConfig config, String recipient) {
        return config.signupAddress() != null && recipient.equalsIgnoreCase(config.signupAddress());
    }

    /** Why this signup request is not answered, if it must not be. */
    static Optional<String> refusal(String sender, String recipient, MailMessage mail) {
        Optional<String> forbidden = ReplyPolicy.forbiddenWhoeverIsNamed(sender, recipient, mail);
        if (forbidden.isPresent()) {
            return forbidden;
        }
        if (!ReplyComposer.validAddress(sender)) {
            return Optional.of("the sender address cannot be answered");
        }
        return Optional.empty();
    }

    /** Registers the sender and sends the invitation; returns the send's code (0 also when suppressed). */
    static int invite(FilterConfig config, GuestStore store, FilterHost host, Clock clock, String sender,
            String signupAddress, MailMessage mail) {
        // The new token replaces the old one only once the invitation carrying it went out:
        // a failed send must not leave the guest with a token they never received.
        String token = newToken();
        boolean[] sending = {false};
        int sent = host.sendOnce(GuestStore.Ledger.INVITATIONS, signupAddress, sender,
                periodSinceRevocation(store, sender, config.signupPeriod(), clock),
                "invitation", () -> {
                    sending[0] = true;
                    // a sign-in code only for an invitation that goes out (none for a suppressed one)
                    String signInCode = newToken();
                    try {
                        store.saveSignInCode(sender, signInCode, clock.instant(), SIGN_IN_LIFETIME);
                    } catch (IOException e) {
                        signInCode = null; // the invitation goes out without the link: the token signs in too
                    }
                    return ReplyComposer.compose(signupAddress, sender,
                            new ReplyEmail(INVITATION_SUBJECT, invitationText(config, sender, token, signInCode)), mail,
                            config.hostname(), ZonedDateTime.now(clock));
                });
        if (sent == 0 && sending[0]) {
            try {
                store.register(sender, token, clock.instant());
            } catch (IOException e) {
                // Sent but not stored: the token in the mail will not work. Retrying is
                // suppressed until signup_period has passed, then a new invitation goes out.
                host.failTemporarily("the store failed registering " + sender + ": " + Reasons.of(e));
                return SysExits.TEMPFAIL;
            }
        }
        return sent;
    }

    /**
     * The invitation period, cut short by a revocation within it: an invitation sent before the
     * guest's token was revoked no longer counts, so the guest's next signup is answered at
     * once (and the one after it is suppressed again). The push service records a revocation
     * in the audit trail as {@code {"action": "revoke", "result": "revoked", "time": ...}}.
     */
    static Duration periodSinceRevocation(GuestStore store, String sender, Duration period, Clock clock) {
        Instant now = clock.instant();
        try {
            Instant revoked = null;
            for (Map<String, Object> event : store.auditTrail(sender)) {
                if ("revoke".equals(event.get("action")) && "revoked".equals(event.get("result"))
                        && event.get("time") instanceof String time) {
                    revoked = Instant.parse(time);
                }
            }
            if (revoked != null && revoked.isAfter(now.minus(period))) {
                Duration since = Duration.between(revoked, now);
                return since.isNegative() || since.isZero() ? Duration.ofMillis(1) : since;
            }
        } catch (IOException | DateTimeParseException e) {
            // the trail cannot be read: the full period applies, as before any revocation
        }
        return period;
    }

    static String newToken() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String invitationText(FilterConfig config, String address, String token) {
        return invitationText(config, address, token, null);
    }

    /** The invitation; with a sign-in code, it carries the web console's one-time sign-in link. */
    static String invitationText(FilterConfig config, String address, String token, String signInCode) {
        String server = config.pushServer();
        StringBuilder text = new StringBuilder();
        text.append("Hello,\n\n")
                .append("you asked to take part in hackable-email with the address\n\n    ")
                .append(address).append("\n\n")
                .append("Mail to this address can now be handled by a Wasm plugin of your own.\n")
                .append("Your push token is:\n\n    ").append(token).append("\n\n")
                .append("Keep it secret: whoever has it can change how your mail is handled. It works\n")
                .append("until you sign up again (which gives you a new one) or the admin revokes it.\n\n");
        if (signInCode != null) {
            text.append("Your web page (this link signs you in once, within the hour; after that,\n")
                    .append("sign in there with the push token):\n\n    ").append(server.replaceAll("/+$", ""))
                    .append("/signin?code=")
                    .append(signInCode).append("\n\n");
        }
        text
                .append("Your plugin decides what happens to your mail: deliver, reply, bounce, drop.\n")
                .append("How to write one, from nothing to a pushed plugin, in C, C++ or\n")
                .append("AssemblyScript: the guide docs/writing-plugins.md in the hackable-email\n")
                .append("sources (xtp-sim plugin init makes the project).\n\n")
                .append("The server checks only the rules every plugin honours (the contract): it\n")
                .append("answers a JSON integer, calls deliver and reply at most once each, never\n")
                .append("returns 0 after a failed deliver, does not trap, and answers the same mail the\n")
                .append("same way. Run the server's own checks (schema, contract simulation, mock\n")
                .append("host, fuzzing) on your plugin before you push; what passes them is accepted:\n\n")
                .append("    xtp-sim plugin checks --server ").append(server).append(" plugin.wasm\n\n")
                .append("See what your plugin would do with a real mail (nothing is sent), and keep\n")
                .append("your expectations as mail test cases (plugin.cases.yaml) that you run, and\n")
                .append("push with it (--cases) so the server runs them too:\n\n")
                .append("    hackable-email try --plugin plugin.wasm --from someone@example.org --to ")
                .append(address).append(" message.eml\n")
                .append("    hackable-email try --plugin plugin.wasm --cases plugin.cases.yaml\n\n")
                .append("Your own simulations (xtp-test modules of your plugin's behaviour) may go with\n")
                .append("the push: the server runs them after its checks, keeps them with the version\n")
                .append("and runs them again when you roll back. If anything fails, you get the list\n")
                .append("of failures, each naming its check, and nothing changes:\n\n")
                .append("    export HACKABLE_EMAIL_TOKEN=").append(token).append("\n")
                .append("    xtp-sim plugin push plugin.wasm --server ").append(server).append("\n")
                .append("    xtp-sim plugin push plugin.wasm --simulation my-test.wasm --server ").append(server)
                .append("\n")
                .append("    xtp-sim plugin push plugin.wasm --cases plugin.cases.yaml --server ").append(server)
                .append("\n\n")
                .append("List your versions, go back to one, or remove your plugin (mail then passes\n")
                .append("through unchanged):\n\n")
                .append("    xtp-sim plugin list --server ").append(server).append("\n")
                .append("    xtp-sim plugin rollback VERSION --server ").append(server).append("\n")
                .append("    xtp-sim plugin remove --server ").append(server).append("\n\n");
        if (config.invitationUrl() != null) {
            String url = config.invitationUrl()
                    .replace("{token}", java.net.URLEncoder.encode(token, java.nio.charset.StandardCharsets.UTF_8))
                    .replace("{address}", java.net.URLEncoder.encode(address, java.nio.charset.StandardCharsets.UTF_8));
            text.append("More about writing plugins:\n\n    ").append(url).append("\n\n");
        }
        text.append("This was sent to this mailbox because the request came from it; if you did\n")
                .append("not ask for it, ignore this mail.\n");
        return text.toString();
    }
}
