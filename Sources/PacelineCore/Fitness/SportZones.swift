import Foundation

/// Power zones from FTP (Coggan's levels, SCIENCE.md §2b), mapped onto z1–z6 so a workout stays
/// sport-neutral: z1 endurance (level 2; anything easier is z1 too), z2 tempo (3), z3 threshold (4),
/// z4 VO2max (5), z5 anaerobic capacity (6), z6 neuromuscular (7, shown up to 200 %).
public struct PowerZones: Sendable, Hashable {
    /// Fractions of FTP bounding each zone (low, high).
    public static let fractions: [PaceZone: (low: Double, high: Double)] = [
        .z1: (0.56, 0.75), .z2: (0.76, 0.90), .z3: (0.91, 1.05), .z4: (1.06, 1.20), .z5: (1.21, 1.50),
        .z6: (1.51, 2.00),
    ]
    /// FTPs accepted, in watts (a child on a small bike to a world-class time-trialist).
    public static let plausible: ClosedRange<Double> = 30...600

    public let ftp: Double

    public init?(ftp: Double) {
        guard ftp.isFinite, Self.plausible.contains(ftp) else { return nil }
        self.ftp = ftp
    }

    /// Watts, rounded to whole watts.
    public func range(_ zone: PaceZone) -> ClosedRange<Int> {
        let f = Self.fractions[zone] ?? (0.56, 0.75)
        let low = Int(saturating: (ftp * f.low).rounded()), high = Int(saturating: (ftp * f.high).rounded())
        return low...max(low, high)
    }

    /// FTP from a 20-minute test: 95 % of its average power (Allen & Coggan).
    public static func fromTwentyMinutes(averagePower watts: Double) -> Double { watts * 0.95 }
}

/// Heart-rate zones from the lactate-threshold heart rate (Friel's bands, which differ for running and
/// cycling), mapped onto z1–z6: z1 Friel 2 (aerobic; anything easier is z1 too), z2 Friel 3 (tempo),
/// z3 Friel 4–5a (sub- to super-threshold), z4 Friel 5b (aerobic capacity), z5 Friel 5c (anaerobic);
/// z6 is a sprint, where heart rate lags too much to steer by, and shares z5's top.
public struct ThresholdHeartRateZones: Sendable, Hashable {
    public enum Discipline: String, Sendable { case run, bike }

    public static let runFractions: [PaceZone: (low: Double, high: Double)] = [
        .z1: (0.85, 0.89), .z2: (0.90, 0.94), .z3: (0.95, 1.02), .z4: (1.03, 1.06), .z5: (1.07, 1.10),
        .z6: (1.07, 1.10),
    ]
    public static let bikeFractions: [PaceZone: (low: Double, high: Double)] = [
        .z1: (0.81, 0.89), .z2: (0.90, 0.93), .z3: (0.94, 1.02), .z4: (1.03, 1.06), .z5: (1.07, 1.10),
        .z6: (1.07, 1.10),
    ]
    public static let plausible: ClosedRange<Double> = 100...220

    public let lthr: Double
    public let discipline: Discipline

    public init?(lthr: Double, discipline: Discipline) {
        guard lthr.isFinite, Self.plausible.contains(lthr) else { return nil }
        self.lthr = lthr
        self.discipline = discipline
    }

    public func range(_ zone: PaceZone) -> ClosedRange<Int> {
        let table = discipline == .run ? Self.runFractions : Self.bikeFractions
        let f = table[zone] ?? (0.85, 0.89)
        let low = Int(saturating: (lthr * f.low).rounded()), high = Int(saturating: (lthr * f.high).rounded())
        return low...max(low, high)
    }
}

/// Swim paces from the critical swim speed (CSS, seconds per 100 m; Wakayoshi 1992, Ginn 1993), mapped
/// onto z1–z6 with CSS in z3 (threshold): offsets in seconds per 100 m from CSS bound each zone.
public struct SwimZones: Sendable, Hashable {
    /// Seconds per 100 m added to CSS at each zone's slow and fast end (slow > fast).
    public static let offsets: [PaceZone: (slow: Double, fast: Double)] = [
        .z1: (20, 12), .z2: (12, 5), .z3: (5, -1), .z4: (-1, -5), .z5: (-5, -10), .z6: (-10, -15),
    ]
    /// CSS accepted: 0:55 to 4:00 per 100 m.
    public static let plausible: ClosedRange<Double> = 55...240

    public let cssPer100m: Double

    public init?(cssPer100m: Double) {
        guard cssPer100m.isFinite, Self.plausible.contains(cssPer100m) else { return nil }
        self.cssPer100m = cssPer100m
    }

