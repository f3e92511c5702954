import Crypto
import Foundation
import GRDB
import PacelineCore

/// A recorded activity as the pages show it.
public struct ActivityItem: Sendable, Hashable, Identifiable {
    public let id: Int64
    public let athleteId: Int64
    public let entry: ActivityEntry
    public let fileId: Int64?
    public let fileName: String?
    public let scheduledId: Int64?
    public let scheduledName: String?
    public let matchedByCoach: Bool
    public let createdAt: Date
}

/// An activity file as uploaded, kept so it can be parsed again when the readers improve.
public struct ActivityUpload: Sendable {
    public let fileName: String
    public let kind: ActivitySource
    public let content: Data

    public init(fileName: String, kind: ActivitySource, content: Data) {
        self.fileName = fileName
        self.kind = kind
        self.content = content
    }
}

/// What happened to one imported activity.
public enum ImportOutcome: Sendable, Hashable {
    /// Saved; `matched` names the planned workout it was matched to, if any; `merged` when it
    /// completed an entry the athlete had logged by hand.
    case imported(id: Int64, matched: String?, merged: Bool)
    /// Already there: the same sport started within a minute of this one. The existing one is kept.
    case duplicate(existingId: Int64, existingSource: ActivitySource)
}

/// What a matched activity did for a scheduled workout.
public struct DoneOutcome: Sendable, Hashable {
    public let activityId: Int64
    public let status: ActivityStatus
    public let distanceMeters: Double?
    public let durationSeconds: Double?
}

extension AppDatabase {
    /// Two activities of one sport starting within this many seconds are the same session.
    public static let duplicateWindow: TimeInterval = 60

    /// Activities of the organization with their file's name and the matched workout, where `condition`.
    static func activitySQL(_ scope: TenantScope, where condition: SQL) -> SQL {
        """
        SELECT a.*, f.file_name, s.workout_json AS scheduled_json FROM activity a
        LEFT JOIN activity_file f ON f.id = a.file_id
        LEFT JOIN scheduled_workout s ON s.id = a.scheduled_id
        WHERE \(scope.owns("a")) AND \(condition)
        """
    }

    static func activityItem(_ row: Row) -> ActivityItem? {
        let dateText: String = row["date"], sportText: String = row["sport"], statusText: String = row["status"],
            sourceText: String = row["source"]
        guard let date = CalendarDate(dateText), let sport = Sport(rawValue: sportText),
            let status = ActivityStatus(rawValue: statusText),
            let source = ActivitySource(rawValue: sourceText)
        else { return nil }
        let splitsJSON: String = row["splits_json"]
        let splits =
            (try? JSONDecoder().decode([SplitJSON].self, from: Data(splitsJSON.utf8)))?.map {
                ActivitySummary.Split(index: $0.index, distanceMeters: $0.distance_m, seconds: $0.seconds)
            } ?? []
        let feel: String? = row["feel"]
        var entry = ActivityEntry(
            sport: sport, startTime: row["start_time"], date: date, status: status, distanceMeters: row["distance_m"],
            durationSeconds: row["duration_s"], elapsedSeconds: row["elapsed_s"], movingSeconds: row["moving_s"],
            averageHeartRate: row["avg_hr"], maxHeartRate: row["max_hr"], elevationGain: row["elevation_gain_m"],
            elevationLoss: row["elevation_loss_m"], rpe: row["rpe"], feel: feel.flatMap(ActivityFeel.init(rawValue:)),
            notes: row["notes"], source: source, points: row["points"], droppedPoints: row["dropped_points"],
            heartRateSamples: row["hr_samples"], heartRateDropouts: row["hr_dropouts"], splits: splits,
            mechanics: mechanics(row))
        entry.averagePower = row["avg_power"]
        entry.normalizedPower = row["normalized_power"]
        entry.bestPower20Minutes = row["best20min_power"]
        entry.effortHeartRate = row["effort_hr"]
        let scheduledJSON: String? = row["scheduled_json"]
        return ActivityItem(
            id: row["id"], athleteId: row["athlete_id"], entry: entry, fileId: row["file_id"],
            fileName: row["file_name"],
            scheduledId: row["scheduled_id"],
            scheduledName: scheduledJSON.flatMap { WorkoutJSONCache.shared.workout($0)?.name },
            matchedByCoach: row["matched_by_coach"], createdAt: row["created_at"])
    }

