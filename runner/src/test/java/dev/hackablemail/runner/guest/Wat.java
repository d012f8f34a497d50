package dev.hackablemail.runner.guest;

import com.dylibso.chicory.wabt.Wat2Wasm;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Compiles the WAT test modules under {@code src/test/resources/wat}. */
public final class Wat {

    private Wat() {}

    public static byte[] bytes(String name) {
        try (InputStream in = Wat.class.getResourceAsStream("/wat/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test module wat/" + name);
            }
            return Wat2Wasm.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static GuestModule module(String name) {
        return GuestModule.of(name, bytes(name));
    }
}
