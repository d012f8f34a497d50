package dev.hackablemail.filter;

import java.util.regex.Pattern;

/**
 * Text made fit for one log line or one SMTP reply. Done for every message, so the patterns
 * are compiled once ({@code String.replaceAll} compiles its pattern on every call) and text
 * with nothing to replace, the usual case, is returned as it is.
 */
public final class OneLine {

    private static final Pattern CONTROLS = Pattern.compile("[\\p{Cntrl}]+");
    private static final Pattern LINE_BREAKS = Pattern.compile("[\\r\\n]+");

    private OneLine() {}

    /** Each run of control characters (U+0000..U+001F, U+007F) becomes one space. */
    public static String withoutControls(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return CONTROLS.matcher(s).replaceAll(" ");
            }
        }
        return s;
    }

    /** Each run of CR and LF becomes one space. */
    public static String withoutLineBreaks(String s) {
        return s.indexOf('\r') < 0 && s.indexOf('\n') < 0 ? s : LINE_BREAKS.matcher(s).replaceAll(" ");
    }
}
