package dev.hackablemail.store;

import java.util.List;
import java.util.Map;

/**
 * Everything a store keeps about one guest, as the migration carries it from a folder
 * store to PostgreSQL.
 */
record GuestExport(GuestStore.Guest guest, String tokenSha256, List<Version> versions,
        GuestStore.ActiveVersion active, List<Map<String, Object>> audit,
        Map<GuestStore.Ledger, Map<String, Long>> ledgers) {

    /** A kept version with its bytes and the files pushed with it. */
    record Version(GuestStore.VersionRecord record, byte[] wasm, List<GuestStore.Attachment> attachments) {
        Version(GuestStore.VersionRecord record, byte[] wasm) {
            this(record, wasm, List.of());
        }
    }
}
