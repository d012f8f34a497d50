package dev.hackablemail.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class PostgresStoreTest extends GuestStoreContract {

    private StoreSetting setting;

    @Override
    GuestStore newStore(Path tmp) throws Exception {
        setting = PostgresCluster.shared().newStore(tmp.resolve("cache-a"));
        return setting.open(true);
    }

    private GuestStore secondServer(boolean pooled) throws IOException {
        StoreSetting other = StoreSetting.read(Map.of("store", setting.describe(), "cache",
                tmp.resolve("cache-b").toString()));
        return other.open(pooled);
    }

    @Test
    void aLockedTableFailsTheReadAfterStoreTimeoutInsteadOfWaitingForIt() throws Exception {
        store.activePlugin(GUEST); // the tables exist
        StoreSetting quick = StoreSetting.read(Map.of("store", setting.describe(), "cache",
                tmp.resolve("cache-b").toString())).withTimeout(Duration.ofMillis(800));
        try (GuestStore impatient = quick.open(true);
                Connection c = PostgresCluster.shared().connect(setting.describe())) {
            c.setAutoCommit(false);
            c.createStatement().execute("LOCK TABLE hackable_guests IN ACCESS EXCLUSIVE MODE");
            long start = System.nanoTime();
            assertThatThrownBy(() -> impatient.activePlugin(GUEST)).isInstanceOf(IOException.class)
                    .hasMessageContaining("statement timeout");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
            c.rollback();
        }
    }

    @Test
    void aPushThroughOneServerIsUsedByAnotherOnItsNextMessage() throws Exception {
        try (GuestStore other = secondServer(false)) {
            store.push(GUEST, wasm("one"), T0, "guest", SIMS, 20);
            assertThat(other.activePlugin(GUEST)).hasValueSatisfying(b -> assertThat(b).isEqualTo(wasm("one")));
            assertThat(tmp.resolve("cache-b/plugins/" + Digests.sha256Hex(wasm("one")) + ".wasm")).exists();

            store.push(GUEST, wasm("two"), T0, "guest", SIMS, 20);
            assertThat(other.activePlugin(GUEST)).hasValueSatisfying(b -> assertThat(b).isEqualTo(wasm("two")));
        }
    }

    @Test
    void theLocalCacheIsUsedForADigestSeenBefore() throws Exception {
        store.push(GUEST, wasm("one"), T0, "guest", SIMS, 20);
        store.activePlugin(GUEST);
        Path cached = tmp.resolve("cache-a/plugins/" + Digests.sha256Hex(wasm("one")) + ".wasm");
        try (Connection c = PostgresCluster.shared().connect(setting.describe()); Statement s = c.createStatement()) {
            s.execute("UPDATE hackable_versions SET wasm = 'gone'::bytea"); // only the cache still has it
        }
        assertThat(store.activePlugin(GUEST)).hasValueSatisfying(b -> assertThat(b).isEqualTo(wasm("one")));
        assertThat(cached).exists();
    }

    @Test
    void serversRacingOnOneSenderSendOneReply() throws Exception {
        int servers = 6;
        List<GuestStore> stores = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(servers);
        CountDownLatch go = new CountDownLatch(1);
        try {
            for (int i = 0; i < servers; i++) {
                stores.add(secondServer(false));
            }
            for (int round = 0; round < 20; round++) {
                String sender = "sender" + round + "@example.org";
                List<Future<Boolean>> results = new ArrayList<>();
                CountDownLatch start = round == 0 ? go : new CountDownLatch(0);
                for (GuestStore s : stores) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return s.claim(GUEST, GuestStore.Ledger.REPLIES, sender, Duration.ofDays(7), T0).granted();
                    }));
                }
                go.countDown();
                int granted = 0;
                for (Future<Boolean> f : results) {
                    granted += f.get() ? 1 : 0;
                }
                assertThat(granted).as("replies to " + sender).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
            stores.forEach(GuestStore::close);
        }
    }

    @Test
    void theSchemaIsCreatedOnceAndRecordsItsVersion() throws Exception {
        store.activePlugin(GUEST);
        try (GuestStore other = secondServer(false)) {
            assertThat(((PostgresStore) other).migrate()).isEqualTo(PostgresSchema.latest());
        }
        try (Connection c = PostgresCluster.shared().connect(setting.describe()); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*), max(version) FROM hackable_schema")) {
            r.next();
            assertThat(r.getInt(1)).isEqualTo(PostgresSchema.latest());
            assertThat(r.getInt(2)).isEqualTo(PostgresSchema.latest());
        }
    }

    @Test
    void theLedgerForgetsRowsOlderThanThePeriod() throws Exception {
        Duration day = Duration.ofDays(1);
        store.claim(GUEST, GuestStore.Ledger.REPLIES, "alice@y", day, T0);
        store.claim(GUEST, GuestStore.Ledger.REPLIES, "carol@y", day, T0.plusSeconds(7200));
        store.claim(GUEST, GuestStore.Ledger.INVITATIONS, "alice@y", day, T0);
        store.claim(GUEST, GuestStore.Ledger.REPLIES, "dave@y", day, T0.plus(day).plusSeconds(1));

        List<String> rows = new ArrayList<>();
        try (Connection c = PostgresCluster.shared().connect(setting.describe()); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT ledger, other_key FROM hackable_ledger ORDER BY sent_at")) {
            while (r.next()) {
                rows.add(r.getString(1) + " " + r.getString(2));
            }
        }
        // alice's reply is a day old: dropped; her invitation is another ledger, kept until
        // that ledger's next grant.
        assertThat(rows).containsExactly(
                GuestStore.Ledger.INVITATIONS.id() + " " + GuestKeys.of("alice@y"),
                GuestStore.Ledger.REPLIES.id() + " " + GuestKeys.of("carol@y"),
                GuestStore.Ledger.REPLIES.id() + " " + GuestKeys.of("dave@y"));
    }

    @Test
    void anUnreachableDatabaseIsAnIOExceptionNamingIt() throws Exception {
        StoreSetting nowhere = StoreSetting.read(Map.of("store", "postgresql://postgres@127.0.0.1:1/none",
                "cache", tmp.resolve("c").toString()));
        try (GuestStore down = nowhere.open(false)) {
            assertThatThrownBy(() -> down.activePlugin(GUEST)).isInstanceOf(IOException.class)
                    .hasMessageContaining("postgresql://postgres@127.0.0.1:1/none");
        }
    }

    @Test
    void theMigrationCopiesAFolderStoreOnceAndAgainChangesNothing() throws Exception {
        Path folder = tmp.resolve("folder");
        Files.createDirectories(folder);
        FolderStore source = new FolderStore(folder);
        source.register(GUEST, "token-1", T0);
        source.setAliases(GUEST, List.of("a.smith@example.com"));
        source.push(GUEST, wasm("one"), T0, "guest", SIMS, 20);
        GuestStore.Attachment sim = new GuestStore.Attachment("mine.wasm", GuestStore.Attachment.SIMULATION,
                wasm("test"));
        source.push(GUEST, wasm("two"), List.of(sim), T0.plusSeconds(1), "guest", SIMS, 20);
        source.activate(GUEST, 1, Digests.sha256Hex(wasm("one")));
        source.audit(GUEST, Map.of("action", "push"));
        source.claim(GUEST, GuestStore.Ledger.REPLIES, "bob@example.org", Duration.ofDays(7), T0);
        source.push(LONG, wasm("long"), T0, "admin", List.of(), 20);

        StoreMigration.Report first = StoreMigration.run(folder, setting);
        StoreMigration.Report second = StoreMigration.run(folder, setting);

        assertThat(first).isEqualTo(new StoreMigration.Report(2, 2, 0));
        assertThat(second).isEqualTo(new StoreMigration.Report(2, 0, 2));
        assertThat(store.addressOfToken("token-1")).contains(GUEST);
        assertThat(store.addressesOf(GUEST)).containsExactly(GUEST, "a.smith@example.com");
        assertThat(store.active(GUEST).version()).isEqualTo(1);
        assertThat(store.activePlugin(GUEST)).hasValueSatisfying(b -> assertThat(b).isEqualTo(wasm("one")));
        assertThat(store.versions(GUEST)).hasSize(2);
        assertThat(store.attachments(GUEST, 2)).singleElement().satisfies(a -> assertThat(a.sameAs(sim)).isTrue());
        assertThat(store.auditTrail(GUEST)).hasSize(1);
        assertThat(store.claim(GUEST, GuestStore.Ledger.REPLIES, "bob@example.org", Duration.ofDays(7),
                T0.plusSeconds(5)).granted()).isFalse();
        assertThat(store.push(GUEST, wasm("three"), T0, "guest", SIMS, 20).record().version()).isEqualTo(3);
        assertThat(store.activePlugin(LONG)).isPresent();
    }
}
