package dev.hackablemail.runner.guest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The module files of one run (a {@code test} command, a JUnit engine execution, a push
 * gate's check), each read and hashed once however many simulations and fuzz runs use it.
 * {@link GuestModule}'s own cache already saves parsing and compiling again; this saves
 * reading and hashing the file again. A file whose size or modification time changed since
 * (a build step of a later simulation rebuilt it) is read again; a file that failed to load
 * is not remembered, so the next use reports the failure in its own words. Thread-safe.
 */
public final class ModuleFiles {

    private record Loaded(GuestModule module, long size, FileTime modified) {}

    private final Map<Path, Loaded> loaded = new ConcurrentHashMap<>();

    /**
     * The module in {@code file}, read on first use and again only when the file changed;
     * messages name it by {@code file} as given.
     *
     * @throws GuestLoadException when the file is missing, unreadable or not a valid module
     */
    public GuestModule load(Path file) {
        BasicFileAttributes now = attributes(file);
        Loaded known = loaded.get(file);
        if (known != null && now != null && known.size() == now.size()
                && known.modified().equals(now.lastModifiedTime())) {
            return known.module();
        }
        GuestModule module = GuestModule.load(file);
        if (now != null) {
            loaded.put(file, new Loaded(module, now.size(), now.lastModifiedTime()));
        }
        return module;
    }

    /** The file's size and modification time, or null when it cannot be read (loading then says why). */
    private static BasicFileAttributes attributes(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            return null;
        }
    }
}
