import Foundation
import GRDB
import PacelineCore
import Synchronization

public struct InstanceSummary: Sendable, Hashable, Identifiable {
    public let id: Int64
    public let name: String
    public let athleteId: Int64
    public let athleteName: String
    public let state: InstanceState
    public let firstDate: CalendarDate?
    public let lastDate: CalendarDate?
    public let assignmentId: Int64?
    public let version: Int
}

public struct ScheduledItem: Sendable, Hashable, Identifiable {
    public let id: Int64
    public let instanceId: Int64
    public let instanceName: String
    public let athleteId: Int64
    public let date: CalendarDate
    public let workout: Workout
    /// Done: ticked off, or an activity (not a skip) is matched to it.
    public let completed: Bool
    /// The activity matched to it, if any.
    public let outcome: DoneOutcome?
    public let uid: String
    public let sequence: Int
    public let updatedAt: Date
}

public struct InstanceEventEntry: Sendable, Hashable {
    public let at: Date
    public let who: String?
    public let action: String
    public let detail: String
}

public struct InstanceDetail: Sendable, Hashable {
    public let summary: InstanceSummary
    public let items: [ScheduledItem]
    public let events: [InstanceEventEntry]
}

public struct AssignmentResult: Sendable, Hashable {
    public let assignmentId: Int64
    public let created: Int
    /// Athletes who already had an active or paused plan over the same days (a warning, not a failure).
    public let overlapping: [String]
}

public struct GroupAssignment: Sendable, Hashable, Identifiable {
    public struct Member: Sendable, Hashable {
        public let athleteId: Int64
        public let name: String
        public let instanceId: Int64?
        public let status: InstanceStatus?
    }
    public let id: Int64
    public let name: String
    public let placement: String
    public let members: [Member]
    public var latecomers: Int { members.filter { $0.instanceId == nil }.count }
}

public enum InstanceAction: String, Sendable {
    case pause, resume, cancel
}

extension AppDatabase {
    // MARK: Assignment

    public func assign(
        _ scope: TenantScope, templateId: Int64, athleteIds: [Int64], groupId: Int64?, placement: PlanPlacement,
        now: Date
    ) async throws -> AssignmentResult {
        try await writer.write { db in
            let plan = try Self.plan(db, scope, id: templateId)
            if let groupId {
                guard try GroupRecord.scoped(to: scope).filter(Column("id") == groupId).fetchCount(db) == 1 else {
                    throw StoreError.notFound
                }
            }
            let athletes = try athleteIds.map { try Self.athlete(db, scope, id: $0) }
            guard !athletes.isEmpty else {
                throw StoreError.invalid("Choose at least one athlete or a group with members.")
            }
            let dated = PlanSchedule.dates(for: plan.template, placement: placement)
            guard !dated.isEmpty else { throw StoreError.invalid("This plan has no workouts to assign yet.") }
            let (kind, date): (String, CalendarDate) =
                switch placement {
                case .start(let d): ("start", d)
                case .raceDate(let d): ("race", d)
                }
            try PlanAssignmentRecord(
                id: nil, orgId: scope.orgId, templateId: templateId, groupId: groupId, name: plan.template.name,
                placement: kind,
                placementDate: date.description, createdBy: scope.user.id, createdAt: now
            ).insert(db)
            let assignmentId = db.lastInsertedRowID
            var overlapping: [String] = []
            for athlete in athletes {
                if try Self.overlaps(
                    db, scope, athleteId: athlete.id, from: dated[0].date, to: dated[dated.count - 1].date)
                {
                    overlapping.append(athlete.name)
                }
                try Self.createInstance(
                    db, scope, assignmentId: assignmentId, athleteId: athlete.id, name: plan.template.name,
                    dated: dated, now: now)
                try Self.notify(
                    db, orgId: scope.orgId, users: [athlete.userId], except: scope.user.id, kind: .planAssigned,
                    title: "New plan: \(plan.template.name), from \(dated[0].date)", link: .calendar,
                    dedupe: "assigned:\(assignmentId):\(athlete.id)", now: now)
            }
            try self.audit(
                db, scope: scope, userId: nil, action: "plan.assigned",
                detail: "\(plan.template.name) → \(athletes.count) "
                    + "athlete\(athletes.count == 1 ? "" : "s")", now: now)
            return AssignmentResult(assignmentId: assignmentId, created: athletes.count, overlapping: overlapping)
        }
    }

