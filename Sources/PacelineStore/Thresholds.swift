import Foundation
import GRDB
import PacelineCore

/// One value of an athlete's threshold history (FTP, threshold heart rates, CSS): valid from its day
/// until a later one of the same kind.
struct ThresholdRecord: SnakeCaseRecord, TenantRecord, Sendable {
    static let databaseTableName = "athlete_threshold"
    enum Columns {
        static let id = Column("id"), kind = Column("kind"), validFrom = Column("valid_from")
    }
    var id: Int64?
    var orgId: Int64
    var athleteId: Int64
    var kind: String
    var value: Double
    var validFrom: String
    var source: String
    var createdBy: Int64?
    var createdAt: Date
}

extension ThresholdRecord: AthleteRecord {}

/// A stored threshold with its id (to remove it).
public struct StoredThreshold: Sendable, Hashable, Identifiable {
    public let id: Int64
    public let entry: ThresholdEntry
}

extension AppDatabase {
    /// An athlete's thresholds, newest first (all kinds).
    public func thresholds(_ scope: TenantScope, athleteId: Int64) async throws -> [StoredThreshold] {
        try await writer.read { db in
            _ = try Self.athlete(db, scope, id: athleteId)
            return try Self.thresholds(db, scope, athleteId: athleteId)
        }
    }

    static func thresholds(_ db: StoreConnection, _ scope: TenantScope, athleteId: Int64) throws -> [StoredThreshold] {
        // SQL, not the query interface: GRDB prepares a statement of the latter afresh on every call,
        // and every read of an athlete reads their thresholds.
        try ThresholdRecord.fetchAll(
            db,
            SQLRequest(
                literal: """
                    SELECT * FROM athlete_threshold t WHERE \(scope.owns("t")) AND t.athlete_id = \(athleteId)
                    ORDER BY t.valid_from DESC, t.id DESC
                    """, cached: true)
        )
        .compactMap { record in
            guard let id = record.id, let kind = ThresholdKind(rawValue: record.kind),
                let day = CalendarDate(record.validFrom)
            else { return nil }
            return StoredThreshold(
                id: id,
                entry: ThresholdEntry(
                    kind: kind, value: record.value, validFrom: day,
                    source: ThresholdSource(rawValue: record.source) ?? .entered))
        }
    }

    /// Records a threshold from a day on (the same kind and day again replaces that value). The value
    /// must be one a person could have; the day not after tomorrow.
    public func addThreshold(
        _ scope: TenantScope, athleteId: Int64, _ entry: ThresholdEntry, now: Date
    ) async throws {
        guard entry.value.isFinite, entry.kind.plausible.contains(entry.value) else {
            throw StoreError.invalid(
                "\(entry.kind.label) must be \(entry.kind.text(entry.kind.plausible.lowerBound))–"
                    + "\(entry.kind.text(entry.kind.plausible.upperBound)).")
        }
        try await writer.write { db in
            _ = try Self.athlete(db, scope, id: athleteId)
            let today = try Self.today(db, scope, athleteId: athleteId, now: now)
            guard entry.validFrom <= today.adding(days: 1) else {
                throw StoreError.invalid("A threshold is valid from a day that has come (or tomorrow).")
            }
            guard entry.validFrom >= today.adding(days: -3650) else {
                throw StoreError.invalid("That day is more than ten years ago.")
            }
            try ThresholdRecord.scoped(to: scope).forAthlete(athleteId)
                .filter(ThresholdRecord.Columns.kind == entry.kind.rawValue)
                .filter(ThresholdRecord.Columns.validFrom == entry.validFrom.description)
                .deleteAll(db)
            try ThresholdRecord(
                id: nil, orgId: scope.orgId, athleteId: athleteId, kind: entry.kind.rawValue, value: entry.value,
                validFrom: entry.validFrom.description, source: entry.source.rawValue, createdBy: scope.user.id,
                createdAt: now
            ).insert(db)
            try self.audit(
                db, scope: scope, userId: scope.user.id, action: "threshold.added",
                detail: "athlete \(athleteId): \(entry.kind.rawValue) \(entry.value) from \(entry.validFrom)", now: now)
        }
    }

