import Foundation
import GRDB

/// What a personal access token may do: `read` only GETs, `write` everything its member may.
public enum APITokenScope: String, Sendable, CaseIterable, Codable {
    case read, write
}

/// The rules of personal access tokens.
public enum APITokenPolicy {
    /// Every token starts with this, so a leaked one is recognisable (secret scanners, logs).
    public static let prefix = "pl_"
    /// Requests per token per minute.
    public static let defaultPerMinute = 120
    /// Live tokens per person (revoked and expired ones do not count).
    public static let maxLiveTokens = 20
    public static let maxNameLength = 80
}

/// A token as its owner's account page lists it (never the token itself).
public struct APITokenSummary: Sendable, Hashable, Identifiable {
    public let id: Int64
    public let name: String
    public let organizationSlug: String
    public let organizationName: String
    public let scope: APITokenScope
    public let createdAt: Date
    public let expiresAt: Date?
    public let lastUsedAt: Date?
    public let revokedAt: Date?

    public func isLive(now: Date) -> Bool { revokedAt == nil && (expiresAt.map { $0 > now } ?? true) }
}

/// The answer to one API request's token.
public enum APIAuthentication: Sendable {
    /// No such token, revoked, expired, or its member is no longer in the organization.
    case refused
    /// Over the minute's requests: try again in this many seconds.
    case limited(retryAfter: Int, limit: Int)
    /// The member the token acts as, in its organization, what is left of the minute, and the
    /// organization's data version (the key of cached answers).
    case granted(TenantScope, token: APITokenSummary, remaining: Int, limit: Int, version: Int64)
}