    static func overlaps(
        _ db: StoreConnection, _ scope: TenantScope, athleteId: Int64, from: CalendarDate, to: CalendarDate
    ) throws -> Bool {
        try PlanInstanceRecord.scoped(to: scope).forAthlete(athleteId)
            .filter(["active", "paused"].contains(PlanInstanceRecord.Columns.status))
            .filter(
                literal: """
                    EXISTS (SELECT 1 FROM scheduled_workout s WHERE s.instance_id = plan_instance.id
                    AND s.date BETWEEN \(from.description) AND \(to.description))
                    """
            )
            .fetchCount(db) > 0
    }

    static func createInstance(
        _ db: StoreConnection, _ scope: TenantScope, assignmentId: Int64?, athleteId: Int64, name: String,
        dated: [DatedWorkout], now: Date
    ) throws {
        try PlanInstanceRecord(
            id: nil, orgId: scope.orgId, assignmentId: assignmentId, athleteId: athleteId, name: name,
            status: InstanceStatus.active.rawValue, pausedSince: nil, version: 1, createdAt: now
        ).insert(db)
        let instanceId = db.lastInsertedRowID
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for item in dated {
            let json = String(decoding: try encoder.encode(item.workout), as: UTF8.self)
            try ScheduledWorkoutRecord.new(scope, instanceId: instanceId, date: item.date, json: json, now: now).insert(
                db)
        }
        try recordEvent(
            db, scope, instanceId: instanceId, action: "assigned",
            detail: "\(dated.count) workouts from \(dated.first?.date.description ?? "")", now: now)
    }

    /// Who an instance's history names for a change.
    enum EventAuthor {
        /// The signed-in member whose scope made the change.
        case member
        /// Paceline itself (the engine, the nightly completion): shown as "Paceline".
        case paceline
    }

    static func recordEvent(
        _ db: StoreConnection, _ scope: TenantScope, instanceId: Int64, action: String, detail: String, now: Date,
        by author: EventAuthor = .member
    ) throws {
        try InstanceEventRecord(
            id: nil, orgId: scope.orgId, instanceId: instanceId, at: now,
            userId: author == .member ? scope.user.id : nil, action: action, detail: detail
        ).insert(db)
    }

    // MARK: Reading

    /// Plan instances of the organization with their athlete's name and first and last day, where `condition`.
    static func instanceSQL(_ scope: TenantScope, where condition: SQL) -> SQL {
        """
        SELECT i.*, u.name AS athlete_name,
               (SELECT MIN(date) FROM scheduled_workout s WHERE s.instance_id = i.id) AS first_date,
               (SELECT MAX(date) FROM scheduled_workout s WHERE s.instance_id = i.id) AS last_date
        FROM plan_instance i JOIN athlete_profile p ON p.id = i.athlete_id JOIN user u ON u.id = p.user_id
        WHERE \(scope.owns("i")) AND \(condition)
        """
    }

    static func instanceSummary(_ row: Row) -> InstanceSummary {
        let pausedSince: String? = row["paused_since"]
        let first: String? = row["first_date"], last: String? = row["last_date"]
        return InstanceSummary(
            id: row["id"], name: row["name"], athleteId: row["athlete_id"], athleteName: row["athlete_name"],
            state: InstanceState(
                status: InstanceStatus(rawValue: row["status"]) ?? .active,
                pausedSince: pausedSince.flatMap(CalendarDate.init)),
            firstDate: first.flatMap(CalendarDate.init), lastDate: last.flatMap(CalendarDate.init),
            assignmentId: row["assignment_id"], version: row["version"])
    }

    public func instances(_ scope: TenantScope, athleteId: Int64) async throws -> [InstanceSummary] {
        try await writer.read { db in try Self.instances(db, scope, athleteId: athleteId) }
    }

    /// An athlete's plan instances, newest first.
    static func instances(_ db: StoreConnection, _ scope: TenantScope, athleteId: Int64) throws -> [InstanceSummary] {
        try db.rows(instanceSQL(scope, where: "i.athlete_id = \(athleteId)") + " ORDER BY i.created_at DESC, i.id DESC")
            .map(instanceSummary)
    }