    static func mechanics(_ row: Row) -> StrideMechanics? {
        let m = StrideMechanics(
            cadenceVariation: row["cadence_cv"], asymmetry: row["asymmetry_pct"], paceVariation: row["pace_cv"])
        return m.isEmpty ? nil : m
    }

    struct SplitJSON: Codable {
        let index: Int
        let distance_m: Double
        let seconds: Double
    }

    // MARK: Reading

    /// An athlete's activities between two days (inclusive), newest first.
    public func activities(
        _ scope: TenantScope, athleteId: Int64, from: CalendarDate, to: CalendarDate, limit: Int = 500
    ) async throws -> [ActivityItem] {
        try await writer.read { db in
            _ = try Self.athlete(db, scope, id: athleteId)
            let during: SQL = "a.athlete_id = \(athleteId) AND a.date BETWEEN \(from.description) AND \(to.description)"
            return try db.rows(
                Self.activitySQL(scope, where: during)
                    + " ORDER BY a.date DESC, a.start_time DESC, a.id DESC LIMIT \(limit)"
            ).compactMap(Self.activityItem)
        }
    }

    public func activity(_ scope: TenantScope, id: Int64) async throws -> ActivityItem {
        try await writer.read { db in try Self.activity(db, scope, id: id) }
    }

    static func activity(_ db: StoreConnection, _ scope: TenantScope, id: Int64) throws -> ActivityItem {
        guard let row = try db.row(activitySQL(scope, where: "a.id = \(id)")),
            let item = activityItem(row)
        else { throw StoreError.notFound }
        return item
    }

    /// The original file of an activity, as uploaded.
    public func activityFile(_ scope: TenantScope, activityId: Int64) async throws -> (name: String, content: Data) {
        try await writer.read { db in
            guard
                let row = try db.row(
                    """
                    SELECT f.file_name, f.content FROM activity a JOIN activity_file f ON f.id = a.file_id
                    AND f.org_id = a.org_id
                    WHERE \(scope.owns("a")) AND a.id = \(activityId)
                    """)
            else { throw StoreError.notFound }
            return (row["file_name"], row["content"])
        }
    }

    // MARK: Writing

