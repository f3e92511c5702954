import Foundation
import GRDB
import PacelineCore

/// A workout of an organization's library.
public struct LibraryWorkout: Sendable, Hashable, Identifiable {
    public let id: Int64
    public let workout: Workout
    /// Bumped by every update: an edit based on an older version is refused, not lost.
    public let version: Int
    public let updatedAt: Date
}

/// How the library list is filtered; empty fields do not filter.
public struct WorkoutFilter: Sendable {
    public var sport: Sport?
    public var subtype: WorkoutSubtype?
    public var text: String

    public init(sport: Sport? = nil, subtype: WorkoutSubtype? = nil, text: String = "") {
        self.sport = sport
        self.subtype = subtype
        self.text = text
    }
}

struct WorkoutRecord: SnakeCaseRecord, TenantRecord, Sendable {
    static let databaseTableName = "workout"
    var id: Int64?
    var orgId: Int64
    var name: String
    var sport: String
    var subtype: String
    var targetDistanceM: Double?
    var targetDurationS: Double?
    var notes: String
    var blocksJson: String
    var version: Int
    var createdBy: Int64?
    var createdAt: Date
    var updatedAt: Date

    func libraryWorkout() throws -> LibraryWorkout {
        guard let sport = Sport(rawValue: sport), let subtype = WorkoutSubtype(rawValue: subtype) else {
            throw StoreError.invalid("Workout \(id ?? 0) has an unknown type.")
        }
        let workout = Workout(
            name: name, sport: sport, subtype: subtype, targetDistanceMeters: targetDistanceM,
            targetDurationSeconds: targetDurationS, notes: notes, blocks: try StoredBlocks.decode(blocksJson))
        return LibraryWorkout(id: id ?? 0, workout: workout, version: version, updatedAt: updatedAt)
    }
}

extension AppDatabase {
    public func workouts(_ scope: TenantScope, filter: WorkoutFilter = WorkoutFilter()) async throws -> [LibraryWorkout]
    {
        try await writer.read { db in
            var request = WorkoutRecord.scoped(to: scope)
            if let sport = filter.sport { request = request.filter(Column("sport") == sport.rawValue) }
            if let subtype = filter.subtype { request = request.filter(Column("subtype") == subtype.rawValue) }
            let text = filter.text.trimmingCharacters(in: .whitespaces)
            if !text.isEmpty {
                let pattern = Self.containsPattern(text)
                request = request.filter(
                    sql: "(name LIKE ? ESCAPE '\\' OR notes LIKE ? ESCAPE '\\')", arguments: [pattern, pattern])
            }
            return try request.order(sql: "name COLLATE NOCASE, id").fetchAll(db).map { try $0.libraryWorkout() }
        }
    }

    public func workout(_ scope: TenantScope, id: Int64) async throws -> LibraryWorkout {
        try await writer.read { db in try Self.workoutRecord(db, scope, id: id).libraryWorkout() }
    }

    static func workoutRecord(_ db: StoreConnection, _ scope: TenantScope, id: Int64) throws -> WorkoutRecord {
        guard let record = try WorkoutRecord.scoped(to: scope).filter(key: id).fetchOne(db) else {
            throw StoreError.notFound
        }
        return record
    }

    static func requireValid(_ workout: Workout) throws {
        if let issue = WorkoutRules.validate(workout).first { throw StoreError.invalid(issue.description) }
    }

    static func insertWorkout(
        _ db: StoreConnection, orgId: Int64, _ workout: Workout, createdBy: Int64?, now: Date
    ) throws -> Int64 {
        try WorkoutRecord(
            orgId: orgId, name: workout.name, sport: workout.sport.rawValue, subtype: workout.subtype.rawValue,
            targetDistanceM: workout.targetDistanceMeters, targetDurationS: workout.targetDurationSeconds,
            notes: workout.notes, blocksJson: StoredBlocks.encode(workout.blocks), version: 1,
            createdBy: createdBy, createdAt: now, updatedAt: now
        ).insert(db)
        return db.lastInsertedRowID
    }

    public func createWorkout(_ scope: TenantScope, _ workout: Workout, now: Date) async throws -> Int64 {
        try Self.requireValid(workout)
        return try await writer.write { db in
            let id = try Self.insertWorkout(db, orgId: scope.orgId, workout, createdBy: scope.user.id, now: now)
            try self.audit(db, scope: scope, userId: nil, action: "workout.created", detail: workout.name, now: now)
            return id
        }
    }

    /// Saves an edit made on `expectedVersion`; refuses (and changes nothing) if someone saved in between.
    public func updateWorkout(
        _ scope: TenantScope, id: Int64, _ workout: Workout, expectedVersion: Int, now: Date
    ) async throws {
        try Self.requireValid(workout)
        try await writer.write { db in
            let current = try Self.workoutRecord(db, scope, id: id)
            guard current.version == expectedVersion else {
                throw StoreError.versionConflict(latest: current.version)
            }
            try WorkoutRecord.scoped(to: scope).filter(key: id).filter(Column("version") == expectedVersion).updateAll(
                db, Column("name").set(to: workout.name), Column("sport").set(to: workout.sport.rawValue),
                Column("subtype").set(to: workout.subtype.rawValue),
                Column("target_distance_m").set(to: workout.targetDistanceMeters),
                Column("target_duration_s").set(to: workout.targetDurationSeconds),
                Column("notes").set(to: workout.notes),
                Column("blocks_json").set(to: StoredBlocks.encode(workout.blocks)), Column("version") += 1,
                Column("updated_at").set(to: now))
            try self.audit(db, scope: scope, userId: nil, action: "workout.updated", detail: workout.name, now: now)
        }
    }

    public func duplicateWorkout(_ scope: TenantScope, id: Int64, now: Date) async throws -> Int64 {
        try await writer.write { db in
            var workout = try Self.workoutRecord(db, scope, id: id).libraryWorkout().workout
            workout.name = String(("Copy of " + workout.name).prefix(WorkoutRules.maxNameLength))
            let newId = try Self.insertWorkout(db, orgId: scope.orgId, workout, createdBy: scope.user.id, now: now)
            try self.audit(db, scope: scope, userId: nil, action: "workout.duplicated", detail: workout.name, now: now)
            return newId
        }
    }

    public func deleteWorkout(_ scope: TenantScope, id: Int64, now: Date) async throws {
        try await writer.write { db in
            let record = try Self.workoutRecord(db, scope, id: id)
            try WorkoutRecord.scoped(to: scope).filter(key: id).deleteAll(db)
            try self.audit(db, scope: scope, userId: nil, action: "workout.deleted", detail: record.name, now: now)
        }
    }

    /// Adds the starter workouts whose names the library does not have yet; returns how many.
    @discardableResult
    public func addStarterWorkouts(_ scope: TenantScope, now: Date) async throws -> Int {
        try await writer.write { db in
            let added = try Self.addStarterWorkouts(db, orgId: scope.orgId, createdBy: scope.user.id, now: now)
            try self.audit(
                db, scope: scope, userId: nil, action: "workout.starter_added", detail: "\(added) workouts", now: now)
            return added
        }
    }

    static func addStarterWorkouts(_ db: StoreConnection, orgId: Int64, createdBy: Int64?, now: Date) throws -> Int {
        let existing = Set(try WorkoutRecord.scoped(toOrganization: orgId).fetchAll(db).map(\.name))
        var added = 0
        for workout in StarterLibrary.workouts where !existing.contains(workout.name) {
            _ = try insertWorkout(db, orgId: orgId, workout, createdBy: createdBy, now: now)
            added += 1
        }
        return added
    }
}
