import Foundation
import GRDB
import PacelineCore

/// One athlete on the coach's board: what needs attention today, in one read for the whole organization.
public struct AthleteTriage: Sendable, Identifiable {
    public let id: Int64
    public let name: String
    public let email: String
    public let groupIds: Set<Int64>
    public let groupNames: [String]
    public let vdot: Double?
    /// The engine's readiness at its last run (after the last upload or check-in, and nightly).
    public let readiness: ReadinessLevel?
    public let readinessReason: String?
    public let instanceId: Int64?
    public let planName: String?
    public let planStatus: InstanceStatus?
    /// Today's workout on the current plan, if any.
    public let today: String?
    /// The last seven days through yesterday (today's session is not due yet).
    public let compliance: ComplianceSummary
    public let lastActivity: CalendarDate?
    public let lastCheckIn: CalendarDate?
    public let pendingProposals: Int
    /// Reported ill today or yesterday.
    public let ill: Bool
    /// Quality sessions, long runs and races of the last seven days that were neither done nor skipped.
    public let missedKeySessions: [String]
    /// Coaches looking after the athlete, directly or through one of their groups.
    public let coachUserIds: Set<Int64>

    /// Days since anything was recorded (an activity or a check-in); nil when nothing ever was.
    public func daysWithoutData(today: CalendarDate) -> Int? {
        guard let last = [lastActivity, lastCheckIn].compactMap({ $0 }).max() else { return nil }
        return max(0, last.days(until: today))
    }
}

/// A coach assigned to an athlete or a group, as the admin sees it.
public struct CoachAssignment: Sendable, Hashable, Identifiable {
    public let id: Int64
    public let coachUserId: Int64
    public let coachName: String
    public let athleteId: Int64?
    public let groupId: Int64?
}

extension ScheduledItem {
    /// The planned amounts against what was recorded, by the core's done-as-planned rule (the pages
    /// with the athlete's paces; the board with none, counting what the blocks state).
    public func sessionOutcome(zones: PaceZones?) -> SessionOutcome {
        let totals = WorkoutTotals(workout.blocks, zones: zones)
        let planned = SessionAmount(distanceMeters: totals.distanceMeters, durationSeconds: totals.durationSeconds)
        let recorded = outcome.map {
            SessionAmount(distanceMeters: $0.distanceMeters, durationSeconds: $0.durationSeconds)
        }
        return SessionOutcome(
            date: date, planned: planned, recorded: recorded, recordedStatus: outcome?.status,
            tickedOff: completed)
    }
}

