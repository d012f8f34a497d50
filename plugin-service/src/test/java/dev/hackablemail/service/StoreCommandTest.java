package dev.hackablemail.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hackablemail.store.FolderStore;
import dev.hackablemail.store.GuestStore;
import dev.hackablemail.store.PostgresCluster;
import dev.hackablemail.store.StoreSetting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hackable-email store migrate --from DIR --to URL} on a real PostgreSQL. */
class StoreCommandTest {

    @TempDir
    Path dir;

    @Test
    void aFolderStoreMovesToPostgresqlAndASecondRunChangesNothing() throws Exception {
        String url = PostgresCluster.shared().newDatabase();
        Path folder = dir.resolve("store");
        Files.createDirectories(folder);
        try (FolderStore source = new FolderStore(folder)) {
            source.register("alice@example.com", "alice-token", Instant.parse("2026-01-01T00:00:00Z"));
            source.push("alice@example.com", TestModules.example(), Instant.now(), "guest", List.of(), 20);
            source.push("bob@example.com", TestModules.deliverOnly(), Instant.now(), "admin", List.of(), 20);
        }

        Fixture.Run first = Fixture.admin("store", "migrate", "--from", folder.toString(), "--to", url);
        Fixture.Run second = Fixture.admin("store", "migrate", "--from", folder.toString(), "--to", url);

        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).isEqualTo("migrated " + folder + " to " + url + ": 2 guest(s), 2 copied, "
                + "0 already there\n");
        assertThat(second.out()).endsWith(": 2 guest(s), 0 copied, 2 already there\n");
        StoreSetting target = StoreSetting.read(Map.of("store", url, "cache", dir.resolve("cache").toString()));
        try (GuestStore postgres = target.open(false)) {
            assertThat(postgres.addressOfToken("alice-token")).contains("alice@example.com");
            assertThat(postgres.activePlugin("alice@example.com")).hasValueSatisfying(
                    b -> assertThat(b).isEqualTo(TestModules.example()));
            assertThat(postgres.versions("bob@example.com")).hasSize(1);
        }
    }

    @Test
    void theTargetMustBeADatabase() {
        Fixture.Run run = Fixture.admin("store", "migrate", "--from", dir.toString(), "--to", dir.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--to must be a PostgreSQL URL");
        Fixture.Run noFolder = Fixture.admin("store", "migrate", "--from", dir.resolve("x").toString(), "--to",
                "postgresql://u@127.0.0.1:1/db");
        assertThat(noFolder.err()).contains("no such folder");
    }
}
