import Foundation

/// Daniels' training intensities. Each is a fraction of VDOT whose oxygen cost sets the pace
/// (SCIENCE.md §2); M is the predicted marathon pace and R is derived from I.
public enum TrainingIntensity {
    /// E (easy): slow end of the range.
    public static let easySlowFraction = 0.63
    /// E (easy): fast end of the range.
    public static let easyFastFraction = 0.735
    /// T (threshold).
    public static let thresholdFraction = 0.88
    /// I (interval).
    public static let intervalFraction = 0.975
    /// R (repetition) is I pace minus this many seconds per km at VDOT ≥ 50 (6 s per 400 m)…
    public static let repetitionOffsetHighVDOT = 15.0
    /// …and minus this many below VDOT 50 (8 s per 400 m), Daniels' rule.
    public static let repetitionOffsetLowVDOT = 20.0
    public static let repetitionOffsetThreshold = 50.0
}

/// Training paces for a VDOT, in seconds per kilometer (lower is faster).
public struct TrainingPaces: Sendable, Hashable {
    public let easyFast: Double
    public let easySlow: Double
    public let marathon: Double
    public let threshold: Double
    public let interval: Double
    public let repetition: Double

    public init(vdot: VDOT) {
        func pace(_ fraction: Double) -> Double {
            60_000 / Daniels.speed(forOxygenCost: fraction * vdot.value)
        }
        easyFast = pace(TrainingIntensity.easyFastFraction)
        easySlow = pace(TrainingIntensity.easySlowFraction)
        marathon = vdot.raceTime(meters: 42_195) / 42.195
        threshold = pace(TrainingIntensity.thresholdFraction)
        interval = pace(TrainingIntensity.intervalFraction)
        let offset =
            vdot.value >= TrainingIntensity.repetitionOffsetThreshold
            ? TrainingIntensity.repetitionOffsetHighVDOT : TrainingIntensity.repetitionOffsetLowVDOT
        repetition = interval - offset
    }
}