extension AppDatabase {
    public func triage(_ scope: TenantScope, today: CalendarDate) async throws -> [AthleteTriage] {
        try await writer.read { db in
            let from = today.adding(days: -7), yesterday = today.adding(days: -1)
            var groupIds: [Int64: Set<Int64>] = [:], groupNames: [Int64: [String]] = [:]
            for row in try db.rows(
                """
                SELECT gm.athlete_id, g.id, g.name FROM group_member gm JOIN athlete_group g ON g.id = gm.group_id
                WHERE \(scope.owns("gm")) AND \(scope.owns("g")) ORDER BY g.name COLLATE NOCASE
                """)
            {
                groupIds[row["athlete_id"], default: []].insert(row["id"])
                groupNames[row["athlete_id"], default: []].append(row["name"])
            }
            var coachesByAthlete: [Int64: Set<Int64>] = [:], coachesByGroup: [Int64: Set<Int64>] = [:]
            for assignment in try CoachAssignmentRecord.scoped(to: scope).fetchAll(db) {
                let coach = assignment.coachUserId
                if let athlete = assignment.athleteId { coachesByAthlete[athlete, default: []].insert(coach) }
                if let group = assignment.groupId { coachesByGroup[group, default: []].insert(coach) }
            }
            var current: [Int64: PlanInstanceRecord] = [:]
            for plan in try PlanInstanceRecord.scoped(to: scope)
                .filter(["active", "paused"].contains(PlanInstanceRecord.Columns.status))
                .order(Column("created_at"), PlanInstanceRecord.Columns.id).fetchAll(db)
            {
                current[plan.athleteId] = plan
            }
            var outcomes: [Int64: [SessionOutcome]] = [:], missed: [Int64: [String]] = [:]
            var todays: [Int64: String] = [:]
            for item in try Self.items(db, scope, .activeOn(today)) { todays[item.athleteId] = item.workout.name }
            let athletes = try db.rows(Self.athleteSQL(scope, where: "TRUE") + " ORDER BY u.name COLLATE NOCASE, p.id")
            // Planned amounts at each athlete's own paces, as their pages count them.
            var zones: [Int64: PaceZones] = [:]
            for row in athletes {
                if let vdot = (row["vdot"] as Double?).flatMap({ try? VDOT($0) }) {
                    zones[row["id"]] = PaceZones(vdot: vdot)
                }
            }
            for item in try Self.items(db, scope, .allAthletes(from: from, to: yesterday)) {
                let outcome = item.sessionOutcome(zones: zones[item.athleteId])
                outcomes[item.athleteId, default: []].append(outcome)
                if item.workout.kind != .easy, outcome.status == nil, !outcome.isDone {
                    missed[item.athleteId, default: []].append(item.workout.name)
                }
            }
            func latest(_ sql: SQL) throws -> [Int64: CalendarDate] {
                var out: [Int64: CalendarDate] = [:]
                for row in try db.rows(sql) {
                    if let date = (row["last"] as String?).flatMap(CalendarDate.init) { out[row["athlete_id"]] = date }
                }
                return out
            }
            let activities = try latest(
                "SELECT athlete_id, MAX(date) AS last FROM activity a WHERE \(scope.owns("a")) GROUP BY athlete_id")
            let checkIns = try latest(
                "SELECT athlete_id, MAX(date) AS last FROM wellness w WHERE \(scope.owns("w")) GROUP BY athlete_id")
            var ill = Set<Int64>()
            for row in try db.rows(
                """
                SELECT DISTINCT athlete_id FROM wellness w
                WHERE \(scope.owns("w")) AND w.ill = 1 AND w.date >= \(yesterday.description)
                """)
            {
                ill.insert(row["athlete_id"])
            }
            var proposals: [Int64: Int] = [:]
            for row in try db.rows(
                """
                SELECT athlete_id, COUNT(*) AS n FROM adaptation d
                WHERE \(scope.owns("d")) AND d.state = 'proposed' GROUP BY athlete_id
                """)
            {
                proposals[row["athlete_id"]] = row["n"]
            }
            return athletes.map { row in
                let id: Int64 = row["id"]
                let groups = groupIds[id] ?? []
                let plan = current[id]
                return AthleteTriage(
                    id: id, name: row["user_name"], email: row["user_email"], groupIds: groups,
                    groupNames: groupNames[id] ?? [], vdot: row["vdot"],
                    readiness: (row["readiness"] as String?).flatMap(ReadinessLevel.init(rawValue:)),
                    readinessReason: row["readiness_reason"], instanceId: plan?.id, planName: plan?.name,
                    planStatus: plan.flatMap { InstanceStatus(rawValue: $0.status) }, today: todays[id],
                    compliance: ComplianceSummary(outcomes[id] ?? [], days: 7, through: yesterday),
                    lastActivity: activities[id], lastCheckIn: checkIns[id], pendingProposals: proposals[id] ?? 0,
                    ill: ill.contains(id), missedKeySessions: missed[id] ?? [],
                    coachUserIds: groups.reduce(into: coachesByAthlete[id] ?? []) {
                        $0.formUnion(coachesByGroup[$1] ?? [])
                    })
            }
        }
    }

    // MARK: Coaches of athletes and groups

    public func coachAssignments(_ scope: TenantScope) async throws -> [CoachAssignment] {
        try await writer.read { db in
            try db.rows(
                """
                SELECT c.id, c.coach_user_id, c.athlete_id, c.group_id, u.name FROM coach_assignment c
                JOIN user u ON u.id = c.coach_user_id WHERE \(scope.owns("c")) ORDER BY u.name COLLATE NOCASE
                """
            ).map {
                CoachAssignment(
                    id: $0["id"], coachUserId: $0["coach_user_id"], coachName: $0["name"], athleteId: $0["athlete_id"],
                    groupId: $0["group_id"])
            }
        }
    }

