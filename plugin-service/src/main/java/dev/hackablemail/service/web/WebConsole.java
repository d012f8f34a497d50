package dev.hackablemail.service.web;

import dev.hackablemail.service.ApiException;
import dev.hackablemail.service.PushService;
import dev.hackablemail.service.ServiceConfig;
import dev.hackablemail.store.Digests;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console: server-rendered pages (jte templates compiled at build time, under
 * {@code src/main/jte}) beside the JSON API, on the same server. Every page but sign-in
 * needs a session (a cookie, HttpOnly and SameSite=Strict, Secure behind an https public
 * URL); every form that changes something carries the session's CSRF token; every guest
 * page shows the session's own guest and names no other. Nothing is loaded from outside
 * the service: the style sheet and the one small script are served from the jar.
 *
 * <pre>
 * GET  /signin[?code=C]   sign in: the invitation's one-time link, or the push token
 * POST /signin            code or token -> session cookie, to /plugin
 * POST /signout           ends the session on the server
 * GET  /plugin            the active version, its checks, the terminal commands
 * GET|POST /push          upload a .wasm: the gate's report, and whether it went live
 * GET  /versions          every kept version; rollback and remove behind a confirmation
 * GET  /mail[?page=N]     the recent decisions on the guest's mail, newest first
 * GET|POST /try           what a plugin would do with a pasted or uploaded .eml (nothing is sent)
 * GET|POST /aliases       the addresses the guest declares its own
 * GET  /admin             operators (service.admins): guests, health; revoke; audit trail
 * </pre>
 */
public final class WebConsole {

    private static final Logger LOG = LoggerFactory.getLogger(WebConsole.class);
    static final String COOKIE = "hackable_session";
    private static final TemplateEngine TEMPLATES = TemplateEngine.createPrecompiled(ContentType.Html);

    final PushService service;
    final ServiceConfig config;
    final Sessions sessions;
    /** The path the public URL puts before every page ("" at the root), for links and the cookie. */
    final String base;
    private final boolean secure;
    private final Supplier<String> serverUrl;

    private WebConsole(PushService service, Supplier<String> serverUrl) {
        this.service = service;
        this.config = service.config();
        this.sessions = new Sessions(service.clock());
        this.serverUrl = serverUrl;
        String publicUrl = config.publicUrl();
        String path = publicUrl == null ? "" : URI.create(publicUrl).getPath();
        this.base = path == null ? "" : path.replaceAll("/+$", "");
        this.secure = publicUrl != null && publicUrl.startsWith("https:");
    }

    /** Adds the console's routes to the API's server. */
    public static WebConsole mount(Javalin app, PushService service, Supplier<String> serverUrl) {
        WebConsole console = new WebConsole(service, serverUrl);
        new SignInPages(console).mount(app);
        new GuestPages(console).mount(app);
        new OperatorPages(console).mount(app);
        new TryPage(console).mount(app);
        app.get("/", ctx -> ctx.redirect(console.base + "/plugin", io.javalin.http.HttpStatus.SEE_OTHER));
        app.get("/static/{file}", console::asset);
        return console;
    }

    /** The URL guests push to from a terminal. */
    String serverUrl() {
        return config.publicUrl() != null ? config.publicUrl() : serverUrl.get();
    }

    // ---- handlers ----

    /** A page for a signed-in guest. */
    interface PageHandler {
        void handle(Context ctx, Sessions.Session session) throws Exception;
    }

    /** A page without a session (sign-in). */
    interface OpenHandler {
        void handle(Context ctx) throws Exception;
    }

    /** GET: a session, else to the sign-in page. */
    Handler view(PageHandler handler) {
        return guarded((ctx, session) -> handler.handle(ctx, session), false, false);
    }

    /** POST: a session and its CSRF token. */
    Handler action(PageHandler handler) {
        return guarded(handler, true, false);
    }

    /** An operator's page (GET) or action (POST). */
    Handler operator(PageHandler handler, boolean post) {
        return guarded(handler, post, true);
    }