    static func instanceSummary(_ db: StoreConnection, _ scope: TenantScope, id: Int64) throws -> InstanceSummary {
        guard let row = try db.row(instanceSQL(scope, where: "i.id = \(id)")) else {
            throw StoreError.notFound
        }
        return instanceSummary(row)
    }

    /// Which scheduled workouts a read wants.
    enum ScheduleFilter {
        /// One workout.
        case id(Int64)
        /// Every day of one plan instance.
        case instance(Int64)
        /// An athlete's plans that are not cancelled, between two days (both included).
        case athlete(Int64, from: CalendarDate, to: CalendarDate)
        /// Every athlete's active plans on one day.
        case activeOn(CalendarDate)
        /// Every athlete's active and completed plans between two days (both included).
        case allAthletes(from: CalendarDate, to: CalendarDate)

        var condition: SQL {
            switch self {
            case .id(let id): "s.id = \(id)"
            case .instance(let id): "s.instance_id = \(id)"
            case .athlete(let id, let from, let to):
                "i.athlete_id = \(id) AND i.status <> 'cancelled' AND s.date BETWEEN \(from.description) AND "
                    + "\(to.description)"
            case .activeOn(let day): "s.date = \(day.description) AND i.status = 'active'"
            case .allAthletes(let from, let to):
                "s.date BETWEEN \(from.description) AND \(to.description) AND i.status IN ('active', 'completed')"
            }
        }
    }

    /// Scheduled workouts of the organization with their plan and matched activity, by date.
    static func items(_ db: StoreConnection, _ scope: TenantScope, _ filter: ScheduleFilter) throws -> [ScheduledItem] {
        return try db.rows(
            """
            SELECT s.*, i.name AS instance_name, i.athlete_id, a.id AS activity_id, a.status AS activity_status,
                   a.distance_m AS activity_distance, a.duration_s AS activity_duration
            FROM plan_instance i JOIN scheduled_workout s ON s.instance_id = i.id
            LEFT JOIN activity a ON a.scheduled_id = s.id
            WHERE \(scope.owns("i")) AND s.org_id = i.org_id AND \(filter.condition) ORDER BY s.date, s.id
            """
        ).compactMap { row in
            let json: String = row["workout_json"], date: String = row["date"]
            guard let day = CalendarDate(date), let workout = WorkoutJSONCache.shared.workout(json) else { return nil }
            let completedAt: Date? = row["completed_at"]
            let activityId: Int64? = row["activity_id"]
            let outcome = activityId.map {
                DoneOutcome(
                    activityId: $0, status: ActivityStatus(rawValue: row["activity_status"] ?? "") ?? .done,
                    distanceMeters: row["activity_distance"], durationSeconds: row["activity_duration"])
            }
            return ScheduledItem(
                id: row["id"], instanceId: row["instance_id"], instanceName: row["instance_name"],
                athleteId: row["athlete_id"],
                date: day, workout: workout,
                completed: completedAt != nil || (outcome.map { $0.status != .skipped } ?? false),
                outcome: outcome, uid: row["uid"], sequence: row["sequence"],
                updatedAt: row["updated_at"])
        }
    }

    public func instance(_ scope: TenantScope, id: Int64) async throws -> InstanceDetail {
        try await writer.read { db in
            let summary = try Self.instanceSummary(db, scope, id: id)
            let items = try Self.items(db, scope, .instance(id))
            let events = try db.rows(
                """
                SELECT e.at, e.action, e.detail, u.name AS who FROM instance_event e LEFT JOIN user u
                ON u.id = e.user_id
                WHERE \(scope.owns("e")) AND e.instance_id = \(id) ORDER BY e.at, e.id
                """
            ).map { InstanceEventEntry(at: $0["at"], who: $0["who"], action: $0["action"], detail: $0["detail"]) }
            return InstanceDetail(summary: summary, items: items, events: events)
        }
    }

    /// An athlete's visible workouts between two dates (inclusive): paused days and cancelled plans drop out.
    public func schedule(
        _ scope: TenantScope, athleteId: Int64, from: CalendarDate, to: CalendarDate
    ) async throws -> [(ScheduledItem, InstanceState)] {
        try await writer.read { db in try Self.visibleSchedule(db, scope, athleteId: athleteId, from: from, to: to) }
    }

