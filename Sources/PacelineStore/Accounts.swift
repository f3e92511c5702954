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

    /// Checks a password. A hash of a lower cost than today's (an older account, the demo's)
    /// is checked quickly, so the decoy is checked too: no answer comes faster than for an
    /// unknown email, which would tell an attacker the account exists.
    public func verify(_ password: String, hash: String) -> Bool {
        let ok = Bcrypt.verify(password, hash: hash)
        if Self.cost(of: hash).map({ $0 < cost }) ?? true { _ = Bcrypt.verify(password, hash: decoyHash) }
        return ok
    }

    /// Whether a stored hash should be replaced at the next successful sign-in.
    public func needsRehash(_ hash: String) -> Bool { Self.cost(of: hash).map { $0 < cost } ?? true }

    /// The cost in a bcrypt hash ("$2b$12$…" → 12).
    static func cost(of hash: String) -> UInt8? {
        let parts = hash.split(separator: "$", omittingEmptySubsequences: true)
        guard parts.count >= 2, parts[0].hasPrefix("2"), parts[1].count == 2 else { return nil }
        return UInt8(parts[1])
    }
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

/// How the log-in throttle counts failures (OWASP's authentication guidance): it slows
/// guessing down rather than locking anyone out, and a device that signed in before is never
/// held back by what strangers do.
///
/// Failures are counted over `window`, per account *and* address (one guesser at one account),
/// per address (one guesser at many accounts), and per account from devices it has never signed
/// in on (many addresses at one account). Past a counter's free allowance each further attempt
/// waits `firstDelay`, doubling, at most `maxDelay`, after the last failure. A known device (its
/// cookie was set at a successful sign-in of this account) has a counter of its own instead.
public struct LoginThrottle: Sendable {
    public var window: TimeInterval = 15 * 60
    public var freeFailuresPerAccountAndAddress = 5
    public var freeFailuresPerAddress = 20
    public var freeFailuresPerAccountFromUnknownDevices = 50
    public var freeFailuresPerKnownDevice = 5
    public var firstDelay: TimeInterval = 30
    public var maxDelay: TimeInterval = 15 * 60
    public init() {}

