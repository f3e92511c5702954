import Foundation
import PacelineCore
import PacelineStore

extension ScheduledItem {
    /// What was done, in words: "9.8 km · 52:10 (on target)"; empty when nothing was recorded.
    func doneText(units: UnitSystem, zones: PaceZones?, decimals: Int = 2) -> String {
        guard let done = outcome else { return "" }
        if done.status == .skipped { return ActivityStatus.skipped.label }
        let parts = [
            done.distanceMeters.map { DistanceFormat.format(meters: $0, units: units, decimals: decimals) },
            done.durationSeconds.map(TimeFormat.clock),
        ].compactMap { $0 }
        let band = sessionOutcome(zones: zones).band
        return (parts.isEmpty ? done.status.label : parts.joined(separator: " · ")) + " (\(band.label.lowercased()))"
    }
}

/// A label and its value, as the fact lists of the activity and form pages show them.
struct Fact: Sendable {
    let label: String
    let value: String
}

/// Borg CR-10 anchors, as athletes read them (index 0 is RPE 1).
enum RPEWords {
    static let all = [
        "very easy", "easy", "moderate", "somewhat hard", "hard", "hard+", "very hard", "very hard+",
        "nearly maximal", "maximal",
    ]

    static func words(_ rpe: Int) -> String { all[max(0, min(all.count - 1, rpe - 1))] }
}