    static func visibleSchedule(
        _ db: StoreConnection, _ scope: TenantScope, athleteId: Int64, from: CalendarDate, to: CalendarDate
    ) throws -> [(ScheduledItem, InstanceState)] {
        // The athlete home page's read (every request): a cached statement read by column name.
        // (GRDB prepares query-interface requests afresh each time, and Codable decoding costs more.)
        let plans = try db.rows(
            """
            SELECT id, status, paused_since FROM plan_instance i
            WHERE \(scope.owns("i")) AND athlete_id = \(athleteId) AND status <> 'cancelled'
            """)
        let states = Dictionary(
            uniqueKeysWithValues: plans.map { row -> (Int64, InstanceState) in
                let since: String? = row["paused_since"]
                return (
                    row["id"],
                    InstanceState(
                        status: InstanceStatus(rawValue: row["status"]) ?? .active,
                        pausedSince: since.flatMap(CalendarDate.init))
                )
            })
        guard !states.isEmpty else { return [] }
        return try items(db, scope, .athlete(athleteId, from: from, to: to)).compactMap { item in
            guard let state = states[item.instanceId], state.shows(item.date) else { return nil }
            return (item, state)
        }
    }

    public func scheduledWorkout(_ scope: TenantScope, id: Int64) async throws -> ScheduledItem {
        try await writer.read { db in
            guard let item = try Self.items(db, scope, .id(id)).first else { throw StoreError.notFound }
            return item
        }
    }

    public func setCompleted(_ scope: TenantScope, scheduledId: Int64, done: Bool, now: Date) async throws {
        try await writer.write { db in
            let changed = try ScheduledWorkoutRecord.scoped(to: scope).filter(key: scheduledId).updateAll(
                db, ScheduledWorkoutRecord.Columns.completedAt.set(to: done ? now : nil),
                ScheduledWorkoutRecord.Columns.updatedAt.set(to: now))
            guard changed == 1 else { throw StoreError.notFound }
        }
    }

    // MARK: Lifecycle

    public func transition(
        _ scope: TenantScope, instanceId: Int64, _ action: InstanceAction, today: CalendarDate, now: Date
    ) async throws {
        try await writer.write { db in
            try Self.transition(db, scope, instanceId: instanceId, action, today: today, now: now)
        }
    }

    static func transition(
        _ db: StoreConnection, _ scope: TenantScope, instanceId: Int64, _ action: InstanceAction, today: CalendarDate,
        now: Date
    ) throws {
        let summary = try instanceSummary(db, scope, id: instanceId)
        var state = summary.state
        var detail = ""
        do {
            switch action {
            case .pause:
                try state.pause(on: today)
                detail = "from \(today)"
            case .resume:
                let since = state.pausedSince ?? today
                let shift = try state.resume(on: today)
                if shift > 0 {
                    // Later workouts not yet done move by the paused span, in whole weeks.
                    let open = try ScheduledWorkoutRecord.scoped(to: scope)
                        .filter(
                            ScheduledWorkoutRecord.Columns.instanceId == instanceId
                                && ScheduledWorkoutRecord.Columns.completedAt == nil
                                && ScheduledWorkoutRecord.Columns.date >= since.description
                        )
                        .filter(
                            literal: "NOT EXISTS (SELECT 1 FROM activity a WHERE a.scheduled_id = scheduled_workout.id)"
                        )
                        .fetchAll(db)
                    for row in open {
                        guard let id = row.id, let day = CalendarDate(row.date) else { continue }
                        try Self.moveDay(db, scope, scheduledId: id, to: day.adding(days: shift), now: now)
                    }
                }
                detail = "paused \(since) – \(today); \(shift) days later"
            case .cancel:
                try state.cancel()
            }
        } catch let error as LifecycleError {
            throw StoreError.invalid(error.description)
        }
        try PlanInstanceRecord.scoped(to: scope).filter(key: instanceId).updateAll(
            db, PlanInstanceRecord.Columns.status.set(to: state.status.rawValue),
            PlanInstanceRecord.Columns.pausedSince.set(to: state.pausedSince?.description),
            PlanInstanceRecord.Columns.version += 1)
        try recordEvent(
            db, scope, instanceId: instanceId,
            action: action == .pause ? "paused" : action == .resume ? "resumed" : "cancelled",
            detail: detail, now: now)
    }

