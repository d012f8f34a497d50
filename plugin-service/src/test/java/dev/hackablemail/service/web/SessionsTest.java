package dev.hackablemail.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class SessionsTest {

    /** A clock the test moves. */
    static final class Hands extends Clock {
        Instant now = Instant.parse("2026-12-07T08:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final Hands clock = new Hands();
    final Sessions sessions = new Sessions(clock);

    @Test
    void aSessionEndsAfterItsIdleTimeButUseKeepsItAlive() {
        String id = sessions.start("alice@example.com", false);
        clock.now = clock.now.plus(Sessions.IDLE).minusSeconds(1);
        assertThat(sessions.find(id)).get().extracting(Sessions.Session::address).isEqualTo("alice@example.com");
        clock.now = clock.now.plus(Sessions.IDLE).minusSeconds(1);
        assertThat(sessions.find(id)).as("used just before, so still alive").isPresent();
        clock.now = clock.now.plus(Sessions.IDLE);
        assertThat(sessions.find(id)).isEmpty();
    }

    @Test
    void aSessionEndsAtItsMaximumAgeHoweverBusy() {
        String id = sessions.start("alice@example.com", false);
        for (Duration d = Duration.ZERO; d.compareTo(Sessions.MAX_AGE) < 0; d = d.plusHours(1)) {
            clock.now = clock.now.plusSeconds(3600);
            sessions.find(id);
        }
        assertThat(sessions.find(id)).isEmpty();
    }

    @Test
    void idsAreRandomEachSessionHasItsOwnFormTokenAndEndingOneLeavesTheOthers() {
        String a = sessions.start("alice@example.com", false);
        String b = sessions.start("alice@example.com", true);
        String c = sessions.start("bob@example.com", false);
        assertThat(a).isNotEqualTo(b).hasSizeGreaterThanOrEqualTo(32);
        assertThat(sessions.find(a).get().csrf()).isNotEqualTo(sessions.find(b).get().csrf());
        assertThat(sessions.find(b).get().admin()).isTrue();
        sessions.end(a);
        assertThat(sessions.find(a)).isEmpty();
        assertThat(sessions.find(b)).isPresent();
        sessions.endAll("ALICE@example.com");
        assertThat(sessions.find(b)).isEmpty();
        assertThat(sessions.find(c)).isPresent();
        assertThat(sessions.find(null)).isEmpty();
        assertThat(sessions.find("x".repeat(500))).isEmpty();
    }
}
