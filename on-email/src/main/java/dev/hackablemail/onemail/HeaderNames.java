package dev.hackablemail.onemail;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one spelling in which the host hands header names to a plugin
 * ({@code IncomingEmail.headers}, see {@code schema/on-email.yaml}), whatever case the mail
 * used: a mail's {@code SUBJECT:} or {@code subject:} line arrives as {@code Subject}, so a
 * plugin that reads {@code headers["Subject"]} exactly is correct.
 *
 * <ul>
 *   <li>Well-known fields get their registered spelling (IANA's message header field
 *       registry, RFC 5322, 2045, 2369, 2919, 3834, 6376...): {@code Message-ID},
 *       {@code MIME-Version}, {@code DKIM-Signature}, {@code List-Id}...</li>
 *   <li>Any other name is capitalised word by word between hyphens:
 *       {@code x-spam-status} and {@code X-SPAM-STATUS} become {@code X-Spam-Status}.</li>
 * </ul>
 */
public final class HeaderNames {

    /** Registered spellings, keyed by their lower case (case-insensitive lookups). */
    private static final Map<String, String> REGISTERED = registered(List.of(
            // RFC 5322
            "Date", "From", "Sender", "Reply-To", "To", "Cc", "Bcc", "Message-ID", "In-Reply-To", "References",
            "Subject", "Comments", "Keywords", "Resent-Date", "Resent-From", "Resent-Sender", "Resent-To",
            "Resent-Cc", "Resent-Bcc", "Resent-Message-ID", "Return-Path", "Received",
            // MIME (RFC 2045, 2183, 2392, 1864, 3282)
            "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "Content-ID", "Content-Description",
            "Content-Disposition", "Content-Language", "Content-Location", "Content-MD5", "Content-Base",
            // lists (RFC 2369, 2919, 8058), auto-replies (RFC 3834), Precedence, Exchange
            "List-Id", "List-Help", "List-Unsubscribe", "List-Unsubscribe-Post", "List-Subscribe", "List-Post",
            "List-Owner", "List-Archive", "Archived-At", "Auto-Submitted", "Precedence", "X-Auto-Response-Suppress",
            // authentication and transport (RFC 6376, 8617, 8601, 7208, 8689, 6710)
            "DKIM-Signature", "ARC-Seal", "ARC-Message-Signature", "ARC-Authentication-Results",
            "Authentication-Results", "Received-SPF", "TLS-Required", "MT-Priority", "Delivered-To",
            "X-Original-To", "Disposition-Notification-To", "Original-Recipient", "Original-Message-ID",
            "Autocrypt", "OpenPGP", "Importance", "Priority", "Sensitivity", "User-Agent", "Organization",
            "Errors-To", "X-Mailer", "X-Priority", "Feedback-ID"));

    private HeaderNames() {}

    private static Map<String, String> registered(List<String> names) {
        Map<String, String> byLowerCase = new TreeMap<>();
        for (String name : names) {
            byLowerCase.put(name.toLowerCase(Locale.ROOT), name);
        }
        return Map.copyOf(byLowerCase);
    }

    /**
     * The canonical spelling of a header name (see the class comment). Only the case of ASCII
     * letters changes; two names that differ only in case get the same spelling.
     */
    public static String canonical(String name) {
        String registered = REGISTERED.get(name.toLowerCase(Locale.ROOT));
        if (registered != null) {
            return registered;
        }
        StringBuilder out = new StringBuilder(name.length());
        boolean wordStart = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (wordStart && c >= 'a' && c <= 'z') {
                c = (char) (c - 'a' + 'A');
            } else if (!wordStart && c >= 'A' && c <= 'Z') {
                c = (char) (c - 'A' + 'a');
            }
            out.append(c);
            wordStart = c == '-';
        }
        return out.toString();
    }
}