    /// Marks active plans whose last day has passed (in each athlete's time zone) completed.
    @discardableResult
    public func completeFinishedInstances(now: Date) async throws -> Int {
        try await writer.write { db in
            let rows = try db.rows(
                sql: """
                    SELECT i.id, i.org_id, p.time_zone AS athlete_zone, o.time_zone AS org_zone,
                           (SELECT MAX(date) FROM scheduled_workout s WHERE s.instance_id = i.id) AS last_date
                    FROM plan_instance i JOIN athlete_profile p ON p.id = i.athlete_id
                    JOIN organization o ON o.id = i.org_id
                    WHERE i.status = 'active'
                    """)
            var completed = 0
            for row in rows {
                let athleteZone: String? = row["athlete_zone"], orgZone: String = row["org_zone"]
                let tz = TimeZones.zone(athleteZone ?? orgZone)  // Organization.timeZone(of:), without loading the row
                let lastText: String? = row["last_date"]
                var state = InstanceState(status: .active)
                guard
                    state.completeIfFinished(
                        lastDate: lastText.flatMap(CalendarDate.init), today: CalendarDate(now, timeZone: tz))
                else { continue }
                // A job across organizations: each row carries its own organization, and both writes name it.
                let id: Int64 = row["id"], orgId: Int64 = row["org_id"]
                try PlanInstanceRecord.filter(key: id).filter(PlanInstanceRecord.Columns.orgId == orgId).updateAll(
                    db, PlanInstanceRecord.Columns.status.set(to: InstanceStatus.completed.rawValue),
                    PlanInstanceRecord.Columns.version += 1)
                try InstanceEventRecord(
                    id: nil, orgId: orgId, instanceId: id, at: now, userId: nil, action: "completed",
                    detail: "last day passed"
                ).insert(db)
                completed += 1
            }
            return completed
        }
    }

    // MARK: Groups

    public func groupAssignments(_ scope: TenantScope, groupId: Int64) async throws -> [GroupAssignment] {
        try await writer.read { db in
            let members = try db.rows(
                """
                SELECT p.id, u.name FROM group_member gm JOIN athlete_profile p ON p.id = gm.athlete_id JOIN user u
                ON u.id = p.user_id
                WHERE \(scope.owns("gm")) AND gm.group_id = \(groupId) ORDER BY u.name COLLATE NOCASE
                """
            ).map { (id: $0["id"] as Int64, name: $0["name"] as String) }
            let assignments = try PlanAssignmentRecord.scoped(to: scope).filter(
                PlanAssignmentRecord.Columns.groupId == groupId
            )
            .order(PlanAssignmentRecord.Columns.createdAt.desc, PlanAssignmentRecord.Columns.id.desc).fetchAll(db)
            return try assignments.map { row in
                let assignmentId = row.id ?? 0
                let plans = try PlanInstanceRecord.scoped(to: scope)
                    .filter(PlanInstanceRecord.Columns.assignmentId == assignmentId).fetchAll(db)
                let instances = Dictionary(
                    plans.map {
                        ($0.athleteId, (id: $0.id ?? 0, status: InstanceStatus(rawValue: $0.status) ?? .active))
                    }, uniquingKeysWith: { a, _ in a })
                let placement = row.placement, date = row.placementDate
                return GroupAssignment(
                    id: assignmentId, name: row.name,
                    placement: placement == "race" ? "race on \(date)" : "from \(date)",
                    members: members.map {
                        GroupAssignment.Member(
                            athleteId: $0.id, name: $0.name, instanceId: instances[$0.id]?.id,
                            status: instances[$0.id]?.status)
                    })
            }
        }
    }