    /// Seconds still to wait after `failures` within the window (the last one at `last`), or nil.
    func wait(failures: Int, free: Int, last: Date?, now: Date) -> TimeInterval? {
        guard failures >= free, let last else { return nil }
        let doublings = min(failures - free, 10)
        let delay = min(firstDelay * Double(1 << doublings), maxDelay)
        let remaining = last.addingTimeInterval(delay).timeIntervalSince(now)
        return remaining > 0 ? remaining : nil
    }
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
                throw StoreError.invalid("The address “\(slug)” is taken; choose another.")
            }
            if try Int.fetchOne(db, sql: "SELECT 1 FROM user WHERE email = ?", arguments: [email]) != nil {
                throw StoreError.invalid(
                    "An account with this email exists: sign in, then create the organization from your account page.")
            }
            let org = try Self.insertOrganization(db, name: organizationName, slug: slug, now: now)
            let user = try Self.insertUser(db, email: email, name: adminName, passwordHash: passwordHash, now: now)
            try Self.addMembership(db, orgId: org.id, userId: user.id, role: .admin, now: now)
            let scope = TenantScope(organization: org, user: user, role: .admin)
            try self.audit(
                db, scope: scope, userId: user.id, action: "organization.created", detail: org.name, now: now)
            return (org, user)
        }
    }

    /// Creates another organization for a signed-in user, who becomes its admin.
    public func createOrganization(
        name: String, slug: String, adminUserId: Int64, now: Date
    ) async throws -> Organization {
        try await writer.write { db in
            if try Int.fetchOne(db, sql: "SELECT 1 FROM organization WHERE slug = ?", arguments: [slug]) != nil {
                throw StoreError.invalid("The address “\(slug)” is taken; choose another.")
            }
            let org = try Self.insertOrganization(db, name: name, slug: slug, now: now)
            try Self.addMembership(db, orgId: org.id, userId: adminUserId, role: .admin, now: now)
            try self.audit(
                db, scope: nil, userId: adminUserId, action: "organization.created", detail: org.slug, now: now)
            return org
        }
    }

    static func insertOrganization(_ db: StoreConnection, name: String, slug: String, now: Date) throws -> Organization
    {
        try db.execute(
            sql: "INSERT INTO organization (slug, name, units, time_zone, created_at) VALUES (?, ?, 'km', 'UTC', ?)",
            arguments: [slug, name, now])
        return Organization(
            id: db.lastInsertedRowID, slug: slug, name: name, units: .km, timeZone: "UTC", createdAt: now,
            coachesEditLibrary: false)
    }

    static func insertUser(
        _ db: StoreConnection, email: String, name: String, passwordHash: String, now: Date
    ) throws -> User {
        try db.execute(
            sql: "INSERT INTO user (email, name, password_hash, created_at) VALUES (?, ?, ?, ?)",
            arguments: [email, name, passwordHash, now])
        return User(id: db.lastInsertedRowID, email: email, name: name, passwordHash: passwordHash, createdAt: now)
    }

    static func addMembership(_ db: StoreConnection, orgId: Int64, userId: Int64, role: Role, now: Date) throws {
        try MembershipRecord(orgId: orgId, userId: userId, role: role, createdAt: now).insert(db)
        if role == .athlete {
            try ensureAthleteProfile(db, orgId: orgId, userId: userId, now: now)
        }
    }

    static func ensureAthleteProfile(_ db: StoreConnection, orgId: Int64, userId: Int64, now: Date) throws {
        // A member who was an athlete here before keeps their profile (and its history).
        try AthleteProfileRecord(
            id: nil, orgId: orgId, userId: userId, phone: "", notes: "", units: nil, timeZone: nil,
            maxHr: nil, restingHr: nil, vdot: nil, vdotSource: nil, vdotDate: nil, createdAt: now,
            calendarToken: nil, sex: nil, autoApply: false
        ).insertUnlessPresent(db)
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
    ///
    /// Counting and recording are one write transaction that runs *before* bcrypt: the attempt is
    /// stored as a failure first and turned into a success afterwards, so parallel guesses each
    /// see the others and no more than the allowance get through. `verify` runs bcrypt; it is
    /// passed in so the caller can run it off the event loop. `deviceToken` is the remembered-
    /// device cookie, if the browser sent one.
    public func attemptLogin(
        email: String, address: String, deviceToken: String?, throttle: LoginThrottle, decoyHash: String, now: Date,
        verify: @Sendable (String) async -> Bool
    ) async throws -> LoginOutcome {
        let since = now.addingTimeInterval(-throttle.window)
        let deviceHash = deviceToken.map(SecretToken.hash)
        enum Gate { case admitted(attempt: Int64, user: User?, device: String?), wait(TimeInterval) }
        let gate: Gate = try await writer.write { db in
            let user = try User.filter(Column("email") == email).fetchOne(db)
            let knownDevice: String? = try deviceHash.flatMap { hash in
                guard let user else { return nil }
                return try String.fetchOne(
                    db,
                    sql: """
                        SELECT token_hash FROM known_device WHERE token_hash = ? AND user_id = ? AND expires_at > ?
                        """, arguments: [hash, user.id, now])
            }
            func wait(_ filter: String, _ arguments: StatementArguments, free: Int) throws -> TimeInterval {
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) AS n, MAX(attempted_at) AS last FROM login_attempt
                        WHERE succeeded = 0 AND attempted_at > ? AND \(filter)
                        """, arguments: [since] + arguments)
                return throttle.wait(failures: row?["n"] ?? 0, free: free, last: row?["last"], now: now) ?? 0
            }
            let longest =
                if let knownDevice {
                    try wait("device_hash = ?", [knownDevice], free: throttle.freeFailuresPerKnownDevice)
                } else {
                    max(
                        try wait(
                            "email = ? AND address = ?", [email, address],
                            free: throttle.freeFailuresPerAccountAndAddress),
                        try wait("address = ?", [address], free: throttle.freeFailuresPerAddress),
                        try wait(
                            "email = ? AND device_hash IS NULL", [email],
                            free: throttle.freeFailuresPerAccountFromUnknownDevices))
                }
            if longest > 0 { return .wait(longest) }
            try LoginAttemptRecord(
                email: email, address: address, succeeded: false, attemptedAt: now, deviceHash: knownDevice
            ).insert(db)
            return .admitted(attempt: db.lastInsertedRowID, user: user, device: knownDevice)
        }
        guard case .admitted(let attempt, let user, let device) = gate else {
            if case .wait(let seconds) = gate { return .throttled(retryAfter: max(seconds, 1)) }
            return .invalidCredentials
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
            if ok {
                // A success clears the failures of this client only (this address, or this known
                // device): the owner signing in must not reset a botnet's count against the account.
                try db.execute(sql: "UPDATE login_attempt SET succeeded = 1 WHERE id = ?", arguments: [attempt])
                try db.execute(
                    sql: """
                        DELETE FROM login_attempt WHERE email = ? AND succeeded = 0 AND (address = ? OR device_hash = ?)
                        """, arguments: [email, address, device])
            }
            try db.execute(
                sql: "DELETE FROM login_attempt WHERE attempted_at < ?", arguments: [now.addingTimeInterval(-86_400)])
        }
        if ok, let user { return .success(user) }
        return .invalidCredentials
    }

    /// Remembers the browser a user just signed in on (OWASP "device cookies"): returns the
    /// cookie's token — the one it sent when that is still this user's, else a new one.
    public func rememberDevice(
        userId: Int64, presentedToken: String?, lifetime: TimeInterval, now: Date
    ) async throws -> String {
        try await writer.write { db in
            let expires = now.addingTimeInterval(lifetime)
            if let presentedToken {
                try db.execute(
                    sql: "UPDATE known_device SET expires_at = ? WHERE token_hash = ? AND user_id = ?",
                    arguments: [expires, SecretToken.hash(presentedToken), userId])
                if db.changesCount == 1 { return presentedToken }
            }
            let token = SecretToken.generate()
            try db.execute(
                sql: "INSERT INTO known_device (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                arguments: [SecretToken.hash(token), userId, now, expires])
            try db.execute(sql: "DELETE FROM known_device WHERE expires_at <= ?", arguments: [now])
            return token
        }
    }

    /// Stores a stronger hash of the same password (a sign-in with a hash of an older bcrypt
    /// cost), keeping the user's sessions.
    public func upgradePasswordHash(userId: Int64, from oldHash: String, to newHash: String) async throws {
        try await writer.write { db in
            try db.execute(
                sql: "UPDATE user SET password_hash = ? WHERE id = ? AND password_hash = ?",
                arguments: [newHash, userId, oldHash])
        }
    }

    // MARK: Sessions

    /// Starts a session: a fresh token (returned once, stored hashed) and a CSRF token.
    public func createSession(
        userId: Int64, lifetime: TimeInterval, now: Date
    ) async throws -> (token: String, session: SignedInSession) {
        let token = SecretToken.generate()
        let csrf = SecretToken.generate()
        let expires = now.addingTimeInterval(lifetime)
        let user = try await writer.write { db -> User in
            guard let user = try db.user(id: userId) else { throw StoreError.notFound }
            try SessionRecord(
                tokenHash: SecretToken.hash(token), userId: userId, csrfToken: csrf, createdAt: now, expiresAt: expires
            ).insert(db)
            return user
        }
        return (token, SignedInSession(user: user, csrfToken: csrf, expiresAt: expires))
    }

    /// The live session for a cookie token, or nil when unknown or expired.
    public func session(token: String, now: Date) async throws -> SignedInSession? {
        try await writer.read { db in try Self.session(db, token: token, now: now) }
    }

    /// The session of a request and, for a page of an organization (`slug`), its tenant as
    /// `resolveTenantWithMemberships` reads it — in one read, not two (the pages people wait on).
    public func sessionAndTenant(
        token: String, slug: String?, now: Date
    ) async throws -> (SignedInSession, ResolvedTenant?)? {
        try await writer.read { db in
            guard let session = try Self.session(db, token: token, now: now) else { return nil }
            return (session, try slug.flatMap { try Self.resolvedTenant(db, slug: $0, userId: session.user.id) })
        }
    }

    static func session(_ db: StoreConnection, token: String, now: Date) throws -> SignedInSession? {
        guard
            let record = try db.row(
                sql: "SELECT * FROM session WHERE token_hash = ?", arguments: [SecretToken.hash(token)]
            ).map(SessionRecord.init(row:)),
            record.expiresAt > now,
            let user = try db.user(id: record.userId)
        else { return nil }
        return SignedInSession(user: user, csrfToken: record.csrfToken, expiresAt: record.expiresAt)
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

    static func memberships(_ db: StoreConnection, userId: Int64) throws -> [MembershipSummary] {
        try db.rows(
            sql: """
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
