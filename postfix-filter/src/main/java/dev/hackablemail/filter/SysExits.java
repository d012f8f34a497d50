package dev.hackablemail.filter;

/**
 * The exit codes of {@code <sysexits.h>}, the only language Postfix's {@code pipe(8)}
 * understands from a filter: 0 delivered, {@link #TEMPFAIL} (and {@link #OSERR}) keep the
 * mail in the queue and retry it, anything else bounces it to the sender.
 */
public final class SysExits {

    public static final int OK = 0;
    public static final int USAGE = 64;
    public static final int DATAERR = 65;
    public static final int NOINPUT = 66;
    public static final int NOUSER = 67;
    public static final int NOHOST = 68;
    public static final int UNAVAILABLE = 69;
    public static final int SOFTWARE = 70;
    public static final int OSERR = 71;
    public static final int OSFILE = 72;
    public static final int CANTCREAT = 73;
    public static final int IOERR = 74;
    public static final int TEMPFAIL = 75;
    public static final int PROTOCOL = 76;
    public static final int NOPERM = 77;
    public static final int CONFIG = 78;

    private SysExits() {}

    /** True for the codes sysexits defines as errors (64..78). */
    public static boolean isSysexit(int code) {
        return code >= USAGE && code <= CONFIG;
    }

    /**
     * What the filter exits with for a plugin's return code: 0 stays 0, a sysexits code
     * (64..78) is passed on as is, and every other code (1..63, 79 and up, negative) becomes
     * {@link #UNAVAILABLE}, so that it bounces with a meaningful status instead of being
     * truncated to 8 bits (256 would otherwise become 0 and drop the mail silently).
     */
    public static int forPluginCode(int code) {
        if (code == OK || isSysexit(code)) {
            return code;
        }
        return UNAVAILABLE;
    }
}