    /// Gives a group assignment's plan, on the same calendar, to members who joined the group later.
    public func assignLatecomers(_ scope: TenantScope, assignmentId: Int64, now: Date) async throws -> Int {
        try await writer.write { db in
            guard let row = try PlanAssignmentRecord.scoped(to: scope).filter(key: assignmentId).fetchOne(db),
                let groupId = row.groupId
            else { throw StoreError.notFound }
            // The same calendar: copy the dates of an existing instance's template placement.
            guard let templateId = row.templateId else {
                throw StoreError.invalid("The plan template of this assignment was deleted; assign a plan again.")
            }
            let plan = try Self.plan(db, scope, id: templateId)
            let date = row.placementDate, kind = row.placement
            guard let day = CalendarDate(date) else { throw StoreError.invalid("The assignment has no valid date.") }
            let dated = PlanSchedule.dates(for: plan.template, placement: kind == "race" ? .raceDate(day) : .start(day))
            let missing = try GroupMemberRecord.scoped(to: scope).filter(Column("group_id") == groupId)
                .filter(
                    literal: """
                        NOT EXISTS (SELECT 1 FROM plan_instance i WHERE i.assignment_id = \(assignmentId)
                        AND i.athlete_id = group_member.athlete_id)
                        """
                ).fetchAll(db).map(\.athleteId)
            for athleteId in missing {
                try Self.createInstance(
                    db, scope, assignmentId: assignmentId, athleteId: athleteId, name: row.name, dated: dated, now: now)
            }
            return missing.count
        }
    }

    /// Pause, resume or cancel every instance of a group assignment that allows it; returns how many changed.
    public func transitionAssignment(
        _ scope: TenantScope, assignmentId: Int64, _ action: InstanceAction, today: CalendarDate, now: Date
    ) async throws -> Int {
        try await writer.write { db in
            let ids = try PlanInstanceRecord.scoped(to: scope).filter(
                PlanInstanceRecord.Columns.assignmentId == assignmentId
            )
            .fetchAll(db).compactMap(\.id)
            guard !ids.isEmpty else { throw StoreError.notFound }
            var changed = 0
            for id in ids {
                do {
                    try Self.transition(db, scope, instanceId: id, action, today: today, now: now)
                    changed += 1
                } catch StoreError.invalid {
                    continue  // e.g. already cancelled: the others still change
                }
            }
            return changed
        }
    }

    // MARK: Calendar feed

    /// The athlete's calendar token, made on first use.
    public func calendarToken(_ scope: TenantScope, athleteId: Int64) async throws -> String {
        // Read first: the profile page asks on every view, and only the first view needs a write.
        let existing = try await writer.read { db in try Self.calendarToken(db, scope, athleteId: athleteId) }
        if let existing { return existing }
        return try await writer.write { db in
            _ = try Self.athlete(db, scope, id: athleteId)
            if let token = try Self.calendarToken(db, scope, athleteId: athleteId) { return token }
            return try Self.newCalendarToken(db, scope, athleteId: athleteId)
        }
    }

    static func calendarToken(_ db: StoreConnection, _ scope: TenantScope, athleteId: Int64) throws -> String? {
        try String.fetchOne(
            db, AthleteProfileRecord.scoped(to: scope).filter(key: athleteId).select(Column("calendar_token")))
    }

    /// A new token; the old feed URL stops working at once.
    public func regenerateCalendarToken(_ scope: TenantScope, athleteId: Int64, now: Date) async throws -> String {
        try await writer.write { db in
            _ = try Self.athlete(db, scope, id: athleteId)
            let token = try Self.newCalendarToken(db, scope, athleteId: athleteId)
            try self.audit(
                db, scope: scope, userId: nil, action: "calendar.regenerated", detail: "athlete \(athleteId)", now: now)
            return token
        }
    }

    static func newCalendarToken(_ db: StoreConnection, _ scope: TenantScope, athleteId: Int64) throws -> String {
        let token = SecretToken.generate()
        try AthleteProfileRecord.scoped(to: scope).filter(key: athleteId).updateAll(
            db, Column("calendar_token").set(to: token))
        return token
    }

