import Foundation
import Testing
import PacelineCore
@testable import PacelineStore

enum PostgresTestDatabase {
    static let url = ProcessInfo.processInfo.environment["PACELINE_TEST_DATABASE_URL"].flatMap {
        $0.isEmpty ? nil : $0
    }
}

/// Migrations after PostgreSQL's baseline are written for both engines (checked on every run).
struct MigrationTwinTests {
    @Test func everyLaterSQLiteMigrationHasItsPostgreSQLTwin() throws {
        let all = AppDatabase.migrator.migrations
        let baseline = try #require(all.firstIndex(of: PostgresSchema.baseline))
        #expect(Array(all[(baseline + 1)...]) == PostgresSchema.later.map(\.identifier))
    }

    @Test func theBaselineTranslatesEveryTableAndIndex() throws {
        let script = try PostgresSchema.baselineStatements(migrator: AppDatabase.migrator)
        let sqlite = try SQLCompiler.sqliteSchema(migrator: AppDatabase.migrator, upTo: PostgresSchema.baseline)
        #expect(!sqlite.isEmpty)
        for (type, sql) in sqlite {
            // Every table and index is there, under its own name, with no SQLite-only spelling left.
            let name = sql.split(separator: " ")[type == "table" ? 2 : (sql.hasPrefix("CREATE UNIQUE") ? 3 : 2)]
            #expect(script.contains(name.replacingOccurrences(of: "(", with: "")), "\(name)")
        }
        #expect(!script.contains("AUTOINCREMENT") && !script.contains("COLLATE NOCASE") && !script.contains(" BLOB"))
        #expect(!script.contains("REFERENCES user("))
    }
}

/// The PostgreSQL store's own checks, when `PACELINE_TEST_DATABASE_URL` names a database (`make pg-test`).
/// The rest of the store's and web's suites run on it too, each test in a schema of its own.
@Suite(.enabled(if: PostgresTestDatabase.url != nil))
struct PostgresStoreTests {
    static let url = PostgresTestDatabase.url
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let hash = PasswordHasher(cost: 10).hash("paceline-demo")

    /// Two stores on one schema: two app servers on one database.
    func twoServers() async throws -> (AppDatabase, AppDatabase) {
        let schema = "two_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        let url = try #require(Self.url) + "?schema=\(schema)"
        async let a = AppDatabase.connect(postgresURL: url, connections: 4)
        async let b = AppDatabase.connect(postgresURL: url, connections: 4)
        return try await (a, b)
    }

    @Test func theSchemaIsSQLitesColumnForColumnWithTheSameTriggersAndMigrations() async throws {
        let pg = try await AppDatabase.forTesting()
        let sqlite = try AppDatabase.inMemory()
        #expect(pg.engineName == "postgresql")
        #expect(try await pg.tableColumns() == sqlite.tableColumns())
        #expect(try await pg.appliedMigrations() == sqlite.appliedMigrations())
        #expect(try await pg.triggerNames().mapValues(Set.init) == sqlite.triggerNames().mapValues(Set.init))
        #expect(await pg.health() == .ok)
    }

    @Test func twoServersMigratingAtOnceMigrateOnce() async throws {
        let (a, b) = try await twoServers()
        #expect(try await a.appliedMigrations() == AppDatabase.migrator.migrations)
        #expect(try await b.appliedMigrations() == AppDatabase.migrator.migrations)
    }

    @Test func ofManyServersClaimingTheEngineRunOneGetsItUntilItsClaimLapses() async throws {
        let (a, b) = try await twoServers()
        let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
            for i in 0..<24 {
                let store = i.isMultiple(of: 2) ? a : b
                group.addTask {
                    try await store.claimBackgroundWork("engine", holder: "server-\(i)", now: now, lease: 600)
                }
            }
            return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        #expect(winners == 1)
        let holder = try #require(try await a.backgroundWorkHolder("engine", now: now))
        #expect(try await b.backgroundWorkHolder("engine", now: now) == holder)
        // Another server cannot take it while the claim holds; the holder may renew it.
        #expect(try await !b.claimBackgroundWork("engine", holder: "other", now: now + 599, lease: 600))
        #expect(try await a.claimBackgroundWork("engine", holder: holder, now: now + 10, lease: 600))
        // A holder killed mid-run: its claim lapses and another server takes the job.
        #expect(try await b.claimBackgroundWork("engine", holder: "other", now: now + 700, lease: 600))
        // Released, the next run is anyone's.
        try await b.releaseBackgroundWork("engine", holder: "other")
        #expect(try await a.backgroundWorkHolder("engine", now: now + 701) == nil)
    }

