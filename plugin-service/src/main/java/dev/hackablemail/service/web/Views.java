package dev.hackablemail.service.web;

import dev.hackablemail.runner.push.PushAnswer;
import dev.hackablemail.store.GuestStore;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What each template shows: one record per page (the templates' single parameter), and the formats they share. */
public final class Views {

    private Views() {}

    /**
     * What every page needs.
     *
     * @param base the path before every link ("" at the root)
     * @param section the navigation entry to mark
     * @param address the signed-in guest; null on the sign-in page
     * @param csrf the session's form token; null without a session
     */
    public record Page(String base, String title, String section, String address, boolean admin, String csrf) {
        public boolean signedIn() {
            return address != null;
        }

        public String here(String name) {
            return name.equals(section) ? "page" : null;
        }
    }

    public record SignInView(Page page, String code, String message) {}

    public record ErrorView(Page page, int status, String message) {}

    /** My plugin: the active version (null: none), the kept versions, the commands. */
    public record PluginView(Page page, PushAnswer.Version active, PushAnswer.VersionList list, String server) {}

    /** The push form, with the answer of the last push (null before one). */
    public record PushView(Page page, PushAnswer.GateAnswer answer, long maxUpload) {}

    public record VersionsView(Page page, PushAnswer.VersionList list) {}

    /** A question before a change: the form posts to {@code action}. */
    public record ConfirmView(Page page, String question, String detail, String action, String button,
            String back) {}

    /** The answer of a rollback or removal. */
    public record DoneView(Page page, PushAnswer.GateAnswer answer, String message) {}

    /** Try a message: the form, and what the filter would do (null before a try). */
    public record TryView(Page page, List<PushAnswer.Version> versions,
            dev.hackablemail.filter.trial.TrialResult result, String plugin, String sender, String message) {
        public String delivered() {
            return result.delivery() == null ? "" : new String(result.delivery().bytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    public record MailView(Page page, List<GuestStore.MailRecord> mails, int number, boolean more) {}

    public record AliasesView(Page page, List<String> aliases, String message) {}

    /** One guest on the operator's page. */
    public record GuestRow(String address, String registered, Integer active, String sha256) {}

    public record AdminView(Page page, List<GuestRow> guests, int number, boolean more, int total,
            String storeHealth, String daemonHealth, int sessions) {}

    public record AdminGuestView(Page page, String address, PushAnswer.VersionList list,
            List<Map<String, Object>> audit) {}

    // ---- formats ----

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'",
            Locale.ROOT).withZone(ZoneOffset.UTC);

    public static String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant);
    }

    /** An ISO-8601 instant as stored (a version's {@code pushed}); anything else as it is. */
    public static String time(String iso) {
        if (iso == null) {
            return "";
        }
        try {
            return TIME.format(Instant.parse(iso));
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    public static String bytes(long size) {
        if (size < 10_000) {
            return size + " bytes";
        }
        return size < 10_000_000 ? (size + 512) / 1024 + " KiB" : (size + (1 << 19)) / (1 << 20) + " MiB";
    }

    public static String millis(long micros) {
        return String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
    }

    public static String shortSha(String sha256) {
        return sha256 == null ? "" : sha256.length() > 12 ? sha256.substring(0, 12) : sha256;
    }

    public static String simulations(List<PushAnswer.SimulationSummary> summaries) {
        StringBuilder s = new StringBuilder();
        for (PushAnswer.SimulationSummary sim : summaries) {
            if (s.length() > 0) {
                s.append("; ");
            }
            s.append(sim.name()).append(": ").append(sim.passed()).append(" passed");
            if (sim.failed() > 0) {
                s.append(", ").append(sim.failed()).append(" failed");
            }
            s.append(" (").append(sim.millis()).append(" ms)");
        }
        return s.length() == 0 ? "not recorded" : s.toString();
    }

    /** A value inside a link's query string. */
    public static String query(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    public static String text(Object value) {
        return value == null ? "" : String.valueOf(value);
    }
}
