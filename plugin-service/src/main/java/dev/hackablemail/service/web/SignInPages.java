package dev.hackablemail.service.web;

import dev.hackablemail.service.ApiException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signing in and out. The invitation's link opens a page with one button rather than signing
 * in on the GET itself: mail scanners that follow links would otherwise use the one-time
 * code up before the guest does.
 */
final class SignInPages {

    private static final Logger LOG = LoggerFactory.getLogger(SignInPages.class);
    private final WebConsole console;

    SignInPages(WebConsole console) {
        this.console = console;
    }

    void mount(Javalin app) {
        app.get("/signin", console.open(this::form));
        app.post("/signin", console.open(this::signIn));
        app.post("/signout", console.action((ctx, session) -> {
            console.endSession(ctx);
            LOG.info("web console: {} signed out", session.address());
            console.redirect(ctx, "/signin?out");
        }));
    }

    private void form(Context ctx) {
        String code = ctx.queryParam("code");
        String message = ctx.queryParam("out") != null ? "You are signed out." : null;
        WebConsole.render(ctx, 200, "signin.jte", new Views.SignInView(console.page(null, "Sign in", "signin"),
                code == null || code.isBlank() ? null : code.strip(), message));
    }

    private void signIn(Context ctx) throws Exception {
        String code = ctx.formParam("code");
        String token = ctx.formParam("token");
        Optional<String> address;
        String refusal;
        if (code != null && !code.isBlank()) {
            address = console.service.store().useSignInCode(code.strip(), console.service.clock().instant());
            refusal = "This sign-in link was used already or has expired (a link works once, within the hour). "
                    + "Sign in with your push token instead, or sign up again for a new invitation.";
        } else if (token != null && !token.isBlank()) {
            address = console.service.authenticate(token.strip());
            refusal = "That is not a valid push token (or it was revoked). Use the token from your latest "
                    + "invitation.";
        } else {
            throw new ApiException(400, "Paste your push token, or follow the link in your invitation.");
        }
        if (address.isEmpty()) {
            LOG.info("web console: a sign-in by {} was refused", code != null && !code.isBlank() ? "link" : "token");
            WebConsole.render(ctx, 401, "signin.jte", new Views.SignInView(console.page(null, "Sign in", "signin"),
                    null, refusal));
            return;
        }
        console.startSession(ctx, address.get());
        LOG.info("web console: {} signed in by {}", address.get(), code != null && !code.isBlank() ? "link" : "token");
        console.redirect(ctx, "/plugin");
    }
}
