package dev.hackablemail.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Copies a folder store into PostgreSQL: every guest with its record, token hash,
 * aliases, kept versions, active version, audit trail and ledgers, one transaction per
 * guest. Idempotent: a guest already in the database is left as it is (its missing
 * versions and ledger entries are added), so the command can be run again after an
 * interruption, and a second run changes nothing.
 */
public final class StoreMigration {

    /** What a run did. */
    public record Report(int guests, int copied, int alreadyThere) {}

    private StoreMigration() {}

    public static Report run(Path from, StoreSetting to) throws IOException {
        if (to.isFolder()) {
            throw new IllegalArgumentException("--to must be a PostgreSQL URL (postgresql://USER@HOST:PORT/DB)");
        }
        FolderStore source = new FolderStore(from);
        try (GuestStore target = to.open(false)) {
            PostgresStore postgres = (PostgresStore) target;
            postgres.migrate();
            int copied = 0;
            int there = 0;
            var addresses = source.addresses();
            for (String address : addresses) {
                if (postgres.importGuest(source.export(address))) {
                    copied++;
                } else {
                    there++;
                }
            }
            return new Report(addresses.size(), copied, there);
        }
    }
}
