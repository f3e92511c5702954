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
        heat(
            temperatureF: fahrenheit(celsius: temperatureC), dewPointF: fahrenheit(celsius: dewPointC),
            shortRepeats: shortRepeats)
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

/// A day's weather where the athlete runs: what the heat adjustment is computed from.
public struct DayWeather: Sendable, Hashable, Codable {
    public var temperatureC: Double
    public var dewPointC: Double

    public init(temperatureC: Double, dewPointC: Double) {
        self.temperatureC = temperatureC
        self.dewPointC = dewPointC
    }

    public static let temperatureRangeC = -40.0...55.0
    public static let dewPointRangeC = -60.0...35.0

    /// Every problem with the reading, in words; empty when it can be saved.
    public func problems() -> [FieldProblem] {
        var out: [FieldProblem] = []
        if !(temperatureC.isFinite && Self.temperatureRangeC.contains(temperatureC)) {
            out.append(
                .init(
                    field: "temperature",
                    message: "Temperature must be between −40 and 55 °C (−40 and 131 "
                        + "°F)."))
        }
        if !(dewPointC.isFinite && Self.dewPointRangeC.contains(dewPointC)) {
            out.append(
                .init(
                    field: "dew_point",
                    message: "Dew point must be between −60 and 35 °C (−76 and 95 "
                        + "°F)."))
        } else if temperatureC.isFinite, dewPointC > temperatureC + 0.05 {
            out.append(.init(field: "dew_point", message: "The dew point cannot be above the air temperature."))
        }
        return out
    }

    /// Hadley's sum: temperature °F + dew point °F.
    public var hadleySum: Double {
        Conditions.fahrenheit(celsius: temperatureC) + Conditions.fahrenheit(celsius: dewPointC)
    }

    /// The slowdown for steady running (fraction), nil when hard running is not advised.
    public var slowdown: Double? {
        if case .slowBy(let f) = Conditions.heat(temperatureC: temperatureC, dewPointC: dewPointC) { return f }
        return nil
    }
}

/// A hot day's adjustment stamped on one scheduled workout: paces stay the targets, and the
/// heat-adjusted pace is shown beside each of them (SCIENCE.md §6).
public struct HeatAdjustment: Sendable, Hashable, Codable {
    public var temperatureC: Double
    public var dewPointC: Double
    /// Slowdown for steady running, as a fraction (0.03 = 3 %); repeats of a mile or less take half.
    public var fraction: Double
    /// Over Hadley's table: hard running is not advised at all.
    public var hardRunningNotAdvised: Bool

    enum CodingKeys: String, CodingKey {
        case temperatureC = "temperature_c", dewPointC = "dew_point_c", fraction = "slowdown", hardRunningNotAdvised =
            "hard_running_not_advised"
    }

    public init(_ weather: DayWeather) {
        temperatureC = (weather.temperatureC * 10).rounded() / 10
        dewPointC = (weather.dewPointC * 10).rounded() / 10
        let advice = Conditions.heat(temperatureC: temperatureC, dewPointC: dewPointC)
        switch advice {
        case .slowBy(let f): fraction = (f * 10000).rounded() / 10000; hardRunningNotAdvised = false
        case .hardRunningNotAdvised: fraction = 0.1; hardRunningNotAdvised = true
        }
    }

    /// Hadley's sum: temperature °F + dew point °F.
    public var hadleySum: Double { DayWeather(temperatureC: temperatureC, dewPointC: dewPointC).hadleySum }

    /// The fraction for a block: half for repeats of a mile or less.
    public func fraction(shortRepeat: Bool) -> Double { shortRepeat ? fraction / 2 : fraction }

    /// "31 °C, dew point 22 °C: paces 6 % slower (3 % on repeats of a mile or less)".
    public func words(units: UnitSystem) -> String {
        let conditions =
            units == .mi
            ? String(
                format: "%.0f °F, dew point %.0f °F", Conditions.fahrenheit(celsius: temperatureC),
                Conditions.fahrenheit(celsius: dewPointC))
            : String(format: "%.0f °C, dew point %.0f °C", temperatureC, dewPointC)
        if hardRunningNotAdvised {
            return conditions + ": too hot for hard running — run easy, by feel, early or indoors"
        }
        return conditions
            + String(
                format: ": paces %@ %% slower (%@ %% on repeats of a mile or less)", Self.percent(fraction),
                Self.percent(fraction / 2))
    }

    /// The effect in a few words for pages and calendar cells: "paces 6 % slower", "hard running
    /// not advised"; nil when under `minimum` (too small to act on).
    public func effect(minimum: Double) -> String? {
        if hardRunningNotAdvised { return "hard running not advised" }
        return fraction >= minimum ? "paces \(Self.percent(fraction)) % slower" : nil
    }

    public static func percent(_ fraction: Double) -> String {
        let p = fraction * 100
        let text = String(format: p < 10 ? "%.1f" : "%.0f", p)
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }
}
