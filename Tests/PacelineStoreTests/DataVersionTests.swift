import Foundation
import Testing
@testable import PacelineCore
@testable import PacelineStore

/// Issue 20: `organization.data_version`, the key of every cached page, moves with every change to the
/// organization's rows — by trigger, so no write path can forget it — and with nothing else.
struct DataVersionTests {
    let db: AppDatabase
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    init() async throws { db = try await AppDatabase.forTesting() }

    func seed(_ slug: String) async throws -> DemoSummary {
        try await db.seedDemo(slug: slug, athletes: 3, passwordHash: StoreTests.hash, now: now)
    }

    func scope(_ slug: String, _ email: String) async throws -> TenantScope {
        let user = try #require(try await db.user(email: email))
        return try #require(try await db.resolveTenant(slug: slug, userId: user.id))
    }

    @Test func everyTenantTableRaisesItsOrganizationsVersion() async throws {
        let tables = try await db.tableColumns()
        let triggers = try await db.triggerNames()
        for (table, columns) in tables where columns.contains("org_id") {
            let names = Set(triggers[table] ?? [])
            for event in ["insert", "update", "delete"] {
                #expect(names.contains("\(table)_version_\(event)"), "\(table) has no \(event) trigger")
            }
        }
        #expect(triggers["user"]?.contains("user_data_version") == true)
        #expect(triggers["organization"]?.contains("organization_data_version") == true)
    }

    @Test func aWriteRaisesOnlyItsOwnOrganizationsVersion() async throws {
        _ = try await seed("alpha")
        _ = try await seed("beta")
        let alpha = try await scope("alpha", "coach1@alpha.test")
        let beta = try await scope("beta", "coach1@beta.test")
        let athlete = try #require(try await db.athletes(alpha).first)
        let (alphaBefore, betaBefore) = (
            try await db.dataVersion(orgId: alpha.organization.id),
            try await db.dataVersion(orgId: beta.organization.id)
        )
        try await db.saveCheckIns(
            alpha, athleteId: athlete.id, [CheckIn(date: CalendarDate(now, timeZone: .gmt), hrvRMSSD: 61)],
            fromCSV: false, now: now)
        let alphaAfter = try await db.dataVersion(orgId: alpha.organization.id)
        #expect(alphaAfter > alphaBefore)
        #expect(try await db.dataVersion(orgId: beta.organization.id) == betaBefore)
        // Saving the same again is still a write (an update): the version moves again.
        try await db.saveCheckIns(
            alpha, athleteId: athlete.id, [CheckIn(date: CalendarDate(now, timeZone: .gmt), hrvRMSSD: 62)],
            fromCSV: false, now: now)
        #expect(try await db.dataVersion(orgId: alpha.organization.id) > alphaAfter)
        // Reading changes nothing.
        let read = try await db.dataVersion(orgId: alpha.organization.id)
        _ = try await db.triage(alpha, today: CalendarDate(now, timeZone: .gmt))
        _ = try await db.athleteHome(try await scope("alpha", athlete.email), now: now, days: 7)
        #expect(try await db.dataVersion(orgId: alpha.organization.id) == read)
    }

    @Test func aPersonsNewNameRaisesEachOfTheirOrganizations() async throws {
        _ = try await seed("alpha")
        _ = try await seed("beta")
        let alpha = try await scope("alpha", "admin@alpha.test")
        let beta = try await scope("beta", "admin@beta.test")
        let athlete = try #require(try await db.athletes(alpha).first)
        let before = (
            try await db.dataVersion(orgId: alpha.organization.id),
            try await db.dataVersion(orgId: beta.organization.id)
        )
        try await db.updateName(userId: athlete.userId, name: "Renamed Runner")
        #expect(try await db.dataVersion(orgId: alpha.organization.id) > before.0)
        #expect(try await db.dataVersion(orgId: beta.organization.id) == before.1)
    }

    @Test func anAPITokensUseIsNotAChange() async throws {
        _ = try await seed("alpha")
        let alpha = try await scope("alpha", "coach1@alpha.test")
        let (_, secret) = try await db.createAPIToken(
            userId: alpha.user.id, organizationSlug: "alpha", name: "watch", scope: .read, expiresAt: nil, now: now)
        let before = try await db.dataVersion(orgId: alpha.organization.id)
        for second in 0..<3 {
            _ = try await db.authenticateAPIToken(secret, now: now.addingTimeInterval(Double(second)), perMinute: 100)
        }
        #expect(try await db.dataVersion(orgId: alpha.organization.id) == before)
    }
}
