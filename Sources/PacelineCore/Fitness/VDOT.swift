import Foundation

/// A race result a VDOT can be computed from, validated.
public struct RaceResult: Sendable, Hashable, Codable {
    public let meters: Double
    public let seconds: Double

    /// Shortest and longest distances the Daniels–Gilbert curves are used for.
    public static let distanceRange = 1500.0...50_000.0
    /// The published tables stop at the marathon; 50 km is computed but flagged.
    public static let tableDistanceLimit = 42_195.0 + 1
    /// VDOT values accepted from a race: below 15 is a walk, above 90 beyond the world record.
    public static let acceptedVDOT = 15.0...90.0
    /// The range Daniels' published tables cover.
    public static let tableVDOT = 30.0...85.0

    public init(meters: Double, seconds: Double) throws(FitnessInputError) {
        guard meters.isFinite, meters > 0 else { throw .distanceNotPositive }
        guard seconds.isFinite, seconds > 0 else { throw .timeNotPositive }
        guard Self.distanceRange.contains(meters) else { throw .distanceOutOfRange(meters) }
        let value = Daniels.vdot(meters: meters, seconds: seconds)
        guard value.isFinite, Self.acceptedVDOT.contains(value) else {
            throw .implausibleTime(vdot: value.isFinite ? value : 0)
        }
        self.meters = meters
        self.seconds = seconds
    }

    public var vdot: VDOT { VDOT(uncheckedValue: Daniels.vdot(meters: meters, seconds: seconds)) }

    /// True for distances past the marathon, which the published tables do not cover.
    public var isOutsideTables: Bool { meters > Self.tableDistanceLimit }
}

/// Why a fitness calculation refused its input, in words a runner understands.
public enum FitnessInputError: Error, Equatable, Sendable, CustomStringConvertible {
    case distanceNotPositive
    case timeNotPositive
    case distanceOutOfRange(Double)
    case implausibleTime(vdot: Double)
    case vdotOutOfRange(Double)

    public var description: String {
        switch self {
        case .distanceNotPositive: "The distance must be a positive number of meters."
        case .timeNotPositive: "The time must be longer than zero."
        case .distanceOutOfRange(let m):
            "VDOT is computed for races from 1500 m to 50 km; \(Self.meters(m)) is outside that range."
        case .implausibleTime(let v):
            "That time gives a VDOT of \(String(format: "%.1f", v)), outside the plausible range 15–90: check the "
                + "distance and the time."
        case .vdotOutOfRange(let v):
            "A VDOT must be between 15 and 90 (got \(String(format: "%.1f", v)))."
        }
    }

    /// The refused distance as typed back to the runner: whole meters while that is readable,
    /// else in scientific notation ("1e+19 m"), never an `Int` conversion that could trap.
    static func meters(_ m: Double) -> String {
        guard let whole = Int(checked: m), abs(whole) < 1_000_000_000 else { return String(format: "%.3g m", m) }
        return "\(whole) m"
    }
}

/// An athlete's VDOT: the running fitness every pace and prediction is computed from.
public struct VDOT: Sendable, Hashable, Comparable, Codable {
    public let value: Double

    public init(_ value: Double) throws(FitnessInputError) {
        guard value.isFinite, RaceResult.acceptedVDOT.contains(value) else { throw .vdotOutOfRange(value) }
        self.value = value
    }

    /// For values already known to be in range (computed from a validated race).
    init(uncheckedValue: Double) { self.value = uncheckedValue }

    public static func < (lhs: VDOT, rhs: VDOT) -> Bool { lhs.value < rhs.value }

    /// VDOT rounded to two decimals, as shown and as stored.
    public var rounded: Double { (value * 100).rounded() / 100 }

    /// Predicted race time in seconds for `meters`.
    public func raceTime(meters: Double) -> Double { Daniels.raceTime(meters: meters, vdot: value) }

    /// Whether Daniels' published tables cover this value.
    public var isInsideTables: Bool { RaceResult.tableVDOT.contains(value) }
}

/// The standard race distances of the equivalence table.
public struct RaceDistance: Sendable, Hashable {
    public let name: String
    public let meters: Double

    public init(name: String, meters: Double) {
        self.name = name
        self.meters = meters
    }

    public static let standard: [RaceDistance] = [
        .init(name: "1500m", meters: 1500),
        .init(name: "Mile", meters: 1609.344),
        .init(name: "3K", meters: 3000),
        .init(name: "2 mile", meters: 3218.688),
        .init(name: "5K", meters: 5000),
        .init(name: "8K", meters: 8000),
        .init(name: "10K", meters: 10_000),
        .init(name: "15K", meters: 15_000),
        .init(name: "Half marathon", meters: 21_097.5),
        .init(name: "Marathon", meters: 42_195),
    ]
}

/// One row of the race-equivalence table: the VDOT prediction and Riegel's beside it.
public struct EquivalentTime: Sendable, Hashable {
    public let distance: RaceDistance
    public let seconds: Double
    public let riegelSeconds: Double
}

extension RaceResult {
    /// Equivalent times at the standard distances plus any `extra` ones.
    public func equivalentTimes(extra: [RaceDistance] = []) -> [EquivalentTime] {
        let v = vdot
        return (RaceDistance.standard + extra).map { distance in
            EquivalentTime(
                distance: distance,
                seconds: v.raceTime(meters: distance.meters),
                riegelSeconds: Daniels.riegelTime(fromMeters: meters, seconds: seconds, toMeters: distance.meters)
            )
        }
    }
}
