package dev.hackablemail.service.web;

import dev.hackablemail.runner.push.PushAnswer;
import dev.hackablemail.service.ApiException;
import dev.hackablemail.service.PluginGate;
import dev.hackablemail.service.PushService;
import dev.hackablemail.store.GuestStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The pages of one guest, always the session's own: every action goes through the same
 * {@link PushService} methods as the JSON API, so the gate, the audit trail and the limits
 * are the API's.
 */
final class GuestPages {

    static final int MAIL_PAGE = 50;
    private final WebConsole console;
    private final PushService service;

    GuestPages(WebConsole console) {
        this.console = console;
        this.service = console.service;
    }

    void mount(Javalin app) {
        app.get("/plugin", console.view(this::plugin));
        app.get("/push", console.view((ctx, s) -> WebConsole.render(ctx, 200, "push.jte",
                new Views.PushView(console.page(s, "Push", "push"), null, console.config.maxUpload()))));
        app.post("/push", console.action(this::push));
        app.get("/versions", console.view((ctx, s) -> WebConsole.render(ctx, 200, "versions.jte",
                new Views.VersionsView(console.page(s, "Versions", "versions"), list(s.address())))));
        app.get("/versions/{version}/rollback", console.view(this::confirmRollback));
        app.post("/versions/{version}/rollback", console.action(this::rollback));
        app.get("/plugin/remove", console.view((ctx, s) -> WebConsole.render(ctx, 200, "confirm.jte",
                new Views.ConfirmView(console.page(s, "Remove your plugin", "versions"),
                        "Remove your active plugin?", "Mail to " + s.address() + " will then pass through unchanged. "
                        + "Your versions are kept: you can roll back to one later.", "/plugin/remove",
                        "Remove the plugin", "/versions"))));
        app.post("/plugin/remove", console.action(this::remove));
        app.get("/mail", console.view(this::mail));
        app.get("/aliases", console.view((ctx, s) -> aliases(ctx, s, null, 200)));
        app.post("/aliases", console.action(this::setAliases));
    }

    private PushAnswer.VersionList list(String address) throws Exception {
        return (PushAnswer.VersionList) service.list(address).body();
    }

    private void plugin(Context ctx, Sessions.Session s) throws Exception {
        PushAnswer.VersionList list = list(s.address());
        PushAnswer.Version active = list.versions().stream().filter(PushAnswer.Version::active).findFirst()
                .orElse(null);
        WebConsole.render(ctx, 200, "plugin.jte", new Views.PluginView(console.page(s, "My plugin", "plugin"),
                active, list, console.serverUrl()));
    }