    /// The feed behind a token: the athlete's name, units, VDOT, thresholds' history and visible workouts.
    public func calendarFeed(
        token: String
    ) async throws -> (
        name: String, units: UnitSystem, vdot: Double?, thresholds: [ThresholdEntry], items: [ScheduledItem]
    )? {
        try await writer.read { db in
            guard
                let row = try db.row(
                    sql: """
                        SELECT p.id, p.org_id, p.user_id, p.units, p.vdot, u.name, o.units AS org_units
                        FROM athlete_profile p
                        JOIN user u ON u.id = p.user_id JOIN organization o ON o.id = p.org_id
                        WHERE p.calendar_token = ?
                        """, arguments: [token]),
                let org = try Organization.fetchOne(db, key: row["org_id"] as Int64),
                let user = try User.fetchOne(db, key: row["user_id"] as Int64)
            else { return nil }
            let scope = TenantScope(organization: org, user: user, role: .athlete)
            // Dates compare as YYYY-MM-DD text, so the open range must stay within four-digit years.
            let items = try Self.visibleSchedule(
                db, scope, athleteId: row["id"], from: CalendarDate.earliest, to: CalendarDate.latest
            ).map(\.0)
            let units = org.units(of: UnitSystem(rawValue: row["units"] ?? ""))
            let thresholds = try Self.thresholds(db, scope, athleteId: row["id"]).map(\.entry)
            return (row["name"], units, row["vdot"], thresholds, items)
        }
    }
}

extension AppDatabase {
    /// Runs an edit of an instance's days if it is still at `expectedVersion`; the edit's rows get
    /// a higher SEQUENCE (calendar clients replace them, keeping the UID).
    func editInstance(
        _ scope: TenantScope, instanceId: Int64, expectedVersion: Int, now: Date, action: String,
        _ body: @Sendable @escaping (StoreConnection) throws -> String
    ) async throws {
        try await writer.write { db in
            let summary = try Self.instanceSummary(db, scope, id: instanceId)
            guard summary.version == expectedVersion else {
                throw StoreError.versionConflict(latest: summary.version)
            }
            guard !summary.state.status.isFinal else {
                throw StoreError.invalid("This plan is \(summary.state.status.rawValue); it can no longer be edited.")
            }
            let detail = try body(db)
            try Self.bumpVersion(db, scope, instanceId: instanceId)
            try Self.recordEvent(db, scope, instanceId: instanceId, action: action, detail: detail, now: now)
        }
    }

    /// The instance's version goes up with every change to its days (optimistic locking).
    static func bumpVersion(_ db: StoreConnection, _ scope: TenantScope, instanceId: Int64) throws {
        try PlanInstanceRecord.scoped(to: scope).filter(key: instanceId).updateAll(
            db, PlanInstanceRecord.Columns.version += 1)
    }

    static func days(
        _ scope: TenantScope, instanceId: Int64, date: CalendarDate
    ) -> QueryInterfaceRequest<ScheduledWorkoutRecord> {
        ScheduledWorkoutRecord.scoped(to: scope)
            .filter(
                ScheduledWorkoutRecord.Columns.instanceId == instanceId
                    && ScheduledWorkoutRecord.Columns.date == date.description)
    }

    static func rowId(
        _ db: StoreConnection, _ scope: TenantScope, instanceId: Int64, date: CalendarDate
    ) throws -> Int64? {
        try days(scope, instanceId: instanceId, date: date).order(ScheduledWorkoutRecord.Columns.id).fetchOne(db)?.id
    }

    /// A scheduled workout moved to another day: a new SEQUENCE, so calendar clients replace it.
    static func moveDay(
        _ db: StoreConnection, _ scope: TenantScope, scheduledId: Int64, to date: CalendarDate, now: Date
    ) throws {
        try ScheduledWorkoutRecord.scoped(to: scope).filter(key: scheduledId).updateAll(
            db, ScheduledWorkoutRecord.Columns.date.set(to: date.description),
            ScheduledWorkoutRecord.Columns.sequence += 1,
            ScheduledWorkoutRecord.Columns.updatedAt.set(to: now))
    }

    /// Moves the workout of one day to another; if that day has one, they swap.
    public func moveScheduled(
        _ scope: TenantScope, instanceId: Int64, from: CalendarDate, to: CalendarDate, expectedVersion: Int, now: Date
    ) async throws {
        try await editInstance(
            scope, instanceId: instanceId, expectedVersion: expectedVersion, now: now, action: "moved"
        ) { db in
            guard let moving = try Self.rowId(db, scope, instanceId: instanceId, date: from) else {
                throw StoreError.invalid("There is no workout on \(from) to move.")
            }
            if let displaced = try Self.rowId(db, scope, instanceId: instanceId, date: to) {
                try Self.moveDay(db, scope, scheduledId: displaced, to: from, now: now)
            }
            try Self.moveDay(db, scope, scheduledId: moving, to: to, now: now)
            return "\(from) → \(to)"
        }
    }