    @Test func aWriteOnOneServerIsReadOnTheOtherAndConcurrentWritesAllLand() async throws {
        let (a, b) = try await twoServers()
        _ = try await a.seedDemo(slug: "alpha", athletes: 2, passwordHash: Self.hash, now: now)
        let coach = try #require(try await b.user(email: "coach1@alpha.test"))
        let onA = try #require(try await a.resolveTenant(slug: "alpha", userId: coach.id))
        let onB = try #require(try await b.resolveTenant(slug: "alpha", userId: coach.id))
        let before = try await a.dataVersion(orgId: onA.orgId)
        // 20 groups created at once through both servers: every one lands once, each with its own id.
        let ids = try await withThrowingTaskGroup(of: Int64.self) { group in
            for i in 0..<20 {
                group.addTask {
                    try await (i.isMultiple(of: 2) ? a : b).createGroup(
                        i.isMultiple(of: 2) ? onA : onB, name: "Group \(i)", now: now)
                }
            }
            return try await group.reduce(into: [Int64]()) { $0.append($1) }
        }
        #expect(Set(ids).count == 20)
        let names = try await a.groups(onA).map(\.name).filter { $0.hasPrefix("Group ") }
        #expect(names.count == 20)
        #expect(try await b.dataVersion(orgId: onB.orgId) >= before + 20)
        // The same name twice at once: one group, one refusal (unique per organization, case-blind).
        let results = await withTaskGroup(of: Bool.self) { group in
            for store in [a, b] {
                let scope = store === a ? onA : onB
                group.addTask { (try? await store.createGroup(scope, name: "Tuesday squad", now: now)) != nil }
            }
            return await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        #expect(results == 1)
        await #expect(throws: StoreError.self) { try await b.createGroup(onB, name: "TUESDAY SQUAD", now: now) }
    }

    /// Many athletes of one organization checking in at once through two servers: every check-in lands,
    /// each commit raises the organization's version, and the writes do not all queue on one row
    /// (before the version slots every pair of them conflicted and was retried).
    @Test func concurrentWritesOfOneOrganizationAllLandAndEachRaisesItsVersion() async throws {
        let (a, b) = try await twoServers()
        _ = try await a.seedDemo(slug: "alpha", athletes: 16, passwordHash: Self.hash, now: now)
        let coach = try #require(try await a.user(email: "coach1@alpha.test"))
        let onA = try #require(try await a.resolveTenant(slug: "alpha", userId: coach.id))
        let onB = try #require(try await b.resolveTenant(slug: "alpha", userId: coach.id))
        let athletes = try await a.athletes(onA).map(\.id)
        #expect(athletes.count == 16)
        let before = try await a.dataVersion(orgId: onA.orgId)
        let retriedBefore = a.writeRetries + b.writeRetries
        let days = (0..<4).map { CalendarDate(now.addingTimeInterval(Double($0 - 200) * 86_400), timeZone: .gmt) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, athlete) in athletes.enumerated() {
                for (dayIndex, day) in days.enumerated() {
                    let (store, scope) = (index + dayIndex).isMultiple(of: 2) ? (a, onA) : (b, onB)
                    group.addTask {
                        _ = try await store.saveCheckIns(
                            scope, athleteId: athlete, [CheckIn(date: day, hrvRMSSD: Double(40 + index))],
                            fromCSV: false, now: now)
                    }
                }
            }
            try await group.waitForAll()
        }
        let writes = athletes.count * days.count
        for (index, athlete) in athletes.enumerated() {
            let saved = try await b.checkIns(onB, athleteId: athlete, from: days[0], to: days[3])
            #expect(saved.map(\.date) == days && saved.allSatisfy { $0.hrvRMSSD == Double(40 + index) })
        }
        // One raise per committed transaction, none lost to a concurrent one.
        #expect(try await b.dataVersion(orgId: onB.orgId) == before + Int64(writes))
        let retried = a.writeRetries + b.writeRetries - retriedBefore
        #expect(retried < writes, "\(retried) retries for \(writes) writes")
    }

