package dev.hackablemail.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hackablemail.onemail.OnEmailSchema;
import dev.hackablemail.runner.push.PushAnswer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The server's own checks as files an author downloads ({@code GET /api/v1/checks}), so that a
 * plugin that passes them locally passes them at the push: the schema, every simulation the
 * server runs (its test module and mock host) and the fuzzing budget. The manifest:
 *
 * <pre>
 * {"schema": "on-email.yaml",
 *  "simulations": [{"name": "contract", "with": "contract.wasm", "mock_host": "contract-host.wasm"}],
 *  "fuzz": {"export": "onEmail", "runs": 200, "time": "PT2S", "seed": 1, "timeout": "PT2S"},
 *  "limits": {"timeout": "PT10S", "memory_pages": 1024, "kernel_bytes": 67108864, "output_bytes": 65536},
 *  "files": ["on-email.yaml", "contract.wasm", "contract-host.wasm"]}
 * </pre>
 *
 * Each file is served by {@code GET /api/v1/checks/FILE}; the simulations' files are read when asked
 * for, so a rebuilt simulation is served as the gate runs it.
 */
final class ServerChecks {

    private final ServiceConfig config;
    /** File name -> where it is (null: the schema, from the classpath). */
    private final Map<String, Path> files = new LinkedHashMap<>();

    ServerChecks(ServiceConfig config) {
        this.config = config;
        files.put(OnEmailSchema.SOURCE, null);
        for (ServiceConfig.SimulationConfig sim : config.simulations()) {
            files.put(fileName(sim.name()) + ".wasm", sim.testModule());
            if (sim.mockHost() != null) {
                files.put(fileName(sim.name()) + "-host.wasm", sim.mockHost());
            }
        }
    }

    /** A simulation's name as a plain file name. */
    private static String fileName(String name) {
        String plain = name.replaceAll("[^A-Za-z0-9._-]", "-");
        return plain.startsWith(".") ? "-" + plain : plain;
    }

    ObjectNode manifest() {
        ObjectNode m = PushAnswer.JSON.createObjectNode();
        m.put("schema", OnEmailSchema.SOURCE);
        var sims = m.putArray("simulations");
        for (ServiceConfig.SimulationConfig sim : config.simulations()) {
            ObjectNode s = sims.addObject().put("name", sim.name()).put("with", fileName(sim.name()) + ".wasm");
            if (sim.mockHost() != null) {
                s.put("mock_host", fileName(sim.name()) + "-host.wasm");
            }
            if (sim.mockInput() != null) {
                s.put("mock_input", new String(sim.mockInput(), StandardCharsets.UTF_8));
            }
        }
        m.putObject("fuzz").put("export", OnEmailSchema.ON_EMAIL).put("runs", config.fuzz().runs())
                .put("time", config.fuzz().time().toString()).put("seed", FuzzGate.SEED)
                .put("timeout", FuzzGate.callTimeout(config.limits()).toString());
        m.putObject("limits").put("timeout", config.limits().timeout().toString())
                .put("memory_pages", config.limits().maxMemoryPages())
                .put("kernel_bytes", config.limits().maxKernelBytes())
                .put("output_bytes", config.limits().maxOutputBytes());
        var list = m.putArray("files");
        files.keySet().forEach(list::add);
        return m;
    }

    /** The bytes of one file of the manifest; empty for a name it does not list. */
    Optional<byte[]> file(String name) throws IOException {
        if (!files.containsKey(name)) {
            return Optional.empty();
        }
        Path path = files.get(name);
        return Optional.of(path == null ? OnEmailSchema.yaml().getBytes(StandardCharsets.UTF_8)
                : Files.readAllBytes(path));
    }

    Iterable<String> names() {
        return files.keySet();
    }
}
