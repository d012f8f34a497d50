package dev.hackablemail.filter.trial;

/**
 * Whether a sender or recipient typed by an author (try's {@code --from}/{@code --to}, a
 * cases file's {@code from}/{@code to}) can be an envelope address as Postfix hands one to
 * the filter: {@code local-part@domain}, the local part possibly quoted. A typo such as a
 * display name ({@code Bob <bob@example.com>}) or a missing domain would otherwise run and
 * give a plausible but wrong answer (every reply suppressed as "not addressed to you").
 */
public final class EnvelopeAddress {

    private EnvelopeAddress() {}

    /** Why {@code address} is no envelope address, or null when it is one. */
    public static String problem(String address) {
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "contains a control character";
            }
        }
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) {
            return "not an address: expected local-part@domain";
        }
        String local = address.substring(0, at);
        String domain = address.substring(at + 1);
        boolean quoted = local.length() >= 2 && local.startsWith("\"") && local.endsWith("\"");
        if (!quoted && hasAny(local, " \t<>,;:\"()[]\\@")) {
            return "not an address: the part before @ has a space or one of <>,;:\"()[]\\@ (an envelope address"
                    + " has no display name or angle brackets)";
        }
        if (hasAny(domain, " \t<>,;:\"()\\")) {
            return "not an address: the domain has a space or one of <>,;:\"()\\";
        }
        return null;
    }

    private static boolean hasAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }
}