    @SuppressWarnings("try") // the slot is held for the block
    private void push(Context ctx, Sessions.Session s) throws Exception {
        UploadedFile file = ctx.uploadedFile("wasm");
        if (file == null || file.size() == 0) {
            throw new ApiException(400, "Choose a .wasm file to push (the one your build wrote).");
        }
        if (file.size() > console.config.maxUpload()) {
            throw new ApiException(413, "The file is " + file.size() + " bytes; this server takes at most "
                    + console.config.maxUpload() + " bytes.");
        }
        byte[] wasm;
        try (InputStream in = file.content()) {
            wasm = in.readAllBytes();
        }
        List<GuestStore.Attachment> attachments = new ArrayList<>();
        try {
            for (UploadedFile simulation : ctx.uploadedFiles("simulation")) {
                attachments.add(attachment(simulation, GuestStore.Attachment.SIMULATION));
            }
            UploadedFile host = ctx.uploadedFile("mock_host");
            if (host != null && host.size() > 0) {
                attachments.add(attachment(host, GuestStore.Attachment.MOCK_HOST));
            }
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage());
        }
        attachments.removeIf(a -> a == null);
        PushService.Response response;
        try (PushService.Slot slot = service.slot(s.address())) {
            response = service.push(s.address(), new PluginGate.Candidate(file.filename(), wasm, attachments),
                    PushService.BY_GUEST);
        }
        WebConsole.render(ctx, response.status(), "push.jte", new Views.PushView(console.page(s, "Push", "push"),
                (PushAnswer.GateAnswer) response.body(), console.config.maxUpload()));
    }

    /** An author's file pushed with the plugin; null for an empty file input (none chosen). */
    private static GuestStore.Attachment attachment(UploadedFile file, String kind) throws java.io.IOException {
        if (file.size() == 0 && (file.filename() == null || file.filename().isEmpty())) {
            return null;
        }
        try (InputStream in = file.content()) {
            return new GuestStore.Attachment(file.filename(), kind, in.readAllBytes());
        }
    }

    private static int version(Context ctx) throws ApiException {
        try {
            return Integer.parseInt(ctx.pathParam("version"));
        } catch (NumberFormatException e) {
            throw new ApiException(404, "No such version.");
        }
    }

    private void confirmRollback(Context ctx, Sessions.Session s) throws Exception {
        int version = version(ctx);
        PushAnswer.Version v = list(s.address()).versions().stream().filter(x -> x.version() == version).findFirst()
                .orElseThrow(() -> new ApiException(404, "You have no version " + version + " (it was never pushed, "
                        + "or it was pruned)."));
        WebConsole.render(ctx, 200, "confirm.jte", new Views.ConfirmView(console.page(s, "Roll back", "versions"),
                "Make version " + version + " active again?", "Version " + version + " (" + Views.bytes(v.size())
                + ", SHA-256 " + Views.shortSha(v.sha256()) + "…, pushed " + Views.time(v.pushed())
                + ") is checked by today's gate first; it goes live only if it passes.",
                "/versions/" + version + "/rollback", "Roll back to version " + version, "/versions"));
    }

    @SuppressWarnings("try") // the slot is held for the block
    private void rollback(Context ctx, Sessions.Session s) throws Exception {
        int version = version(ctx);
        PushService.Response response;
        try (PushService.Slot slot = service.slot(s.address())) {
            response = service.rollback(s.address(), version, PushService.BY_GUEST);
        }
        PushAnswer.GateAnswer answer = (PushAnswer.GateAnswer) response.body();
        WebConsole.render(ctx, response.status(), "done.jte", new Views.DoneView(
                console.page(s, "Roll back", "versions"), answer, answer.accepted()
                        ? "Version " + version + " is active again." : "Version " + version + " did not pass the "
                        + "gate; nothing changed."));
    }

    private void remove(Context ctx, Sessions.Session s) throws Exception {
        PushAnswer.RemoveAnswer answer = (PushAnswer.RemoveAnswer) service.remove(s.address(), PushService.BY_GUEST)
                .body();
        WebConsole.render(ctx, 200, "done.jte", new Views.DoneView(console.page(s, "Remove", "versions"), null,
                answer.removed() ? "Your plugin is removed: mail passes through unchanged. Your versions are kept."
                        : "No plugin was active; nothing changed."));
    }

    private void mail(Context ctx, Sessions.Session s) throws Exception {
        int number = 1;
        String page = ctx.queryParam("page");
        if (page != null) {
            try {
                number = Math.max(1, Math.min(10_000, Integer.parseInt(page)));
            } catch (NumberFormatException e) {
                throw new ApiException(400, "'" + page + "' is not a page number.");
            }
        }
        List<GuestStore.MailRecord> mails = service.store().recentMail(s.address(), (number - 1) * MAIL_PAGE,
                MAIL_PAGE + 1);
        boolean more = mails.size() > MAIL_PAGE;
        WebConsole.render(ctx, 200, "mail.jte", new Views.MailView(console.page(s, "Recent mail", "mail"),
                more ? mails.subList(0, MAIL_PAGE) : mails, number, more));
    }

    private void aliases(Context ctx, Sessions.Session s, String message, int status) throws Exception {
        PushAnswer.Aliases aliases = (PushAnswer.Aliases) service.aliases(s.address()).body();
        WebConsole.render(ctx, status, "aliases.jte", new Views.AliasesView(console.page(s, "Aliases", "aliases"),
                aliases.aliases(), message));
    }

    private void setAliases(Context ctx, Sessions.Session s) throws Exception {
        String text = ctx.formParam("aliases");
        List<String> aliases = new ArrayList<>(Arrays.stream(text == null ? new String[0] : text.split("[\\s,;]+"))
                .map(String::strip).filter(a -> !a.isEmpty()).collect(Collectors.toList()));
        try {
            service.setAliases(s.address(), aliases, PushService.BY_GUEST);
        } catch (ApiException e) {
            aliases(ctx, s, e.getMessage(), e.status());
            return;
        }
        aliases(ctx, s, "Saved.", 200);
    }
}
