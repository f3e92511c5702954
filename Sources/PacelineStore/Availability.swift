import Foundation
import GRDB
import PacelineCore

/// A day an athlete cannot train (travel, work, family): the engine re-plans around it.
struct UnavailableDayRecord: SnakeCaseRecord, TenantRecord, Sendable {
    static let databaseTableName = "unavailable_day"
    enum Columns {
        static let id = Column("id"), date = Column("date")
    }
    var id: Int64?
    var orgId: Int64
    var athleteId: Int64
    var date: String
    var reason: String
    var createdBy: Int64?
    var createdAt: Date
}

public struct UnavailableDay: Sendable, Hashable {
    public let id: Int64
    public let date: CalendarDate
    public let reason: String
}

extension AppDatabase {
    /// The longest stretch marked at once, and the furthest ahead: enough for a long trip, not a year.
    public static let unavailableSpanLimit = 42
    public static let unavailableAheadLimit = 365
    public static let unavailableReasonLimit = 200

    /// Marks `from`…`to` (both included) as days the athlete cannot train, then runs the engine so the
    /// plan is re-arranged at once. Days already marked keep their first reason.
    public func markUnavailable(
        _ scope: TenantScope, athleteId: Int64, from: CalendarDate, to: CalendarDate, reason: String, now: Date
    ) async throws {
        try await writer.write { db in
            _ = try Self.athlete(db, scope, id: athleteId)
            let today = try Self.today(db, scope, athleteId: athleteId, now: now)
            guard from <= to else { throw StoreError.invalid("The last day is before the first.") }
            guard from >= today else { throw StoreError.invalid("Days already past cannot be marked.") }
            guard from.days(until: to) < Self.unavailableSpanLimit else {
                throw StoreError.invalid("Mark at most \(Self.unavailableSpanLimit) days at once.")
            }
            guard today.days(until: to) <= Self.unavailableAheadLimit else {
                throw StoreError.invalid("Mark days within the next year.")
            }
            let text = reason.trimmingCharacters(in: .whitespacesAndNewlines)
            guard text.count <= Self.unavailableReasonLimit else {
                throw StoreError.invalid("The reason is at most \(Self.unavailableReasonLimit) characters.")
            }
            for offset in 0...from.days(until: to) {
                let day = from.adding(days: offset).description
                let exists = try UnavailableDayRecord.scoped(to: scope).forAthlete(athleteId)
                    .filter(UnavailableDayRecord.Columns.date == day).fetchCount(db) > 0
                guard !exists else { continue }
                try UnavailableDayRecord(
                    id: nil, orgId: scope.orgId, athleteId: athleteId, date: day, reason: text,
                    createdBy: scope.user.id, createdAt: now
                ).insert(db)
            }
            try Self.runEngine(db, scope, athleteId: athleteId, now: now)
        }
    }

    /// Days marked from today on, soonest first.
    public func unavailableDays(_ scope: TenantScope, athleteId: Int64, now: Date) async throws -> [UnavailableDay] {
        try await writer.read { db in
            _ = try Self.athlete(db, scope, id: athleteId)
            let today = try Self.today(db, scope, athleteId: athleteId, now: now)
            return try UnavailableDayRecord.scoped(to: scope).forAthlete(athleteId)
                .filter(UnavailableDayRecord.Columns.date >= today.description)
                .order(UnavailableDayRecord.Columns.date).limit(400).fetchAll(db)
                .compactMap { row in
                    guard let id = row.id, let date = CalendarDate(row.date) else { return nil }
                    return UnavailableDay(id: id, date: date, reason: row.reason)
                }
        }
    }

    /// Unmarks one day (404 for another athlete's or organization's id).
    public func removeUnavailable(_ scope: TenantScope, athleteId: Int64, id: Int64) async throws {
        try await writer.write { db in
            let deleted = try UnavailableDayRecord.scoped(to: scope).forAthlete(athleteId).filter(key: id)
                .deleteAll(db)
            guard deleted == 1 else { throw StoreError.notFound }
        }
    }
}
