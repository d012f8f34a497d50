package dev.hackablemail.store;

import dev.hackablemail.store.GuestStore.MailRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * The guests' recent mail in PostgreSQL ({@code hackable_mail}), read newest first through
 * the (guest, id) index. Every {@link #PRUNE_EVERY}th row (by id) trims its guest to
 * its newest {@link #KEEP} rows, so the table stays bounded without a job of its own.
 */
final class PostgresMailLog {

    static final int KEEP = 5000;
    static final int PRUNE_EVERY = 100;

    private PostgresMailLog() {}

    static Void append(Connection c, String key, MailRecord mail) throws SQLException {
        long id;
        try (PreparedStatement s = c.prepareStatement("INSERT INTO hackable_mail (guest_key, at, sender, subject, "
                + "plugin, code, outcome, detail, micros) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
            s.setString(1, key);
            s.setTimestamp(2, Timestamp.from(mail.time()));
            s.setString(3, mail.sender());
            s.setString(4, mail.subject());
            s.setString(5, mail.plugin());
            if (mail.code() == null) {
                s.setNull(6, Types.INTEGER);
            } else {
                s.setInt(6, mail.code());
            }
            s.setString(7, mail.outcome());
            s.setString(8, mail.detail());
            s.setLong(9, mail.pluginMicros());
            try (ResultSet r = s.executeQuery()) {
                r.next();
                id = r.getLong(1);
            }
        }
        if (id % PRUNE_EVERY == 0) {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM hackable_mail WHERE guest_key = ? AND id <= "
                    + "(SELECT id FROM hackable_mail WHERE guest_key = ? ORDER BY id DESC OFFSET ? LIMIT 1)")) {
                s.setString(1, key);
                s.setString(2, key);
                s.setInt(3, KEEP);
                s.executeUpdate();
            }
        }
        return null;
    }

    static List<MailRecord> newest(Connection c, String key, int skip, int limit) throws SQLException {
        List<MailRecord> page = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT at, sender, subject, plugin, code, outcome, detail, "
                + "micros FROM hackable_mail WHERE guest_key = ? ORDER BY id DESC OFFSET ? LIMIT ?")) {
            s.setString(1, key);
            s.setInt(2, skip);
            s.setInt(3, limit);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    int code = r.getInt(5);
                    Integer pluginCode = r.wasNull() ? null : code;
                    page.add(new MailRecord(r.getTimestamp(1).toInstant(), r.getString(2), r.getString(3),
                            r.getString(4), pluginCode, r.getString(6), r.getString(7), r.getLong(8)));
                }
            }
        }
        return page;
    }
}
