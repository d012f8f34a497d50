package dev.hackablemail.runner.guest;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * A guest's WASI stdout or stderr, cut into lines for a {@link GuestLog}; each line is
 * labelled with the module that wrote it (the plugin and its mock host share one WASI).
 */
final class LogLines extends OutputStream {

    private static final int MAX_LINE = 8192;

    private final GuestLog sink;
    private final Supplier<String> module;
    private final GuestLog.Level level;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LogLines(GuestLog sink, Supplier<String> module, GuestLog.Level level) {
        this.sink = sink;
        this.module = module;
        this.level = level;
    }

    @Override
    public void write(int b) {
        if (b == '\n' || line.size() >= MAX_LINE) {
            flush();
        } else {
            line.write(b);
        }
    }

    @Override
    public void flush() {
        if (line.size() > 0) {
            sink.log(module.get(), level, line.toString(StandardCharsets.UTF_8));
            line.reset();
        }
    }
}
