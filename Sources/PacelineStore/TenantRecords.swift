import Foundation
import GRDB
import PacelineCore

// One record type per tenant table (the tables of accounts are in `Records.swift`), each with
// its `Columns`. They are the store's own: the public API speaks the domain types of the other
// files. Every one is a `TenantRecord`, so its requests are filtered through `scoped(to:)`.

struct PlanTemplateRecord: SnakeCaseRecord, TenantRecord, Sendable {
    static let databaseTableName = "plan_template"
    enum Columns {
        static let id = Column("id"), orgId = Column("org_id"), name = Column("name"), version = Column("version")
        static let description = Column("description"), planType = Column("plan_type"), level = Column("level")
        static let dayPattern = Column("day_pattern"), updatedAt = Column("updated_at")
    }
    var id: Int64?
    var orgId: Int64
    var name: String
    var description: String
    var planType: String
    var level: String
    var goalDistanceM: Double?
    var goalDate: String?
    var dayPattern: String
    var referenceVdot: Double?
    var source: String
    var version: Int
    var createdBy: Int64?
    var createdAt: Date
    var updatedAt: Date
}

struct PlanWeekRecord: SnakeCaseRecord, TenantRecord, Sendable {
    static let databaseTableName = "plan_week"
    enum Columns {
        static let orgId = Column("org_id"), templateId = Column("template_id"), week = Column("week")
    }
    var orgId: Int64
    var templateId: Int64
    var week: Int
    var phase: String?
    var isRecovery: Bool
}

struct PlanDayRecord: SnakeCaseRecord, TenantRecord, Sendable {
    static let databaseTableName = "plan_day"
    enum Columns {
        static let orgId = Column("org_id"), templateId = Column("template_id"), week = Column("week")
        static let weekday = Column("weekday")
    }
    var orgId: Int64
    var templateId: Int64
    var week: Int
    var weekday: Int
    var workoutJson: String
}

struct PlanAssignmentRecord: SnakeCaseRecord, TenantRecord, Sendable {
    static let databaseTableName = "plan_assignment"
    enum Columns {
        static let id = Column("id"), orgId = Column("org_id"), groupId = Column("group_id")
        static let createdAt = Column("created_at")
    }
    var id: Int64?
    var orgId: Int64
    var templateId: Int64?
    var groupId: Int64?
    var name: String
    var placement: String
    var placementDate: String
    var createdBy: Int64?
    var createdAt: Date
}

struct PlanInstanceRecord: SnakeCaseRecord, TenantRecord, Sendable {
    static let databaseTableName = "plan_instance"
    enum Columns {
        static let id = Column("id"), orgId = Column("org_id"), assignmentId = Column("assignment_id")
        static let athleteId = Column("athlete_id"), status = Column("status"), pausedSince = Column("paused_since")
        static let version = Column("version")
    }
    var id: Int64?
    var orgId: Int64
    var assignmentId: Int64?
    var athleteId: Int64
    var name: String
    var status: String
    var pausedSince: String?
    var version: Int
    var createdAt: Date
}

struct ScheduledWorkoutRecord: SnakeCaseRecord, TenantRecord, Sendable {
    static let databaseTableName = "scheduled_workout"
    enum Columns {
        static let id = Column("id"), orgId = Column("org_id"), instanceId = Column("instance_id"),
            date = Column("date")
        static let workoutJson = Column("workout_json"), completedAt = Column("completed_at")
        static let sequence = Column("sequence"), updatedAt = Column("updated_at")
    }
    var id: Int64?
    var orgId: Int64
    var instanceId: Int64
    var date: String
    var workoutJson: String
    var completedAt: Date?
    var uid: String
    var sequence: Int
    var updatedAt: Date
}

struct InstanceEventRecord: SnakeCaseRecord, TenantRecord, Sendable {
    static let databaseTableName = "instance_event"
    enum Columns {
        static let orgId = Column("org_id"), instanceId = Column("instance_id"), at = Column("at")
    }
    var id: Int64?
    var orgId: Int64
    var instanceId: Int64
    var at: Date
    var userId: Int64?
    var action: String
    var detail: String
}

struct ActivityFileRecord: SnakeCaseRecord, TenantRecord, Sendable {
    static let databaseTableName = "activity_file"
    enum Columns {
        static let id = Column("id"), orgId = Column("org_id")
    }
    var id: Int64?
    var orgId: Int64
    var athleteId: Int64
    var fileName: String
    var kind: String
    var byteCount: Int
    var sha256: String
    var content: Data
    var uploadedBy: Int64?
    var uploadedAt: Date
}

struct ActivityRecord: SnakeCaseRecord, TenantRecord, Sendable {
    static let databaseTableName = "activity"
    enum Columns {
        static let id = Column("id"), orgId = Column("org_id"), athleteId = Column("athlete_id"), date = Column("date")
        static let startTime = Column("start_time"), sport = Column("sport"), source = Column("source")
        static let scheduledId = Column("scheduled_id"), matchedByCoach = Column("matched_by_coach")
        static let updatedAt = Column("updated_at")
    }
    var id: Int64?
    var orgId: Int64
    var athleteId: Int64
    var date: String
    var startTime: Date?
    var sport: String
    var status: String
    var distanceM: Double?
    var durationS: Double?
    var elapsedS: Double?
    var movingS: Double?
    var avgHr: Double?
    var maxHr: Double?
    var elevationGainM: Double?
    var elevationLossM: Double?
    var rpe: Int?
    var feel: String?
    var notes: String
    var source: String
    var fileId: Int64?
    var points: Int
    var droppedPoints: Int
    var splitsJson: String
    var scheduledId: Int64?
    var matchedByCoach: Bool
    var createdBy: Int64?
    var createdAt: Date
    var updatedAt: Date
    var hrSamples: Int
    var hrDropouts: Int
    var cadenceCv: Double?
    var asymmetryPct: Double?
    var paceCv: Double?
    var avgPower: Double?
    var normalizedPower: Double?
    var best20minPower: Double?
    var effortHr: Double?

