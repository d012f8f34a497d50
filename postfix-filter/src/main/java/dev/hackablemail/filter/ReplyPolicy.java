package dev.hackablemail.filter;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.field.address.LenientAddressParser;

/**
 * Mail that must not be answered automatically: the rules of RFC 3834 and of Sieve's
 * vacation (RFC 5230), as Dovecot Pigeonhole applies them. Each rule, with its RFC section,
 * is listed once in postfix-filter/README.md ("Which mail gets no automatic reply"); in
 * short, no reply goes to:
 * <ul>
 *   <li>the null sender (a bounce, a delivery notification);</li>
 *   <li>the guest itself (any of the guest's addresses: a reply to oneself would loop);</li>
 *   <li>senders that are programs or lists: local parts {@code MAILER-DAEMON}, {@code mailer},
 *       {@code postmaster}, {@code LISTSERV}, {@code majordomo}, {@code noreply},
 *       {@code no-reply}, {@code donotreply}, {@code do-not-reply}, {@code bounce(s)},
 *       {@code owner-*}, {@code *-owner}, {@code *-bounces}, {@code *-bounce}, and any local
 *       part containing {@code -request} (case-insensitive);</li>
 *   <li>mail with {@code Auto-Submitted} other than {@code no} (auto-replies, auto-generated mail);</li>
 *   <li>mail with {@code Precedence: bulk}, {@code list} or {@code junk};</li>
 *   <li>mailing-list mail: any {@code List-*} header (List-Id, List-Unsubscribe, List-Post...);</li>
 *   <li>mail asking not to be answered: {@code X-Auto-Response-Suppress} with All, AutoReply or OOF;</li>
 *   <li>mail that does not name the guest: none of the guest's addresses in To, Cc, Bcc,
 *       Resent-To, Resent-Cc or Resent-Bcc (a Bcc copy, a list, an undeclared alias).</li>
 * </ul>
 */
final class ReplyPolicy {

    private static final Set<String> PROGRAM_LOCAL_PARTS = Set.of(
            "mailer-daemon", "mailer", "postmaster", "listserv", "majordomo", "noreply", "no-reply", "donotreply",
            "do-not-reply", "bounce", "bounces");

    /** Where the keyword of an Auto-Submitted or Precedence value ends. */
    private static final Pattern KEYWORD_END = Pattern.compile("[;(\\s]");
    private static final Pattern WORD_SEPARATORS = Pattern.compile("[,;\\s]+");

    /** The headers that say whom a mail was written to (RFC 5230 section 4.5). */
    static final List<String> ADDRESS_HEADERS = List.of("To", "Cc", "Bcc", "Resent-To", "Resent-Cc", "Resent-Bcc");

    private ReplyPolicy() {}

    /**
     * Why an automatic reply to this mail must not be sent; empty when it may be. Every rule
     * of the class comment.
     *
     * @param sender the envelope sender, whom the reply would go to
     * @param recipient the envelope recipient, the guest
     * @param guestAddresses the guest's other addresses (aliases); the mail must name the
     *     recipient or one of them for a reply
     */
    static Optional<String> forbidden(String sender, String recipient, Set<String> guestAddresses, MailMessage mail) {
        Set<String> mine = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        mine.add(recipient);
        mine.addAll(guestAddresses);
        Optional<String> why = forbiddenWhoeverIsNamed(sender, mine, mail);
        if (why.isEmpty() && !addressed(mine, mail)) {
            why = Optional.of("the mail does not name the recipient in " + String.join(", ", ADDRESS_HEADERS)
                    + " (a Bcc copy, a list or an undeclared alias)");
        }
        return why;
    }

    /**
     * The rules about the sender and the mail's headers, without "was I addressed?": for an
     * answer to a request sent to an address (a signup), whoever else the mail names.
     */
    static Optional<String> forbiddenWhoeverIsNamed(String sender, String recipient, MailMessage mail) {
        Set<String> mine = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        mine.add(recipient);
        return forbiddenWhoeverIsNamed(sender, mine, mail);
    }

    private static Optional<String> forbiddenWhoeverIsNamed(String sender, Set<String> mine, MailMessage mail) {
        if (sender == null || sender.isEmpty() || sender.equals("<>")) {
            return Optional.of("the mail has the null sender (a bounce or notification)");
        }
        if (mine.contains(sender)) {
            return Optional.of("the sender is the recipient itself");
        }
        return programSender(sender).or(() -> headerRule(mail.headers()));
    }

    private static Optional<String> programSender(String sender) {
        String s = sender.toLowerCase(Locale.ROOT);
        int at = s.lastIndexOf('@');
        String local = at < 0 ? s : s.substring(0, at);
        int plus = local.indexOf('+');
        String base = plus > 0 ? local.substring(0, plus) : local;
        if (PROGRAM_LOCAL_PARTS.contains(base) || base.startsWith("owner-") || base.endsWith("-owner")
                || local.contains("-request") || base.endsWith("-bounces") || base.endsWith("-bounce")) {
            return Optional.of("the sender " + sender + " is a program or a list, not a person");
        }
        return Optional.empty();
    }

    private static Optional<String> headerRule(Map<String, String> headers) {
        for (Map.Entry<String, String> h : headers.entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            String value = h.getValue().trim().toLowerCase(Locale.ROOT);
            if (name.equals("auto-submitted")) {
                for (String occurrence : value.split(",")) {
                    String keyword = KEYWORD_END.split(occurrence.trim(), 2)[0];
                    if (!keyword.equals("no")) {
                        return Optional.of("the mail is Auto-Submitted: " + h.getValue().trim());
                    }
                }
            } else if (name.equals("precedence")) {
                // A repeated header arrives joined with ", ": look at every occurrence.
                for (String occurrence : value.split(",")) {
                    String keyword = KEYWORD_END.split(occurrence.trim(), 2)[0];
                    if (keyword.equals("bulk") || keyword.equals("list") || keyword.equals("junk")) {
                        return Optional.of("the mail has Precedence: " + keyword);
                    }
                }
            } else if (name.startsWith("list-")) {
                return Optional.of("the mail comes from a mailing list (" + h.getKey() + ")");
            } else if (name.equals("x-auto-response-suppress")) {
                for (String word : WORD_SEPARATORS.split(value)) {
                    if (word.equals("all") || word.equals("autoreply") || word.equals("oof")) {
                        return Optional.of("the mail asks for no automatic reply (X-Auto-Response-Suppress: "
                                + h.getValue().trim() + ")");
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Whether one of {@code mine} is among the addresses of the mail's To, Cc, Bcc and
     * Resent-* fields (every occurrence, parsed with mime4j's lenient address-list parser;
     * groups included; addresses compared without regard to case, display names ignored).
     */
    static boolean addressed(Set<String> mine, MailMessage mail) {
        for (String name : ADDRESS_HEADERS) {
            for (String raw : mail.rawValues(name)) {
                for (Mailbox mailbox : LenientAddressParser.DEFAULT.parseAddressList(raw).flatten()) {
                    if (mine.contains(mailbox.getAddress())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
