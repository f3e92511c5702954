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
            try db.rows(
                """
                SELECT t.id, t.name, t.level, t.source, t.updated_at,
                       (SELECT COUNT(*) FROM plan_week w WHERE w.template_id = t.id) AS weeks
                FROM plan_template t WHERE \(scope.owns("t")) ORDER BY t.name COLLATE NOCASE, t.id
                """
            ).map {
                PlanSummary(
                    id: $0["id"], name: $0["name"], weeks: $0["weeks"],
                    level: TrainingLevel(rawValue: $0["level"]) ?? .intermediate,
                    source: PlanSource(rawValue: $0["source"]) ?? .manual, updatedAt: $0["updated_at"])
            }
        }
    }

    public func plan(_ scope: TenantScope, id: Int64) async throws -> StoredPlan {
        try await writer.read { db in try Self.plan(db, scope, id: id) }
    }

    static func plan(_ db: StoreConnection, _ scope: TenantScope, id: Int64) throws -> StoredPlan {
        guard let row = try Row.fetchOne(db, PlanTemplateRecord.scoped(to: scope).filter(key: id)) else {
            throw StoreError.notFound
        }
        var weeks: [PlanWeek] = try PlanWeekRecord.scoped(to: scope).filter(PlanWeekRecord.Columns.templateId == id)
            .order(PlanWeekRecord.Columns.week).fetchAll(db).map {
                PlanWeek(phase: $0.phase.flatMap(TrainingPhase.init(rawValue:)), isRecovery: $0.isRecovery)
            }
        let decoder = JSONDecoder()
        for day in try PlanDayRecord.scoped(to: scope).filter(PlanDayRecord.Columns.templateId == id).fetchAll(db) {
            guard weeks.indices.contains(day.week), let slot = Weekday(rawValue: day.weekday) else { continue }
            weeks[day.week][slot] = try decoder.decode(Workout.self, from: Data(day.workoutJson.utf8))
        }
        let goalDistance: Double? = row["goal_distance_m"]
        let goalDate: String? = row["goal_date"]
        let template = PlanTemplate(
            name: row["name"], description: row["description"], type: PlanType(rawValue: row["plan_type"]) ?? .run,
            level: TrainingLevel(rawValue: row["level"]) ?? .intermediate,
            goal: goalDistance.map { GoalEvent(distanceMeters: $0, date: goalDate.flatMap(CalendarDate.init)) },
            pattern: DayPattern(code: row["day_pattern"]) ?? .standard, weeks: weeks,
            referenceVDOT: row["reference_vdot"])
        return StoredPlan(
            id: id, template: template, version: row["version"], source: PlanSource(rawValue: row["source"]) ?? .manual,
            updatedAt: row["updated_at"])
    }

    static func requireValid(_ template: PlanTemplate) throws {
        let name = template.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 100 else {
            throw StoreError.invalid("A plan needs a name of at most 100 characters.")
        }
        guard (1...PlanTemplate.maxWeeks).contains(template.weeks.count) else {
            throw StoreError.invalid("A plan has 1 to \(PlanTemplate.maxWeeks) weeks.")
        }
        guard template.description.count <= 20_000 else {
            throw StoreError.invalid("The description must be at most 20000 characters.")
        }
        for (w, week) in template.weeks.enumerated() {
            for day in Weekday.allCases {
                if let workout = week[day], let issue = WorkoutRules.validate(workout).first {
                    throw StoreError.invalid("Week \(w + 1), \(day.label): \(issue.description)")
                }
            }
        }
    }

    static func writeWeeks(_ db: StoreConnection, orgId: Int64, templateId: Int64, _ template: PlanTemplate) throws {
        try PlanWeekRecord.scoped(toOrganization: orgId).filter(PlanWeekRecord.Columns.templateId == templateId)
            .deleteAll(db)
        try PlanDayRecord.scoped(toOrganization: orgId).filter(PlanDayRecord.Columns.templateId == templateId)
            .deleteAll(db)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for (index, week) in template.weeks.enumerated() {
            try PlanWeekRecord(
                orgId: orgId, templateId: templateId, week: index, phase: week.phase?.rawValue,
                isRecovery: week.isRecovery
            ).insert(db)
            for day in Weekday.allCases {
                guard let workout = week[day] else { continue }
                let json = String(decoding: try encoder.encode(workout), as: UTF8.self)
                try PlanDayRecord(
                    orgId: orgId, templateId: templateId, week: index, weekday: day.rawValue, workoutJson: json
                ).insert(db)
            }
        }
    }

    public func createPlan(
        _ scope: TenantScope, _ template: PlanTemplate, source: PlanSource, now: Date
    ) async throws -> Int64 {
        try Self.requireValid(template)
        return try await writer.write { db in
            try PlanTemplateRecord(
                id: nil, orgId: scope.orgId, name: template.name, description: template.description,
                planType: template.type.rawValue,
                level: template.level.rawValue, goalDistanceM: template.goal?.distanceMeters,
                goalDate: template.goal?.date?.description, dayPattern: template.pattern.code,
                referenceVdot: template.referenceVDOT, source: source.rawValue, version: 1, createdBy: scope.user.id,
                createdAt: now, updatedAt: now
            ).insert(db)
            let id = db.lastInsertedRowID
            try Self.writeWeeks(db, orgId: scope.orgId, templateId: id, template)
            try self.audit(db, scope: scope, userId: nil, action: "plan.created", detail: template.name, now: now)
            return id
        }
    }

    /// Saves an edited template made on `expectedVersion`; refuses if someone saved in between.
    @discardableResult
    public func savePlan(
        _ scope: TenantScope, id: Int64, _ template: PlanTemplate, expectedVersion: Int, action: String, now: Date
    ) async throws -> Int {
        try Self.requireValid(template)
        return try await writer.write { db in
            let plan = PlanTemplateRecord.scoped(to: scope).filter(key: id)
            guard let current = try plan.fetchOne(db)?.version else { throw StoreError.notFound }
            guard current == expectedVersion else {
                throw StoreError.versionConflict(latest: current)
            }
            typealias Columns = PlanTemplateRecord.Columns
            try plan.updateAll(
                db, Columns.name.set(to: template.name), Columns.description.set(to: template.description),
                Columns.planType.set(to: template.type.rawValue), Columns.level.set(to: template.level.rawValue),
                Columns.dayPattern.set(to: template.pattern.code), Columns.version += 1, Columns.updatedAt.set(to: now))
            try Self.writeWeeks(db, orgId: scope.orgId, templateId: id, template)
            try self.audit(db, scope: scope, userId: nil, action: "plan.\(action)", detail: template.name, now: now)
            return current + 1
        }
    }

    public func deletePlan(_ scope: TenantScope, id: Int64, now: Date) async throws {
        try await writer.write { db in
            let plan = try Self.plan(db, scope, id: id)
            try PlanTemplateRecord.scoped(to: scope).filter(key: id).deleteAll(db)
            try self.audit(db, scope: scope, userId: nil, action: "plan.deleted", detail: plan.template.name, now: now)
        }
    }
}
