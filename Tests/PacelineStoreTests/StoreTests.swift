import Foundation
import Testing
@testable import PacelineCore
@testable import PacelineStore

struct StoreTests {
    let db: AppDatabase
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let hash = PasswordHasher(cost: 10).hash("paceline-demo")

    init() async throws { db = try await AppDatabase.forTesting() }

    func seed(_ slug: String, athletes: Int = 3) async throws -> DemoSummary {
        try await db.seedDemo(slug: slug, athletes: athletes, passwordHash: Self.hash, now: now)
    }

    func scope(_ slug: String, _ email: String) async throws -> TenantScope {
        let user = try #require(try await db.user(email: email))
        return try #require(try await db.resolveTenant(slug: slug, userId: user.id))
    }

    @Test func everyTenantTableHasOrgId() async throws {
        let tables = try await db.tableColumns()
        #expect(tables.count >= 10)
        for (table, columns) in tables where !AppDatabase.globalTables.contains(table) {
            #expect(columns.contains("org_id"), "table \(table) holds tenant data but has no org_id")
        }
    }

    @Test func migrationsAreRecorded() async throws {
        let applied = try await db.appliedMigrations()
        #expect(Array(applied.prefix(3)) == ["v1-accounts-organizations", "v2-workout-library", "v3-plan-templates"])
    }

