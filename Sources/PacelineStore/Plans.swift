import Foundation
import GRDB
import PacelineCore

/// A plan template as stored: the domain value with its id, version and origin.
public struct StoredPlan: Sendable, Hashable, Identifiable {
    public let id: Int64
    public let template: PlanTemplate
    /// Bumped by every save: an edit based on an older version is refused, not lost.
    public let version: Int
    public let source: PlanSource
    public let updatedAt: Date
}

public enum PlanSource: String, Sendable, Codable {
    case manual, generated
}

public struct PlanSummary: Sendable, Hashable, Identifiable {
    public let id: Int64
    public let name: String
    public let weeks: Int
    public let level: TrainingLevel
    public let source: PlanSource
    public let updatedAt: Date
}

extension AppDatabase {
    public func plans(_ scope: TenantScope) async throws -> [PlanSummary] {
        try await writer.read { db in
            try db.rows(sql: """
                SELECT t.id, t.name, t.level, t.source, t.updated_at,
                       (SELECT COUNT(*) FROM plan_week w WHERE w.template_id = t.id) AS weeks
                FROM plan_template t WHERE t.org_id = ? ORDER BY t.name COLLATE NOCASE, t.id
                """, arguments: [scope.orgId]).map {
                PlanSummary(id: $0["id"], name: $0["name"], weeks: $0["weeks"], level: TrainingLevel(rawValue: $0["level"]) ?? .intermediate,
                            source: PlanSource(rawValue: $0["source"]) ?? .manual, updatedAt: $0["updated_at"])
            }
        }
    }

    public func plan(_ scope: TenantScope, id: Int64) async throws -> StoredPlan {
        try await writer.read { db in try Self.plan(db, scope, id: id) }
    }

    static func plan(_ db: Database, _ scope: TenantScope, id: Int64) throws -> StoredPlan {
        guard let row = try db.row(sql: "SELECT * FROM plan_template WHERE id = ? AND org_id = ?", arguments: [id, scope.orgId]) else {
            throw StoreError.notFound
        }
        var weeks: [PlanWeek] = try db.rows(sql: "SELECT * FROM plan_week WHERE template_id = ? AND org_id = ? ORDER BY week",
                                                 arguments: [id, scope.orgId]).map {
            PlanWeek(phase: ($0["phase"] as String?).flatMap(TrainingPhase.init(rawValue:)), isRecovery: $0["is_recovery"])
        }
        let decoder = JSONDecoder()
        for day in try db.rows(sql: "SELECT week, weekday, workout_json FROM plan_day WHERE template_id = ? AND org_id = ?",
                                    arguments: [id, scope.orgId]) {
            let week: Int = day["week"], weekday: Int = day["weekday"]
            guard weeks.indices.contains(week), let slot = Weekday(rawValue: weekday) else { continue }
            let json: String = day["workout_json"]
            weeks[week][slot] = try decoder.decode(Workout.self, from: Data(json.utf8))
        }
        let goalDistance: Double? = row["goal_distance_m"]
        let goalDate: String? = row["goal_date"]
        let template = PlanTemplate(
            name: row["name"], description: row["description"], type: PlanType(rawValue: row["plan_type"]) ?? .run,
            level: TrainingLevel(rawValue: row["level"]) ?? .intermediate,
            goal: goalDistance.map { GoalEvent(distanceMeters: $0, date: goalDate.flatMap(CalendarDate.init)) },
            pattern: DayPattern(code: row["day_pattern"]) ?? .standard, weeks: weeks, referenceVDOT: row["reference_vdot"])
        return StoredPlan(id: id, template: template, version: row["version"], source: PlanSource(rawValue: row["source"]) ?? .manual,
                          updatedAt: row["updated_at"])
    }

    static func requireValid(_ template: PlanTemplate) throws {
        let name = template.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 100 else { throw StoreError.invalid("A plan needs a name of at most 100 characters.") }
        guard (1...PlanTemplate.maxWeeks).contains(template.weeks.count) else {
            throw StoreError.invalid("A plan has 1 to \(PlanTemplate.maxWeeks) weeks.")
        }
        guard template.description.count <= 20_000 else { throw StoreError.invalid("The description must be at most 20000 characters.") }
        for (w, week) in template.weeks.enumerated() {
            for day in Weekday.allCases {
                if let workout = week[day], let issue = WorkoutRules.validate(workout).first {
                    throw StoreError.invalid("Week \(w + 1), \(day.label): \(issue.description)")
                }
            }
        }
    }

