import Foundation

/// What was done, sport by sport: sessions, distance and time — each in the sport's own terms (swims in
/// metres or yards, rides and runs in the athlete's km or miles, strength in sessions and time).
public struct SportTotals: Sendable, Hashable {
    public struct Line: Sendable, Hashable {
        public let sport: Sport
        public let sessions: Int
        public let meters: Double
        public let seconds: Double

        /// "42.3 km", "3 400 m", "–" for a sport without distance (strength).
        public func distance(units: UnitSystem) -> String {
            switch sport {
            case .strength: "–"
            case .swim: WorkoutWords.swimDistance(meters, units: units)
            default: DistanceFormat.format(meters: meters, units: units, decimals: 1)
            }
        }
    }

    public let lines: [Line]

    /// Done and partly done activities (skipped ones are not training), in the order of `Sport.allCases`.
    public init(_ entries: [ActivityEntry]) {
        lines = Sport.allCases.compactMap { sport in
            let done = entries.filter { $0.sport == sport && $0.status != .skipped }
            guard !done.isEmpty else { return nil }
            return Line(
                sport: sport, sessions: done.count,
                meters: done.reduce(0) { $0 + max(0, $1.distanceMeters ?? 0) },
                seconds: done.reduce(0) { $0 + max(0, $1.durationSeconds ?? 0) })
        }
    }
}
