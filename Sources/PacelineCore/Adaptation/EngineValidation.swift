import Foundation

/// Every prediction the engine can be checked on, made walk-forward (with only the data before the
/// day predicted) beside what happened: race and time-trial performance (VDOT, and the time for the
/// distance run) from the impulse-response model fitted on the earlier markers, and the recovery time
/// after each hard session from the profile learned on the earlier sessions. Mean error and bias
/// tell a coach how far to trust each.
public struct EngineValidation: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case performance, raceTime = "race-time", recovery

        public var label: String {
            switch self {
            case .performance: "Performance (VDOT) on race and test days"
            case .raceTime: "Race and test times"
            case .recovery: "Recovery after hard sessions (hours)"
            }
        }
        /// The unit an error is in.
        public var unit: String {
            switch self {
            case .performance: "VDOT"
            case .raceTime: "s"
            case .recovery: "h"
            }
        }
    }

    public struct Check: Sendable, Hashable {
        public let kind: Kind
        public let date: CalendarDate
        public let what: String
        public let predicted: Double
        public let actual: Double
        public var error: Double { predicted - actual }
    }

    public struct Summary: Sendable, Hashable {
        public let kind: Kind
        public let count: Int
        /// Mean absolute error, and mean signed error (positive: the engine predicted too high).
        public let meanError: Double
        public let bias: Double
    }

    public let checks: [Check]

    /// Fewest earlier markers a performance prediction is made from.
    public static let minimumEarlierMarkers = 3

    public init(checks: [Check]) { self.checks = checks }

    public init(_ input: EngineInput, priors: EmpiricalPriors = .population) {
        var checks: [Check] = []
        let start = input.today.adding(days: -(Engine.historyDays - 1))
        let loads = Engine.dailyLoads(input).loads
        let races = Set(input.schedule.filter { $0.workout.kind == .race }.compactMap { $0.done?.startTime ?? nil })
        let marked = input.activities.compactMap { entry -> (ActivityEntry, Int, Double)? in
            let wasRace = entry.startTime.map { races.contains($0) } ?? false
            let day = start.days(until: entry.date)
            guard day >= 0, day < loads.count, let vdot = entry.performanceMarker(wasRace: wasRace) else { return nil }
            return (entry, day, vdot)
        }.sorted { $0.1 < $1.1 }
        for (index, (entry, day, actual)) in marked.enumerated() where index >= Self.minimumEarlierMarkers {
            let earlier = marked[..<index].filter { $0.1 < day }.map { PerformanceMarker(day: $0.1, value: $0.2) }
            guard earlier.count >= Self.minimumEarlierMarkers,
                let fit = BanisterFitter.fit(
                    loads: loads, markers: earlier, priorTau1: priors.tau1, priorTau2: priors.tau2, validate: false)
            else { continue }
            let predicted = fit.model.predict(Array(loads[0...day])).last ?? fit.model.p0
            guard predicted.isFinite else { continue }
            checks.append(
                Check(kind: .performance, date: entry.date, what: entry.sport.rawValue, predicted: predicted,
                      actual: actual))
            if let meters = entry.distanceMeters, let seconds = entry.movingSeconds ?? entry.durationSeconds,
                meters > 0, seconds > 0, predicted > 15
            {
                let time = Daniels.raceTime(meters: meters, vdot: predicted)
                if time.isFinite, time > 0 {
                    checks.append(
                        Check(
                            kind: .raceTime, date: entry.date,
                            what: String(format: "%.1f km", meters / 1000), predicted: time, actual: seconds))
                }
            }
        }
        for measured in RecoveryProfile.measurements(input) {
            var then = input
            then.today = measured.date
            let learned = RecoveryProfile.learn(then)
            checks.append(
                Check(
                    kind: .recovery, date: measured.date, what: "hard session", predicted: learned.hours,
                    actual: measured.days * 24))
        }
        self.checks = checks.sorted { $0.date > $1.date }
    }

    public var summaries: [Summary] {
        Kind.allCases.compactMap { kind in
            let errors = checks.filter { $0.kind == kind }.map(\.error)
            guard !errors.isEmpty else { return nil }
            let n = Double(errors.count)
            return Summary(
                kind: kind, count: errors.count, meanError: errors.reduce(0) { $0 + abs($1) } / n,
                bias: errors.reduce(0, +) / n)
        }
    }
}
