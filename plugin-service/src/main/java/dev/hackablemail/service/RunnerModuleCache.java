package dev.hackablemail.service;

import dev.hackablemail.runner.guest.GuestModule;
import java.lang.reflect.Field;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stopgap for a long-running server: the runner keeps every module it ever parsed (and
 * compiled) in a process-wide cache keyed by digest ({@code GuestModule.CACHE}), which is
 * right for the command line and the filter but makes the push service grow by about
 * 0.8 MiB of heap (plus compiled classes) with every distinct plugin pushed. Until the
 * runner offers a way to evict a module, this forgets a pushed plugin's entry once the gate
 * is done with it, through reflection on that private field. If the field is not there (the
 * runner changed), it logs once and does nothing: pushes still work, memory grows again.
 */
final class RunnerModuleCache {

    private static final Logger LOG = LoggerFactory.getLogger(RunnerModuleCache.class);
    private static final Map<?, ?> CACHE = find();

    private RunnerModuleCache() {}

    private static Map<?, ?> find() {
        try {
            Field field = GuestModule.class.getDeclaredField("CACHE");
            field.setAccessible(true);
            Object value = field.get(null);
            if (value instanceof Map) {
                return (Map<?, ?>) value;
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // below
        }
        LOG.warn("cannot reach the runner's module cache: every pushed plugin stays in memory until restart");
        return null;
    }

    /** Whether the stopgap works with this runner. */
    static boolean available() {
        return CACHE != null;
    }

    /** How many modules the runner holds. */
    static int size() {
        return CACHE == null ? -1 : CACHE.size();
    }

    /** Forgets the module with this digest (lower-case hex SHA-256 of its bytes). */
    static void forget(String sha256) {
        if (CACHE != null) {
            CACHE.remove(sha256);
        }
    }
}