    /// The version is a sum, not the newest of numbers handed out: a transaction that began first and
    /// commits last still moves it, so no page is cached under a version that lacks a commit.
    @Test func aCommitAfterALaterOneStillRaisesTheVersion() async throws {
        let (a, b) = try await twoServers()
        _ = try await a.seedDemo(slug: "alpha", athletes: 1, passwordHash: Self.hash, now: now)
        let coach = try #require(try await a.user(email: "coach1@alpha.test"))
        let scope = try #require(try await a.resolveTenant(slug: "alpha", userId: coach.id))
        let (written, release) = (DispatchSemaphore(value: 0), DispatchSemaphore(value: 0))
        let slow = Task {
            try await a.writer.write { db in
                try db.execute(
                    sql: "UPDATE organization SET name = 'Alpha (slow)' WHERE id = ?", arguments: [scope.orgId])
                written.signal()
                release.wait()
                release.signal()  // a retried try does not wait again
            }
        }
        await Task.detached { written.wait() }.value
        _ = try await b.createGroup(scope, name: "Quick", now: now)
        let afterQuick = try await b.dataVersion(orgId: scope.orgId)
        release.signal()
        try await slow.value
        #expect(try await b.dataVersion(orgId: scope.orgId) > afterQuick)
    }

    /// 40 requests with one API token at once through two servers: each counted once, none refused
    /// for contention, the limit still exact.
    @Test func oneTokensConcurrentUsesAreEachCountedOnce() async throws {
        let (a, b) = try await twoServers()
        _ = try await a.seedDemo(slug: "alpha", athletes: 1, passwordHash: Self.hash, now: now)
        let coach = try #require(try await a.user(email: "coach1@alpha.test"))
        let (_, secret) = try await a.createAPIToken(
            userId: coach.id, organizationSlug: "alpha", name: "watch", scope: .read, expiresAt: nil, now: now)
        let retriedBefore = a.writeRetries + b.writeRetries
        let granted = try await withThrowingTaskGroup(of: Int?.self) { group in
            for i in 0..<40 {
                group.addTask {
                    let answer = try await (i.isMultiple(of: 2) ? a : b).authenticateAPIToken(
                        secret, now: now.addingTimeInterval(Double(i) / 100), perMinute: 30)
                    if case .granted(_, _, let remaining, _, _) = answer { return remaining }
                    return nil
                }
            }
            return try await group.reduce(into: [Int]()) { if let left = $1 { $0.append(left) } }
        }
        // The minute allows 30: exactly 30 granted, each with its own place in the count.
        #expect(granted.count == 30)
        #expect(Set(granted) == Set(0..<30))
        #expect(a.writeRetries + b.writeRetries == retriedBefore)
    }

    @Test func aDatabaseMovesToPostgreSQLAndBackRowForRow() async throws {
        let sqlite = try AppDatabase.inMemory()
        _ = try await sqlite.seedDemo(slug: "alpha", athletes: 3, passwordHash: Self.hash, now: now)
        _ = try await sqlite.seedDemo(slug: "beta", athletes: 2, passwordHash: Self.hash, now: now)
        let pg = try await AppDatabase.forTesting()
        let copied = try await sqlite.copyAll(to: pg)
        #expect((copied["activity"] ?? 0) > 0 && (copied["scheduled_workout"] ?? 0) > 0 && (copied["user"] ?? 0) > 0)
        #expect(try await sqlite.differences(from: pg).isEmpty)
        #expect(try await sqlite.contentSnapshot() == pg.contentSnapshot())
        // And back to a new SQLite database.
        let back = try AppDatabase.inMemory()
        _ = try await pg.copyAll(to: back)
        #expect(try await pg.differences(from: back).isEmpty)
        // The copy works: a coach signs in to the same organization, reads the same athletes, and a
        // new row gets an id after the copied ones.
        let coach = try #require(try await pg.user(email: "coach1@alpha.test"))
        let scope = try #require(try await pg.resolveTenant(slug: "alpha", userId: coach.id))
        let original = try #require(try await sqlite.resolveTenant(slug: "alpha", userId: coach.id))
        #expect(try await pg.athletes(scope).map(\.id) == sqlite.athletes(original).map(\.id))
        let maxGroup = try await sqlite.groups(original).map(\.id).max() ?? 0
        #expect(try await pg.createGroup(scope, name: "After the move", now: now) > maxGroup)
        // A copy into a database that has rows is refused, and a difference is found.
        await #expect(throws: OperationError.self) { _ = try await sqlite.copyAll(to: pg) }
        #expect(try await sqlite.differences(from: pg).keys.contains("athlete_group"))
    }
}