    /// Saves an activity from a file or a CSV row, unless the same session is already there.
    /// A file's original bytes are kept. The activity is matched to the athlete's planned workout
    /// of that day and sport; a hand-written log of that workout is completed with the file's numbers.
    public func importActivity(
        _ scope: TenantScope, athleteId: Int64, _ entry: ActivityEntry, file: ActivityUpload?, now: Date
    ) async throws -> ImportOutcome {
        if let problem = entry.problems().first { throw StoreError.invalid(problem.message) }
        return try await writer.write { db in
            _ = try Self.athlete(db, scope, id: athleteId)
            let sameSession = ActivityRecord.scoped(to: scope)
                .filter(
                    ActivityRecord.Columns.athleteId == athleteId
                        && ActivityRecord.Columns.sport == entry.sport.rawValue
                )
                .order(ActivityRecord.Columns.id)
            if let start = entry.startTime,
                let existing = try sameSession.filter(
                    ActivityRecord.Columns.startTime >= start.addingTimeInterval(-Self.duplicateWindow)
                        && ActivityRecord.Columns.startTime <= start.addingTimeInterval(Self.duplicateWindow)
                ).fetchOne(db)
            {
                return .duplicate(
                    existingId: existing.id ?? 0, existingSource: ActivitySource(rawValue: existing.source) ?? .manual)
            }
            // A history row that knows only its day: the same day, sport, distance (±1 %) and time (±1 min).
            let distance = entry.distanceMeters ?? 0, duration = entry.durationSeconds ?? 0
            if entry.startTime == nil, entry.source == .csv,
                let existing = try sameSession.filter(
                    literal: """
                        date = \(entry.date.description)
                        AND ABS(COALESCE(distance_m, 0) - \(distance)) <= 0.01 * \(distance) + 1
                        AND ABS(COALESCE(duration_s, 0) - \(duration)) <= 60
                        """
                ).fetchOne(db)
            {
                return .duplicate(
                    existingId: existing.id ?? 0, existingSource: ActivitySource(rawValue: existing.source) ?? .manual)
            }
            var fileId: Int64? = nil
            if let file {
                let digest = SHA256.hash(data: file.content).map { String(format: "%02x", $0) }.joined()
                try ActivityFileRecord(
                    id: nil, orgId: scope.orgId, athleteId: athleteId, fileName: String(file.fileName.prefix(200)),
                    kind: file.kind.rawValue, byteCount: file.content.count, sha256: digest, content: file.content,
                    uploadedBy: scope.user.id, uploadedAt: now
                ).insert(db)
                fileId = db.lastInsertedRowID
            }
            // A hand-written log of the same day's planned session, with no file yet: complete it.
            if let manual = try db.row(
                """
                SELECT a.id, s.workout_json FROM activity a JOIN scheduled_workout s ON s.id = a.scheduled_id
                WHERE \(scope.owns("a")) AND a.athlete_id = \(athleteId) AND a.date = \(entry.date.description)
                  AND a.sport = \(entry.sport.rawValue) AND a.source = 'manual' AND a.file_id IS NULL
                  AND a.start_time IS NULL AND a.status <> 'skipped'
                ORDER BY a.id LIMIT 1
                """), var record = try ActivityRecord.scoped(to: scope).filter(key: manual["id"] as Int64).fetchOne(db)
            {
                // The file's numbers complete the log; the athlete's status, RPE, feel and notes stay.
                let kept = (
                    record.status, record.rpe, record.feel, record.notes, record.scheduledId, record.matchedByCoach,
                    record.createdBy, record.createdAt
                )
                record = try ActivityRecord(
                    entry, scope: scope, athleteId: athleteId, fileId: fileId, scheduledId: nil, now: now)
                record.id = manual["id"]
                (
                    record.status, record.rpe, record.feel, record.notes, record.scheduledId, record.matchedByCoach,
                    record.createdBy, record.createdAt
                ) = kept
                try record.update(db)
                let name = (manual["workout_json"] as String?).flatMap { WorkoutJSONCache.shared.workout($0)?.name }
                return .imported(id: record.id ?? 0, matched: name, merged: true)
            }
            let id = try Self.insertActivity(
                db, scope, athleteId: athleteId, entry, fileId: fileId, scheduledId: nil, now: now)
            try Self.tellCoachesOfActivity(db, scope, athleteId: athleteId, entry, id: id, now: now)
            let matched = try Self.autoMatch(
                db, scope, activityId: id, athleteId: athleteId, date: entry.date, sport: entry.sport)
            return .imported(id: id, matched: matched, merged: false)
        }
    }

    static func splitsJSON(_ splits: [ActivitySummary.Split]) throws -> String {
        String(
            decoding: try JSONEncoder().encode(
                splits.map { SplitJSON(index: $0.index, distance_m: $0.distanceMeters, seconds: $0.seconds) }),
            as: UTF8.self)
    }

    static func insertActivity(
        _ db: StoreConnection, _ scope: TenantScope, athleteId: Int64, _ entry: ActivityEntry, fileId: Int64?,
        scheduledId: Int64?,
        now: Date
    ) throws -> Int64 {
        try ActivityRecord(
            entry, scope: scope, athleteId: athleteId, fileId: fileId, scheduledId: scheduledId, now: now
        ).insert(db)
        return db.lastInsertedRowID
    }

