import Foundation
import GRDB
import HummingbirdBcrypt
import PacelineCore

/// Password hashing with bcrypt. Cost 12 in production; tests may lower it to the minimum 10.
public struct PasswordHasher: Sendable {
    public static let minimumCost: UInt8 = 10
    public let cost: UInt8
    /// A hash of a random secret at the same cost, checked when an email is unknown so that
    /// the answer takes as long as for a real account.
    public let decoyHash: String

    public init(cost: UInt8 = 12) {
        self.cost = max(cost, Self.minimumCost)
        self.decoyHash = Bcrypt.hash(SecretToken.generate(), cost: self.cost)
    }

    public func hash(_ password: String) -> String { Bcrypt.hash(password, cost: cost) }
    public func verify(_ password: String, hash: String) -> Bool { Bcrypt.verify(password, hash: hash) }
}

/// A signed-in session as the web layer sees it.
public struct SignedInSession: Sendable, Hashable {
    public let user: User
    public let csrfToken: String
    public let expiresAt: Date
}

/// One of a user's organizations, for the switcher.
public struct MembershipSummary: Sendable, Hashable {
    public let organization: Organization
    public let role: Role
}

/// How the login throttle counts failures (DESIGN: per account and per address).
public struct LoginThrottle: Sendable {
    public var window: TimeInterval = 15 * 60
    public var maxFailuresPerAccount = 5
    public var maxFailuresPerAddress = 20
    public init() {}
}

public enum LoginOutcome: Sendable, Equatable {
    case success(User)
    case invalidCredentials
    /// Too many failures: try again after this many seconds.
    case throttled(retryAfter: TimeInterval)
}

extension AppDatabase {
    // MARK: Sign-up

    /// Creates an organization and its first admin in one transaction.
    public func signUp(
        organizationName: String, slug: String, adminName: String, email: String,
        passwordHash: String, now: Date
    ) async throws -> (Organization, User) {
        try await writer.write { db in
            if try Int.fetchOne(db, sql: "SELECT 1 FROM organization WHERE slug = ?", arguments: [slug]) != nil {
                throw StoreError.conflict("The address “\(slug)” is taken; choose another.")
            }
            if try Int.fetchOne(db, sql: "SELECT 1 FROM user WHERE email = ?", arguments: [email]) != nil {
                throw StoreError.conflict("An account with this email exists: sign in, then create the organization from your account page.")
            }
            let org = try Self.insertOrganization(db, name: organizationName, slug: slug, now: now)
            let user = try Self.insertUser(db, email: email, name: adminName, passwordHash: passwordHash, now: now)
            try Self.addMembership(db, orgId: org.id, userId: user.id, role: .admin, now: now)
            let scope = TenantScope(organization: org, user: user, role: .admin)
            try self.audit(db, scope: scope, userId: user.id, action: "organization.created", detail: org.name, now: now)
            return (org, user)
        }
    }

    /// Creates another organization for a signed-in user, who becomes its admin.
    public func createOrganization(name: String, slug: String, adminUserId: Int64, now: Date) async throws -> Organization {
        try await writer.write { db in
            if try Int.fetchOne(db, sql: "SELECT 1 FROM organization WHERE slug = ?", arguments: [slug]) != nil {
                throw StoreError.conflict("The address “\(slug)” is taken; choose another.")
            }
            let org = try Self.insertOrganization(db, name: name, slug: slug, now: now)
            try Self.addMembership(db, orgId: org.id, userId: adminUserId, role: .admin, now: now)
            try self.audit(db, scope: nil, userId: adminUserId, action: "organization.created", detail: org.slug, now: now)
            return org
        }
    }

    static func insertOrganization(_ db: Database, name: String, slug: String, now: Date) throws -> Organization {
        try db.execute(
            sql: "INSERT INTO organization (slug, name, units, time_zone, created_at) VALUES (?, ?, 'km', 'UTC', ?)",
            arguments: [slug, name, now])
        return Organization(id: db.lastInsertedRowID, slug: slug, name: name, units: .km, timeZone: "UTC", createdAt: now)
    }

