import Foundation
import GRDB

/// Password reset by email: a random token (stored as its hash) that works once, for an hour.
public enum PasswordResetPolicy {
    public static let lifetime: TimeInterval = 3600
    /// Requests per account per hour: more are answered the same way but send nothing.
    public static let perHour = 3
}

extension AppDatabase {
    /// A reset token for the account with this email, or nil when there is no such account or it
    /// asked too often in the last hour (the page says the same either way).
    public func createPasswordReset(email: String, now: Date) async throws -> (user: User, token: String)? {
        try await writer.write { db in
            guard let user = try User.filter(Column("email") == email).fetchOne(db) else { return nil }
            let recent = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM password_reset WHERE user_id = ? AND created_at > ?",
                arguments: [user.id, now.addingTimeInterval(-3600)]) ?? 0
            guard recent < PasswordResetPolicy.perHour else { return nil }
            let token = SecretToken.generate()
            try db.execute(
                sql: "INSERT INTO password_reset (user_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?)",
                arguments: [
                    user.id, SecretToken.hash(token), now, now.addingTimeInterval(PasswordResetPolicy.lifetime),
                ])
            try self.audit(
                db, scope: nil, userId: user.id, action: "user.password_reset_requested", detail: "", now: now)
            return (user, token)
        }
    }

    /// The account a reset token opens, if it is unused and under an hour old.
    public func passwordResetUser(token: String, now: Date) async throws -> User? {
        try await writer.read { db in try Self.resetRow(db, token: token, now: now)?.user }
    }

    static func resetRow(_ db: StoreConnection, token: String, now: Date) throws -> (id: Int64, user: User)? {
        guard !token.isEmpty, token.count <= 100,
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT id, user_id FROM password_reset
                    WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?
                    """, arguments: [SecretToken.hash(token), now]),
            let user = try User.fetchOne(db, key: row["user_id"] as Int64)
        else { return nil }
        return (row["id"], user)
    }

    /// Sets the new password, uses up this token and every other of the account, and ends all its
    /// sessions. Throws `notFound` for a token that is used, expired or unknown.
    public func completePasswordReset(token: String, passwordHash: String, now: Date) async throws -> User {
        try await writer.write { db in
            guard let (_, user) = try Self.resetRow(db, token: token, now: now) else { throw StoreError.notFound }
            try db.execute(
                sql: "UPDATE password_reset SET used_at = ? WHERE user_id = ? AND used_at IS NULL",
                arguments: [now, user.id])
            try db.execute(sql: "UPDATE user SET password_hash = ? WHERE id = ?", arguments: [passwordHash, user.id])
            try db.execute(sql: "DELETE FROM session WHERE user_id = ?", arguments: [user.id])
            try self.audit(db, scope: nil, userId: user.id, action: "user.password_reset", detail: "", now: now)
            return user
        }
    }
}
