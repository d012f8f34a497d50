package dev.hackablemail.filter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hackablemail.runner.guest.GuestCallException;
import dev.hackablemail.runner.guest.GuestLoadException;
import dev.hackablemail.runner.guest.GuestLog;
import dev.hackablemail.runner.guest.GuestModule;
import dev.hackablemail.runner.guest.GuestPlugin;
import dev.hackablemail.runner.guest.HostImport;
import dev.hackablemail.runner.guest.PluginTemplate;
import dev.hackablemail.schema.email.IncomingEmail;
import dev.hackablemail.schema.email.OnEmailSchema;
import dev.hackablemail.schema.email.ReplyEmail;
import dev.hackablemail.schema.payload.Direction;
import dev.hackablemail.schema.payload.PayloadValidator;
import dev.hackablemail.schema.xtp.Schema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs a recipient's plugin on one mail through the runner (the one way to load and run a
 * plugin): {@code onEmail} with the mail as JSON, {@code deliver} and {@code reply} bound
 * to a {@link FilterHost}. Every payload crossing the boundary is checked against
 * {@code on-email.yaml} with the schema module's {@link PayloadValidator}: a plugin that
 * hands {@code deliver} or {@code reply} something else, or returns anything but a JSON
 * integer, breaks the contract.
 *
 * <p>Templates are kept per plugin digest, with host functions that call the host of the
 * mail being handled, so a long-lived process (the bench) reuses compiled code and kernels.
 */
final class PluginRunner {

    /** What the plugin did: its return code, or why it failed (trap, timeout, contract...). */
    record Outcome(Integer code, String failure) {
        static Outcome returned(int code) {
            return new Outcome(code, null);
        }

        static Outcome failed(String why) {
            return new Outcome(null, why);
        }

        boolean failed() {
            return failure != null;
        }
    }

    /** Made on first use, off the main thread when {@link #warmUpInBackground} runs first. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }
    private static final int MAX_GUEST_LOG_LINES = 20;

    private final FilterConfig config;
    /**
     * Reads deliver's and reply's payloads: a string may be as long as the largest mail the
     * filter takes ({@code max_message_size}; a body decodes to at most as many characters
     * as the mail has bytes), not only Jackson's default 20,000,000.
     */
    private final JsonFactory payloadJson;
    private final Map<String, PluginTemplate> templates = new ConcurrentHashMap<>();
    /** The host of the mail being handled (one at a time per runner). */
    private FilterHost current;
    /** A failure of ours inside a host function (not the plugin's fault). */
    private Throwable hostBug;
    private final List<String> guestLog = new ArrayList<>();