    /// Seconds per 100 m, fast end first as for running.
    public func range(_ zone: PaceZone) -> (fast: Double, slow: Double) {
        let o = Self.offsets[zone] ?? (20, 12)
        return (cssPer100m + o.fast, cssPer100m + o.slow)
    }

    /// CSS from a 400 m and a 200 m time trial: the pace of the 200 m between them,
    /// (T400 − T200) / 2 per 100 m. Nil unless the 200 m was swum faster per 100 m than the 400 m.
    public static func fromTest(seconds400: Double, seconds200: Double) -> Double? {
        guard seconds400.isFinite, seconds200.isFinite, seconds200 > 0, seconds400 > 2 * seconds200 else { return nil }
        return (seconds400 - seconds200) / 2
    }
}

/// An athlete's thresholds besides VDOT and max/resting heart rate (kept on the profile), as valid on
/// a day: FTP, the running and cycling threshold heart rates, CSS.
public struct SportThresholds: Sendable, Hashable {
    public var ftp: Double?
    public var lthrRun: Double?
    public var lthrBike: Double?
    public var cssPer100m: Double?

    public init(ftp: Double? = nil, lthrRun: Double? = nil, lthrBike: Double? = nil, cssPer100m: Double? = nil) {
        self.ftp = ftp
        self.lthrRun = lthrRun
        self.lthrBike = lthrBike
        self.cssPer100m = cssPer100m
    }

    public var power: PowerZones? { ftp.flatMap { PowerZones(ftp: $0) } }
    public var swim: SwimZones? { cssPer100m.flatMap { SwimZones(cssPer100m: $0) } }

    /// Friel's zones for the sport, when its threshold heart rate is known (runs for walks and hikes too).
    public func heartRate(for sport: Sport?) -> ThresholdHeartRateZones? {
        switch sport {
        case .bike: lthrBike.flatMap { ThresholdHeartRateZones(lthr: $0, discipline: .bike) }
        case .run, .walk, .hike: lthrRun.flatMap { ThresholdHeartRateZones(lthr: $0, discipline: .run) }
        default: nil
        }
    }
}

/// The kinds of threshold an athlete has a history of (`athlete_threshold.kind`).
public enum ThresholdKind: String, Sendable, CaseIterable, Codable {
    case ftp, lthrRun = "lthr_run", lthrBike = "lthr_bike", css

    public var label: String {
        switch self {
        case .ftp: "FTP (cycling)"
        case .lthrRun: "Threshold heart rate, running"
        case .lthrBike: "Threshold heart rate, cycling"
        case .css: "Critical swim speed"
        }
    }

    /// The values a person could have, in the stored unit (watts, bpm, seconds per 100 m).
    public var plausible: ClosedRange<Double> {
        switch self {
        case .ftp: PowerZones.plausible
        case .lthrRun, .lthrBike: ThresholdHeartRateZones.plausible
        case .css: SwimZones.plausible
        }
    }

    /// "250 W → 262 W", or "262 W" without a value before.
    public func change(from: Double?, to: Double) -> String {
        (from.map { text($0) + " → " } ?? "") + text(to)
    }

    /// "250 W", "172 bpm", "1:45/100 m".
    public func text(_ value: Double) -> String {
        switch self {
        case .ftp: "\(Int(saturating: value.rounded())) W"
        case .lthrRun, .lthrBike: "\(Int(saturating: value.rounded())) bpm"
        case .css: "\(TimeFormat.clock(value))/100 m"
        }
    }
}

/// Where a threshold came from.
public enum ThresholdSource: String, Sendable, CaseIterable, Codable {
    case entered, test, detected
}

/// One value of a threshold's history: valid from its day until the next one's.
public struct ThresholdEntry: Sendable, Hashable {
    public let kind: ThresholdKind
    public let value: Double
    public let validFrom: CalendarDate
    public let source: ThresholdSource

    public init(kind: ThresholdKind, value: Double, validFrom: CalendarDate, source: ThresholdSource) {
        self.kind = kind
        self.value = value
        self.validFrom = validFrom
        self.source = source
    }
}

extension SportThresholds {
    /// The thresholds valid on `day`: of each kind, the latest entry from that day or before.
    public init(history: [ThresholdEntry], on day: CalendarDate) {
        func latest(_ kind: ThresholdKind) -> Double? { Self.value(of: kind, history: history, on: day) }
        self.init(
            ftp: latest(.ftp), lthrRun: latest(.lthrRun), lthrBike: latest(.lthrBike), cssPer100m: latest(.css))
    }

    /// The value of one kind valid on `day`.
    public static func value(of kind: ThresholdKind, history: [ThresholdEntry], on day: CalendarDate) -> Double? {
        history.filter { $0.kind == kind && $0.validFrom <= day }.max { $0.validFrom < $1.validFrom }?.value
    }
}
