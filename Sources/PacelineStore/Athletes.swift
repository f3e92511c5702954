import Foundation
import GRDB
import PacelineCore

/// An athlete of an organization: the member's name and email with their profile there.
public struct Athlete: Sendable, Hashable, Identifiable {
    public let id: Int64          // athlete_profile id
    public let userId: Int64
    public let name: String
    public let email: String
    public var phone: String
    public var notes: String
    public var units: UnitSystem?
    public var timeZone: String?
    public var maxHR: Int?
    public var restingHR: Int?
    public var vdot: Double?
    public var vdotSource: String?
    public var vdotDate: String?
    public var groups: [GroupSummary]
}

/// The fields a coach edits on an athlete's profile.
public struct AthleteProfileUpdate: Sendable {
    public var phone: String
    public var notes: String
    public var units: UnitSystem?
    public var timeZone: String?
    public var maxHR: Int?
    public var restingHR: Int?

    public init(phone: String, notes: String, units: UnitSystem?, timeZone: String?, maxHR: Int?, restingHR: Int?) {
        self.phone = phone
        self.notes = notes
        self.units = units
        self.timeZone = timeZone
        self.maxHR = maxHR
        self.restingHR = restingHR
    }
}

public struct GroupSummary: Sendable, Hashable, Identifiable {
    public let id: Int64
    public let name: String
    public let memberCount: Int
}

public struct GroupDetail: Sendable, Hashable {
    public let id: Int64
    public let name: String
    public let members: [Athlete]
}

extension AppDatabase {
    static let athleteSelect = """
        SELECT p.*, u.name AS user_name, u.email AS user_email FROM athlete_profile p
        JOIN user u ON u.id = p.user_id
        JOIN membership m ON m.org_id = p.org_id AND m.user_id = p.user_id AND m.role = 'athlete'
        """

    static func athlete(_ row: Row, groups: [GroupSummary] = []) throws -> Athlete {
        let p = try AthleteProfileRecord(row: row)
        return Athlete(id: p.id ?? 0, userId: p.userId, name: row["user_name"], email: row["user_email"], phone: p.phone,
                       notes: p.notes, units: p.units, timeZone: p.timeZone, maxHR: p.maxHr, restingHR: p.restingHr,
                       vdot: p.vdot, vdotSource: p.vdotSource, vdotDate: p.vdotDate, groups: groups)
    }

    /// Athletes of the organization, by name; `search` matches name or email, case-insensitively.
    public func athletes(_ scope: TenantScope, search: String = "") async throws -> [Athlete] {
        try await writer.read { db in
            let pattern = Self.containsPattern(search)
            return try db.rows(sql: Self.athleteSelect + """
                 WHERE p.org_id = ? AND (u.name LIKE ? ESCAPE '\\' OR u.email LIKE ? ESCAPE '\\')
                ORDER BY u.name COLLATE NOCASE, p.id
                """, arguments: [scope.orgId, pattern, pattern]).map { try Self.athlete($0) }
        }
    }

    public func athlete(_ scope: TenantScope, id: Int64) async throws -> Athlete {
        try await writer.read { db in try Self.athlete(db, scope, id: id) }
    }

    static func athlete(_ db: Database, _ scope: TenantScope, id: Int64) throws -> Athlete {
        guard let row = try db.row(sql: Self.athleteSelect + " WHERE p.org_id = ? AND p.id = ?", arguments: [scope.orgId, id]) else {
            throw StoreError.notFound
        }
        let groups = try db.rows(sql: """
            SELECT g.id, g.name, (SELECT COUNT(*) FROM group_member x WHERE x.group_id = g.id) AS n
            FROM athlete_group g JOIN group_member gm ON gm.group_id = g.id
            WHERE gm.athlete_id = ? AND g.org_id = ? ORDER BY g.name COLLATE NOCASE
            """, arguments: [id, scope.orgId]).map { GroupSummary(id: $0["id"], name: $0["name"], memberCount: $0["n"]) }
        return try athlete(row, groups: groups)
    }

    /// The signed-in user's own athlete profile in this organization, if they are an athlete there.
    public func ownAthleteProfile(_ scope: TenantScope) async throws -> Athlete? {
        try await writer.read { db in
            guard let row = try db.row(sql: Self.athleteSelect + " WHERE p.org_id = ? AND p.user_id = ?",
                                             arguments: [scope.orgId, scope.user.id]) else { return nil }
            return try Self.athlete(db, scope, id: row["id"])
        }
    }

    public func updateAthlete(_ scope: TenantScope, id: Int64, _ update: AthleteProfileUpdate, now: Date) async throws {
        try await writer.write { db in
            let athlete = try Self.athlete(db, scope, id: id)
            try db.execute(sql: """
                UPDATE athlete_profile SET phone = ?, notes = ?, units = ?, time_zone = ?, max_hr = ?, resting_hr = ?
                WHERE id = ? AND org_id = ?
                """, arguments: [update.phone, update.notes, update.units, update.timeZone, update.maxHR, update.restingHR, id, scope.orgId])
            try self.audit(db, scope: scope, userId: nil, action: "athlete.updated", detail: athlete.email, now: now)
        }
    }

    // MARK: Groups

    public func groups(_ scope: TenantScope) async throws -> [GroupSummary] {
        try await writer.read { db in
            try db.rows(sql: """
                SELECT g.id, g.name, (SELECT COUNT(*) FROM group_member gm WHERE gm.group_id = g.id) AS n
                FROM athlete_group g WHERE g.org_id = ? ORDER BY g.name COLLATE NOCASE
                """, arguments: [scope.orgId]).map { GroupSummary(id: $0["id"], name: $0["name"], memberCount: $0["n"]) }
        }
    }

