package dev.hackablemail.filter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hackablemail.onemail.IncomingEmail;
import dev.hackablemail.onemail.OnEmailSchema;
import dev.hackablemail.onemail.ReplyEmail;
import dev.hackablemail.runner.guest.GuestCallException;
import dev.hackablemail.runner.guest.GuestLoadException;
import dev.hackablemail.runner.guest.GuestLog;
import dev.hackablemail.runner.guest.GuestModule;
import dev.hackablemail.runner.guest.GuestPlugin;
import dev.hackablemail.runner.guest.HostImport;
import dev.hackablemail.runner.guest.PluginTemplate;
import dev.hackablemail.schema.payload.Direction;
import dev.hackablemail.schema.payload.PayloadValidator;
import dev.hackablemail.schema.xtp.Schema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a recipient's plugin on one mail through the runner (the one way to load and run a
 * plugin): {@code onEmail} with the mail as JSON, {@code deliver} and {@code reply} bound
 * to a {@link FilterHost}. Every payload crossing the boundary is checked against
 * {@code on-email.yaml} with the schema module's {@link PayloadValidator}: a plugin that
 * hands {@code deliver} or {@code reply} something else, or returns anything but a JSON
 * integer, breaks the contract.
 *
 * <p>Templates are kept per plugin (recipient and digest), with host functions that call the
 * host of the mail being handled, so a long-lived process (the daemon, the bench) reuses
 * compiled code and kernels: a push, rollback or removal is a new digest (or none) and takes
 * effect on the next mail, and every mail still gets a fresh instance. The templates are an
 * LRU of bounded size; a template never serves two recipients, because an instance may
 * inherit the (reset, not zeroed) Extism kernel of the template's previous instance.
 *
 * <p>Safe for concurrent runs: what one run records (its host, a host failure, the guest's
 * log) belongs to the calling thread, which is the thread the plugin runs on.
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

    /** How many plugin templates a runner keeps when not told otherwise. */
    static final int DEFAULT_CACHED_PLUGINS = 64;

    private final FilterConfig config;
    /**
     * Reads deliver's and reply's payloads: a string may be as long as the largest mail the
     * filter takes ({@code max_message_size}; a body decodes to at most as many characters
     * as the mail has bytes), not only Jackson's default 20,000,000.
     */
    private final JsonFactory payloadJson;
    private final Map<String, PluginTemplate> templates;
    /** What the run on this thread records. */
    private final ThreadLocal<Call> calls = ThreadLocal.withInitial(Call::new);

    /** The state of the run on one thread. */
    private static final class Call {
        /** The host of the mail being handled. */
        FilterHost host;
        /** A failure of ours inside a host function (not the plugin's fault). */
        Throwable hostBug;
        final List<String> guestLog = new ArrayList<>();
    }

    private final int concurrentRuns;

    PluginRunner(FilterConfig config) {
        this(config, DEFAULT_CACHED_PLUGINS, PluginTemplate.DEFAULT_SPARE_KERNELS);
    }

    /**
     * @param cachedPlugins how many plugin templates to keep; the least recently used go first
     * @param concurrentRuns how many runs of one plugin may happen at once (that many Extism
     *     kernels are kept ready per plugin: making one costs more than the run)
     */
    PluginRunner(FilterConfig config, int cachedPlugins, int concurrentRuns) {
        if (cachedPlugins < 1) {
            throw new IllegalArgumentException("cachedPlugins must be at least 1, got " + cachedPlugins);
        }
        this.config = config;
        this.payloadJson = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength((int) Math.min(Integer.MAX_VALUE, config.maxMessageSize()))
                        .build())
                .build();
        this.concurrentRuns = concurrentRuns;
        this.templates = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, PluginTemplate> eldest) {
                return size() > cachedPlugins;
            }
        });
    }

    /** How many plugin templates are kept now. */
    int cachedPlugins() {
        return templates.size();
    }

    /** The template of a plugin for one recipient (building a template is cheap: code compiles on first use). */
    private PluginTemplate template(GuestModule module) {
        return templates.computeIfAbsent(module.digest() + " " + module.name(), k -> build(module));
    }

    private static Schema schema() {
        return OnEmailSchema.load();
    }

    /** Lines the plugin logged during this thread's last run (at most 20). */
    List<String> guestLog() {
        return List.copyOf(calls.get().guestLog);
    }

    /** A failure of ours during this thread's last run, or null. */
    Throwable hostBug() {
        return calls.get().hostBug;
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
        Call call = calls.get();
        call.host = host;
        call.hostBug = null;
        call.guestLog.clear();
        try {
            GuestModule module = GuestModule.of(name, wasm);
            GuestPlugin ready = takePreloaded(module.digest());
            PluginTemplate template = template(module);
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
            call.host = null;
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
            PluginTemplate template = template(module);
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
                    return calls.get().host.deliver(email);
                })))
                .withHostImport(HostImport.block(OnEmailSchema.REPLY, (caller, input) -> guarded(() -> {
                    ReplyEmail reply = read(OnEmailSchema.REPLY, input, ReplyEmail.class);
                    return calls.get().host.reply(reply);
                })))
                .withLimits(config.limits())
                .withSpareKernels(concurrentRuns)
                .withExecution(config.execution())
                .withLog(this::log, GuestLog.Level.INFO)
                .build();
    }

    private void log(String module, GuestLog.Level level, String message) {
        List<String> guestLog = calls.get().guestLog;
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
            calls.get().hostBug = e;
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
