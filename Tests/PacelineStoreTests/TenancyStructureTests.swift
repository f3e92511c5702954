import Foundation
import GRDB
import Testing
@testable import PacelineCore
@testable import PacelineStore

/// The shape that keeps tenants apart: every table with an organization column has a record type
/// whose requests go through `scoped(to:)`, and the store writes to tenant tables only through
/// those requests (never a hand-written UPDATE or DELETE that could forget the organization).
struct TenancyStructureTests {
    static let storeSources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/PacelineStore")

    func tablesWithOrganization(_ db: AppDatabase) async throws -> Set<String> {
        Set(try await db.tableColumns().filter { $0.value.contains("org_id") }.keys)
            .subtracting(AppDatabase.systemTablesWithOrganization)
    }

    @Test func everyTableWithAnOrganizationHasATenantRecord() async throws {
        let db = try await AppDatabase.forTesting()
        let expected = try await tablesWithOrganization(db)
        let records = Set(AppDatabase.tenantRecords.map { $0.databaseTableName })
        #expect(expected.count >= 20)
        let missing = expected.subtracting(records), extra = records.subtracting(expected)
        #expect(
            records == expected, "tables with org_id but no TenantRecord: \(missing); records of other tables: \(extra)"
        )
    }

    @Test func theStoreWritesTenantTablesOnlyThroughScopedRequests() async throws {
        let db = try await AppDatabase.forTesting()
        let tenantTables = try await tablesWithOrganization(db)
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.storeSources.path)
            .filter { $0.hasSuffix(".swift") && $0 != "Schema.swift" }
        #expect(files.count > 10)
        var offenders: [String] = []
        for file in files {
            let text = try String(contentsOf: Self.storeSources.appendingPathComponent(file), encoding: .utf8)
            for table in tenantTables {
                for statement in ["UPDATE \(table) ", "DELETE FROM \(table) ", "INSERT INTO \(table) "]
                where text.range(of: statement, options: .caseInsensitive) != nil {
                    offenders.append("\(file): \(statement)")
                }
            }
            // The organization is bound by `TenantScope.owns` and `scoped(to:)`, never written by hand.
            if file != "Tenant.swift", text.contains("org_id = ?") { offenders.append("\(file): org_id = ?") }
        }
        #expect(offenders.isEmpty, "hand-written tenant SQL: \(offenders)")
    }

    @Test func aScopedRequestSeesOnlyItsOrganization() async throws {
        let db = try await AppDatabase.forTesting()
        let hash = PasswordHasher(cost: 10).hash("paceline-demo")
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        _ = try await db.seedDemo(slug: "alpha", athletes: 3, passwordHash: hash, now: now)
        _ = try await db.seedDemo(slug: "beta", athletes: 2, passwordHash: hash, now: now)
        let user = try #require(try await db.user(email: "coach1@alpha.test"))
        let alpha = try #require(try await db.resolveTenant(slug: "alpha", userId: user.id))
        let (mine, all) = try await db.writer.read { db in
            (
                try ActivityRecord.scoped(to: alpha).fetchCount(db)
                    + ScheduledWorkoutRecord.scoped(to: alpha).fetchCount(db),
                try ActivityRecord.fetchCount(db) + ScheduledWorkoutRecord.fetchCount(db)
            )
        }
        #expect(mine > 0 && mine < all)
        let others = try await db.writer.read { db in
            try ScheduledWorkoutRecord.scoped(to: alpha).filter(Column("org_id") != alpha.orgId).fetchCount(db)
        }
        #expect(others == 0)
    }
}
