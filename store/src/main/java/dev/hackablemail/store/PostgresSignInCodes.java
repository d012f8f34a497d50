package dev.hackablemail.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/**
 * The one-time sign-in codes in PostgreSQL ({@code hackable_signin}): a code is used with one
 * {@code DELETE ... RETURNING}, so two servers using the same code at once cannot both
 * find it.
 */
final class PostgresSignInCodes {

    private static final int MAX_CODE_LENGTH = 128;

    private PostgresSignInCodes() {}

    static Void save(Connection c, String address, String code, Instant now, Instant expires) throws SQLException {
        try (PreparedStatement forget = c.prepareStatement("DELETE FROM hackable_signin WHERE expires <= ?");
                PreparedStatement s = c.prepareStatement(
                        "INSERT INTO hackable_signin (code_sha256, address, expires) VALUES (?, ?, ?)")) {
            forget.setTimestamp(1, Timestamp.from(now));
            forget.executeUpdate();
            s.setString(1, Digests.sha256Hex(code));
            s.setString(2, address);
            s.setTimestamp(3, Timestamp.from(expires));
            s.executeUpdate();
        }
        return null;
    }

    static Optional<String> use(Connection c, String code, Instant now) throws SQLException {
        if (code == null || code.isEmpty() || code.length() > MAX_CODE_LENGTH) {
            return Optional.empty();
        }
        try (PreparedStatement s = c.prepareStatement(
                "DELETE FROM hackable_signin WHERE code_sha256 = ? RETURNING address, expires")) {
            s.setString(1, Digests.sha256Hex(code));
            try (ResultSet r = s.executeQuery()) {
                if (!r.next() || !now.isBefore(r.getTimestamp(2).toInstant())) {
                    return Optional.empty();
                }
                return Optional.of(r.getString(1));
            }
        }
    }
}
