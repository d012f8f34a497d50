package dev.hackablemail.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hackablemail.runner.push.PushAnswer;
import dev.hackablemail.runner.report.Reasons;
import dev.hackablemail.store.GuestKeys;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API of the push service (Javalin on Jetty). Every request but {@code /healthz}
 * carries the guest's token, {@code Authorization: Bearer TOKEN}; the token names the guest,
 * so the plain routes act on the caller's own plugin:
 *
 * <pre>
 * GET    /api/v1/plugin                      the versions, which one is active       200
 * POST   /api/v1/plugin          (body: wasm) push: check, simulate, activate          201 / 200 / 422
 *        (or multipart/form-data: plugin, simulation..., mock_host; see {@link PushParts})
 * GET    /api/v1/checks                      the server's checks, to run locally (no token) 200
 * GET    /api/v1/checks/{file}               one of their files (no token)            200 / 404
 * POST   /api/v1/plugin/rollback {"version":N}  activate version N (after the gate)  200 / 404 / 422
 * DELETE /api/v1/plugin                      remove: mail passes through              200
 * GET    /api/v1/plugin/versions/{N}         download version N's bytes               200 / 404
 * GET    /api/v1/aliases                     the addresses declared the guest's own   200
 * PUT    /api/v1/aliases    (body: ["a@x", ...]) replace them ([] for none)           200 / 400
 * GET    /healthz                            no token needed                          200
 * </pre>
 *
 * The same routes under {@code /api/v1/guests/{address}/plugin} (and {@code .../aliases}) name the address explicitly
 * and answer 403 when it is not the token's. Every error is JSON
 * {@code {"error": "...", "status": N}}: 400 bad request, 401 missing/unknown/revoked token,
 * 403 another guest's plugin, 404 no such route or version, 405 wrong method, 413 upload over
 * {@code max_upload}, 422 rejected plugin (with {@code reasons}), 429 too many pushes at once,
 * 500 a failure of ours.
 */