    /// Puts a workout (a copy) on a day, replacing what was there.
    public func placeScheduled(
        _ scope: TenantScope, instanceId: Int64, date: CalendarDate, workout: Workout, expectedVersion: Int, now: Date
    ) async throws {
        if let issue = WorkoutRules.validate(workout).first { throw StoreError.invalid(issue.description) }
        let json = String(decoding: try JSONEncoder().encode(workout), as: UTF8.self)
        try await editInstance(
            scope, instanceId: instanceId, expectedVersion: expectedVersion, now: now, action: "edited"
        ) { db in
            if let existing = try Self.rowId(db, scope, instanceId: instanceId, date: date) {
                try ScheduledWorkoutRecord.scoped(to: scope).filter(key: existing).updateAll(
                    db, ScheduledWorkoutRecord.Columns.workoutJson.set(to: json),
                    ScheduledWorkoutRecord.Columns.sequence += 1,
                    ScheduledWorkoutRecord.Columns.updatedAt.set(to: now))
            } else {
                try ScheduledWorkoutRecord.new(scope, instanceId: instanceId, date: date, json: json, now: now).insert(
                    db)
            }
            return "\(date): \(workout.name)"
        }
    }

    public func restScheduled(
        _ scope: TenantScope, instanceId: Int64, date: CalendarDate, expectedVersion: Int, now: Date
    ) async throws {
        try await editInstance(
            scope, instanceId: instanceId, expectedVersion: expectedVersion, now: now, action: "rest"
        ) { db in
            guard try Self.days(scope, instanceId: instanceId, date: date).deleteAll(db) > 0 else {
                throw StoreError.invalid("There is no workout on \(date).")
            }
            return "\(date) is a rest day"
        }
    }
}

/// Everything the athlete home page shows, read at once.
public struct AthleteHomeData: Sendable {
    public let athlete: Athlete
    public let today: CalendarDate
    public let items: [(ScheduledItem, InstanceState)]
    public let instances: [InstanceSummary]
}

extension AppDatabase {
    /// The signed-in athlete's profile, the next `days` days of their plan and their plans — one read.
    public func athleteHome(_ scope: TenantScope, now: Date, days: Int) async throws -> AthleteHomeData? {
        try await writer.read { db in
            guard let athlete = try Self.athlete(db, scope, where: "p.user_id = \(scope.user.id)") else { return nil }
            let today = CalendarDate(now, timeZone: TimeZones.zone(scope.organization.timeZone(of: athlete.timeZone)))
            let items = try Self.visibleSchedule(
                db, scope, athleteId: athlete.id, from: today, to: today.adding(days: days))
            let instances = try Self.instances(db, scope, athleteId: athlete.id)
            return AthleteHomeData(athlete: athlete, today: today, items: items, instances: instances)
        }
    }
}

/// Decoded workout copies by their JSON text. Purely derived data (the text is the key), so it
/// can never be stale and a second server instance does not need it; bounded in size.
final class WorkoutJSONCache: Sendable {
    static let shared = WorkoutJSONCache()
    static let capacity = 20_000
    private let entries = Mutex<[String: Workout]>([:])

    func workout(_ json: String) -> Workout? {
        if let hit = entries.withLock({ $0[json] }) { return hit }
        guard let decoded = try? JSONDecoder().decode(Workout.self, from: Data(json.utf8)) else { return nil }
        entries.withLock {
            if $0.count >= Self.capacity { $0.removeAll(keepingCapacity: true) }
            $0[json] = decoded
        }
        return decoded
    }
}

extension AppDatabase {
    /// The organization's plan instances (optionally one athlete's, one status), newest first.
    public func allInstances(
        _ scope: TenantScope, athleteId: Int64?, status: InstanceStatus?
    ) async throws -> [InstanceSummary] {
        try await writer.read { db in
            if let athleteId { _ = try Self.athlete(db, scope, id: athleteId) }
            var condition: SQL = "TRUE"
            if let athleteId { condition += " AND i.athlete_id = \(athleteId)" }
            if let status { condition += " AND i.status = \(status.rawValue)" }
            return try db.rows(Self.instanceSQL(scope, where: condition) + " ORDER BY i.created_at DESC, i.id DESC")
                .map(Self.instanceSummary)
        }
    }
}