    /// Matches an activity to the athlete's visible planned workout of that day and sport that
    /// has no activity yet; returns the workout's name.
    static func autoMatch(
        _ db: StoreConnection, _ scope: TenantScope, activityId: Int64, athleteId: Int64, date: CalendarDate,
        sport: Sport
    ) throws -> String? {
        let candidates = try visibleSchedule(db, scope, athleteId: athleteId, from: date, to: date).map(\.0)
            .filter { $0.workout.sport == sport && $0.outcome == nil }
        guard let target = candidates.first else { return nil }
        try ActivityRecord.scoped(to: scope).filter(key: activityId)
            .updateAll(
                db, ActivityRecord.Columns.scheduledId.set(to: target.id),
                ActivityRecord.Columns.matchedByCoach.set(to: false))
        return target.workout.name
    }

    /// The athlete's own log: a new entry (for a planned workout or free), or an edit of one.
    /// For a planned workout that already has an activity, the log edits that activity: a file's
    /// numbers stay, the athlete's status, RPE, feel and notes are added.
    /// A session the athlete logged or uploaded themselves, of the last week: their coaches are told.
    static func tellCoachesOfActivity(
        _ db: StoreConnection, _ scope: TenantScope, athleteId: Int64, _ entry: ActivityEntry, id: Int64, now: Date
    ) throws {
        let athlete = try athletePerson(db, scope, id: athleteId)
        let today = try Self.today(db, scope, athleteId: athleteId, now: now)
        guard athlete.userId == scope.user.id, entry.date >= today.adding(days: -7) else { return }
        let what =
            entry.status == .skipped
            ? "skipped a session" : "logged a \(entry.sport.label.lowercased()) on \(Weekday(entry.date).label)"
        try notify(
            db, orgId: scope.orgId, users: try coachesOf(db, orgId: scope.orgId, athleteId: athleteId),
            except: scope.user.id, kind: .upload, title: "\(athlete.name) \(what)", link: .activity(id),
            dedupe: "upload:\(id)", now: now)
    }

    public func logActivity(
        _ scope: TenantScope, athleteId: Int64, _ entry: ActivityEntry, scheduledId: Int64?, activityId: Int64?,
        now: Date
    ) async throws -> Int64 {
        if let problem = entry.problems().first { throw StoreError.invalid(problem.message) }
        return try await writer.write { db in
            try Self.requireAthlete(db, scope, id: athleteId)
            var existing: ActivityItem? = nil
            if let activityId {
                existing = try Self.activity(db, scope, id: activityId)
                guard existing?.athleteId == athleteId else { throw StoreError.notFound }
            }
            if let scheduledId {
                guard let item = try Self.items(db, scope, .id(scheduledId)).first, item.athleteId == athleteId else {
                    throw StoreError.notFound
                }
                if existing == nil, let done = item.outcome {
                    existing = try Self.activity(db, scope, id: done.activityId)
                }
            }
            if let existing {
                // The core's rule: a file's own numbers stay, the athlete's fields are theirs.
                let edited = existing.entry.applyingHandEdit(entry)
                try ActivityRecord.scoped(to: scope).filter(key: existing.id).updateAll(
                    db, Column("status").set(to: edited.status.rawValue), Column("rpe").set(to: edited.rpe),
                    Column("feel").set(to: edited.feel?.rawValue), Column("notes").set(to: edited.notes),
                    Column("sport").set(to: edited.sport.rawValue), Column("date").set(to: edited.date.description),
                    Column("distance_m").set(to: edited.distanceMeters),
                    Column("duration_s").set(to: edited.durationSeconds),
                    Column("avg_hr").set(to: edited.averageHeartRate), ActivityRecord.Columns.updatedAt.set(to: now))
                return existing.id
            }
            let id = try Self.insertActivity(
                db, scope, athleteId: athleteId, entry, fileId: nil, scheduledId: scheduledId, now: now)
            try Self.tellCoachesOfActivity(db, scope, athleteId: athleteId, entry, id: id, now: now)
            if scheduledId == nil, entry.status != .skipped {
                _ = try Self.autoMatch(
                    db, scope, activityId: id, athleteId: athleteId, date: entry.date, sport: entry.sport)
            }
            return id
        }
    }