    /// A new row for `entry`, by the signed-in member of `scope`.
    init(
        _ entry: ActivityEntry, scope: TenantScope, athleteId: Int64, fileId: Int64?, scheduledId: Int64?, now: Date
    ) throws {
        id = nil
        orgId = scope.orgId
        self.athleteId = athleteId
        createdBy = scope.user.id
        createdAt = now
        updatedAt = now
        self.fileId = fileId
        self.scheduledId = scheduledId
        matchedByCoach = false
        date = entry.date.description
        startTime = entry.startTime
        sport = entry.sport.rawValue
        status = entry.status.rawValue
        distanceM = entry.distanceMeters
        durationS = entry.durationSeconds
        elapsedS = entry.elapsedSeconds
        movingS = entry.movingSeconds
        avgHr = entry.averageHeartRate
        maxHr = entry.maxHeartRate
        elevationGainM = entry.elevationGain
        elevationLossM = entry.elevationLoss
        rpe = entry.rpe
        feel = entry.feel?.rawValue
        notes = entry.notes
        source = entry.source.rawValue
        points = entry.points
        droppedPoints = entry.droppedPoints
        splitsJson = try AppDatabase.splitsJSON(entry.splits)
        hrSamples = entry.heartRateSamples
        hrDropouts = entry.heartRateDropouts
        cadenceCv = entry.mechanics?.cadenceVariation
        asymmetryPct = entry.mechanics?.asymmetry
        paceCv = entry.mechanics?.paceVariation
        avgPower = entry.averagePower
        normalizedPower = entry.normalizedPower
        best20minPower = entry.bestPower20Minutes
        effortHr = entry.effortHeartRate
    }
}

struct WellnessRecord: SnakeCaseRecord, TenantRecord, Sendable {
    static let databaseTableName = "wellness"
    enum Columns {
        static let orgId = Column("org_id"), athleteId = Column("athlete_id"), date = Column("date")
    }
    var id: Int64?
    var orgId: Int64
    var athleteId: Int64
    var date: String
    var hrvRmssd: Double?
    var restingHr: Int?
    var sleepHours: Double?
    var sleepQuality: Int?
    var soreness: Int?
    var stress: Int?
    var ill: Bool
    var illnessNote: String
    var cyclePhase: String?
    var notes: String
    var source: String
    var updatedAt: Date
}

struct AdaptationRowRecord: SnakeCaseRecord, TenantRecord, Sendable {
    static let databaseTableName = "adaptation"
    enum Columns {
        static let id = Column("id"), orgId = Column("org_id"), athleteId = Column("athlete_id"),
            state = Column("state")
        static let fingerprint = Column("fingerprint"), decidedAt = Column("decided_at"),
            decidedBy = Column("decided_by")
        static let undoJson = Column("undo_json"), changesJson = Column("changes_json")
    }
    var id: Int64?
    var orgId: Int64
    var athleteId: Int64
    var instanceId: Int64?
    var kind: String
    var fingerprint: String
    var title: String
    var explanation: String
    var changesJson: String
    var undoJson: String?
    var state: String
    var createdAt: Date
    var decidedAt: Date?
    var decidedBy: Int64?
}

struct OrganizationModelRecord: SnakeCaseRecord, TenantRecord, Sendable {
    static let databaseTableName = "organization_model"
    enum Columns {
        static let orgId = Column("org_id")
    }
    var orgId: Int64
    var tau1: Double
    var tau2: Double
    var athletes: Int
    var computedAt: Date
}

struct WeatherRecord: SnakeCaseRecord, TenantRecord, Sendable {
    static let databaseTableName = "weather"
    enum Columns {
        static let orgId = Column("org_id"), athleteId = Column("athlete_id"), date = Column("date")
    }
    var id: Int64?
    var orgId: Int64
    var athleteId: Int64
    var date: String
    var temperatureC: Double
    var dewPointC: Double
    var updatedBy: Int64?
    var updatedAt: Date
}

/// A browser that signed in before (OWASP device cookie), by the hash of its cookie. Not tenant
/// data: it belongs to a user, across organizations.
struct KnownDeviceRecord: SnakeCaseRecord, Sendable {
    static let databaseTableName = "known_device"
    enum Columns {
        static let tokenHash = Column("token_hash"), userId = Column("user_id"), expiresAt = Column("expires_at")
    }
    var tokenHash: String
    var userId: Int64
    var createdAt: Date
    var expiresAt: Date
}

extension ScheduledWorkoutRecord {
    /// A new day of an instance, with a UID calendar clients keep for it across edits.
    static func new(
        _ scope: TenantScope, instanceId: Int64, date: CalendarDate, json: String, now: Date
    ) -> ScheduledWorkoutRecord {
        ScheduledWorkoutRecord(
            id: nil, orgId: scope.orgId, instanceId: instanceId, date: date.description, workoutJson: json,
            completedAt: nil, uid: "\(UUID().uuidString.lowercased())@paceline", sequence: 0, updatedAt: now)
    }
}
