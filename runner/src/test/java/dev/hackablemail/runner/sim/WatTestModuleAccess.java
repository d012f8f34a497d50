package dev.hackablemail.runner.sim;

import java.io.IOException;
import java.nio.file.Path;

/** Test modules for the command-line tests, written with the package-private {@link WatTestModule}. */
public final class WatTestModuleAccess {

    public Path passing(Path dir) throws IOException {
        return new WatTestModule().group("echo")
                .assertCallEquals("echo returns its input", "echo", "hello", "hello")
                .writeTo(dir, "passing.wasm");
    }

    public Path failing(Path dir) throws IOException {
        return new WatTestModule().group("echo")
                .assertCallEquals("echo returns its input", "echo", "hello", "hello")
                .assertCallEquals("a wrong expectation fails", "echo", "hello", "bye")
                .writeTo(dir, "failing.wasm");
    }
}
