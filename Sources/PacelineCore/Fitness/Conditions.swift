import Foundation

/// Pace adjustments for heat and altitude (SCIENCE.md §6). The adjusted pace is shown beside
/// the target, never instead of it.
public enum Conditions {
    /// Hadley's heat table: temperature °F + dew point °F → slowdown in percent. Points are the
    /// middle of each band; between them the adjustment is linear, so it is continuous.
    static let heatPoints: [(sum: Double, percent: Double)] = [
        (100, 0), (105, 0.25), (115, 0.75), (125, 1.5), (135, 2.5),
        (145, 3.75), (155, 5.25), (165, 7), (175, 9), (180, 10),
    ]
    /// Above this sum hard running is not advised at all.
    public static let heatLimitSum = 180.0
    /// Repeats of at most this many meters take half the heat adjustment.
    public static let shortRepeatMeters = 1609.344
    /// Altitude below which pace is not adjusted.
    public static let altitudeThresholdMeters = 750.0
    /// Exponent per 1000 m above the threshold: factor e^(0.06·(h − 750)/1000).
    public static let altitudeCoefficient = 0.06
    /// Efforts shorter than this are not slowed by altitude.
    public static let altitudeMinimumEffortSeconds = 600.0

    public enum HeatAdvice: Sendable, Equatable {
        /// Slow the pace by this fraction (0.02 = 2 %).
        case slowBy(Double)
        /// Over the table: do not run hard today.
        case hardRunningNotAdvised
    }

    public static func fahrenheit(celsius: Double) -> Double { celsius * 9 / 5 + 32 }

    /// The heat adjustment for a temperature and dew point in °F.
    public static func heat(temperatureF: Double, dewPointF: Double, shortRepeats: Bool = false) -> HeatAdvice {
        let sum = temperatureF + dewPointF
        guard sum.isFinite else { return .slowBy(0) }
        if sum > heatLimitSum { return .hardRunningNotAdvised }
        var percent = 0.0
        if sum > 100 {
            for i in 1..<heatPoints.count where sum <= heatPoints[i].sum {
                let a = heatPoints[i - 1], b = heatPoints[i]
                percent = a.percent + (sum - a.sum) / (b.sum - a.sum) * (b.percent - a.percent)
                break
            }
        }
        return .slowBy((shortRepeats ? percent / 2 : percent) / 100)
    }

    public static func heat(temperatureC: Double, dewPointC: Double, shortRepeats: Bool = false) -> HeatAdvice {
        heat(temperatureF: fahrenheit(celsius: temperatureC), dewPointF: fahrenheit(celsius: dewPointC), shortRepeats: shortRepeats)
    }

    /// Multiplier for pace (seconds per km) at `altitude` meters for an effort of `effortSeconds`.
    public static func altitudeFactor(altitudeMeters: Double, effortSeconds: Double) -> Double {
        guard altitudeMeters > altitudeThresholdMeters, effortSeconds >= altitudeMinimumEffortSeconds else { return 1 }
        return exp(altitudeCoefficient * (altitudeMeters - altitudeThresholdMeters) / 1000)
    }

    /// A target pace adjusted for heat and altitude; nil when hard running is not advised.
    public static func adjustedPace(
        secondsPerKm: Double, temperatureC: Double?, dewPointC: Double?, altitudeMeters: Double?,
        effortSeconds: Double, shortRepeats: Bool
    ) -> Double? {
        var pace = secondsPerKm
        if let t = temperatureC, let d = dewPointC {
            switch heat(temperatureC: t, dewPointC: d, shortRepeats: shortRepeats) {
            case .slowBy(let fraction): pace *= 1 + fraction
            case .hardRunningNotAdvised: return nil
            }
        }
        if let h = altitudeMeters {
            pace *= altitudeFactor(altitudeMeters: h, effortSeconds: effortSeconds)
        }
        return pace
    }
}