    static func insertUser(_ db: Database, email: String, name: String, passwordHash: String, now: Date) throws -> User {
        try db.execute(
            sql: "INSERT INTO user (email, name, password_hash, created_at) VALUES (?, ?, ?, ?)",
            arguments: [email, name, passwordHash, now])
        return User(id: db.lastInsertedRowID, email: email, name: name, passwordHash: passwordHash, createdAt: now)
    }

    static func addMembership(_ db: Database, orgId: Int64, userId: Int64, role: Role, now: Date) throws {
        try MembershipRecord(orgId: orgId, userId: userId, role: role, createdAt: now).insert(db)
        if role == .athlete {
            try ensureAthleteProfile(db, orgId: orgId, userId: userId, now: now)
        }
    }

    static func ensureAthleteProfile(_ db: Database, orgId: Int64, userId: Int64, now: Date) throws {
        try db.execute(sql: """
            INSERT INTO athlete_profile (org_id, user_id, created_at) VALUES (?, ?, ?)
            ON CONFLICT (org_id, user_id) DO NOTHING
            """, arguments: [orgId, userId, now])
    }

    // MARK: Users

    public func user(email: String) async throws -> User? {
        try await writer.read { db in try User.filter(Column("email") == email).fetchOne(db) }
    }

    public func user(id: Int64) async throws -> User? {
        try await writer.read { db in try db.user(id: id) }
    }

    public func passwordHash(userId: Int64) async throws -> String? {
        try await writer.read { db in try db.user(id: userId)?.passwordHash }
    }

    public func updateName(userId: Int64, name: String) async throws {
        try await writer.write { db in
            try db.execute(sql: "UPDATE user SET name = ? WHERE id = ?", arguments: [name, userId])
        }
    }

    /// Sets a new password and ends every other session of the user (all when `keepSessionToken` is nil).
    public func setPassword(userId: Int64, passwordHash: String, keepSessionToken: String?, now: Date) async throws {
        try await writer.write { db in
            try db.execute(sql: "UPDATE user SET password_hash = ? WHERE id = ?", arguments: [passwordHash, userId])
            guard db.changesCount == 1 else { throw StoreError.notFound }
            let keep = keepSessionToken.map(SecretToken.hash) ?? ""
            try db.execute(sql: "DELETE FROM session WHERE user_id = ? AND token_hash <> ?", arguments: [userId, keep])
            try self.audit(db, scope: nil, userId: userId, action: "user.password_changed", detail: "", now: now)
        }
    }

    // MARK: Log-in and throttling

