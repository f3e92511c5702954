import Foundation
import GRDB
import PacelineCore

/// An athlete of an organization: the member's name and email with their profile there.
public struct Athlete: Sendable, Hashable, Identifiable {
    public let id: Int64  // athlete_profile id
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
    /// FTP, threshold heart rates and CSS with their days (newest first); read with one athlete only.
    public var thresholdHistory: [ThresholdEntry] = []

    /// The thresholds valid on a day.
    public func thresholds(on day: CalendarDate) -> SportThresholds {
        SportThresholds(history: thresholdHistory, on: day)
    }
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
    /// Athletes of the organization (profiles of members with the athlete role) with their name
    /// and email, where `condition`.
    static func athleteSQL(_ scope: TenantScope, where condition: SQL) -> SQL {
        """
        SELECT p.*, u.name AS user_name, u.email AS user_email FROM athlete_profile p
        JOIN user u ON u.id = p.user_id
        JOIN membership m ON m.org_id = p.org_id AND m.user_id = p.user_id AND m.role = 'athlete'
        WHERE \(scope.owns("p")) AND \(condition)
        """
    }

    static func athlete(_ row: Row, groups: [GroupSummary] = []) throws -> Athlete {
        let p = try AthleteProfileRecord(row: row)
        return Athlete(
            id: p.id ?? 0, userId: p.userId, name: row["user_name"], email: row["user_email"], phone: p.phone,
            notes: p.notes, units: p.units, timeZone: p.timeZone, maxHR: p.maxHr, restingHR: p.restingHr,
            vdot: p.vdot, vdotSource: p.vdotSource, vdotDate: p.vdotDate, groups: groups)
    }

    /// Athletes of the organization, by name; `search` matches name or email, case-insensitively.
    public func athletes(_ scope: TenantScope, search: String = "") async throws -> [Athlete] {
        try await writer.read { db in
            let pattern = Self.containsPattern(search)
            let matching: SQL = "(u.name LIKE \(pattern) ESCAPE '\\' OR u.email LIKE \(pattern) ESCAPE '\\')"
            return try db.rows(Self.athleteSQL(scope, where: matching) + " ORDER BY u.name COLLATE NOCASE, p.id")
                .map { try Self.athlete($0) }
        }
    }

    public func athlete(_ scope: TenantScope, id: Int64) async throws -> Athlete {
        try await writer.read { db in try Self.athlete(db, scope, id: id) }
    }

    static func athlete(_ db: StoreConnection, _ scope: TenantScope, id: Int64) throws -> Athlete {
        guard let athlete = try athlete(db, scope, where: "p.id = \(id)") else { throw StoreError.notFound }
        return athlete
    }

    /// Who the athlete is (their user and name), without reading them whole: what a notification says.
    static func athletePerson(
        _ db: StoreConnection, _ scope: TenantScope, id: Int64
    ) throws -> (userId: Int64, name: String) {
        guard
            let row = try db.row(
                """
                SELECT p.user_id, u.name FROM athlete_profile p JOIN user u ON u.id = p.user_id
                WHERE \(scope.owns("p")) AND p.id = \(id)
                """)
        else { throw StoreError.notFound }
        return (row["user_id"], row["name"])
    }

    /// That the athlete is this organization's (else `notFound`), without reading them whole: the
    /// check a write makes before saving their data, inside the one writer.
    static func requireAthlete(_ db: StoreConnection, _ scope: TenantScope, id: Int64) throws {
        guard try db.row("SELECT 1 FROM athlete_profile p WHERE \(scope.owns("p")) AND p.id = \(id)") != nil else {
            throw StoreError.notFound
        }
    }

    /// The athlete `condition` names, with their groups and thresholds (three reads).
    static func athlete(_ db: StoreConnection, _ scope: TenantScope, where condition: SQL) throws -> Athlete? {
        guard let row = try db.row(athleteSQL(scope, where: condition)) else { return nil }
        let id: Int64 = row["id"]
        let groups = try db.rows(
            """
            SELECT g.id, g.name, (SELECT COUNT(*) FROM group_member x WHERE x.group_id = g.id) AS n
            FROM athlete_group g JOIN group_member gm ON gm.group_id = g.id
            WHERE \(scope.owns("g")) AND gm.athlete_id = \(id) ORDER BY g.name COLLATE NOCASE
            """
        ).map { GroupSummary(id: $0["id"], name: $0["name"], memberCount: $0["n"]) }
        var athlete = try athlete(row, groups: groups)
        athlete.thresholdHistory = try thresholds(db, scope, athleteId: id).map(\.entry)
        return athlete
    }

    /// The signed-in user's own athlete profile in this organization, if they are an athlete there.
    public func ownAthleteProfile(_ scope: TenantScope) async throws -> Athlete? {
        try await writer.read { db in
            try Self.athlete(db, scope, where: "p.user_id = \(scope.user.id)")
        }
    }

    public func updateAthlete(_ scope: TenantScope, id: Int64, _ update: AthleteProfileUpdate, now: Date) async throws {
        try await writer.write { db in
            let athlete = try Self.athlete(db, scope, id: id)
            try AthleteProfileRecord.scoped(to: scope).filter(key: id).updateAll(
                db, Column("phone").set(to: update.phone), Column("notes").set(to: update.notes),
                Column("units").set(to: update.units), Column("time_zone").set(to: update.timeZone),
                Column("max_hr").set(to: update.maxHR), Column("resting_hr").set(to: update.restingHR))
            try self.audit(db, scope: scope, userId: nil, action: "athlete.updated", detail: athlete.email, now: now)
        }
    }