    PluginRunner(FilterConfig config) {
        this.config = config;
        this.payloadJson = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength((int) Math.min(Integer.MAX_VALUE, config.maxMessageSize()))
                        .build())
                .build();
    }

    private static Schema schema() {
        return OnEmailSchema.load();
    }

    /** Lines the plugin logged during the last run (at most 20). */
    List<String> guestLog() {
        return guestLog;
    }

    /** A failure of ours during the last run, or null. */
    Throwable hostBug() {
        return hostBug;
    }

    /**
     * The mail as the plugin's JSON input, headers in message order (the record's map has no
     * order of its own).
     */
    static byte[] inputJson(IncomingEmail email, Map<String, String> orderedHeaders) throws JsonProcessingException {
        com.fasterxml.jackson.databind.node.ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("sender", email.sender());
        root.put("receiver", email.receiver());
        com.fasterxml.jackson.databind.node.ObjectNode headers = root.putObject("headers");
        orderedHeaders.forEach(headers::put);
        root.put("body", email.body());
        return Json.MAPPER.writeValueAsBytes(root);
    }

    Outcome run(String name, byte[] wasm, FilterHost host) {
        current = host;
        hostBug = null;
        guestLog.clear();
        try {
            GuestModule module = GuestModule.of(name, wasm);
            GuestPlugin ready = takePreloaded(module.digest());
            PluginTemplate template = templates.computeIfAbsent(module.digest(), d -> build(module));
            byte[] input = inputJson(host.given(), host.orderedHeaders());
            byte[] output;
            try (GuestPlugin plugin = ready != null ? ready : template.instantiate()) {
                output = plugin.call(OnEmailSchema.ON_EMAIL, input);
            }
            List<String> problems = PayloadValidator.validate(schema(), OnEmailSchema.ON_EMAIL, Direction.OUTPUT, output);
            if (!problems.isEmpty()) {
                return Outcome.failed("onEmail returned " + preview(output) + ", not a JSON integer ("
                        + String.join("; ", problems) + ")");
            }
            return Outcome.returned(Json.MAPPER.readTree(output).intValue());
        } catch (GuestLoadException | GuestCallException e) {
            return Outcome.failed(e.getMessage());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot convert JSON: " + e.getMessage(), e);
        } finally {
            current = null;
        }
    }

    /**
     * A plugin instance made ahead of time by {@link #preload}, or why it could not be made
     * (a plugin that fails to initialize fails the same way again: no second wait for it),
     * and the digest of its module.
     */
    private record Preloaded(String digest, GuestPlugin plugin, RuntimeException failure) {
        GuestPlugin get() {
            if (failure != null) {
                throw failure;
            }
            return plugin;
        }
    }

    private java.util.concurrent.Future<Preloaded> preloading;

    /**
     * Starts making an instance of {@code wasm} on another thread, so that compiling the
     * plugin overlaps with reading and parsing the mail (a one-message process spends most of
     * its time there). {@link #run} uses it if it is for the same bytes; any failure here is
     * ignored, since {@code run} then meets it again and reports it.
     */
    void preload(String name, byte[] wasm) {
        java.util.concurrent.FutureTask<Preloaded> task = new java.util.concurrent.FutureTask<>(() -> {
            GuestModule module = GuestModule.of(name, wasm);
            PluginTemplate template = templates.computeIfAbsent(module.digest(), d -> build(module));
            try {
                return new Preloaded(module.digest(), template.instantiate(), null);
            } catch (GuestCallException | GuestLoadException e) {
                return new Preloaded(module.digest(), null, e);
            }
        });
        preloading = task;
        Thread t = new Thread(task, "plugin-preload");
        t.setDaemon(true);
        t.start();
    }

    /**
     * The preloaded instance of the module with {@code digest}, or null to make one now.
     *
     * @throws GuestCallException or GuestLoadException: how the preloaded instance failed
     */
    private GuestPlugin takePreloaded(String digest) {
        java.util.concurrent.Future<Preloaded> f = preloading;
        preloading = null;
        if (f == null) {
            return null;
        }
        Preloaded p;
        try {
            p = f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (java.util.concurrent.ExecutionException | RuntimeException e) {
            return null; // run() instantiates again and reports the failure itself
        }
        if (p.digest().equals(digest)) {
            return p.get();
        }
        if (p.plugin() != null) {
            p.plugin().close();
        }
        return null;
    }

    /** Loads the schema and the JSON machinery on another thread (see {@link #preload}). */
    static void warmUpInBackground() {
        Thread t = new Thread(() -> {
            try {
                PayloadValidator.validate(schema(), OnEmailSchema.ON_EMAIL, Direction.OUTPUT, new byte[] {'0'});
                inputJson(new IncomingEmail("a@b", "c@d", Map.of(), ""), Map.of("Subject", "x"));
            } catch (Throwable ignored) {
                // only a warm-up
            }
        }, "filter-warm-up");
        t.setDaemon(true);
        t.start();
    }

    private PluginTemplate build(GuestModule module) {
        return PluginTemplate.builder(module)
                .withHostImport(HostImport.block(OnEmailSchema.DELIVER, (caller, input) -> guarded(() -> {
                    IncomingEmail email = read(OnEmailSchema.DELIVER, input, IncomingEmail.class);
                    return current.deliver(email);
                })))
                .withHostImport(HostImport.block(OnEmailSchema.REPLY, (caller, input) -> guarded(() -> {
                    ReplyEmail reply = read(OnEmailSchema.REPLY, input, ReplyEmail.class);
                    return current.reply(reply);
                })))
                .withLimits(config.limits())
                .withExecution(config.execution())
                .withLog(this::log, GuestLog.Level.INFO)
                .build();
    }

    private void log(String module, GuestLog.Level level, String message) {
        if (guestLog.size() < MAX_GUEST_LOG_LINES) {
            String line = message.replaceAll("[\\p{Cntrl}]+", " ");
            guestLog.add(level + ": " + (line.length() > 200 ? line.substring(0, 200) + "..." : line));
        }
    }

    /** Runs a host function; our own failures are recorded (they are retried, not bounced). */
    private byte[] guarded(java.util.function.IntSupplier body) {
        try {
            return Integer.toString(body.getAsInt()).getBytes(StandardCharsets.US_ASCII);
        } catch (GuestCallException e) {
            throw e;
        } catch (RuntimeException | Error e) {
            hostBug = e;
            throw new GuestCallException(GuestCallException.Kind.HOST, "the host failed: " + e, e);
        }
    }

    private <T> T read(String function, byte[] input, Class<T> type) {
        List<String> problems = PayloadValidator.validate(schema(), function, Direction.INPUT, input);
        if (!problems.isEmpty()) {
            throw new GuestCallException(GuestCallException.Kind.HOST,
                    "the plugin called " + function + " with an invalid payload: " + String.join("; ", problems));
        }
        try {
            return Json.MAPPER.readValue(payloadJson.createParser(input), type);
        } catch (JsonProcessingException e) {
            if (e instanceof StreamConstraintsException || e.getCause() instanceof StreamConstraintsException) {
                throw new GuestCallException(GuestCallException.Kind.HOST, "the plugin called " + function
                        + " with a string longer than max_message_size (" + config.maxMessageSize() + " characters)");
            }
            throw new GuestCallException(GuestCallException.Kind.HOST,
                    "the plugin called " + function + " with an unreadable payload: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new GuestCallException(GuestCallException.Kind.HOST,
                    "the plugin called " + function + " with an unreadable payload: " + e.getMessage());
        }
    }

    private static String preview(byte[] output) {
        String s = new String(output, StandardCharsets.UTF_8).replaceAll("[\\p{Cntrl}]+", " ");
        return output.length == 0 ? "nothing" : "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
    }
}