    /// The coach's choice: match an activity to another planned workout of the athlete, or to none.
    public func rematchActivity(_ scope: TenantScope, activityId: Int64, scheduledId: Int64?, now: Date) async throws {
        try await writer.write { db in
            let activity = try Self.activity(db, scope, id: activityId)
            if let scheduledId {
                guard let item = try Self.items(db, scope, .id(scheduledId)).first, item.athleteId == activity.athleteId
                else {
                    throw StoreError.notFound
                }
                if let other = item.outcome, other.activityId != activityId {
                    // The workout had another activity: that one becomes unmatched.
                    try ActivityRecord.scoped(to: scope).filter(key: other.activityId).updateAll(
                        db, ActivityRecord.Columns.scheduledId.set(to: nil),
                        ActivityRecord.Columns.matchedByCoach.set(to: true))
                }
            }
            try ActivityRecord.scoped(to: scope).filter(key: activityId).updateAll(
                db, ActivityRecord.Columns.scheduledId.set(to: scheduledId),
                ActivityRecord.Columns.matchedByCoach.set(to: true),
                ActivityRecord.Columns.updatedAt.set(to: now))
            try self.audit(
                db, scope: scope, userId: nil, action: scheduledId == nil ? "activity.unmatched" : "activity.matched",
                detail: "activity \(activityId)", now: now)
        }
    }

    public func deleteActivity(_ scope: TenantScope, activityId: Int64) async throws {
        try await writer.write { db in
            let activity = try Self.activity(db, scope, id: activityId)
            try ActivityRecord.scoped(to: scope).filter(key: activityId).deleteAll(db)
            if let fileId = activity.fileId {
                try ActivityFileRecord.scoped(to: scope).filter(key: fileId).deleteAll(db)
            }
        }
    }

    /// Planned workouts an activity could be matched to: the athlete's visible workouts within three days.
    public func matchCandidates(_ scope: TenantScope, activityId: Int64) async throws -> [ScheduledItem] {
        try await writer.read { db in
            let activity = try Self.activity(db, scope, id: activityId)
            return try Self.visibleSchedule(
                db, scope, athleteId: activity.athleteId, from: activity.entry.date.adding(days: -3),
                to: activity.entry.date.adding(days: 3)
            ).map(\.0)
        }
    }
}

// MARK: Check-ins

extension AppDatabase {
    static func checkIn(_ row: Row) -> CheckIn? {
        let dateText: String = row["date"]
        guard let date = CalendarDate(dateText) else { return nil }
        let phase: String? = row["cycle_phase"]
        return CheckIn(
            date: date, hrvRMSSD: row["hrv_rmssd"], restingHR: row["resting_hr"], sleepHours: row["sleep_hours"],
            sleepQuality: row["sleep_quality"], soreness: row["soreness"], stress: row["stress"], ill: row["ill"],
            illnessNote: row["illness_note"], cyclePhase: phase.flatMap(CyclePhase.init(rawValue:)), notes: row["notes"]
        )
    }

    public func checkIns(
        _ scope: TenantScope, athleteId: Int64, from: CalendarDate, to: CalendarDate
    ) async throws -> [CheckIn] {
        try await writer.read { db in
            _ = try Self.athlete(db, scope, id: athleteId)
            return try Self.checkIns(db, scope, athleteId: athleteId, from: from, to: to)
        }
    }

    static func checkIns(
        _ db: StoreConnection, _ scope: TenantScope, athleteId: Int64, from: CalendarDate, to: CalendarDate
    ) throws
        -> [CheckIn]
    {
        try Row.fetchAll(
            db,
            WellnessRecord.scoped(to: scope).forAthlete(athleteId).between(from, to)
                .order(WellnessRecord.Columns.date)
        ).compactMap(Self.checkIn)
    }