    static func writeWeeks(_ db: Database, orgId: Int64, templateId: Int64, _ template: PlanTemplate) throws {
        try db.execute(sql: "DELETE FROM plan_week WHERE template_id = ? AND org_id = ?", arguments: [templateId, orgId])
        try db.execute(sql: "DELETE FROM plan_day WHERE template_id = ? AND org_id = ?", arguments: [templateId, orgId])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let weekStatement = try db.cachedStatement(sql: "INSERT INTO plan_week (org_id, template_id, week, phase, is_recovery) VALUES (?, ?, ?, ?, ?)")
        let dayStatement = try db.cachedStatement(sql: "INSERT INTO plan_day (org_id, template_id, week, weekday, workout_json) VALUES (?, ?, ?, ?, ?)")
        for (index, week) in template.weeks.enumerated() {
            try weekStatement.execute(arguments: [orgId, templateId, index, week.phase?.rawValue, week.isRecovery])
            for day in Weekday.allCases {
                guard let workout = week[day] else { continue }
                let json = String(decoding: try encoder.encode(workout), as: UTF8.self)
                try dayStatement.execute(arguments: [orgId, templateId, index, day.rawValue, json])
            }
        }
    }

    public func createPlan(_ scope: TenantScope, _ template: PlanTemplate, source: PlanSource, now: Date) async throws -> Int64 {
        try Self.requireValid(template)
        return try await writer.write { db in
            try db.execute(sql: """
                INSERT INTO plan_template (org_id, name, description, plan_type, level, goal_distance_m, goal_date, day_pattern,
                    reference_vdot, source, version, created_by, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)
                """, arguments: [scope.orgId, template.name, template.description, template.type.rawValue, template.level.rawValue,
                                 template.goal?.distanceMeters, template.goal?.date?.description, template.pattern.code,
                                 template.referenceVDOT, source.rawValue, scope.user.id, now, now])
            let id = db.lastInsertedRowID
            try Self.writeWeeks(db, orgId: scope.orgId, templateId: id, template)
            try self.audit(db, scope: scope, userId: nil, action: "plan.created", detail: template.name, now: now)
            return id
        }
    }

    /// Saves an edited template made on `expectedVersion`; refuses if someone saved in between.
    @discardableResult
    public func savePlan(_ scope: TenantScope, id: Int64, _ template: PlanTemplate, expectedVersion: Int, action: String, now: Date) async throws -> Int {
        try Self.requireValid(template)
        return try await writer.write { db in
            guard let current = try Int.fetchOne(db, sql: "SELECT version FROM plan_template WHERE id = ? AND org_id = ?", arguments: [id, scope.orgId]) else {
                throw StoreError.notFound
            }
            guard current == expectedVersion else {
                throw StoreError.versionConflict(latest: current)
            }
            try db.execute(sql: """
                UPDATE plan_template SET name = ?, description = ?, plan_type = ?, level = ?, day_pattern = ?,
                    version = version + 1, updated_at = ? WHERE id = ? AND org_id = ?
                """, arguments: [template.name, template.description, template.type.rawValue, template.level.rawValue,
                                 template.pattern.code, now, id, scope.orgId])
            try Self.writeWeeks(db, orgId: scope.orgId, templateId: id, template)
            try self.audit(db, scope: scope, userId: nil, action: "plan.\(action)", detail: template.name, now: now)
            return current + 1
        }
    }

    public func deletePlan(_ scope: TenantScope, id: Int64, now: Date) async throws {
        try await writer.write { db in
            let plan = try Self.plan(db, scope, id: id)
            try db.execute(sql: "DELETE FROM plan_template WHERE id = ? AND org_id = ?", arguments: [id, scope.orgId])
            try self.audit(db, scope: scope, userId: nil, action: "plan.deleted", detail: plan.template.name, now: now)
        }
    }
}
