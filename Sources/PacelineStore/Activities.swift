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

    static let activitySelect = """
        SELECT a.*, f.file_name, s.workout_json AS scheduled_json FROM activity a
        LEFT JOIN activity_file f ON f.id = a.file_id
        LEFT JOIN scheduled_workout s ON s.id = a.scheduled_id
        """

    static func activityItem(_ row: Row) -> ActivityItem? {
        let dateText: String = row["date"], sportText: String = row["sport"], statusText: String = row["status"], sourceText: String = row["source"]
        guard let date = CalendarDate(dateText), let sport = Sport(rawValue: sportText), let status = ActivityStatus(rawValue: statusText),
              let source = ActivitySource(rawValue: sourceText) else { return nil }
        let splitsJSON: String = row["splits_json"]
        let splits = (try? JSONDecoder().decode([SplitJSON].self, from: Data(splitsJSON.utf8)))?.map {
            ActivitySummary.Split(index: $0.index, distanceMeters: $0.distance_m, seconds: $0.seconds)
        } ?? []
        let feel: String? = row["feel"]
        let entry = ActivityEntry(
            sport: sport, startTime: row["start_time"], date: date, status: status, distanceMeters: row["distance_m"],
            durationSeconds: row["duration_s"], elapsedSeconds: row["elapsed_s"], movingSeconds: row["moving_s"],
            averageHeartRate: row["avg_hr"], maxHeartRate: row["max_hr"], elevationGain: row["elevation_gain_m"],
            elevationLoss: row["elevation_loss_m"], rpe: row["rpe"], feel: feel.flatMap(ActivityFeel.init(rawValue:)),
            notes: row["notes"], source: source, points: row["points"], droppedPoints: row["dropped_points"],
            heartRateSamples: row["hr_samples"], heartRateDropouts: row["hr_dropouts"], splits: splits)
        let scheduledJSON: String? = row["scheduled_json"]
        return ActivityItem(id: row["id"], athleteId: row["athlete_id"], entry: entry, fileId: row["file_id"], fileName: row["file_name"],
                            scheduledId: row["scheduled_id"], scheduledName: scheduledJSON.flatMap { WorkoutJSONCache.shared.workout($0)?.name },
                            matchedByCoach: row["matched_by_coach"], createdAt: row["created_at"])
    }

    struct SplitJSON: Codable {
        let index: Int
        let distance_m: Double
        let seconds: Double
    }

    // MARK: Reading

    /// An athlete's activities between two days (inclusive), newest first.
    public func activities(_ scope: TenantScope, athleteId: Int64, from: CalendarDate, to: CalendarDate, limit: Int = 500) async throws -> [ActivityItem] {
        try await writer.read { db in
            _ = try Self.athlete(db, scope, id: athleteId)
            return try db.rows(sql: Self.activitySelect + """
                 WHERE a.org_id = ? AND a.athlete_id = ? AND a.date BETWEEN ? AND ?
                ORDER BY a.date DESC, a.start_time DESC, a.id DESC LIMIT ?
                """, arguments: [scope.orgId, athleteId, from.description, to.description, limit]).compactMap(Self.activityItem)
        }
    }

    public func activity(_ scope: TenantScope, id: Int64) async throws -> ActivityItem {
        try await writer.read { db in try Self.activity(db, scope, id: id) }
    }

    static func activity(_ db: Database, _ scope: TenantScope, id: Int64) throws -> ActivityItem {
        guard let row = try db.row(sql: activitySelect + " WHERE a.org_id = ? AND a.id = ?", arguments: [scope.orgId, id]),
              let item = activityItem(row) else { throw StoreError.notFound }
        return item
    }

    /// The original file of an activity, as uploaded.
    public func activityFile(_ scope: TenantScope, activityId: Int64) async throws -> (name: String, content: Data) {
        try await writer.read { db in
            guard let row = try db.row(sql: """
                SELECT f.file_name, f.content FROM activity a JOIN activity_file f ON f.id = a.file_id AND f.org_id = a.org_id
                WHERE a.org_id = ? AND a.id = ?
                """, arguments: [scope.orgId, activityId]) else { throw StoreError.notFound }
            return (row["file_name"], row["content"])
        }
    }

    // MARK: Writing

    /// Saves an activity from a file or a CSV row, unless the same session is already there.
    /// A file's original bytes are kept. The activity is matched to the athlete's planned workout
    /// of that day and sport; a hand-written log of that workout is completed with the file's numbers.
    public func importActivity(_ scope: TenantScope, athleteId: Int64, _ entry: ActivityEntry, file: ActivityUpload?, now: Date) async throws -> ImportOutcome {
        if let problem = entry.problems().first { throw StoreError.invalid(problem.message) }
        return try await writer.write { db in
            _ = try Self.athlete(db, scope, id: athleteId)
            if let start = entry.startTime, let existing = try db.row(sql: """
                SELECT id, source FROM activity WHERE org_id = ? AND athlete_id = ? AND sport = ? AND start_time BETWEEN ? AND ?
                ORDER BY id LIMIT 1
                """, arguments: [scope.orgId, athleteId, entry.sport.rawValue, start.addingTimeInterval(-Self.duplicateWindow),
                                 start.addingTimeInterval(Self.duplicateWindow)]) {
                return .duplicate(existingId: existing["id"], existingSource: ActivitySource(rawValue: existing["source"]) ?? .manual)
            }
            // A history row that knows only its day: the same day, sport, distance (±1 %) and time (±1 min).
            if entry.startTime == nil, entry.source == .csv, let existing = try db.row(sql: """
                SELECT id, source FROM activity WHERE org_id = ? AND athlete_id = ? AND sport = ? AND date = ?
                AND ABS(COALESCE(distance_m, 0) - ?) <= 0.01 * ? + 1 AND ABS(COALESCE(duration_s, 0) - ?) <= 60
                ORDER BY id LIMIT 1
                """, arguments: [scope.orgId, athleteId, entry.sport.rawValue, entry.date.description, entry.distanceMeters ?? 0,
                                 entry.distanceMeters ?? 0, entry.durationSeconds ?? 0]) {
                return .duplicate(existingId: existing["id"], existingSource: ActivitySource(rawValue: existing["source"]) ?? .manual)
            }
            var fileId: Int64? = nil
            if let file {
                let digest = SHA256.hash(data: file.content).map { String(format: "%02x", $0) }.joined()
                try db.execute(sql: """
                    INSERT INTO activity_file (org_id, athlete_id, file_name, kind, byte_count, sha256, content, uploaded_by, uploaded_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [scope.orgId, athleteId, String(file.fileName.prefix(200)), file.kind.rawValue, file.content.count, digest,
                                     file.content, scope.user.id, now])
                fileId = db.lastInsertedRowID
            }
            // A hand-written log of the same day's planned session, with no file yet: complete it.
            if let manual = try db.row(sql: """
                SELECT a.id, s.workout_json FROM activity a JOIN scheduled_workout s ON s.id = a.scheduled_id
                WHERE a.org_id = ? AND a.athlete_id = ? AND a.date = ? AND a.sport = ? AND a.source = 'manual' AND a.file_id IS NULL
                  AND a.start_time IS NULL AND a.status <> 'skipped'
                ORDER BY a.id LIMIT 1
                """, arguments: [scope.orgId, athleteId, entry.date.description, entry.sport.rawValue]) {
                let id: Int64 = manual["id"]
                try db.execute(sql: """
                    UPDATE activity SET start_time = ?, distance_m = ?, duration_s = ?, elapsed_s = ?, moving_s = ?, avg_hr = ?, max_hr = ?,
                    elevation_gain_m = ?, elevation_loss_m = ?, source = ?, file_id = ?, points = ?, dropped_points = ?, hr_samples = ?, hr_dropouts = ?,
                    splits_json = ?, updated_at = ?
                    WHERE id = ?
                    """, arguments: [entry.startTime, entry.distanceMeters, entry.durationSeconds, entry.elapsedSeconds, entry.movingSeconds,
                                     entry.averageHeartRate, entry.maxHeartRate, entry.elevationGain, entry.elevationLoss, entry.source.rawValue,
                                     fileId, entry.points, entry.droppedPoints, entry.heartRateSamples, entry.heartRateDropouts,
                                     try Self.splitsJSON(entry.splits), now, id])
                let name = (manual["workout_json"] as String?).flatMap { WorkoutJSONCache.shared.workout($0)?.name }
                return .imported(id: id, matched: name, merged: true)
            }
            let id = try Self.insertActivity(db, scope, athleteId: athleteId, entry, fileId: fileId, scheduledId: nil, now: now)
            let matched = try Self.autoMatch(db, scope, activityId: id, athleteId: athleteId, date: entry.date, sport: entry.sport)
            return .imported(id: id, matched: matched, merged: false)
        }
    }

    static func splitsJSON(_ splits: [ActivitySummary.Split]) throws -> String {
        String(decoding: try JSONEncoder().encode(splits.map { SplitJSON(index: $0.index, distance_m: $0.distanceMeters, seconds: $0.seconds) }), as: UTF8.self)
    }

    static func insertActivity(_ db: Database, _ scope: TenantScope, athleteId: Int64, _ entry: ActivityEntry, fileId: Int64?, scheduledId: Int64?,
                               now: Date) throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO activity (org_id, athlete_id, date, start_time, sport, status, distance_m, duration_s, elapsed_s, moving_s, avg_hr, max_hr,
                elevation_gain_m, elevation_loss_m, rpe, feel, notes, source, file_id, points, dropped_points, hr_samples, hr_dropouts,
                splits_json, scheduled_id, created_by, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [scope.orgId, athleteId, entry.date.description, entry.startTime, entry.sport.rawValue, entry.status.rawValue,
                             entry.distanceMeters, entry.durationSeconds, entry.elapsedSeconds, entry.movingSeconds, entry.averageHeartRate,
                             entry.maxHeartRate, entry.elevationGain, entry.elevationLoss, entry.rpe, entry.feel?.rawValue, entry.notes,
                             entry.source.rawValue, fileId, entry.points, entry.droppedPoints, entry.heartRateSamples, entry.heartRateDropouts,
                             try splitsJSON(entry.splits), scheduledId,
                             scope.user.id, now, now])
        return db.lastInsertedRowID
    }

    /// Matches an activity to the athlete's visible planned workout of that day and sport that
    /// has no activity yet; returns the workout's name.
    static func autoMatch(_ db: Database, _ scope: TenantScope, activityId: Int64, athleteId: Int64, date: CalendarDate, sport: Sport) throws -> String? {
        let candidates = try visibleSchedule(db, scope, athleteId: athleteId, from: date, to: date).map(\.0)
            .filter { $0.workout.sport == sport && $0.outcome == nil }
        guard let target = candidates.first else { return nil }
        try db.execute(sql: "UPDATE activity SET scheduled_id = ?, matched_by_coach = 0 WHERE id = ? AND org_id = ?",
                       arguments: [target.id, activityId, scope.orgId])
        return target.workout.name
    }

    /// The athlete's own log: a new entry (for a planned workout or free), or an edit of one.
    /// For a planned workout that already has an activity, the log edits that activity: a file's
    /// numbers stay, the athlete's status, RPE, feel and notes are added.
    public func logActivity(_ scope: TenantScope, athleteId: Int64, _ entry: ActivityEntry, scheduledId: Int64?, activityId: Int64?,
                            now: Date) async throws -> Int64 {
        if let problem = entry.problems().first { throw StoreError.invalid(problem.message) }
        return try await writer.write { db in
            _ = try Self.athlete(db, scope, id: athleteId)
            var existing: ActivityItem? = nil
            if let activityId {
                existing = try Self.activity(db, scope, id: activityId)
                guard existing?.athleteId == athleteId else { throw StoreError.notFound }
            }
            if let scheduledId {
                guard let item = try Self.items(db, scope, sql: "s.id = ?", arguments: [scheduledId]).first, item.athleteId == athleteId else {
                    throw StoreError.notFound
                }
                if existing == nil, let done = item.outcome { existing = try Self.activity(db, scope, id: done.activityId) }
            }
            if let existing {
                let fromFile = existing.fileId != nil
                try db.execute(sql: """
                    UPDATE activity SET status = ?, rpe = ?, feel = ?, notes = ?, updated_at = ?,
                        sport = CASE WHEN ? THEN sport ELSE ? END, date = CASE WHEN ? THEN date ELSE ? END,
                        distance_m = CASE WHEN ? THEN distance_m ELSE ? END, duration_s = CASE WHEN ? THEN duration_s ELSE ? END,
                        avg_hr = CASE WHEN ? THEN avg_hr ELSE ? END
                    WHERE id = ? AND org_id = ?
                    """, arguments: [entry.status.rawValue, entry.rpe, entry.feel?.rawValue, entry.notes, now,
                                     fromFile, entry.sport.rawValue, fromFile, entry.date.description,
                                     fromFile, entry.distanceMeters, fromFile, entry.durationSeconds, fromFile, entry.averageHeartRate,
                                     existing.id, scope.orgId])
                return existing.id
            }
            let id = try Self.insertActivity(db, scope, athleteId: athleteId, entry, fileId: nil, scheduledId: scheduledId, now: now)
            if scheduledId == nil, entry.status != .skipped {
                _ = try Self.autoMatch(db, scope, activityId: id, athleteId: athleteId, date: entry.date, sport: entry.sport)
            }
            return id
        }
    }

    /// The coach's choice: match an activity to another planned workout of the athlete, or to none.
    public func rematchActivity(_ scope: TenantScope, activityId: Int64, scheduledId: Int64?, now: Date) async throws {
        try await writer.write { db in
            let activity = try Self.activity(db, scope, id: activityId)
            if let scheduledId {
                guard let item = try Self.items(db, scope, sql: "s.id = ?", arguments: [scheduledId]).first, item.athleteId == activity.athleteId else {
                    throw StoreError.notFound
                }
                if let other = item.outcome, other.activityId != activityId {
                    // The workout had another activity: that one becomes unmatched.
                    try db.execute(sql: "UPDATE activity SET scheduled_id = NULL, matched_by_coach = 1 WHERE id = ? AND org_id = ?",
                                   arguments: [other.activityId, scope.orgId])
                }
            }
            try db.execute(sql: "UPDATE activity SET scheduled_id = ?, matched_by_coach = 1, updated_at = ? WHERE id = ? AND org_id = ?",
                           arguments: [scheduledId, now, activityId, scope.orgId])
            try self.audit(db, scope: scope, userId: nil, action: scheduledId == nil ? "activity.unmatched" : "activity.matched",
                           detail: "activity \(activityId)", now: now)
        }
    }

    public func deleteActivity(_ scope: TenantScope, activityId: Int64) async throws {
        try await writer.write { db in
            let activity = try Self.activity(db, scope, id: activityId)
            try db.execute(sql: "DELETE FROM activity WHERE id = ? AND org_id = ?", arguments: [activityId, scope.orgId])
            if let fileId = activity.fileId {
                try db.execute(sql: "DELETE FROM activity_file WHERE id = ? AND org_id = ?", arguments: [fileId, scope.orgId])
            }
        }
    }

    /// Planned workouts an activity could be matched to: the athlete's visible workouts within three days.
    public func matchCandidates(_ scope: TenantScope, activityId: Int64) async throws -> [ScheduledItem] {
        try await writer.read { db in
            let activity = try Self.activity(db, scope, id: activityId)
            return try Self.visibleSchedule(db, scope, athleteId: activity.athleteId, from: activity.entry.date.adding(days: -3),
                                            to: activity.entry.date.adding(days: 3)).map(\.0)
        }
    }
}

// MARK: Check-ins

extension AppDatabase {
    static func checkIn(_ row: Row) -> CheckIn? {
        let dateText: String = row["date"]
        guard let date = CalendarDate(dateText) else { return nil }
        let phase: String? = row["cycle_phase"]
        return CheckIn(date: date, hrvRMSSD: row["hrv_rmssd"], restingHR: row["resting_hr"], sleepHours: row["sleep_hours"],
                       sleepQuality: row["sleep_quality"], soreness: row["soreness"], stress: row["stress"], ill: row["ill"],
                       illnessNote: row["illness_note"], cyclePhase: phase.flatMap(CyclePhase.init(rawValue:)), notes: row["notes"])
    }

    public func checkIns(_ scope: TenantScope, athleteId: Int64, from: CalendarDate, to: CalendarDate) async throws -> [CheckIn] {
        try await writer.read { db in
            _ = try Self.athlete(db, scope, id: athleteId)
            return try db.rows(sql: "SELECT * FROM wellness WHERE org_id = ? AND athlete_id = ? AND date BETWEEN ? AND ? ORDER BY date",
                               arguments: [scope.orgId, athleteId, from.description, to.description]).compactMap(Self.checkIn)
        }
    }

    /// Saves check-ins, replacing what an athlete wrote for the same days. Returns (new, replaced).
    @discardableResult
    public func saveCheckIns(_ scope: TenantScope, athleteId: Int64, _ checkIns: [CheckIn], fromCSV: Bool, now: Date) async throws -> (created: Int, updated: Int) {
        for checkIn in checkIns {
            if let problem = checkIn.problems().first { throw StoreError.invalid("\(checkIn.date): \(problem.message)") }
        }
        return try await writer.write { db in
            _ = try Self.athlete(db, scope, id: athleteId)
            var created = 0, updated = 0
            for c in checkIns {
                let exists = try Int.fetchOne(db, sql: "SELECT 1 FROM wellness WHERE athlete_id = ? AND org_id = ? AND date = ?",
                                              arguments: [athleteId, scope.orgId, c.date.description]) != nil
                try db.execute(sql: """
                    INSERT INTO wellness (org_id, athlete_id, date, hrv_rmssd, resting_hr, sleep_hours, sleep_quality, soreness, stress, ill,
                        illness_note, cycle_phase, notes, source, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (athlete_id, date) DO UPDATE SET hrv_rmssd = excluded.hrv_rmssd, resting_hr = excluded.resting_hr,
                        sleep_hours = excluded.sleep_hours, sleep_quality = excluded.sleep_quality, soreness = excluded.soreness,
                        stress = excluded.stress, ill = excluded.ill, illness_note = excluded.illness_note, cycle_phase = excluded.cycle_phase,
                        notes = excluded.notes, source = excluded.source, updated_at = excluded.updated_at
                    """, arguments: [scope.orgId, athleteId, c.date.description, c.hrvRMSSD, c.restingHR, c.sleepHours, c.sleepQuality, c.soreness,
                                     c.stress, c.ill, c.illnessNote, c.cyclePhase?.rawValue, c.notes, fromCSV ? "csv" : "form", now])
                if exists { updated += 1 } else { created += 1 }
            }
            return (created, updated)
        }
    }
}
