import Foundation
import GRDB
import PacelineCore

extension AppDatabase {
    /// The engine's walk-forward predictions for one athlete beside what happened.
    public func engineValidation(_ scope: TenantScope, athleteId: Int64, now: Date) async throws -> EngineValidation {
        try await writer.read { db in
            let today = try Self.today(db, scope, athleteId: athleteId, now: now)
            let input = try Self.engineInput(db, scope, athleteId: athleteId, today: today)
            return EngineValidation(input, priors: try Self.organizationPriors(db, scope))
        }
    }

    /// The same for every athlete of the organization (at most `limit`, by name), each with their name.
    public func organizationValidation(
        _ scope: TenantScope, now: Date, limit: Int = 500
    ) async throws -> [(athleteId: Int64, name: String, validation: EngineValidation)] {
        try await writer.read { db in
            let priors = try Self.organizationPriors(db, scope)
            let athletes = try db.rows(
                Self.athleteSQL(scope, where: "1 = 1") + " ORDER BY u.name COLLATE NOCASE, p.id LIMIT \(limit)"
            ).map { try Self.athlete($0) }
            return try athletes.map { athlete in
                let today = try Self.today(db, scope, athleteId: athlete.id, now: now)
                let input = try Self.engineInput(db, scope, athleteId: athlete.id, today: today)
                return (athlete.id, athlete.name, EngineValidation(input, priors: priors))
            }
        }
    }
}
