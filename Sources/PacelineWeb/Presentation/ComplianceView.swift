import Foundation
import PacelineCore
import PacelineStore

/// Planned against done over the last 7 and 28 days, as the log and the athlete's page show it.
struct ComplianceView: Sendable {
    let title: String
    let sessions: String
    let distance: String
    let band: String
    let bandLabel: String

    static let windows = [7, 28]

    static func load(
        _ database: AppDatabase, _ scope: TenantScope, _ subject: AthleteSubject
    ) async throws
        -> [ComplianceView]
    {
        let today = subject.today, units = subject.units
        let items = try await database.schedule(
            scope, athleteId: subject.athlete.id, from: today.adding(days: -27), to: today
        )
        .map(\.0)
        let outcomes = items.filter {
            SessionOutcome.isDue(date: $0.date, today: today, recorded: $0.outcome != nil, tickedOff: $0.completed)
        }.map { $0.sessionOutcome(zones: subject.viewer.zones) }
        return windows.map { days in
            let summary = ComplianceSummary(outcomes, days: days, through: today)
            let distance =
                summary.distanceRate.map {
                    let done = DistanceFormat.format(meters: summary.doneDistance, units: units, decimals: 1)
                    let planned = DistanceFormat.format(meters: summary.plannedDistance, units: units, decimals: 1)
                    return "\(done) of \(planned) (\(Int(saturating: $0 * 100)) %)"
                } ?? "no planned distance"
            return ComplianceView(
                title: "Last \(days) days",
                sessions: summary.planned == 0
                    ? "nothing planned" : "\(summary.completed) of \(summary.planned) sessions done",
                distance: distance, band: summary.band.rawValue,
                bandLabel: summary.planned == 0 ? "–" : summary.band.label)
        }
    }
}