    @Test func aDatabaseFileSyncsEveryCommit() async throws {
        // WAL with synchronous=FULL: an acknowledged commit survives power loss (NORMAL may lose the last ones).
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("paceline-sync-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try AppDatabase.open(path: folder.appendingPathComponent("db.sqlite").path)
        let (mode, journal) = try await file.writer.read { db in
            (try Int.fetchOne(db, sql: "PRAGMA synchronous"), try String.fetchOne(db, sql: "PRAGMA journal_mode"))
        }
        #expect(mode == 2, "synchronous is \(String(describing: mode)), not FULL (2)")
        #expect(journal == "wal")
        let written = try await file.writer.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        #expect(written == 2)
        // An API token's use is counted without a flush of its own — and every other commit flushes still.
        _ = try await file.seedDemo(slug: "sync", athletes: 1, passwordHash: Self.hash, now: now)
        let coach = try #require(try await file.user(email: "coach1@sync.test"))
        let (_, secret) = try await file.createAPIToken(
            userId: coach.id, organizationSlug: "sync", name: "t", scope: .read, expiresAt: nil, now: now)
        let use = try await file.authenticateAPIToken(secret, now: now, perMinute: 10)
        guard case .granted = use else { Issue.record("the token was refused: \(use)"); return }
        let after = try await file.writer.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        #expect(after == 2, "a commit after the token's use would not be flushed")
    }

    /// A token's minute holds its limit whatever order its requests' clocks arrive in: a request stamped
    /// a moment before the one that opened the window counts in it (it used to open a new one and let a
    /// burst through), a minute later a new window opens, and a clock set back an hour starts afresh.
    @Test func aTokensMinuteHoldsItsLimitWhateverTheOrderOfItsRequests() async throws {
        _ = try await seed("alpha", athletes: 1)
        let coach = try #require(try await db.user(email: "coach1@alpha.test"))
        let (_, secret) = try await db.createAPIToken(
            userId: coach.id, organizationSlug: "alpha", name: "t", scope: .read, expiresAt: nil, now: now)
        func use(_ seconds: Double) async throws -> String {
            switch try await db.authenticateAPIToken(secret, now: now + seconds, perMinute: 3) {
            case .granted(_, _, let remaining, _, _): return "left \(remaining)"
            case .limited(let retryAfter, _): return "wait \(retryAfter)"
            case .refused: return "refused"
            }
        }
        #expect(try await use(1) == "left 2")
        #expect(try await use(0) == "left 1")
        #expect(try await use(0.5) == "left 0")
        #expect(try await use(2) == "wait 59")
        #expect(try await use(61.5) == "left 2")
        #expect(try await use(-3600) == "left 2")
        #expect(try await use(-3599) == "left 1")
    }

    @Test func tenantIsResolvedOnlyThroughMembership() async throws {
        _ = try await seed("alpha")
        _ = try await seed("beta")
        let alphaAdmin = try #require(try await db.user(email: "admin@alpha.test"))
        #expect(try await db.resolveTenant(slug: "alpha", userId: alphaAdmin.id)?.role == .admin)
        #expect(try await db.resolveTenant(slug: "beta", userId: alphaAdmin.id) == nil)
        #expect(try await db.resolveTenant(slug: "nowhere", userId: alphaAdmin.id) == nil)
    }

    @Test func scopedQueriesNeverReturnAnotherOrganizationsRows() async throws {
        _ = try await seed("alpha")
        _ = try await seed("beta")
        let alpha = try await scope("alpha", "admin@alpha.test")
        let beta = try await scope("beta", "admin@beta.test")
        let alphaAthletes = try await db.athletes(alpha)
        let alphaGroups = try await db.groups(alpha)
        #expect(alphaAthletes.count == 3 && alphaGroups.count == 3)
        for athlete in alphaAthletes {
            await #expect(throws: StoreError.notFound) { try await db.athlete(beta, id: athlete.id) }
        }
        for group in alphaGroups {
            await #expect(throws: StoreError.notFound) { try await db.group(beta, id: group.id) }
            await #expect(throws: StoreError.notFound) { try await db.deleteGroup(beta, id: group.id, now: now) }
            await #expect(throws: StoreError.notFound) {
                try await db.addToGroup(beta, groupId: group.id, athleteId: alphaAthletes[0].id, now: now)
            }
        }
        let betaGroup = try #require(try await db.groups(beta).first)
        await #expect(throws: StoreError.notFound) {
            try await db.addToGroup(beta, groupId: betaGroup.id, athleteId: alphaAthletes[0].id, now: now)
        }
        for member in try await db.members(alpha) {
            await #expect(throws: StoreError.notFound) {
                try await db.changeRole(beta, memberId: member.id, to: .athlete, now: now)
            }
            await #expect(throws: StoreError.notFound) {
                try await db.removeMember(beta, memberId: member.id, now: now)
            }
        }
        #expect(try await db.athletes(beta, search: "athlete").allSatisfy { $0.email.hasSuffix("@beta.test") })
    }

    @Test func lastAdminCannotBeRemovedOrDemoted() async throws {
        _ = try await seed("alpha")
        let alpha = try await scope("alpha", "admin@alpha.test")
        let admin = try #require(try await db.members(alpha).first { $0.role == .admin })
        await #expect(throws: StoreError.self) {
            try await db.changeRole(alpha, memberId: admin.id, to: .coach, now: now)
        }
        await #expect(throws: StoreError.self) { try await db.removeMember(alpha, memberId: admin.id, now: now) }
        let coach = try #require(try await db.members(alpha).first { $0.role == .coach })
        try await db.changeRole(alpha, memberId: coach.id, to: .admin, now: now)
        try await db.changeRole(alpha, memberId: admin.id, to: .coach, now: now)
        #expect(try await db.members(alpha).filter { $0.role == .admin }.map(\.id) == [coach.id])
    }

    @Test func invitationLifecycle() async throws {
        _ = try await seed("alpha")
        let alpha = try await scope("alpha", "admin@alpha.test")
        let (invitation, token) = try await db.invite(alpha, email: "new@runner.test", role: .athlete, now: now)
        #expect(invitation.state(now: now) == .pending)
        #expect(try await db.invitationPreview(token: token, now: now)?.email == "new@runner.test")
        // Expired after 7 days.
        #expect(try await db.invitationPreview(token: token, now: now.addingTimeInterval(7 * 86_400 + 1)) == nil)
        let (org, user) = try await db.acceptInvitation(
            token: token, userId: nil, newAccount: ("New Runner", Self.hash), now: now)
        #expect(org.slug == "alpha" && user.email == "new@runner.test")
        #expect(try await db.athletes(alpha).contains { $0.email == "new@runner.test" })
        // Single use.
        await #expect(throws: StoreError.self) {
            try await db.acceptInvitation(token: token, userId: nil, newAccount: ("Again", Self.hash), now: now)
        }
        // Revoked links stop working.
        let (second, token2) = try await db.invite(alpha, email: "other@runner.test", role: .coach, now: now)
        try await db.revokeInvitation(alpha, id: second.id, now: now)
        #expect(try await db.invitationPreview(token: token2, now: now) == nil)
        await #expect(throws: StoreError.self) {
            try await db.invite(alpha, email: "admin@alpha.test", role: .coach, now: now)
        }
    }

    @Test func sessionsExpireAndPasswordChangeEndsOthers() async throws {
        _ = try await seed("alpha")
        let user = try #require(try await db.user(email: "coach1@alpha.test"))
        let (a, _) = try await db.createSession(userId: user.id, lifetime: 3600, now: now)
        let (b, _) = try await db.createSession(userId: user.id, lifetime: 3600, now: now)
        #expect(try await db.session(token: a, now: now) != nil)
        #expect(try await db.session(token: a, now: now.addingTimeInterval(3601)) == nil)
        try await db.setPassword(userId: user.id, passwordHash: Self.hash, keepSessionToken: a, now: now)
        #expect(try await db.session(token: a, now: now) != nil)
        #expect(try await db.session(token: b, now: now) == nil)
        #expect(try await db.deleteExpiredSessions(now: now.addingTimeInterval(7200)) == 1)
    }

    @Test func demoSeedingIsIdempotentAndSeparatePerSlug() async throws {
        let first = try await seed("alpha", athletes: 12)
        #expect(first.created && first.logins.count == 15)
        let again = try await seed("alpha", athletes: 12)
        #expect(!again.created)
        let alpha = try await scope("alpha", "coach2@alpha.test")
        #expect(try await db.athletes(alpha).count == 12)
        #expect(try await db.groups(alpha).map(\.memberCount) == [4, 4, 4])
    }

    @Test func groupNamesAreUniquePerOrganization() async throws {
        _ = try await seed("alpha")
        _ = try await seed("beta")
        let alpha = try await scope("alpha", "admin@alpha.test")
        let beta = try await scope("beta", "admin@beta.test")
        await #expect(throws: StoreError.self) { try await db.createGroup(alpha, name: "track GROUP", now: now) }
        _ = try await db.createGroup(beta, name: "Hill club", now: now)
        _ = try await db.createGroup(alpha, name: "Hill club", now: now)
    }
}
