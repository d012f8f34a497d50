package dev.hackablemail.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hackablemail.store.GuestStore.ActiveVersion;
import dev.hackablemail.store.GuestStore.Ledger;
import dev.hackablemail.store.GuestStore.LedgerClaim;
import dev.hackablemail.store.GuestStore.PushResult;
import dev.hackablemail.store.GuestStore.SimulationSummary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every {@link GuestStore} does, run against each implementation. */
abstract class GuestStoreContract {

    static final String GUEST = "Alice@Example.com";
    /** RFC-valid and 137 characters: a 64-character local part and a 72-character domain. */
    static final String LONG = "a".repeat(64) + "@" + "b".repeat(55) + ".cccccccc.example";
    static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
    static final List<SimulationSummary> SIMS = List.of(new SimulationSummary("email", 12, 0, 340));

    @TempDir
    Path tmp;
    GuestStore store;

    /** A new, empty store of the implementation under test. */
    abstract GuestStore newStore(Path tmp) throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = newStore(tmp);
    }

    @AfterEach
    void close() {
        store.close();
    }

    static byte[] wasm(String marker) {
        return ("\0asm" + marker).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anAddressWithoutPluginHasNone() throws Exception {
        assertThat(store.activePlugin(GUEST)).isEmpty();
        assertThat(store.active(GUEST)).isEqualTo(ActiveVersion.NONE);
        assertThat(store.versions(GUEST)).isEmpty();
        assertThat(store.guest(GUEST)).isEmpty();
    }

    @Test
    void aPushIsActiveAtOnceAndNumbered() throws Exception {
        PushResult first = store.push(GUEST, wasm("one"), T0, "guest", SIMS, 20);
        PushResult second = store.push(GUEST, wasm("two"), T0.plusSeconds(1), "admin", List.of(), 20);

        assertThat(first.record().version()).isEqualTo(1);
        assertThat(first.unchanged()).isFalse();
        assertThat(second.record().version()).isEqualTo(2);
        assertThat(store.activePlugin("alice@example.COM")).hasValueSatisfying(b -> assertThat(b).isEqualTo(wasm("two")));
        assertThat(store.active(GUEST)).isEqualTo(new ActiveVersion(2, Digests.sha256Hex(wasm("two"))));
        assertThat(store.versions(GUEST)).extracting(GuestStore.VersionRecord::version).containsExactly(1, 2);
        assertThat(store.version(GUEST, 1)).hasValueSatisfying(r -> {
            assertThat(r.sha256()).isEqualTo(Digests.sha256Hex(wasm("one")));
            assertThat(r.size()).isEqualTo(wasm("one").length);
            assertThat(r.by()).isEqualTo("guest");
            assertThat(r.pushed()).isEqualTo(T0.toString());
            assertThat(r.simulations()).isEqualTo(SIMS);
        });
        assertThat(store.versionBytes(GUEST, 1)).hasValueSatisfying(b -> assertThat(b).isEqualTo(wasm("one")));
        assertThat(store.versionBytes(GUEST, 3)).isEmpty();
        assertThat(store.guest(GUEST)).hasValueSatisfying(g -> assertThat(g.address()).isEqualTo(GUEST));
    }

    @Test
    void pushingTheActivePluginAgainChangesNothing() throws Exception {
        store.push(GUEST, wasm("one"), T0, "guest", SIMS, 20);
        PushResult again = store.push(GUEST, wasm("one"), T0.plusSeconds(5), "guest", SIMS, 20);

        assertThat(again.unchanged()).isTrue();
        assertThat(again.record().version()).isEqualTo(1);
        assertThat(store.versions(GUEST)).hasSize(1);
    }

    @Test
    void filesPushedWithAVersionAreKeptWithItAndPrunedWithIt() throws Exception {
        GuestStore.Attachment sim = new GuestStore.Attachment("my-test.wasm", GuestStore.Attachment.SIMULATION,
                wasm("test"));
        GuestStore.Attachment host = new GuestStore.Attachment("host.wasm", GuestStore.Attachment.MOCK_HOST,
                wasm("host"));
        store.push(GUEST, wasm("one"), List.of(sim, host), T0, "guest", SIMS, 2);
        store.push(GUEST, wasm("two"), T0.plusSeconds(1), "guest", SIMS, 2);

        assertThat(store.attachments(GUEST, 1)).hasSize(2).satisfiesExactly(
                a -> assertThat(a.sameAs(host)).isTrue(), a -> assertThat(a.sameAs(sim)).isTrue());
        assertThat(store.attachments(GUEST, 2)).isEmpty();
        assertThat(store.attachments(GUEST, 9)).isEmpty();

        // the same plugin with other files is a new version; with the same files it is unchanged
        PushResult withFiles = store.push(GUEST, wasm("two"), List.of(sim), T0.plusSeconds(2), "guest", SIMS, 2);
        assertThat(withFiles.unchanged()).isFalse();
        assertThat(withFiles.record().version()).isEqualTo(3);
        assertThat(withFiles.pruned()).containsExactly(1);
        assertThat(store.attachments(GUEST, 1)).isEmpty();
        PushResult again = store.push(GUEST, wasm("two"), List.of(sim), T0.plusSeconds(3), "guest", SIMS, 2);
        assertThat(again.unchanged()).isTrue();
        assertThat(store.attachments(GUEST, 3)).singleElement().satisfies(a -> assertThat(a.sameAs(sim)).isTrue());
    }

    @Test
    void anAttachmentNameThatIsNoPlainFileNameIsRefused() {
        for (String name : List.of("../x.wasm", ".hidden", "a/b", "", "x".repeat(101))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new GuestStore.Attachment(name,
                    GuestStore.Attachment.SIMULATION, new byte[1])).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a file name");
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new GuestStore.Attachment("a.wasm", "plugin",
                new byte[1])).hasMessageContaining("not a kind of attachment");
    }

    @Test
    void pruningKeepsTheNewestAndNumbersOnlyGrow() throws Exception {
        for (int i = 1; i <= 4; i++) {
            store.push(GUEST, wasm("v" + i), T0.plusSeconds(i), "guest", SIMS, 2);
        }
        assertThat(store.versions(GUEST)).extracting(GuestStore.VersionRecord::version).containsExactly(3, 4);
        PushResult fifth = store.push(GUEST, wasm("v5"), T0.plusSeconds(9), "guest", SIMS, 2);
        assertThat(fifth.record().version()).isEqualTo(5);
        assertThat(fifth.pruned()).containsExactly(3);
    }

    @Test
    void aRollbackActivatesAKeptVersionWithItsDigestOnly() throws Exception {
        store.push(GUEST, wasm("one"), T0, "guest", SIMS, 20);
        store.push(GUEST, wasm("two"), T0, "guest", SIMS, 20);
        String sha1 = Digests.sha256Hex(wasm("one"));

        assertThat(store.activate(GUEST, 1, "0".repeat(64))).isFalse();
        assertThat(store.activate(GUEST, 7, sha1)).isFalse();
        assertThat(store.active(GUEST).version()).isEqualTo(2);

        assertThat(store.activate(GUEST, 1, sha1)).isTrue();
        assertThat(store.active(GUEST)).isEqualTo(new ActiveVersion(1, sha1));
        assertThat(store.activePlugin(GUEST)).hasValueSatisfying(b -> assertThat(b).isEqualTo(wasm("one")));
    }

    /** The filter asks for every message: what it was handed before must never hide a change. */
    @Test
    void everyChangeOfThePluginShowsOnTheNextRead() throws Exception {
        store.push(GUEST, wasm("one"), T0, "guest", SIMS, 20);
        assertThat(store.activePlugin(GUEST)).hasValueSatisfying(b -> assertThat(b).isEqualTo(wasm("one")));
        assertThat(store.activePlugin(GUEST)).hasValueSatisfying(b -> assertThat(b).isEqualTo(wasm("one")));

        store.push(GUEST, wasm("two"), T0, "guest", SIMS, 20); // the same size
        assertThat(store.activePlugin(GUEST)).hasValueSatisfying(b -> assertThat(b).isEqualTo(wasm("two")));

        assertThat(store.activate(GUEST, 1, Digests.sha256Hex(wasm("one")))).isTrue();
        assertThat(store.activePlugin(GUEST)).hasValueSatisfying(b -> assertThat(b).isEqualTo(wasm("one")));

        store.deactivate(GUEST);
        assertThat(store.activePlugin(GUEST)).isEmpty();

        assertThat(store.activate(GUEST, 2, Digests.sha256Hex(wasm("two")))).isTrue();
        assertThat(store.activePlugin(GUEST)).hasValueSatisfying(b -> assertThat(b).isEqualTo(wasm("two")));
    }

    @Test
    void removingThePluginKeepsTheVersions() throws Exception {
        store.push(GUEST, wasm("one"), T0, "guest", SIMS, 20);

        ActiveVersion before = store.deactivate(GUEST);

        assertThat(before.version()).isEqualTo(1);
        assertThat(store.activePlugin(GUEST)).isEmpty();
        assertThat(store.active(GUEST)).isEqualTo(ActiveVersion.NONE);
        assertThat(store.versions(GUEST)).hasSize(1);
        assertThat(store.deactivate(GUEST)).isEqualTo(ActiveVersion.NONE);
        assertThat(store.push(GUEST, wasm("two"), T0, "guest", SIMS, 20).record().version()).isEqualTo(2);
    }

    @Test
    void aTokenNamesItsGuestUntilReplacedOrRevoked() throws Exception {
        store.register(GUEST, "token-1", T0);
        assertThat(store.addressOfToken("token-1")).contains(GUEST);
        assertThat(store.addressOfToken(" token-1 ")).contains(GUEST);
        assertThat(store.addressOfToken("token-2")).isEmpty();
        assertThat(store.addressOfToken("")).isEmpty();
        assertThat(store.addressOfToken("x".repeat(600))).isEmpty();

        store.register(GUEST, "token-2", T0.plusSeconds(60));
        assertThat(store.addressOfToken("token-1")).isEmpty();
        assertThat(store.addressOfToken("token-2")).contains(GUEST);
        assertThat(store.guest(GUEST)).hasValueSatisfying(g -> {
            assertThat(g.registered()).isEqualTo(T0);
            assertThat(g.invited()).isEqualTo(T0.plusSeconds(60));
        });

        assertThat(store.revokeToken(GUEST)).isTrue();
        assertThat(store.addressOfToken("token-2")).isEmpty();
        assertThat(store.revokeToken(GUEST)).isFalse();
    }

    @Test
    void aliasesAreTheGuestsOwnAddresses() throws Exception {
        assertThat(store.addressesOf(GUEST)).containsExactly(GUEST);
        store.setAliases(GUEST, List.of("a.smith@example.com", "sales@example.com"));
        store.register(GUEST, "token", T0);

        assertThat(store.addressesOf(GUEST)).containsExactly(GUEST, "a.smith@example.com", "sales@example.com");
        assertThat(store.guest(GUEST)).hasValueSatisfying(g -> assertThat(g.aliases()).hasSize(2));
        assertThat(store.addressOfToken("token")).contains(GUEST);

        store.setAliases(GUEST, List.of());
        assertThat(store.addressesOf(GUEST)).containsExactly(GUEST);
    }

    @Test
    void theLedgerGrantsOneAnswerPerPeriod() throws Exception {
        Duration week = Duration.ofDays(7);
        LedgerClaim first = store.claim(GUEST, Ledger.REPLIES, "bob@example.org", week, T0);
        LedgerClaim second = store.claim(GUEST, Ledger.REPLIES, "BOB@example.org", week, T0.plusSeconds(60));
        LedgerClaim other = store.claim(GUEST, Ledger.REPLIES, "carol@example.org", week, T0.plusSeconds(60));
        LedgerClaim invitations = store.claim(GUEST, Ledger.INVITATIONS, "bob@example.org", week, T0.plusSeconds(60));
        LedgerClaim later = store.claim(GUEST, Ledger.REPLIES, "bob@example.org", week, T0.plus(week).plusSeconds(1));

        assertThat(first.granted()).isTrue();
        assertThat(second.granted()).isFalse();
        assertThat(second.lastSent()).contains(T0);
        assertThat(other.granted()).isTrue();
        assertThat(invitations.granted()).isTrue();
        assertThat(later.granted()).isTrue();
    }

    @Test
    void answeredWithinReadsWhatAClaimWouldBeRefusedWithAndWritesNothing() throws Exception {
        Duration week = Duration.ofDays(7);
        assertThat(store.answeredWithin(GUEST, Ledger.REPLIES, "bob@example.org", week, T0)).isEmpty();
        assertThat(store.claim(GUEST, Ledger.REPLIES, "bob@example.org", week, T0).granted()).isTrue();

        assertThat(store.answeredWithin(GUEST, Ledger.REPLIES, "BOB@example.org", week, T0.plus(week))).contains(T0);
        assertThat(store.answeredWithin(GUEST, Ledger.REPLIES, "bob@example.org", week, T0.plus(week).plusMillis(1)))
                .isEmpty();
        assertThat(store.answeredWithin(GUEST, Ledger.INVITATIONS, "bob@example.org", week, T0)).isEmpty();
        assertThat(store.answeredWithin(GUEST, Ledger.REPLIES, "carol@example.org", week, T0)).isEmpty();
        // reading claimed nothing: carol may still be answered, and bob's claim is still T0's
        assertThat(store.claim(GUEST, Ledger.REPLIES, "carol@example.org", week, T0.plusSeconds(1)).granted()).isTrue();
        assertThat(store.claim(GUEST, Ledger.REPLIES, "bob@example.org", week, T0.plusSeconds(1)).lastSent())
                .contains(T0);
    }

    @Test
    void aReleasedClaimLetsTheNextDeliverySend() throws Exception {
        Duration week = Duration.ofDays(7);
        store.claim(GUEST, Ledger.REPLIES, "bob@example.org", week, T0);
        LedgerClaim failed = store.claim(GUEST, Ledger.REPLIES, "bob@example.org", week, T0.plus(Duration.ofDays(8)));
        failed.release();

        assertThat(store.claim(GUEST, Ledger.REPLIES, "bob@example.org", week, T0.plus(Duration.ofDays(8)))
                .granted()).isTrue();
        LedgerClaim fresh = store.claim(GUEST, Ledger.REPLIES, "dan@example.org", week, T0);
        fresh.release();
        assertThat(store.claim(GUEST, Ledger.REPLIES, "dan@example.org", week, T0.plusSeconds(1)).granted()).isTrue();
    }

    @Test
    void concurrentClaimsGrantOne() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Callable<Boolean> claim = () -> {
                    go.await();
                    return store.claim(GUEST, Ledger.REPLIES, "bob@example.org", Duration.ofDays(7), T0).granted();
                };
                results.add(pool.submit(claim));
            }
            go.countDown();
            int granted = 0;
            for (Future<Boolean> f : results) {
                granted += f.get() ? 1 : 0;
            }
            assertThat(granted).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theAuditTrailKeepsEventsInOrder() throws Exception {
        store.audit(GUEST, Map.of("action", "push", "version", 1));
        store.audit(GUEST, Map.of("action", "remove"));

        assertThat(store.auditTrail(GUEST)).extracting(e -> e.get("action")).containsExactly("push", "remove");
        assertThat(store.auditTrail("nobody@example.com")).isEmpty();
    }

    @Test
    void aLongValidAddressWorksLikeAnyOther() throws Exception {
        assertThat(LONG).hasSize(137);
        store.register(LONG, "long-token", T0);
        store.push(LONG, wasm("long"), T0, "guest", SIMS, 20);
        store.setAliases(LONG, List.of("x@example.com"));

        assertThat(store.addressOfToken("long-token")).contains(LONG);
        assertThat(store.activePlugin(LONG)).hasValueSatisfying(b -> assertThat(b).isEqualTo(wasm("long")));
        assertThat(store.claim(LONG, Ledger.REPLIES, LONG, Duration.ofDays(1), T0).granted()).isTrue();
        assertThat(store.addressesOf(LONG)).containsExactly(LONG, "x@example.com");
    }

    // ---- the web console ----

    @Test
    void aSignInCodeSignsInOnceAndOnlyBeforeItExpires() throws Exception {
        store.register(GUEST, "token-1", T0);
        store.saveSignInCode(GUEST, "code-1", T0, Duration.ofHours(1));
        store.saveSignInCode(GUEST, "code-2", T0, Duration.ofHours(1));
        assertThat(store.useSignInCode("code-1", T0.plusSeconds(60))).hasValue(GUEST);
        assertThat(store.useSignInCode("code-1", T0.plusSeconds(61))).as("a used code").isEmpty();
        assertThat(store.useSignInCode("code-2", T0.plusSeconds(3600))).as("an expired code").isEmpty();
        assertThat(store.useSignInCode("no-such-code", T0)).isEmpty();
        assertThat(store.useSignInCode("", T0)).isEmpty();
    }

    @Test
    void ofConcurrentUsesOfOneCodeOneSignsIn() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 10; round++) {
                String code = "code-" + round;
                store.saveSignInCode(GUEST, code, T0, Duration.ofHours(1));
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> uses = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    uses.add(pool.submit(() -> {
                        go.await();
                        return store.useSignInCode(code, T0).isPresent();
                    }));
                }
                go.countDown();
                int signedIn = 0;
                for (Future<Boolean> use : uses) {
                    signedIn += use.get() ? 1 : 0;
                }
                assertThat(signedIn).as("round " + round).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void recentMailComesNewestFirstPagedAndPerGuest() throws Exception {
        store.push(GUEST, wasm("one"), T0, "guest", SIMS, 20);
        store.push("bob@example.com", wasm("two"), T0, "guest", SIMS, 20);
        for (int i = 0; i < 25; i++) {
            store.recordMail(GUEST, new GuestStore.MailRecord(T0.plusSeconds(i), "s" + i + "@example.org",
                    i == 3 ? null : "subject " + i, "0123456789ab", i == 4 ? null : 0, "delivered",
                    i == 5 ? "why" : null, 1000 + i));
        }
        store.recordMail("bob@example.com", new GuestStore.MailRecord(T0, "x@example.org", "bob's", "ab", 0,
                "delivered", null, 5));

        List<GuestStore.MailRecord> first = store.recentMail(GUEST, 0, 10);
        assertThat(first).extracting(GuestStore.MailRecord::sender).first().isEqualTo("s24@example.org");
        assertThat(first).hasSize(10);
        List<GuestStore.MailRecord> last = store.recentMail(GUEST, 20, 10);
        assertThat(last).extracting(GuestStore.MailRecord::sender).containsExactly("s4@example.org",
                "s3@example.org", "s2@example.org", "s1@example.org", "s0@example.org");
        assertThat(last.get(0).code()).isNull();
        assertThat(last.get(1).subject()).isNull();
        assertThat(last.get(4)).isEqualTo(new GuestStore.MailRecord(T0, "s0@example.org", "subject 0",
                "0123456789ab", 0, "delivered", null, 1000));
        assertThat(store.recentMail(GUEST, 19, 1).get(0).detail()).isEqualTo("why");
        assertThat(store.recentMail("bob@example.com", 0, 10)).extracting(GuestStore.MailRecord::subject)
                .containsExactly("bob's");
        assertThat(store.recentMail("carol@example.com", 0, 10)).isEmpty();
    }

    @Test
    void guestsComeByAddressAPageAtATime() throws Exception {
        store.register("bob@example.com", "t-bob", T0);
        store.register(GUEST, "t-alice", T0);
        store.push("carol@example.com", wasm("c"), T0, "admin", SIMS, 20);
        store.register(LONG, "t-long", T0);
        store.claim("it@example.com", Ledger.INVITATIONS, GUEST, Duration.ofDays(1), T0); // no guest record
        assertThat(store.guestCount()).isEqualTo(4);
        assertThat(store.guests(0, 10)).extracting(GuestStore.Guest::address)
                .containsExactly(LONG, GUEST, "bob@example.com", "carol@example.com");
        assertThat(store.guests(1, 2)).extracting(GuestStore.Guest::address)
                .containsExactly(GUEST, "bob@example.com");
        assertThat(store.guests(1, 2).get(0).registered()).isEqualTo(T0);
        assertThat(store.guests(4, 10)).isEmpty();
    }
}
