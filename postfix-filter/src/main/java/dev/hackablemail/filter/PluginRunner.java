package dev.hackablemail.filter;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
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
import dev.hackablemail.runner.report.Reasons;
import dev.hackablemail.schema.payload.Direction;
import dev.hackablemail.schema.payload.PayloadValidator;
import dev.hackablemail.schema.xtp.Schema;
import dev.hackablemail.store.Digests;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Runs a recipient's plugin on one mail through the runner (the one way to load and run a
 * plugin): {@code onEmail} with the mail as JSON, {@code deliver} and {@code reply} bound
 * to a {@link FilterHost}. Every payload crossing the boundary is checked against
 * {@code on-email.yaml} with the schema module's {@link PayloadValidator}: a plugin that
 * hands {@code deliver} or {@code reply} something else, or returns anything but a JSON
 * integer, breaks the contract. Each payload is parsed once: the validator's tree is what the
 * host binds ({@code treeToValue}); the plugin's bytes are hashed once (by {@link GuestModule#of}).
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

    /**
     * What the plugin did: its return code, or why it failed (trap, timeout, contract...);
     * and the lower-case hex SHA-256 of the plugin run, for the log line.
     */
    record Outcome(Integer code, String failure, String digest) {
        static Outcome returned(int code, String digest) {
            return new Outcome(code, null, digest);
        }

        static Outcome failed(String why, String digest) {
            return new Outcome(null, why, digest);
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
        this.concurrentRuns = concurrentRuns;
        this.templates = lru(cachedPlugins);
        this.loaded = lru(cachedPlugins);
    }

    /** A thread-safe map that keeps the {@code capacity} entries used last. */
    private static <V> Map<String, V> lru(int capacity) {
        return java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > capacity;
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
     * order of its own). Written straight out, without a tree in between (it is done for
     * every message).
     */
    static byte[] inputJson(IncomingEmail email, Map<String, String> orderedHeaders) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(
                256 + (email.body() == null ? 0 : email.body().length()) + 64 * orderedHeaders.size());
        try (JsonGenerator json = Json.MAPPER.createGenerator(bytes)) {
            json.writeStartObject();
            json.writeStringField("sender", email.sender());
            json.writeStringField("receiver", email.receiver());
            json.writeObjectFieldStart("headers");
            for (Map.Entry<String, String> header : orderedHeaders.entrySet()) {
                json.writeStringField(header.getKey(), header.getValue());
            }
            json.writeEndObject();
            json.writeStringField("body", email.body());
            json.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot convert JSON: " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }

    Outcome run(String name, byte[] wasm, FilterHost host) {
        Call call = calls.get();
        call.host = host;
        call.hostBug = null;
        call.guestLog.clear();
        Prepared prepared = takePreloaded(wasm);
        if (prepared == null) {
            prepared = prepare(name, wasm);
        }
        // Only a module that does not even parse has no digest of its own (a rare failure).
        String digest = prepared.module() != null ? prepared.module().digest() : Digests.sha256Hex(wasm);
        try {
            byte[] input = inputJson(host.given(), host.orderedHeaders());
            host.trace().pluginInput(host.given());
            byte[] output;
            GuestPlugin plugin = prepared.get();
            try {
                output = plugin.call(OnEmailSchema.ON_EMAIL, input);
            } finally {
                // Not try-with-resources: out of memory, close() may throw the very error the
                // call threw (the JVM reuses it), and adding it to itself fails ("Self-suppression").
                closeQuietly(plugin);
            }
            PayloadValidator.Checked returned =
                    PayloadValidator.check(schema(), OnEmailSchema.ON_EMAIL, Direction.OUTPUT, output);
            if (!returned.problems().isEmpty()) {
                return Outcome.failed("onEmail returned " + preview(output) + ", not a JSON integer ("
                        + String.join("; ", returned.problems()) + ")", digest);
            }
            return Outcome.returned(returned.json().intValue(), digest);
        } catch (GuestLoadException | GuestCallException e) {
            OutOfMemoryError ours = outOfMemory(e);
            if (ours != null) {
                call.hostBug = ours; // the JVM's heap, not the plugin's limits: a failure of ours (75/451)
            }
            return Outcome.failed(e.getMessage(), digest);
        } finally {
            call.host = null;
        }
    }

    /** The host's OutOfMemoryError behind a failed call, or null. */
    private static OutOfMemoryError outOfMemory(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutOfMemoryError oom) {
                return oom;
            }
        }
        return null;
    }

    private static void closeQuietly(GuestPlugin plugin) {
        try {
            plugin.close();
        } catch (RuntimeException | OutOfMemoryError ignored) {
            // the instance is dropped either way; its kernel is not recycled
        }
    }

    /**
     * A plugin's module (null when the bytes are no module) and a first instance of it, or
     * why either could not be made (a plugin that fails to initialize fails the same way
     * again: no second wait for it).
     */
    private record Prepared(GuestModule module, GuestPlugin plugin, RuntimeException failure) {
        GuestPlugin get() {
            if (failure != null) {
                throw failure;
            }
            return plugin;
        }
    }

    /** What {@link #preload} is making, and from which bytes. */
    private record Preloading(byte[] wasm, java.util.concurrent.Future<Prepared> prepared) {}

    private volatile Preloading preloading;

    /** A module and the very array it was made of. */
    private record Loaded(byte[] wasm, GuestModule module) {}

    /**
     * The module last made for each plugin name, with its bytes: the store hands back the
     * same array while a plugin is unchanged, and then it is not hashed and looked up again.
     * Any other array (a push, a rollback, another store) makes its module anew.
     */
    private final Map<String, Loaded> loaded;

    /** Parses (hashing the bytes once) and instantiates a plugin. */
    private Prepared prepare(String name, byte[] wasm) {
        GuestModule module;
        Loaded known = loaded.get(name);
        if (known != null && known.wasm() == wasm) {
            module = known.module();
        } else {
            try {
                module = GuestModule.of(name, wasm);
            } catch (GuestLoadException e) {
                return new Prepared(null, null, e);
            }
            loaded.put(name, new Loaded(wasm, module));
        }
        try {
            return new Prepared(module, template(module).instantiate(), null);
        } catch (GuestCallException | GuestLoadException e) {
            return new Prepared(module, null, e);
        }
    }

    /**
     * Starts parsing and instantiating {@code wasm} on another thread, so that compiling the
     * plugin overlaps with reading and parsing the mail (a one-message process spends most of
     * its time there). {@link #run} uses what it made if it is given the same bytes.
     */
    void preload(String name, byte[] wasm) {
        java.util.concurrent.FutureTask<Prepared> task = new java.util.concurrent.FutureTask<>(() -> prepare(name, wasm));
        preloading = new Preloading(wasm, task);
        Thread t = new Thread(task, "plugin-preload");
        t.setDaemon(true);
        t.start();
    }

    /** What {@link #preload} made of these bytes, or null to make it now. */
    private Prepared takePreloaded(byte[] wasm) {
        Preloading p = preloading;
        preloading = null;
        if (p == null) {
            return null;
        }
        Prepared made;
        try {
            made = p.prepared().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (java.util.concurrent.ExecutionException | RuntimeException e) {
            return null; // run() prepares again and reports the failure itself
        }
        if (Arrays.equals(p.wasm(), wasm)) { // the same array, as the filter hands it on: no comparison
            return made;
        }
        if (made.plugin() != null) {
            made.plugin().close();
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
                .withHostImport(HostImport.block(OnEmailSchema.DELIVER, (caller, input) -> traced(OnEmailSchema.DELIVER,
                        input, () -> guarded(() -> {
                            IncomingEmail email = read(OnEmailSchema.DELIVER, input, IncomingEmail.class);
                            return calls.get().host.deliver(email);
                        }))))
                .withHostImport(HostImport.block(OnEmailSchema.REPLY, (caller, input) -> traced(OnEmailSchema.REPLY,
                        input, () -> guarded(() -> {
                            ReplyEmail reply = read(OnEmailSchema.REPLY, input, ReplyEmail.class);
                            return calls.get().host.reply(reply);
                        }))))
                .withLimits(config.limits())
                .withSpareKernels(concurrentRuns)
                .withExecution(config.execution())
                .withLog(this::log, GuestLog.Level.INFO)
                .build();
    }

    private void log(String module, GuestLog.Level level, String message) {
        FilterHost host = calls.get().host;
        if (host != null) {
            host.trace().guestLog(level.toString(), message);
        }
        List<String> guestLog = calls.get().guestLog;
        if (guestLog.size() < MAX_GUEST_LOG_LINES) {
            String line = OneLine.withoutControls(message);
            guestLog.add(level + ": " + (line.length() > 200 ? line.substring(0, 200) + "..." : line));
        }
    }

    /** Shows a host function's call to the host's trace: the payload, and the answer or the failure. */
    private byte[] traced(String function, byte[] input, java.util.function.Supplier<byte[]> call) {
        FilterTrace trace = calls.get().host.trace();
        if (trace == FilterTrace.NONE) {
            return call.get();
        }
        try {
            byte[] answer = call.get();
            trace.hostCall(function, input, new String(answer, StandardCharsets.US_ASCII), null);
            return answer;
        } catch (GuestCallException e) {
            trace.hostCall(function, input, null, e.getMessage());
            throw e;
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
            throw new GuestCallException(GuestCallException.Kind.HOST, "the host failed: " + Reasons.of(e), e);
        }
    }

    /** Checks a payload and binds the tree the check read (the bytes are parsed once). */
    private <T> T read(String function, byte[] input, Class<T> type) {
        PayloadValidator.Checked checked = PayloadValidator.check(schema(), function, Direction.INPUT, input);
        if (!checked.problems().isEmpty()) {
            throw new GuestCallException(GuestCallException.Kind.HOST, "the plugin called " + function
                    + " with an invalid payload: " + String.join("; ", checked.problems()));
        }
        // A string may be as long as the largest mail the filter takes (a body decodes to at
        // most as many characters as the mail has bytes), and no longer.
        if (hasStringLongerThan(checked.json(), config.maxMessageSize())) {
            throw new GuestCallException(GuestCallException.Kind.HOST, "the plugin called " + function
                    + " with a string longer than max_message_size (" + config.maxMessageSize() + " characters)");
        }
        try {
            return Json.MAPPER.treeToValue(checked.json(), type);
        } catch (JsonProcessingException e) {
            throw new GuestCallException(GuestCallException.Kind.HOST,
                    "the plugin called " + function + " with an unreadable payload: " + e.getOriginalMessage());
        }
    }

    private static boolean hasStringLongerThan(JsonNode node, long max) {
        if (node.isTextual()) {
            return node.textValue().length() > max;
        }
        for (JsonNode child : node) {
            if (hasStringLongerThan(child, max)) {
                return true;
            }
        }
        return false;
    }

    private static String preview(byte[] output) {
        String s = OneLine.withoutControls(new String(output, StandardCharsets.UTF_8));
        return output.length == 0 ? "nothing" : "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
    }
}
