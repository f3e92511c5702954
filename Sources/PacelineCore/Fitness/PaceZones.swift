import Foundation

/// The six pace zones of a workout block (`block_pace`), z1 easy … z6 sprint.
public enum PaceZone: String, Sendable, CaseIterable, Codable, Comparable {
    case z1, z2, z3, z4, z5, z6

    public var name: String {
        switch self {
        case .z1: "easy"
        case .z2: "marathon"
        case .z3: "threshold"
        case .z4: "interval"
        case .z5: "repetition"
        case .z6: "sprint"
        }
    }

    /// The Daniels letter coaches use in words ("at I pace").
    public var letter: String {
        switch self {
        case .z1: "E"
        case .z2: "M"
        case .z3: "T"
        case .z4: "I"
        case .z5: "R"
        case .z6: "sprint"
        }
    }

    public var number: Int { (PaceZone.allCases.firstIndex(of: self) ?? 0) + 1 }

    public static func < (lhs: PaceZone, rhs: PaceZone) -> Bool { lhs.number < rhs.number }
}

/// A pace range in seconds per km: `fast` < `slow`.
public struct PaceRange: Sendable, Hashable {
    public let fast: Double
    public let slow: Double
}

/// The zones of one athlete, each a contiguous pace range.
///
/// Convention (SCIENCE.md §2): each zone has a target pace — z1 the fast end of the E range,
/// z2 M, z3 T, z4 I, z5 R, z6 a sprint target as far beyond R as R is beyond I — and
/// neighbouring zones meet at the midpoint of their targets. The outer ends shown are the slow
/// end of E (z1) and the sprint target (z6); when classifying, slower than z1 is still z1 and
/// faster than z6 still z6.
public struct PaceZones: Sendable, Hashable {
    public let ranges: [PaceZone: PaceRange]
    public let paces: TrainingPaces

    public init(paces: TrainingPaces) {
        self.paces = paces
        let sprint = paces.repetition - (paces.interval - paces.repetition)
        let targets = [paces.easyFast, paces.marathon, paces.threshold, paces.interval, paces.repetition, sprint]
        var boundaries: [Double] = [paces.easySlow]
        for i in 0..<(targets.count - 1) {
            boundaries.append((targets[i] + targets[i + 1]) / 2)
        }
        boundaries.append(sprint)
        var ranges: [PaceZone: PaceRange] = [:]
        for (i, zone) in PaceZone.allCases.enumerated() {
            ranges[zone] = PaceRange(fast: boundaries[i + 1], slow: boundaries[i])
        }
        self.ranges = ranges
    }

    public init(vdot: VDOT) { self.init(paces: TrainingPaces(vdot: vdot)) }

    /// The VDOT a plan template's totals are estimated at when it names none: a plan has no athlete,
    /// and a time-only total ("7.2 km + 37 min") is worse than an estimate that says what it assumes.
    public static let referenceVDOT = 45.0

    public func range(_ zone: PaceZone) -> PaceRange {
        ranges[zone] ?? PaceRange(fast: paces.easyFast, slow: paces.easySlow)
    }

    /// The zone a pace (seconds per km) falls in.
    public func zone(forPace secondsPerKm: Double) -> PaceZone {
        for zone in PaceZone.allCases where secondsPerKm >= range(zone).fast {
            return zone
        }
        return .z6
    }
}

/// Heart-rate zones by heart-rate reserve (Karvonen): HR = rest + f·(max − rest).
public struct HeartRateZones: Sendable, Hashable {
    /// Fractions of heart-rate reserve bounding z1…z6 (low, high). z6 is a sprint: heart rate
    /// lags too much to steer by, so it shares the top of the range.
    public static let reserveFractions: [PaceZone: (low: Double, high: Double)] = [
        .z1: (0.50, 0.70), .z2: (0.70, 0.80), .z3: (0.80, 0.88),
        .z4: (0.88, 0.95), .z5: (0.95, 0.98), .z6: (0.98, 1.00),
    ]

    public let maxHR: Int
    public let restingHR: Int

    public init?(maxHR: Int, restingHR: Int) {
        guard restingHR >= 25, maxHR <= 240, maxHR > restingHR + 20 else { return nil }
        self.maxHR = maxHR
        self.restingHR = restingHR
    }

    public func range(_ zone: PaceZone) -> ClosedRange<Int> {
        let f = Self.reserveFractions[zone] ?? (0.5, 0.7)
        let reserve = Double(maxHR - restingHR)
        let low = Int((Double(restingHR) + f.low * reserve).rounded())
        let high = Int((Double(restingHR) + f.high * reserve).rounded())
        return low...max(low, high)
    }
}

extension PaceZones {
    /// The zones of a stored VDOT, nil when there is none or it is outside the accepted range.
    public init?(vdotValue: Double?) {
        guard let value = vdotValue, let vdot = try? VDOT(value) else { return nil }
        self.init(vdot: vdot)
    }
}