    /// Saves check-ins, replacing what an athlete wrote for the same days. Returns (new, replaced).
    @discardableResult
    public func saveCheckIns(
        _ scope: TenantScope, athleteId: Int64, _ checkIns: [CheckIn], fromCSV: Bool, now: Date
    ) async throws -> (created: Int, updated: Int) {
        for checkIn in checkIns {
            if let problem = checkIn.problems().first {
                throw StoreError.invalid("\(checkIn.date): \(problem.message)")
            }
        }
        return try await writer.write { db in
            try Self.requireAthlete(db, scope, id: athleteId)
            var created = 0, updated = 0
            for c in checkIns {
                let day = SQLRequest<WellnessRecord>(
                    literal: """
                        SELECT * FROM wellness w
                        WHERE \(scope.owns("w")) AND w.athlete_id = \(athleteId) AND w.date = \(c.date.description)
                        """, cached: true)
                var record = WellnessRecord(
                    id: nil, orgId: scope.orgId, athleteId: athleteId, date: c.date.description, hrvRmssd: c.hrvRMSSD,
                    restingHr: c.restingHR, sleepHours: c.sleepHours, sleepQuality: c.sleepQuality,
                    soreness: c.soreness,
                    stress: c.stress, ill: c.ill, illnessNote: c.illnessNote, cyclePhase: c.cyclePhase?.rawValue,
                    notes: c.notes,
                    source: fromCSV ? "csv" : "form", updatedAt: now)
                // One check-in a day: a second one for the same day replaces the first.
                if let existing = try day.fetchOne(db) {
                    record.id = existing.id
                    try record.update(db)
                    updated += 1
                } else {
                    try record.insert(db)
                    created += 1
                }
            }
            // An illness reported for today or yesterday: the athlete's coaches are told (not old history).
            let today = try Self.today(db, scope, athleteId: athleteId, now: now)
            if let ill = checkIns.first(where: { $0.ill && $0.date >= today.adding(days: -1) && $0.date <= today }) {
                let name = try Self.athletePerson(db, scope, id: athleteId).name
                try Self.notify(
                    db, orgId: scope.orgId, users: try Self.coachesOf(db, orgId: scope.orgId, athleteId: athleteId),
                    except: scope.user.id, kind: .ill,
                    title: "\(name) reports being ill" + (ill.illnessNote.isEmpty ? "" : ": \(ill.illnessNote)"),
                    link: .athleteForm(athleteId), dedupe: "ill:\(athleteId):\(ill.date)", now: now)
            }
            return (created, updated)
        }
    }
}

extension AppDatabase {
    /// A page of an athlete's activities for the API, newest first by day then id, after `before`
    /// (the last one of the previous page).
    public func activityPage(
        _ scope: TenantScope, athleteId: Int64, before: (date: CalendarDate, id: Int64)?, limit: Int
    ) async throws -> [ActivityItem] {
        try await writer.read { db in
            _ = try Self.athlete(db, scope, id: athleteId)
            var condition: SQL = "a.athlete_id = \(athleteId)"
            if let (date, id) = before {
                condition += " AND (a.date < \(date.description) OR (a.date = \(date.description) AND a.id < \(id)))"
            }
            return try db.rows(
                Self.activitySQL(scope, where: condition) + " ORDER BY a.date DESC, a.id DESC LIMIT \(limit)"
            ).compactMap(Self.activityItem)
        }
    }

    /// A page of an athlete's check-ins for the API, newest first, of days before `before`.
    public func checkInPage(
        _ scope: TenantScope, athleteId: Int64, before: CalendarDate?, limit: Int
    ) async throws -> [CheckIn] {
        try await writer.read { db in
            _ = try Self.athlete(db, scope, id: athleteId)
            let last = (before ?? CalendarDate.latest).adding(days: -1)
            let days = try String.fetchAll(
                db,
                WellnessRecord.scoped(to: scope).forAthlete(athleteId).between(.earliest, last)
                    .select(WellnessRecord.Columns.date).order(WellnessRecord.Columns.date.desc).limit(limit))
            guard let first = days.last.flatMap(CalendarDate.init) else { return [] }
            return try Self.checkIns(db, scope, athleteId: athleteId, from: first, to: last).reversed()
        }
    }
}
