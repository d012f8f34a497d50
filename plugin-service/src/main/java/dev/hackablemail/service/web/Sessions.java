package dev.hackablemail.service.web;

import dev.hackablemail.store.Digests;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web console's sessions, kept in this process's memory: signing out ends one here, and
 * a restart of the service ends them all (a guest then signs in again with the push token).
 * The cookie carries a random id; the map is keyed by its SHA-256, so a heap dump or a
 * timing of the map lookup gives away no id that works.
 */
final class Sessions {

    /** A session ends after this long without a request... */
    static final Duration IDLE = Duration.ofHours(8);
    /** ...and this long after sign-in in any case. */
    static final Duration MAX_AGE = Duration.ofHours(24);

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * A signed-in guest.
     *
     * @param csrf the token every form of this session carries back
     */
    record Session(String address, boolean admin, String csrf, Instant started) {}

    private record Entry(Session session, Instant lastSeen) {}

    private final Map<String, Entry> byIdHash = new ConcurrentHashMap<>();
    private final Clock clock;

    Sessions(Clock clock) {
        this.clock = clock;
    }

    /** Starts a session; returns the id for the cookie. */
    String start(String address, boolean admin) {
        forgetExpired();
        String id = random();
        Instant now = clock.instant();
        byIdHash.put(Digests.sha256Hex(id), new Entry(new Session(address, admin, random(), now), now));
        return id;
    }

    Optional<Session> find(String id) {
        if (id == null || id.isEmpty() || id.length() > 100) {
            return Optional.empty();
        }
        String key = Digests.sha256Hex(id);
        Entry entry = byIdHash.get(key);
        Instant now = clock.instant();
        if (entry == null) {
            return Optional.empty();
        }
        if (expired(entry, now)) {
            byIdHash.remove(key);
            return Optional.empty();
        }
        byIdHash.put(key, new Entry(entry.session(), now));
        return Optional.of(entry.session());
    }

    void end(String id) {
        if (id != null) {
            byIdHash.remove(Digests.sha256Hex(id));
        }
    }

    /** Ends every session of {@code address} (its token was revoked). */
    void endAll(String address) {
        byIdHash.values().removeIf(e -> e.session().address().equalsIgnoreCase(address));
    }

    int size() {
        return byIdHash.size();
    }

    private void forgetExpired() {
        Instant now = clock.instant();
        byIdHash.values().removeIf(e -> expired(e, now));
    }

    private static boolean expired(Entry e, Instant now) {
        return !now.isBefore(e.lastSeen().plus(IDLE)) || !now.isBefore(e.session().started().plus(MAX_AGE));
    }

    static String random() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
