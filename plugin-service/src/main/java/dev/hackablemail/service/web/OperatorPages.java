package dev.hackablemail.service.web;

import dev.hackablemail.runner.push.PushAnswer;
import dev.hackablemail.service.ApiException;
import dev.hackablemail.service.PushService;
import dev.hackablemail.store.GuestStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator's view ({@code service.admins}): the guests and their active versions, a
 * guest's audit trail, revoking a guest's token, and whether the store and the SMTP daemon
 * answer.
 */
final class OperatorPages {

    static final int GUESTS_PAGE = 50;
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);
    private final WebConsole console;
    private final PushService service;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(HEALTH_TIMEOUT).build();

    OperatorPages(WebConsole console) {
        this.console = console;
        this.service = console.service;
    }

    void mount(Javalin app) {
        app.get("/admin", console.operator(this::overview, false));
        app.get("/admin/guest", console.operator(this::guest, false));
        app.get("/admin/revoke", console.operator((ctx, s) -> {
            String address = address(ctx);
            WebConsole.render(ctx, 200, "confirm.jte", new Views.ConfirmView(console.page(s, "Revoke", "admin"),
                    "Revoke " + address + "'s token?", "Their push token stops working at once and their web "
                    + "sessions end. Their plugin stays active; they get a new token by signing up again.",
                    "/admin/revoke?address=" + java.net.URLEncoder.encode(address,
                            java.nio.charset.StandardCharsets.UTF_8), "Revoke the token", "/admin"));
        }, false));
        app.post("/admin/revoke", console.operator(this::revoke, true));
    }

    private static String address(Context ctx) throws ApiException {
        String address = ctx.queryParam("address");
        if (address == null || address.isBlank()) {
            throw new ApiException(400, "Name the guest: ?address=...");
        }
        return address.strip();
    }

    private void overview(Context ctx, Sessions.Session s) throws Exception {
        int number = 1;
        String page = ctx.queryParam("page");
        if (page != null) {
            try {
                number = Math.max(1, Integer.parseInt(page));
            } catch (NumberFormatException e) {
                throw new ApiException(400, "'" + page + "' is not a page number.");
            }
        }
        long start = System.nanoTime();
        String storeHealth;
        int total;
        List<GuestStore.Guest> guests;
        try {
            total = service.store().guestCount();
            guests = service.store().guests((number - 1) * GUESTS_PAGE, GUESTS_PAGE);
            storeHealth = "ok: " + service.store().describe() + " answered in "
                    + (System.nanoTime() - start) / 1_000_000 + " ms";
        } catch (IOException e) {
            total = 0;
            guests = List.of();
            storeHealth = "failing: " + e.getMessage();
        }
        List<Views.GuestRow> rows = new ArrayList<>();
        for (GuestStore.Guest g : guests) {
            GuestStore.ActiveVersion active = service.store().active(g.address());
            rows.add(new Views.GuestRow(g.address(), Views.time(g.registered()), active.version(), active.sha256()));
        }
        WebConsole.render(ctx, 200, "admin.jte", new Views.AdminView(console.page(s, "Operator", "admin"), rows,
                number, number * GUESTS_PAGE < total, total, storeHealth, daemonHealth(), console.sessions.size()));
    }

    private String daemonHealth() {
        String url = console.config.console().daemonHealth();
        if (url == null) {
            return null;
        }
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(HEALTH_TIMEOUT).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
            return (r.statusCode() == 200 ? "ok" : "not ready (HTTP " + r.statusCode() + ")") + ": " + url + " says "
                    + r.body().strip();
        } catch (IOException e) {
            return "unreachable: " + url + " (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unreachable: " + url + " (interrupted)";
        }
    }

    private void guest(Context ctx, Sessions.Session s) throws Exception {
        String address = address(ctx);
        if (service.store().guest(address).isEmpty()) {
            throw new ApiException(404, "No guest " + address + ".");
        }
        WebConsole.render(ctx, 200, "admin-guest.jte", new Views.AdminGuestView(console.page(s, address, "admin"),
                address, (PushAnswer.VersionList) service.list(address).body(),
                service.store().auditTrail(address)));
    }

    private void revoke(Context ctx, Sessions.Session s) throws Exception {
        String address = address(ctx);
        PushAnswer.RevokeAnswer answer = (PushAnswer.RevokeAnswer) service.revoke(address, PushService.BY_ADMIN)
                .body();
        console.endSessionsOf(address);
        WebConsole.render(ctx, 200, "done.jte", new Views.DoneView(console.page(s, "Revoke", "admin"), null,
                answer.revoked() ? address + "'s token is revoked and their sessions ended."
                        : address + " had no token; their sessions ended."));
    }
}