    /// Removes one value of the history (the one before it is valid again).
    public func removeThreshold(_ scope: TenantScope, athleteId: Int64, id: Int64) async throws {
        try await writer.write { db in
            let removed = try ThresholdRecord.scoped(to: scope).forAthlete(athleteId).filter(key: id).deleteAll(db)
            guard removed == 1 else { throw StoreError.notFound }
        }
    }

    /// What applying a detected threshold changed, to undo it: the row it added and the one it replaced.
    struct ThresholdUndo: Codable {
        var addedId: Int64
        var replaced: ReplacedThreshold?
    }
    struct ReplacedThreshold: Codable {
        var kind: String, value: Double, validFrom: String, source: String, createdBy: Int64?, createdAt: Date
    }

    /// Applies an engine-detected threshold: valid from the day of its evidence (or from the latest value
    /// of its kind when that is later, so the new value is the one in force). Nil when the athlete's current
    /// value is no longer the proposal's `from` (someone entered another since): the proposal is stale.
    static func applyDetectedThreshold(
        _ db: StoreConnection, _ scope: TenantScope, athleteId: Int64, kind: ThresholdKind, from: Double?, to: Double,
        validFrom: CalendarDate, now: Date
    ) throws -> ThresholdUndo? {
        let history = try thresholds(db, scope, athleteId: athleteId).map(\.entry).filter { $0.kind == kind }
        let today = try Self.today(db, scope, athleteId: athleteId, now: now)
        let current = SportThresholds.value(of: kind, history: history, on: today)
        switch (current, from) {
        case (nil, nil): break
        case (let c?, let f?) where abs(c - f) < 0.5: break
        default: return nil
        }
        guard to.isFinite, kind.plausible.contains(to) else { return nil }
        let day = max(validFrom, history.map(\.validFrom).max() ?? validFrom)
        let sameDay = ThresholdRecord.scoped(to: scope).forAthlete(athleteId)
            .filter(ThresholdRecord.Columns.kind == kind.rawValue)
            .filter(ThresholdRecord.Columns.validFrom == day.description)
        let replaced = try sameDay.fetchOne(db).map {
            ReplacedThreshold(
                kind: $0.kind, value: $0.value, validFrom: $0.validFrom, source: $0.source, createdBy: $0.createdBy,
                createdAt: $0.createdAt)
        }
        try sameDay.deleteAll(db)
        try ThresholdRecord(
            id: nil, orgId: scope.orgId, athleteId: athleteId, kind: kind.rawValue, value: to,
            validFrom: day.description, source: ThresholdSource.detected.rawValue, createdBy: scope.user.id,
            createdAt: now
        ).insert(db)
        return ThresholdUndo(addedId: db.lastInsertedRowID, replaced: replaced)
    }

    /// Takes a detected threshold back out (and puts back what it replaced).
    static func undoDetectedThreshold(
        _ db: StoreConnection, _ scope: TenantScope, athleteId: Int64, _ undo: ThresholdUndo
    )
        throws
    {
        try ThresholdRecord.scoped(to: scope).forAthlete(athleteId).filter(key: undo.addedId).deleteAll(db)
        if let r = undo.replaced {
            try ThresholdRecord(
                id: nil, orgId: scope.orgId, athleteId: athleteId, kind: r.kind, value: r.value, validFrom: r.validFrom,
                source: r.source, createdBy: r.createdBy, createdAt: r.createdAt
            ).insert(db)
        }
    }

    /// Whether the row a detected threshold added is still there with its value.
    static func detectedThresholdStands(
        _ db: StoreConnection, _ scope: TenantScope, athleteId: Int64, id: Int64, value: Double
    ) throws -> Bool {
        guard let row = try ThresholdRecord.scoped(to: scope).forAthlete(athleteId).filter(key: id).fetchOne(db)
        else { return false }
        return abs(row.value - value) < 0.5
    }

    /// The thresholds valid on `day`, for the pages' targets.
    static func sportThresholds(
        _ db: StoreConnection, _ scope: TenantScope, athleteId: Int64, on day: CalendarDate
    ) throws
        -> SportThresholds
    {
        SportThresholds(history: try thresholds(db, scope, athleteId: athleteId).map(\.entry), on: day)
    }
}
