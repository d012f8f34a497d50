package dev.hackablemail.runner.guest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The module files of one run (a {@code test} command, a JUnit engine execution, a push
 * gate's check), each read and hashed once however many simulations and fuzz runs use it.
 * {@link GuestModule}'s own cache already saves parsing and compiling again; this saves
 * reading and hashing the file again. A file is read again when anything of its stamp
 * changed since: its size, its modification time, the file it is (its inode, so a symlink
 * pointed elsewhere or a file replaced by a rename counts), or its status-change time (a
 * rewrite that kept the size and put the modification time back, as {@code cp -p} does). A
 * file that failed to load is not remembered, so the next use reports the failure in its
 * own words. Thread-safe.
 */
public final class ModuleFiles {

    /** What says a file is still the one read (fileKey and ctime: null where the file system has none). */
    private record Stamp(long size, FileTime modified, Object fileKey, Object changed) {}

    private record Loaded(GuestModule module, Stamp stamp) {}

    private final Map<Path, Loaded> loaded = new ConcurrentHashMap<>();
    /** Modules held in memory (uploaded ones), served for their name without a file. */
    private final Map<Path, GuestModule> given = new ConcurrentHashMap<>();
    private final AtomicInteger reads = new AtomicInteger();

    /**
     * The module in {@code file}, read on first use and again only when the file changed;
     * messages name it by {@code file} as given.
     *
     * @throws GuestLoadException when the file is missing, unreadable or not a valid module
     */
    public GuestModule load(Path file) {
        GuestModule held = given.get(file);
        if (held != null) {
            return held;
        }
        Stamp now = stamp(file);
        Loaded known = loaded.get(file);
        if (known != null && now != null && known.stamp().equals(now)) {
            return known.module();
        }
        reads.incrementAndGet();
        GuestModule module = GuestModule.load(file);
        if (now != null) {
            loaded.put(file, new Loaded(module, now));
        }
        return module;
    }

    /**
     * Serves {@code module} whenever {@code name} is loaded, without reading a file: a module
     * that was uploaded rather than installed (an author's own simulation at the push gate).
     */
    public ModuleFiles with(Path name, GuestModule module) {
        given.put(name, module);
        return this;
    }

    /** How many times a file was read so far: once per file while it does not change. */
    public int reads() {
        return reads.get();
    }

    /** The file's stamp, or null when it cannot be read (loading then says why). */
    private static Stamp stamp(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(a.size(), a.lastModifiedTime(), a.fileKey(), statusChanged(file));
        } catch (IOException e) {
            return null;
        }
    }

    /** The status-change time where the file system keeps one (POSIX ctime), else null. */
    private static Object statusChanged(Path file) throws IOException {
        try {
            return Files.getAttribute(file, "unix:ctime");
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return null; // no "unix" view (Windows): size, time and file key only
        }
    }
}
