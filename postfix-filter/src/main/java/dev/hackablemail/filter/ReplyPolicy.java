package dev.hackablemail.filter;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Mail that must not be answered automatically (RFC 3834 section 2, and what Sieve's
 * vacation and vacation(1) leave alone). Whatever a plugin does, no reply goes to:
 * <ul>
 *   <li>the null sender (a bounce, a delivery notification);</li>
 *   <li>mail with {@code Auto-Submitted} other than {@code no} (auto-replies, auto-generated mail);</li>
 *   <li>mail with {@code Precedence: bulk}, {@code list} or {@code junk};</li>
 *   <li>mailing-list mail: any {@code List-*} header (List-Id, List-Unsubscribe, List-Post...);</li>
 *   <li>mail asking not to be answered: {@code X-Auto-Response-Suppress} with All, AutoReply or OOF;</li>
 *   <li>senders that are programs or lists: local parts {@code MAILER-DAEMON}, {@code mailer},
 *       {@code postmaster}, {@code listserv}, {@code majordomo}, {@code noreply},
 *       {@code no-reply}, {@code donotreply}, {@code do-not-reply}, {@code bounce(s)},
 *       {@code owner-*}, {@code *-owner}, {@code *-request}, {@code *-bounces} and
 *       {@code *-bounce} (case-insensitive);</li>
 *   <li>the recipient itself (a reply to oneself would loop).</li>
 * </ul>
 */
final class ReplyPolicy {

    private static final Set<String> PROGRAM_LOCAL_PARTS = Set.of(
            "mailer-daemon", "mailer", "postmaster", "listserv", "majordomo", "noreply", "no-reply", "donotreply",
            "do-not-reply", "bounce", "bounces");

    private ReplyPolicy() {}

    /** Why a reply to this mail must not be sent; empty when it may be. */
    static Optional<String> forbidden(String sender, String recipient, Map<String, String> headers) {
        if (sender == null || sender.isEmpty() || sender.equals("<>")) {
            return Optional.of("the mail has the null sender (a bounce or notification)");
        }
        String s = sender.toLowerCase(Locale.ROOT);
        if (s.equals(recipient.toLowerCase(Locale.ROOT))) {
            return Optional.of("the sender is the recipient itself");
        }
        int at = s.lastIndexOf('@');
        String local = at < 0 ? s : s.substring(0, at);
        int plus = local.indexOf('+');
        String base = plus > 0 ? local.substring(0, plus) : local;
        if (PROGRAM_LOCAL_PARTS.contains(base) || base.startsWith("owner-") || base.endsWith("-owner")
                || base.endsWith("-request") || base.endsWith("-bounces") || base.endsWith("-bounce")) {
            return Optional.of("the sender " + sender + " is a program or a list, not a person");
        }
        for (Map.Entry<String, String> h : headers.entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            String value = h.getValue().trim().toLowerCase(Locale.ROOT);
            if (name.equals("auto-submitted")) {
                for (String occurrence : value.split(",")) {
                    String keyword = occurrence.trim().split("[;(\\s]", 2)[0];
                    if (!keyword.equals("no")) {
                        return Optional.of("the mail is Auto-Submitted: " + h.getValue().trim());
                    }
                }
            } else if (name.equals("precedence")) {
                // A repeated header arrives joined with ", ": look at every occurrence.
                for (String occurrence : value.split(",")) {
                    String keyword = occurrence.trim().split("[;(\\s]", 2)[0];
                    if (keyword.equals("bulk") || keyword.equals("list") || keyword.equals("junk")) {
                        return Optional.of("the mail has Precedence: " + keyword);
                    }
                }
            } else if (name.startsWith("list-")) {
                return Optional.of("the mail comes from a mailing list (" + h.getKey() + ")");
            } else if (name.equals("x-auto-response-suppress")) {
                for (String word : value.split("[,;\\s]+")) {
                    if (word.equals("all") || word.equals("autoreply") || word.equals("oof")) {
                        return Optional.of("the mail asks for no automatic reply (X-Auto-Response-Suppress: "
                                + h.getValue().trim() + ")");
                    }
                }
            }
        }
        return Optional.empty();
    }
}