    private Handler guarded(PageHandler handler, boolean post, boolean admin) {
        return ctx -> {
            headers(ctx);
            try {
                Optional<Sessions.Session> session = sessions.find(ctx.cookie(COOKIE));
                if (session.isEmpty()) {
                    if (post) {
                        throw new ApiException(401, "You are not signed in (or your session ended). Sign in again.");
                    }
                    ctx.redirect(base + "/signin", io.javalin.http.HttpStatus.SEE_OTHER);
                    return;
                }
                if (post && !Digests.equal(session.get().csrf(), ctx.formParam("csrf") == null ? ""
                        : ctx.formParam("csrf"))) {
                    throw new ApiException(403, "This form is out of date or did not come from this site "
                            + "(its security token is missing or wrong). Go back, reload the page and try again.");
                }
                if (admin && !session.get().admin()) {
                    throw new ApiException(403, "This page is for the service's operators (service.admins).");
                }
                handler.handle(ctx, session.get());
            } catch (ApiException e) {
                error(ctx, e.status(), e.getMessage());
            } catch (Exception e) {
                failure(ctx, e);
            }
        };
    }

    Handler open(OpenHandler handler) {
        return ctx -> {
            headers(ctx);
            try {
                handler.handle(ctx);
            } catch (ApiException e) {
                error(ctx, e.status(), e.getMessage());
            } catch (Exception e) {
                failure(ctx, e);
            }
        };
    }

    /** The page is ours alone: no framing, no outside script or style, no referrer (a sign-in link has a code). */
    private static void headers(Context ctx) {
        ctx.header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
                + "form-action 'self'; base-uri 'none'");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
    }

    private void failure(Context ctx, Exception e) {
        LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
        error(ctx, 500, "Something went wrong on the server; nothing was changed unless the page said so. "
                + "The operator finds the details in the service's log.");
    }

    void error(Context ctx, int status, String message) {
        Optional<Sessions.Session> session = sessions.find(ctx.cookie(COOKIE));
        render(ctx, status, "error.jte", new Views.ErrorView(page(session.orElse(null), "Error", ""), status,
                message));
    }

    // ---- sessions ----

    void startSession(Context ctx, String address) {
        String id = sessions.start(address, config.console().isAdmin(address));
        ctx.header("Set-Cookie", COOKIE + "=" + id + "; Path=" + cookiePath() + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : ""));
    }

    void endSession(Context ctx) {
        sessions.end(ctx.cookie(COOKIE));
        ctx.header("Set-Cookie", COOKIE + "=; Path=" + cookiePath() + "; Max-Age=0; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : ""));
    }

    /** Ends the sessions of a guest whose token was revoked. */
    void endSessionsOf(String address) {
        sessions.endAll(address);
    }

    private String cookiePath() {
        return base.isEmpty() ? "/" : base + "/";
    }

    // ---- rendering ----

    Views.Page page(Sessions.Session session, String title, String section) {
        return session == null ? new Views.Page(base, title, section, null, false, null)
                : new Views.Page(base, title, section, session.address(), session.admin(), session.csrf());
    }

    static void render(Context ctx, int status, String template, Object view) {
        StringOutput out = new StringOutput();
        TEMPLATES.render(template, view, out);
        ctx.status(status).contentType("text/html; charset=utf-8").result(out.toString());
    }

    void redirect(Context ctx, String path) {
        ctx.redirect(base + path, io.javalin.http.HttpStatus.SEE_OTHER);
    }

    private void asset(Context ctx) throws IOException {
        String file = ctx.pathParam("file");
        String type = file.endsWith(".css") ? "text/css; charset=utf-8"
                : file.endsWith(".js") ? "text/javascript; charset=utf-8" : null;
        InputStream in = type == null || !file.matches("[a-z-]+\\.(css|js)") ? null
                : WebConsole.class.getResourceAsStream(file);
        if (in == null) {
            ctx.status(404).contentType("text/plain").result("no such file\n");
            return;
        }
        try (in) {
            ctx.header("Cache-Control", "max-age=3600");
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.status(200).contentType(type).result(in.readAllBytes());
        }
    }
}