    public func group(_ scope: TenantScope, id: Int64) async throws -> GroupDetail {
        try await writer.read { db in
            guard let group = try GroupRecord.scoped(to: scope).filter(Column("id") == id).fetchOne(db) else {
                throw StoreError.notFound
            }
            let members = try db.rows(sql: Self.athleteSelect + """
                 JOIN group_member gm ON gm.athlete_id = p.id WHERE gm.group_id = ? AND p.org_id = ?
                ORDER BY u.name COLLATE NOCASE
                """, arguments: [id, scope.orgId]).map { try Self.athlete($0) }
            return GroupDetail(id: id, name: group.name, members: members)
        }
    }

    public func createGroup(_ scope: TenantScope, name: String, now: Date) async throws -> Int64 {
        try await writer.write { db in
            try Self.requireUniqueGroupName(db, scope, name: name, except: nil)
            try GroupRecord(orgId: scope.orgId, name: name, createdAt: now).insert(db)
            let id = db.lastInsertedRowID
            try self.audit(db, scope: scope, userId: nil, action: "group.created", detail: name, now: now)
            return id
        }
    }

    public func renameGroup(_ scope: TenantScope, id: Int64, name: String, now: Date) async throws {
        try await writer.write { db in
            try Self.requireUniqueGroupName(db, scope, name: name, except: id)
            try db.execute(sql: "UPDATE athlete_group SET name = ? WHERE id = ? AND org_id = ?", arguments: [name, id, scope.orgId])
            guard db.changesCount == 1 else { throw StoreError.notFound }
            try self.audit(db, scope: scope, userId: nil, action: "group.renamed", detail: name, now: now)
        }
    }

    static func requireUniqueGroupName(_ db: Database, _ scope: TenantScope, name: String, except id: Int64?) throws {
        let clash = try Int.fetchOne(db, sql: """
            SELECT 1 FROM athlete_group WHERE org_id = ? AND name = ? COLLATE NOCASE AND id <> ?
            """, arguments: [scope.orgId, name, id ?? -1]) != nil
        if clash { throw StoreError.invalid("A group called “\(name)” exists already.") }
    }

    public func deleteGroup(_ scope: TenantScope, id: Int64, now: Date) async throws {
        try await writer.write { db in
            guard let group = try GroupRecord.scoped(to: scope).filter(Column("id") == id).fetchOne(db) else {
                throw StoreError.notFound
            }
            try db.execute(sql: "DELETE FROM athlete_group WHERE id = ? AND org_id = ?", arguments: [id, scope.orgId])
            try self.audit(db, scope: scope, userId: nil, action: "group.deleted", detail: group.name, now: now)
        }
    }

    public func addToGroup(_ scope: TenantScope, groupId: Int64, athleteId: Int64, now: Date) async throws {
        try await writer.write { db in
            guard let group = try GroupRecord.scoped(to: scope).filter(Column("id") == groupId).fetchOne(db) else {
                throw StoreError.notFound
            }
            let athlete = try Self.athlete(db, scope, id: athleteId)
            try db.execute(sql: """
                INSERT INTO group_member (org_id, group_id, athlete_id, added_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (group_id, athlete_id) DO NOTHING
                """, arguments: [scope.orgId, groupId, athleteId, now])
            try self.audit(db, scope: scope, userId: nil, action: "group.member_added", detail: "\(athlete.email) → \(group.name)", now: now)
        }
    }

    public func removeFromGroup(_ scope: TenantScope, groupId: Int64, athleteId: Int64, now: Date) async throws {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM group_member WHERE org_id = ? AND group_id = ? AND athlete_id = ?",
                           arguments: [scope.orgId, groupId, athleteId])
            guard db.changesCount == 1 else { throw StoreError.notFound }
            try self.audit(db, scope: scope, userId: nil, action: "group.member_removed", detail: "athlete \(athleteId)", now: now)
        }
    }
}

extension AppDatabase {
    /// Group names per athlete id, for the athlete list (one query for the whole page).
    public func groupsByAthlete(_ scope: TenantScope) async throws -> [Int64: [String]] {
        try await writer.read { db in
            var out: [Int64: [String]] = [:]
            for row in try db.rows(sql: """
                SELECT gm.athlete_id, g.name FROM group_member gm JOIN athlete_group g ON g.id = gm.group_id
                WHERE gm.org_id = ? AND g.org_id = ? ORDER BY g.name COLLATE NOCASE
                """, arguments: [scope.orgId, scope.orgId]) {
                out[row["athlete_id"], default: []].append(row["name"])
            }
            return out
        }
    }
}

extension AppDatabase {
    /// Records an athlete's VDOT with the race it came from; their paces and zones follow from it.
    public func setVDOT(_ scope: TenantScope, athleteId: Int64, vdot: Double, source: String, date: String, now: Date) async throws {
        try await writer.write { db in
            let athlete = try Self.athlete(db, scope, id: athleteId)
            try db.execute(sql: "UPDATE athlete_profile SET vdot = ?, vdot_source = ?, vdot_date = ? WHERE id = ? AND org_id = ?",
                           arguments: [vdot, source, date, athleteId, scope.orgId])
            try self.audit(db, scope: scope, userId: nil, action: "athlete.vdot_set",
                           detail: String(format: "%@: VDOT %.1f from %@", athlete.email, vdot, source), now: now)
        }
    }
}