    /// Makes a coach (or admin) of the organization look after an athlete or a group. Assigning twice is
    /// one assignment.
    public func assignCoach(
        _ scope: TenantScope, coachUserId: Int64, athleteId: Int64? = nil, groupId: Int64? = nil, now: Date
    ) async throws {
        try await writer.write { db in
            let coach = try MembershipRecord.scoped(to: scope).filter(Column("user_id") == coachUserId).fetchOne(db)
            guard let coach, coach.role.includes(.coach) else {
                throw StoreError.invalid("Choose a coach of this organization.")
            }
            var subject = ""
            if let athleteId {
                _ = try Self.athlete(db, scope, id: athleteId)
                subject = "athlete \(athleteId)"
                let same = Column("coach_user_id") == coachUserId && Column("athlete_id") == athleteId
                guard try CoachAssignmentRecord.scoped(to: scope).filter(same).fetchOne(db) == nil else { return }
            } else if let groupId {
                guard try GroupRecord.scoped(to: scope).filter(key: groupId).fetchOne(db) != nil else {
                    throw StoreError.notFound
                }
                subject = "group \(groupId)"
                let same = Column("coach_user_id") == coachUserId && Column("group_id") == groupId
                guard try CoachAssignmentRecord.scoped(to: scope).filter(same).fetchOne(db) == nil else { return }
            } else {
                throw StoreError.invalid("Choose an athlete or a group.")
            }
            try CoachAssignmentRecord(
                id: nil, orgId: scope.orgId, coachUserId: coachUserId, athleteId: athleteId, groupId: groupId,
                createdAt: now
            ).insert(db)
            try self.audit(db, scope: scope, userId: nil, action: "coach.assigned", detail: subject, now: now)
        }
    }

    public func unassignCoach(_ scope: TenantScope, assignmentId: Int64, now: Date) async throws {
        try await writer.write { db in
            guard try CoachAssignmentRecord.scoped(to: scope).filter(key: assignmentId).deleteAll(db) > 0 else {
                throw StoreError.notFound
            }
            try self.audit(db, scope: scope, userId: nil, action: "coach.unassigned", detail: "", now: now)
        }
    }
}

/// Why an athlete needs a look, most urgent first.
public enum TriageFlag: Sendable, Hashable {
    case ill
    case readinessRed
    case missedKeySession(String)
    case proposals(Int)
    case noData(days: Int)
    case readinessAmber

    /// Days without an activity or a check-in before the board says so.
    public static let quietDays = 4

    public var weight: Int {
        switch self {
        case .ill, .readinessRed: 3
        case .missedKeySession: 2
        case .proposals, .noData, .readinessAmber: 1
        }
    }

    public var words: String {
        switch self {
        case .ill: "Ill"
        case .readinessRed: "Readiness red"
        case .missedKeySession(let name): "Missed: \(name)"
        case .proposals(let n): "\(n) proposal\(n == 1 ? "" : "s") waiting"
        case .noData(let days): "No data for \(days) days"
        case .readinessAmber: "Readiness amber"
        }
    }

    public var cssClass: String {
        switch self {
        case .ill, .readinessRed, .missedKeySession: "flag-red"
        case .proposals: "flag-info"
        case .noData, .readinessAmber: "flag-amber"
        }
    }
}

extension AthleteTriage {
    public func flags(today: CalendarDate) -> [TriageFlag] {
        var flags: [TriageFlag] = []
        if ill { flags.append(.ill) }
        if readiness == .red { flags.append(.readinessRed) }
        flags += missedKeySessions.map(TriageFlag.missedKeySession)
        if pendingProposals > 0 { flags.append(.proposals(pendingProposals)) }
        if let quiet = daysWithoutData(today: today), quiet >= TriageFlag.quietDays, planStatus == .active {
            flags.append(.noData(days: quiet))
        }
        if readiness == .amber { flags.append(.readinessAmber) }
        return flags
    }

    /// How urgently the athlete needs a look: the weights of their flags.
    public func attention(today: CalendarDate) -> Int { flags(today: today).reduce(0) { $0 + $1.weight } }
}
