package dev.hackablemail.service;

import dev.hackablemail.store.GuestStore.Attachment;
import io.javalin.http.Context;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A push as {@code multipart/form-data}: the plugin with the files its author pushes with it.
 * The parts, each a file (its file name is how reports and the store name it):
 *
 * <pre>
 * plugin       the plugin (.wasm), exactly one
 * simulation   an xtp-test module of the plugin's own behaviour; any number
 * mock_host    the mock host those simulations use (default: the server's); at most one
 * cases        mail test cases (*.cases.yaml, messages inline); any number
 * </pre>
 *
 * {@code curl -F plugin=@vacation.wasm -F simulation=@vacation-test.wasm ...}
 */
final class PushParts {

    static final String PLUGIN = "plugin";
    /** Part name -> the kind of attachment it is kept as. */
    static final Map<String, String> KINDS = Map.of("simulation", Attachment.SIMULATION, "mock_host",
            Attachment.MOCK_HOST, "cases", Attachment.CASES);

    private PushParts() {}

    static PluginGate.Candidate read(Context ctx) throws ApiException, IOException {
        List<Part> parts;
        try {
            ctx.uploadedFiles(); // makes Javalin apply its multipart settings before the parts are read
            parts = List.copyOf(ctx.req().getParts());
        } catch (IllegalStateException e) {
            throw ApiException.tooLarge("the push is larger than this server takes (max_upload): " + e.getMessage());
        } catch (Exception e) { // a malformed body: Jetty's own exceptions
            throw ApiException.badRequest("the multipart body cannot be read: " + e.getMessage());
        }
        String pluginName = null;
        byte[] plugin = null;
        List<Attachment> attachments = new ArrayList<>();
        for (Part part : parts) {
            String file = part.getSubmittedFileName();
            if (!part.getName().equals(PLUGIN) && !KINDS.containsKey(part.getName())) {
                throw ApiException.badRequest("unknown part '" + part.getName() + "': a push has the parts plugin, "
                        + "simulation, mock_host and cases");
            }
            if (file == null || file.isBlank()) {
                throw ApiException.badRequest("part '" + part.getName() + "' is not a file (send it as one: "
                        + "curl -F " + part.getName() + "=@FILE)");
            }
            byte[] bytes;
            try (InputStream in = part.getInputStream()) {
                bytes = in.readAllBytes();
            }
            if (part.getName().equals(PLUGIN)) {
                if (plugin != null) {
                    throw ApiException.badRequest("more than one part named plugin: push one plugin at a time");
                }
                plugin = bytes;
                pluginName = file;
                continue;
            }
            if (bytes.length == 0) {
                throw ApiException.badRequest(file + ": empty");
            }
            try {
                Attachment a = new Attachment(file, KINDS.get(part.getName()), bytes);
                if (attachments.stream().anyMatch(x -> x.name().equals(a.name()))) {
                    throw ApiException.badRequest("two files named " + file + ": give each a name of its own");
                }
                attachments.add(a);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(e.getMessage());
            }
        }
        if (plugin == null) {
            throw ApiException.badRequest("no part named plugin: send the plugin as -F plugin=@FILE.wasm");
        }
        return new PluginGate.Candidate(pluginName, plugin, attachments);
    }
}