    /// Checks a password against the throttle and records the attempt.
    /// `verify` runs bcrypt; it is passed in so the caller can run it off the event loop.
    public func attemptLogin(
        email: String, address: String, throttle: LoginThrottle, decoyHash: String, now: Date,
        verify: @Sendable (String) async -> Bool
    ) async throws -> LoginOutcome {
        let since = now.addingTimeInterval(-throttle.window)
        let (byAccount, byAddress, oldest, user) = try await writer.read { db in
            let byAccount = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM login_attempt WHERE email = ? AND succeeded = 0 AND attempted_at > ?
                """, arguments: [email, since]) ?? 0
            let byAddress = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM login_attempt WHERE address = ? AND succeeded = 0 AND attempted_at > ?
                """, arguments: [address, since]) ?? 0
            let oldest = try Date.fetchOne(db, sql: """
                SELECT MIN(attempted_at) FROM login_attempt
                WHERE (email = ? OR address = ?) AND succeeded = 0 AND attempted_at > ?
                """, arguments: [email, address, since])
            let user = try User.filter(Column("email") == email).fetchOne(db)
            return (byAccount, byAddress, oldest, user)
        }
        if byAccount >= throttle.maxFailuresPerAccount || byAddress >= throttle.maxFailuresPerAddress {
            let retry = (oldest ?? now).addingTimeInterval(throttle.window).timeIntervalSince(now)
            return .throttled(retryAfter: max(retry, 1))
        }
        let ok: Bool
        if let user {
            ok = await verify(user.passwordHash)
        } else {
            // Same work for unknown emails, so timing does not reveal which accounts exist.
            _ = await verify(decoyHash)
            ok = false
        }
        try await writer.write { db in
            try LoginAttemptRecord(email: email, address: address, succeeded: ok, attemptedAt: now).insert(db)
            if ok {
                // A success clears the account's failures; the address keeps its count.
                try db.execute(sql: "DELETE FROM login_attempt WHERE email = ? AND succeeded = 0", arguments: [email])
            }
            try db.execute(sql: "DELETE FROM login_attempt WHERE attempted_at < ?", arguments: [now.addingTimeInterval(-86_400)])
        }
        if ok, let user { return .success(user) }
        return .invalidCredentials
    }

    // MARK: Sessions

    /// Starts a session: a fresh token (returned once, stored hashed) and a CSRF token.
    public func createSession(userId: Int64, lifetime: TimeInterval, now: Date) async throws -> (token: String, session: SignedInSession) {
        let token = SecretToken.generate()
        let csrf = SecretToken.generate()
        let expires = now.addingTimeInterval(lifetime)
        let user = try await writer.write { db -> User in
            guard let user = try db.user(id: userId) else { throw StoreError.notFound }
            try SessionRecord(tokenHash: SecretToken.hash(token), userId: userId, csrfToken: csrf, createdAt: now, expiresAt: expires).insert(db)
            return user
        }
        return (token, SignedInSession(user: user, csrfToken: csrf, expiresAt: expires))
    }

    /// The live session for a cookie token, or nil when unknown or expired.
    public func session(token: String, now: Date) async throws -> SignedInSession? {
        try await writer.read { db in
            guard let record = try SessionRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM session WHERE token_hash = ?"),
                                                          arguments: [SecretToken.hash(token)]),
                  record.expiresAt > now,
                  let user = try db.user(id: record.userId)
            else { return nil }
            return SignedInSession(user: user, csrfToken: record.csrfToken, expiresAt: record.expiresAt)
        }
    }

    public func deleteSession(token: String) async throws {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM session WHERE token_hash = ?", arguments: [SecretToken.hash(token)])
        }
    }

    /// Removes expired sessions; returns how many.
    @discardableResult
    public func deleteExpiredSessions(now: Date) async throws -> Int {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM session WHERE expires_at <= ?", arguments: [now])
            return db.changesCount
        }
    }

    public func sessionCount(userId: Int64) async throws -> Int {
        try await writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM session WHERE user_id = ?", arguments: [userId]) ?? 0
        }
    }

    // MARK: Memberships

    /// The user's organizations, by name.
    public func memberships(userId: Int64) async throws -> [MembershipSummary] {
        try await writer.read { db in try Self.memberships(db, userId: userId) }
    }

    static func memberships(_ db: Database, userId: Int64) throws -> [MembershipSummary] {
            try db.rows(sql: """
                SELECT o.*, m.role AS member_role FROM membership m JOIN organization o ON o.id = m.org_id
                WHERE m.user_id = ? ORDER BY o.name COLLATE NOCASE
                """, arguments: [userId]
            ).compactMap { row in
                guard let role = Role(rawValue: row["member_role"] ?? "") else { return nil }
                return MembershipSummary(organization: try Organization(row: row), role: role)
            }
    }

    /// Resets a password from the command line; ends all the user's sessions.
    public func resetPassword(email: String, passwordHash: String, now: Date) async throws {
        guard let user = try await user(email: email) else { throw StoreError.notFound }
        try await setPassword(userId: user.id, passwordHash: passwordHash, keepSessionToken: nil, now: now)
    }
}