    // MARK: Groups

    public func groups(_ scope: TenantScope) async throws -> [GroupSummary] {
        try await writer.read { db in
            try db.rows(
                """
                SELECT g.id, g.name, (SELECT COUNT(*) FROM group_member gm WHERE gm.group_id = g.id) AS n
                FROM athlete_group g WHERE \(scope.owns("g")) ORDER BY g.name COLLATE NOCASE
                """
            ).map { GroupSummary(id: $0["id"], name: $0["name"], memberCount: $0["n"]) }
        }
    }

    public func group(_ scope: TenantScope, id: Int64) async throws -> GroupDetail {
        try await writer.read { db in
            guard let group = try GroupRecord.scoped(to: scope).filter(Column("id") == id).fetchOne(db) else {
                throw StoreError.notFound
            }
            let inGroup: SQL = "p.id IN (SELECT gm.athlete_id FROM group_member gm WHERE gm.group_id = \(id))"
            let members = try db.rows(Self.athleteSQL(scope, where: inGroup) + " ORDER BY u.name COLLATE NOCASE")
                .map { try Self.athlete($0) }
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
            guard try GroupRecord.scoped(to: scope).filter(key: id).updateAll(db, Column("name").set(to: name)) == 1
            else {
                throw StoreError.notFound
            }
            try self.audit(db, scope: scope, userId: nil, action: "group.renamed", detail: name, now: now)
        }
    }

    static func requireUniqueGroupName(
        _ db: StoreConnection, _ scope: TenantScope, name: String, except id: Int64?
    ) throws {
        let clash =
            try GroupRecord.scoped(to: scope)
            .filter(Column("name").collating(.nocase) == name && Column("id") != (id ?? -1)).fetchCount(db) > 0
        if clash { throw StoreError.invalid("A group called “\(name)” exists already.") }
    }

    public func deleteGroup(_ scope: TenantScope, id: Int64, now: Date) async throws {
        try await writer.write { db in
            guard let group = try GroupRecord.scoped(to: scope).filter(key: id).fetchOne(db) else {
                throw StoreError.notFound
            }
            try GroupRecord.scoped(to: scope).filter(key: id).deleteAll(db)
            try self.audit(db, scope: scope, userId: nil, action: "group.deleted", detail: group.name, now: now)
        }
    }

    public func addToGroup(_ scope: TenantScope, groupId: Int64, athleteId: Int64, now: Date) async throws {
        try await writer.write { db in
            guard let group = try GroupRecord.scoped(to: scope).filter(Column("id") == groupId).fetchOne(db) else {
                throw StoreError.notFound
            }
            let athlete = try Self.athlete(db, scope, id: athleteId)
            // Adding someone already in the group changes nothing.
            try GroupMemberRecord(orgId: scope.orgId, groupId: groupId, athleteId: athleteId, addedAt: now)
                .insertUnlessPresent(db)
            try self.audit(
                db, scope: scope, userId: nil, action: "group.member_added",
                detail: "\(athlete.email) → "
                    + "\(group.name)",
                now: now)
        }
    }

    public func removeFromGroup(_ scope: TenantScope, groupId: Int64, athleteId: Int64, now: Date) async throws {
        try await writer.write { db in
            let removed = try GroupMemberRecord.scoped(to: scope)
                .filter(Column("group_id") == groupId && Column("athlete_id") == athleteId).deleteAll(db)
            guard removed == 1 else { throw StoreError.notFound }
            try self.audit(
                db, scope: scope, userId: nil, action: "group.member_removed", detail: "athlete \(athleteId)", now: now)
        }
    }
}

extension AppDatabase {
    /// Group names per athlete id, for the athlete list (one query for the whole page).
    public func groupsByAthlete(_ scope: TenantScope) async throws -> [Int64: [String]] {
        try await writer.read { db in
            var out: [Int64: [String]] = [:]
            for row in try db.rows(
                """
                SELECT gm.athlete_id, g.name FROM group_member gm JOIN athlete_group g ON g.id = gm.group_id
                WHERE \(scope.owns("gm")) AND \(scope.owns("g")) ORDER BY g.name COLLATE NOCASE
                """)
            {
                out[row["athlete_id"], default: []].append(row["name"])
            }
            return out
        }
    }
}

extension AppDatabase {
    /// Records an athlete's VDOT with the race it came from; their paces and zones follow from it.
    public func setVDOT(
        _ scope: TenantScope, athleteId: Int64, vdot: Double, source: String, date: String, now: Date
    ) async throws {
        try await writer.write { db in
            let athlete = try Self.athlete(db, scope, id: athleteId)
            try Self.setVDOT(db, scope, athleteId: athleteId, vdot: vdot, source: source, date: date)
            try self.audit(
                db, scope: scope, userId: nil, action: "athlete.vdot_set",
                detail: String(format: "%@: VDOT %.1f from %@", athlete.email, vdot, source), now: now)
        }
    }

    static func setVDOT(
        _ db: StoreConnection, _ scope: TenantScope, athleteId: Int64, vdot: Double?, source: String?, date: String?
    )
        throws
    {
        try AthleteProfileRecord.scoped(to: scope).filter(key: athleteId).updateAll(
            db, Column("vdot").set(to: vdot), Column("vdot_source").set(to: source), Column("vdot_date").set(to: date))
    }
}
