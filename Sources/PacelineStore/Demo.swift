import Foundation
import GRDB
import PacelineCore

/// What `paceline demo` created, for printing.
public struct DemoSummary: Sendable {
    public let organization: Organization
    public let logins: [(email: String, role: Role)]
    public let groups: [String]
    public let created: Bool
}

extension AppDatabase {
    public static let demoPassword = "paceline-demo"
    public static let demoGroupNames = ["Marathon squad", "5K beginners", "Track group"]

    /// Seeds an organization with the given slug: `admin@{slug}.test`, `coach1@…`, `coach2@…` and
    /// `athlete1@…` … `athleteN@…`, spread over three groups. Does nothing if the slug exists.
    public func seedDemo(slug: String, athletes count: Int, passwordHash: String, now: Date) async throws -> DemoSummary {
        try await writer.write { db in
            let domain = "\(slug).test"
            if let existing = try Organization.filter(Column("slug") == slug).fetchOne(db) {
                return DemoSummary(organization: existing, logins: [], groups: [], created: false)
            }
            let org = try Self.insertOrganization(db, name: "\(slug.prefix(1).uppercased() + slug.dropFirst()) Running Club", slug: slug, now: now)
            var logins: [(String, Role)] = []
            func add(_ local: String, _ name: String, _ role: Role) throws -> Int64 {
                let email = "\(local)@\(domain)"
                let user: User
                if let existing = try User.filter(Column("email") == email).fetchOne(db) {
                    user = existing
                } else {
                    user = try Self.insertUser(db, email: email, name: name, passwordHash: passwordHash, now: now)
                }
                try Self.addMembership(db, orgId: org.id, userId: user.id, role: role, now: now)
                logins.append((email, role))
                return user.id
            }
            _ = try add("admin", "Alex Admin", .admin)
            _ = try add("coach1", "Casey Coach", .coach)
            _ = try add("coach2", "Jordan Coach", .coach)
            var groupIds: [Int64] = []
            for name in Self.demoGroupNames {
                try GroupRecord(orgId: org.id, name: name, createdAt: now).insert(db)
                groupIds.append(db.lastInsertedRowID)
            }
            let firstNames = ["Sam", "Robin", "Kim", "Lee", "Noa", "Eli", "Ari", "Mika", "Jo", "Pat", "Dani", "Rene"]
            let lastNames = ["Okafor", "Lindqvist", "Moreau", "Tanaka", "Silva", "Novak", "Haddad", "Kowalski"]
            for i in 1...max(count, 0) where count > 0 {
                let name = "\(firstNames[(i - 1) % firstNames.count]) \(lastNames[(i - 1) / firstNames.count % lastNames.count])"
                let userId = try add("athlete\(i)", name, .athlete)
                guard let profileId = try Int64.fetchOne(db, sql: "SELECT id FROM athlete_profile WHERE org_id = ? AND user_id = ?",
                                                         arguments: [org.id, userId]) else { continue }
                // A plausible spread of fitness: VDOT 32–58.
                let vdot = 32.0 + Double((i * 7) % 27)
                try db.execute(sql: "UPDATE athlete_profile SET vdot = ?, vdot_source = 'demo estimate', max_hr = ?, resting_hr = ? WHERE id = ?",
                               arguments: [vdot, 175 + i % 20, 45 + i % 15, profileId])
                let group = groupIds[(i - 1) % groupIds.count]
                try db.execute(sql: "INSERT INTO group_member (org_id, group_id, athlete_id, added_at) VALUES (?, ?, ?, ?)",
                               arguments: [org.id, group, profileId, now])
            }
            _ = try Self.addStarterWorkouts(db, orgId: org.id, createdBy: nil, now: now)
            try self.audit(db, scope: nil, userId: nil, action: "demo.seeded", detail: slug, now: now)
            return DemoSummary(organization: org, logins: logins, groups: Self.demoGroupNames, created: true)
        }
    }
}