public final class PluginServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PluginServer.class);
    private static final ObjectMapper JSON = PushAnswer.JSON;
    private static final String JSON_TYPE = "application/json";
    /** A rollback request is a few bytes of JSON. */
    private static final int MAX_JSON_BODY = 64 << 10;

    private final PushService service;
    private final ServiceConfig config;
    private final Javalin app;
    private final ServerChecks checks;

    public PluginServer(PushService service) {
        this.service = service;
        this.config = service.config();
        this.checks = new ServerChecks(config);
        this.app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.startupWatcherEnabled = false;
            cfg.http.prefer405over404 = true;
            cfg.http.maxRequestSize = config.maxUpload();
            // a multipart push (plugin + the author's simulations) is held in memory, never on disk
            cfg.jetty.multipartConfig.maxTotalRequestSize(config.maxUpload(), io.javalin.config.SizeUnit.BYTES);
            cfg.jetty.multipartConfig.maxFileSize(config.maxUpload(), io.javalin.config.SizeUnit.BYTES);
            cfg.jetty.multipartConfig.maxInMemoryFileSize((int) Math.min(Integer.MAX_VALUE, config.maxUpload()),
                    io.javalin.config.SizeUnit.BYTES);
            cfg.router.ignoreTrailingSlashes = true;
            // Jetty's own refusals (a NUL in the path...) as JSON too, on the server and in the context
            cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            cfg.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new JsonErrorHandler()));
            cfg.requestLogger.http((ctx, ms) -> LOG.info("{} {} -> {} in {} ms", ctx.method(), ctx.path(),
                    ctx.statusCode(), Math.round(ms)));
        });
        routes("/api/v1/plugin", false);
        routes("/api/v1/guests/{address}/plugin", true);
        app.get("/api/v1/aliases", guarded(false, (ctx, address) -> send(ctx, service.aliases(address))));
        app.put("/api/v1/aliases", guarded(false, this::setAliases));
        app.get("/api/v1/guests/{address}/aliases", guarded(true, (ctx, address) -> send(ctx, service.aliases(address))));
        app.put("/api/v1/guests/{address}/aliases", guarded(true, this::setAliases));
        app.get("/healthz", ctx -> send(ctx, 200, JSON.createObjectNode().put("status", "ok")));
        // the server's own checks, for authors to run before pushing: no token (nothing secret)
        app.get("/api/v1/checks", ctx -> send(ctx, 200, checks.manifest()));
        app.get("/api/v1/checks/{file}", ctx -> {
            String name = ctx.pathParam("file");
            byte[] bytes = checks.file(name).orElseThrow(() -> ApiException.notFound("no check file '" + name
                    + "' (the files: " + String.join(", ", checks.names()) + ")"));
            ctx.status(200).contentType(name.endsWith(".wasm") ? "application/wasm" : "application/yaml")
                    .header("Content-Disposition", "attachment; filename=\"" + name + "\"").result(bytes);
        });
        dev.hackablemail.service.web.WebConsole.mount(app, service, this::url); // the pages (they handle their own errors)
        app.exception(ApiException.class, (e, ctx) -> sendError(ctx, e.status(), e.getMessage()));
        app.exception(HttpResponseException.class, (e, ctx) -> sendError(ctx, e.getStatus(), describe(e, ctx)));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            sendError(ctx, 500, "internal error of the push service; the active plugin is unchanged unless the answer said otherwise; see the server's log");
        });
    }

    private void routes(String base, boolean explicit) {
        app.get(base, guarded(explicit, (ctx, address) -> send(ctx, service.list(address))));
        app.post(base, guarded(explicit, this::push));
        app.delete(base, guarded(explicit, (ctx, address) -> send(ctx, service.remove(address, PushService.BY_GUEST))));
        app.post(base + "/rollback", guarded(explicit, this::rollback));
        app.get(base + "/versions/{version}", guarded(explicit, (ctx, address) -> {
            int version = version(ctx.pathParam("version"));
            byte[] wasm = service.versionBytes(address, version);
            ctx.status(200).contentType("application/wasm")
                    .header("Content-Disposition", "attachment; filename=\"plugin-v" + version + ".wasm\"")
                    .result(wasm);
        }));
    }

    /** Binds and starts serving; {@link #port()} tells the port when the config said 0. */
    public PluginServer start() {
        app.start(config.listenHost(), config.listenPort());
        LOG.info("hackable-email push service on {}{} (store {}, {} simulation(s), max_upload {} bytes, "
                + "max_concurrent_pushes {})", url(), config.publicUrl() == null ? "" : ", for guests "
                + config.publicUrl(), config.store(), config.simulations().size(), config.maxUpload(),
                config.maxConcurrentPushes());
        return this;
    }

    public int port() {
        return app.port();
    }

    /** The base URL clients use, e.g. {@code http://127.0.0.1:8025}. */
    public String url() {
        String host = config.listenHost();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + port();
    }

    @Override
    public void close() {
        app.stop();
    }

    /** A handler for a guest: authenticated, and (explicit routes) on their own address only. */
    private interface GuestHandler {
        void handle(Context ctx, String address) throws Exception;
    }

    private Handler guarded(boolean explicit, GuestHandler handler) {
        return ctx -> {
            String address = authenticate(ctx);
            if (explicit) {
                String named = ctx.pathParam("address");
                if (!GuestKeys.same(named, address)) {
                    throw new ApiException(403, "this token belongs to another guest: it may only change its own "
                            + "plugin");
                }
            }
            handler.handle(ctx, address);
        };
    }

    private String authenticate(Context ctx) throws IOException, ApiException {
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"hackable-email\"");
            throw new ApiException(401, "no token: send 'Authorization: Bearer TOKEN' with the token of your "
                    + "signup invitation");
        }
        String h = header.strip();
        if (!h.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"hackable-email\"");
            throw new ApiException(401, "the Authorization header must be 'Bearer TOKEN'");
        }
        Optional<String> address = service.authenticate(h.substring("bearer ".length()).strip());
        if (address.isEmpty()) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"hackable-email\", error=\"invalid_token\"");
            throw new ApiException(401, "unknown or revoked token: sign up again for a new one");
        }
        return address.get();
    }

    @SuppressWarnings("try") // the slot is held for the block
    private void push(Context ctx, String address) throws Exception {
        long declared = ctx.req().getContentLengthLong();
        if (declared > config.maxUpload()) {
            if (declared <= 4 * config.maxUpload()) {
                // read what the client is sending anyway, so that it sees the 413 rather than a reset
                discard(ctx.req().getInputStream(), declared);
            }
            throw ApiException.tooLarge(service.tooLarge(declared));
        }
        try (PushService.Slot slot = service.slot(address)) {
            PluginGate.Candidate candidate = ctx.isMultipartFormData() ? PushParts.read(ctx)
                    : new PluginGate.Candidate(ctx.queryParam("filename"), readBody(ctx, config.maxUpload()),
                            java.util.List.of());
            send(ctx, service.push(address, candidate, PushService.BY_GUEST));
        }
    }

    @SuppressWarnings("try") // the slot is held for the block
    private void rollback(Context ctx, String address) throws Exception {
        int version;
        String query = ctx.queryParam("version");
        if (query != null) {
            version = version(query);
        } else {
            byte[] body = readBody(ctx, MAX_JSON_BODY);
            JsonNode json;
            try {
                json = JSON.readTree(body);
            } catch (IOException e) {
                throw ApiException.badRequest("the body must be JSON {\"version\": N}: " + firstLine(e.getMessage()));
            }
            if (json == null || !json.path("version").canConvertToInt() || !json.path("version").isIntegralNumber()) {
                throw ApiException.badRequest("the body must be JSON {\"version\": N} with N a version number");
            }
            version = json.path("version").intValue();
        }
        try (PushService.Slot slot = service.slot(address)) {
            send(ctx, service.rollback(address, version, PushService.BY_GUEST));
        }
    }

    private void setAliases(Context ctx, String address) throws Exception {
        byte[] body = readBody(ctx, MAX_JSON_BODY);
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("the body must be a JSON list of addresses: " + firstLine(e.getMessage()));
        }
        if (json == null || !json.isArray()) {
            throw ApiException.badRequest("the body must be a JSON list of addresses, e.g. [\"a.smith@example.com\"]"
                    + " ([] for none)");
        }
        java.util.List<String> aliases = new java.util.ArrayList<>();
        for (JsonNode alias : json) {
            if (!alias.isTextual()) {
                throw ApiException.badRequest("the body must be a JSON list of addresses (strings), got " + alias);
            }
            aliases.add(alias.asText().strip());
        }
        send(ctx, service.setAliases(address, aliases, PushService.BY_GUEST));
    }

    private static int version(String text) throws ApiException {
        try {
            int v = Integer.parseInt(text.strip());
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw ApiException.badRequest("'" + text + "' is not a version number (1, 2, ...)");
    }

    /** Reads the body, at most {@code limit} bytes (more: 413), whatever Content-Length said. */
    private byte[] readBody(Context ctx, long limit) throws IOException, ApiException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 << 10];
        try (InputStream in = ctx.req().getInputStream()) {
            long total = 0;
            int n;
            while ((n = readMalformedAs400(in, buffer)) > 0) {
                total += n;
                if (total > limit) {
                    throw ApiException.tooLarge(limit == config.maxUpload() ? service.tooLarge(total) + " (or more)"
                            : "the request body is larger than " + limit + " bytes");
                }
                out.write(buffer, 0, n);
            }
        }
        return out.toByteArray();
    }

    /** One read of the body; a body that breaks its framing (a bad chunk size...) is the client's error, 400. */
    private static int readMalformedAs400(InputStream in, byte[] buffer) throws ApiException {
        try {
            return in.read(buffer);
        } catch (IOException | RuntimeException e) {
            throw ApiException.badRequest("the request body is malformed (" + firstLine(e.getMessage())
                    + "); send it with a Content-Length or as well-formed chunks");
        }
    }

    private static void discard(InputStream in, long count) throws IOException {
        byte[] buffer = new byte[64 << 10];
        long left = count;
        int n;
        while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
            left -= n;
        }
    }

    private static void send(Context ctx, PushService.Response response) throws IOException {
        send(ctx, response.status(), response.body());
    }

    private static void send(Context ctx, int status, Object body) throws IOException {
        ctx.status(status).contentType(JSON_TYPE).result(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body));
    }

    private static void sendError(Context ctx, int status, String message) {
        PushAnswer.ErrorAnswer body = new PushAnswer.ErrorAnswer(message, status);
        if (status == 429) {
            ctx.header("Retry-After", "5");
        }
        try {
            send(ctx, status, body);
        } catch (IOException e) {
            ctx.status(status).result(message);
        }
    }

    private String describe(HttpResponseException e, Context ctx) {
        switch (e.getStatus()) {
            case 404:
                return "no such endpoint: " + ctx.method() + " " + ctx.path()
                        + " (the API is under /api/v1/plugin; see the service's README)";
            case 405:
                return "method " + ctx.method() + " is not allowed on " + ctx.path();
            case 413:
                return "the request body is too large: this server takes at most " + config.maxUpload()
                        + " bytes (max_upload)";
            default:
                return e.getMessage() == null || e.getMessage().isEmpty() ? "HTTP " + e.getStatus() : e.getMessage();
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
