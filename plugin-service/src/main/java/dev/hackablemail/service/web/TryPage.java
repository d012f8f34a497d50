package dev.hackablemail.service.web;

import dev.hackablemail.filter.FilterConfig;
import dev.hackablemail.filter.trial.MailTrial;
import dev.hackablemail.filter.trial.TrialResult;
import dev.hackablemail.service.ApiException;
import dev.hackablemail.service.ServiceConfig;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * "Try a message": what the guest's active plugin, or one of their kept versions, would do
 * with a pasted or uploaded .eml, through the filter's own core in record mode
 * ({@link MailTrial}): nothing is sent, nothing in the store changes.
 */
final class TryPage {

    private final WebConsole console;
    private volatile MailTrial trial;

    TryPage(WebConsole console) {
        this.console = console;
    }

    void mount(Javalin app) {
        app.get("/try", console.view((ctx, s) -> WebConsole.render(ctx, 200, "try.jte", new Views.TryView(
                console.page(s, "Try a message", "try"), versions(s), null, null, "sender@example.org", ""))));
        app.post("/try", console.action(this::tryMessage));
    }

    private java.util.List<dev.hackablemail.runner.push.PushAnswer.Version> versions(Sessions.Session s)
            throws Exception {
        return ((dev.hackablemail.runner.push.PushAnswer.VersionList) console.service.list(s.address()).body())
                .versions();
    }

    private void tryMessage(Context ctx, Sessions.Session s) throws Exception {
        byte[] message;
        UploadedFile file = ctx.uploadedFile("eml");
        if (file != null && file.size() > 0) {
            if (file.size() > console.config.maxUpload()) {
                throw new ApiException(413, "The message is " + file.size() + " bytes; this page takes at most "
                        + console.config.maxUpload() + " bytes.");
            }
            try (InputStream in = file.content()) {
                message = in.readAllBytes();
            }
        } else {
            String pasted = ctx.formParam("message");
            if (pasted == null || pasted.isBlank()) {
                throw new ApiException(400, "Paste a message (its header, a blank line, its body) or choose an "
                        + ".eml file.");
            }
            message = pasted.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        }
        String sender = ctx.formParam("sender") == null ? "" : ctx.formParam("sender").strip();
        String which = ctx.formParam("version");
        byte[] plugin = null; // the active one
        String label = "your active plugin";
        if (which != null && !which.isBlank() && !which.equals("active")) {
            int version;
            try {
                version = Integer.parseInt(which);
            } catch (NumberFormatException e) {
                throw new ApiException(400, "'" + which + "' is not a version number.");
            }
            plugin = console.service.versionBytes(s.address(), version);
            label = "version " + version;
        } else if (!console.service.store().active(s.address()).any()) {
            label = "no plugin (none is active: the mail passes through unchanged)";
        }
        TrialResult result = trial().run(sender, s.address(), message, plugin);
        WebConsole.render(ctx, 200, "try.jte", new Views.TryView(console.page(s, "Try a message", "try"),
                versions(s), result, label, sender, new String(message, StandardCharsets.UTF_8)));
    }

    /** The filter's own settings (limits, reply rules, hostname) from the file the service shares with it. */
    private MailTrial trial() {
        MailTrial t = trial;
        if (t == null) {
            ServiceConfig config = console.config;
            Path file = Path.of(config.source());
            FilterConfig filter = Files.isRegularFile(file) ? FilterConfig.load(file)
                    : FilterConfig.fromMap(config.store().asMap(), config.source());
            t = new MailTrial(filter, console.service.store(), console.service.clock());
            trial = t;
        }
        return t;
    }
}