extension AppDatabase {
    /// Creates a token for the user in the organization with this slug (they must be a member).
    /// Returns the secret, which is shown once and never stored.
    public func createAPIToken(
        userId: Int64, organizationSlug: String, name: String, scope: APITokenScope, expiresAt: Date?, now: Date
    ) async throws -> (APITokenSummary, secret: String) {
        try await writer.write { db in
            guard let tenant = try Self.resolveTenant(db, slug: organizationSlug, userId: userId) else {
                throw StoreError.invalid("Choose one of your organizations.")
            }
            let live =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) FROM api_token WHERE user_id = ? AND revoked_at IS NULL
                        AND (expires_at IS NULL OR expires_at > ?)
                        """, arguments: [userId, now]) ?? 0
            guard live < APITokenPolicy.maxLiveTokens else {
                throw StoreError.invalid(
                    "You have \(live) live tokens, the most there may be: revoke one you no longer use.")
            }
            let secret = APITokenPolicy.prefix + SecretToken.generate()
            try db.execute(
                sql: """
                    INSERT INTO api_token (org_id, user_id, name, token_hash, scope, created_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [tenant.orgId, userId, name, SecretToken.hash(secret), scope.rawValue, now, expiresAt])
            let id = db.lastInsertedRowID
            try self.audit(
                db, scope: tenant, userId: userId, action: "api_token.created",
                detail: "\(name) (\(scope.rawValue))", now: now)
            guard let summary = try Self.apiTokens(db, userId: userId, id: id).first else { throw StoreError.notFound }
            return (summary, secret)
        }
    }

    /// The user's tokens, newest first, revoked ones included (they say when).
    public func apiTokens(userId: Int64) async throws -> [APITokenSummary] {
        try await writer.read { db in try Self.apiTokens(db, userId: userId, id: nil) }
    }

    static func apiTokens(_ db: StoreConnection, userId: Int64, id: Int64?) throws -> [APITokenSummary] {
        var sql: SQL = """
            SELECT t.*, o.slug AS org_slug, o.name AS org_name FROM api_token t
            JOIN organization o ON o.id = t.org_id WHERE t.user_id = \(userId)
            """
        if let id { sql += " AND t.id = \(id)" }
        return try db.rows(sql + " ORDER BY t.created_at DESC, t.id DESC").map(Self.apiTokenSummary)
    }

    static func apiTokenSummary(_ row: Row) throws -> APITokenSummary {
        APITokenSummary(
            id: row["id"], name: row["name"], organizationSlug: row["org_slug"], organizationName: row["org_name"],
            scope: APITokenScope(rawValue: row["scope"] ?? "") ?? .read, createdAt: row["created_at"],
            expiresAt: row["expires_at"], lastUsedAt: row["last_used_at"], revokedAt: row["revoked_at"])
    }

    /// Revokes one of the user's tokens (at once: the next request with it is refused). Another
    /// person's token id is not found.
    public func revokeAPIToken(userId: Int64, id: Int64, now: Date) async throws {
        try await writer.write { db in
            guard let token = try Self.apiTokens(db, userId: userId, id: id).first else { throw StoreError.notFound }
            guard token.revokedAt == nil else { return }
            try db.execute(sql: "UPDATE api_token SET revoked_at = ? WHERE id = ?", arguments: [now, id])
            let tenant = try Self.resolveTenant(db, slug: token.organizationSlug, userId: userId)
            try self.audit(
                db, scope: tenant, userId: userId, action: "api_token.revoked", detail: token.name, now: now)
        }
    }

    /// Checks a request's bearer token and counts the request against its minute, in one write:
    /// the member it acts as is resolved from their membership as it is now, so a member who left
    /// (or an organization deleted) refuses the token as surely as revoking it.
    public func authenticateAPIToken(_ secret: String, now: Date, perMinute: Int) async throws -> APIAuthentication {
        guard secret.hasPrefix(APITokenPolicy.prefix), secret.count <= 100 else { return .refused }
        // The token's use (last used, the rate window) is counted in its row, so every server counts the
        // same requests — but it is not worth a disk flush of its own on every API request: this commit
        // waits for none (`synchronous = NORMAL` for it alone; PostgreSQL's `synchronous_commit = off`).
        // A power cut may forget the last moments' counts; the next commit that does flush (any other
        // write) carries them, and nothing else is written here.
        return try await writer.writeWithoutTransaction { db in
            try db.transactionWithoutFlush {
                try Self.countTokenUse(db, secret: secret, now: now, perMinute: perMinute)
            }
        }
    }

    static func countTokenUse(
        _ db: StoreConnection, secret: String, now: Date, perMinute: Int
    ) throws -> APIAuthentication {
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT t.*, o.slug AS org_slug, o.name AS org_name, \(db.dataVersion(of: "o")) AS org_version
                    FROM api_token t
                    JOIN organization o ON o.id = t.org_id
                    WHERE t.token_hash = ? AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?)
                    """, arguments: [SecretToken.hash(secret), now]),
            let scope = try Self.resolveTenant(db, slug: row["org_slug"], userId: row["user_id"])
        else { return .refused }
        let id: Int64 = row["id"]
        // One statement counts the use, whole on its own on both engines (on PostgreSQL this transaction is
        // READ COMMITTED: concurrent uses of one token queue on its row's lock and each sees the count the
        // one before left). Within the window (its start less than a minute ago) the count goes up unless
        // it reached the limit; after it, a new window begins with this request. A start a little after
        // `now` is the window too: a concurrent request stamped a moment later may have opened it, or
        // another server's clock runs ahead (resetting there let a burst through over the limit). A start
        // over a minute ahead means the clock went back: a new window.
        let inWindow = "window_start IS NOT NULL AND window_start > ? AND window_start <= ?"
        let (cutoff, ahead) = (now.addingTimeInterval(-60), now.addingTimeInterval(60))
        let counted = try db.rows(
            sql: """
                UPDATE api_token SET
                  window_count = CASE WHEN \(inWindow) THEN window_count + 1 ELSE 1 END,
                  window_start = CASE WHEN \(inWindow) THEN window_start ELSE ? END,
                  last_used_at = ?
                WHERE id = ? AND NOT (\(inWindow) AND window_count >= ?)
                RETURNING window_count
                """, arguments: [cutoff, ahead, cutoff, ahead, now, now, id, cutoff, ahead, perMinute])
        guard let count: Int = counted.first?["window_count"] else {
            let start = try Date.fetchOne(db, sql: "SELECT window_start FROM api_token WHERE id = ?", arguments: [id])
            let wait = 60 - max(0, now.timeIntervalSince(start ?? now))
            return .limited(retryAfter: max(1, Int(wait.rounded(.up).clamped(to: 1...60))), limit: perMinute)
        }
        return .granted(
            scope, token: try Self.apiTokenSummary(row), remaining: perMinute - count, limit: perMinute,
            version: row["org_version"] ?? 0)
    }
}

extension Double {
    fileprivate func clamped(to range: ClosedRange<Double>) -> Double {
        isFinite ? Swift.min(Swift.max(self, range.lowerBound), range.upperBound) : range.upperBound
    }
}
