import Foundation

/// Sex for the Banister TRIMP weighting (Morton et al. 1990). Unknown uses the mean of both.
public enum Sex: String, Sendable, CaseIterable, Codable {
    case female, male
    public var label: String { rawValue.capitalized }
}

/// What the engine knows of an athlete's physiology.
public struct Physiology: Sendable, Hashable {
    public var sex: Sex?
    public var maxHR: Double?
    public var restingHR: Double?
    public var vdot: Double?
    /// For the age prior of recovery (`RecoveryProfile.ageFactor`); nil when not given.
    public var birthYear: Int?
    /// FTP, threshold heart rates and CSS with their history: a session's load uses the value of its day.
    public var thresholdHistory: [ThresholdEntry]

    public init(
        sex: Sex? = nil, maxHR: Double? = nil, restingHR: Double? = nil, vdot: Double? = nil, birthYear: Int? = nil,
        thresholdHistory: [ThresholdEntry] = []
    ) {
        self.sex = sex
        self.maxHR = maxHR
        self.restingHR = restingHR
        self.vdot = vdot
        self.birthYear = birthYear
        self.thresholdHistory = thresholdHistory
    }

    /// The thresholds valid on `day`.
    public func thresholds(on day: CalendarDate) -> SportThresholds {
        SportThresholds(history: thresholdHistory, on: day)
    }

    /// Age in whole years reached during the year of `date` (nil without a plausible birth year).
    public func age(on date: CalendarDate) -> Int? {
        guard let birthYear, birthYear >= 1900 else { return nil }
        let age = date.components.year - birthYear
        return (5...110).contains(age) ? age : nil
    }

    /// Threshold (T) pace speed in m/s, from the VDOT.
    public var thresholdSpeed: Double? {
        guard let vdot, let v = try? VDOT(vdot) else { return nil }
        let paces = TrainingPaces(vdot: v)
        return paces.threshold > 0 ? 1000 / paces.threshold : nil
    }
}

/// Where a session's load figure came from, best first.
public enum LoadSource: String, Sendable, Codable {
    case power, heartRate = "hr", pace, swimPace = "swim-pace", rpe, duration, planned

    /// How far the figure can be trusted (0–1): power is the work itself, scored against a tested FTP
    /// (TSS was built for it); heart rate measures the body's response; pace measures the output only
    /// (a swim's pace against CSS the same); RPE is the athlete's word; a bare duration is a guess.
    /// "power (TSS)", for the pages.
    public var words: String {
        switch self {
        case .power: "power (TSS against FTP)"
        case .heartRate: "heart rate (TRIMP)"
        case .pace: "pace against threshold pace"
        case .swimPace: "swim pace against CSS"
        case .rpe: "effort (session RPE)"
        case .duration: "duration only"
        case .planned: "the plan"
        }
    }

    public var confidence: Double {
        switch self {
        case .power: 0.95
        case .swimPace: 0.75
        case .heartRate: 0.9
        case .pace: 0.75
        case .rpe: 0.6
        case .duration: 0.3
        case .planned: 0.5
        }
    }
}

public struct SessionLoad: Sendable, Hashable {
    public let value: Double
    public let source: LoadSource
    public var confidence: Double { source.confidence }
}

/// Training load on one scale: **100 = one hour at threshold** (the scale coaches read on
/// performance-management charts). Each method is calibrated to it once, here:
/// - heart rate: Banister TRIMP ÷ TRIMP of an hour at 85 % of heart-rate reserve (threshold);
/// - pace: hours × IF² × 100, IF = speed ÷ threshold speed (SCIENCE.md §3) — already on it;
/// - session RPE (Foster): RPE × minutes ÷ 4.2 (an hour at RPE 7, "very hard", is threshold).
/// Monotony and strain are reported in session-RPE units (× 4.2) so SCIENCE.md's 6000 AU holds.
public enum Load {
    public static let thresholdHRR = 0.85
    public static let thresholdRPE = 7.0
    public static let rpeUnitsPerLoad = thresholdRPE * 60 / 100  // 4.2

    /// Banister TRIMP: minutes · HRr · b·e^(c·HRr); 0 below resting HR.
    public static func trimp(minutes: Double, averageHR: Double, restingHR: Double, maxHR: Double, sex: Sex?) -> Double
    {
        guard minutes > 0, maxHR > restingHR, averageHR > restingHR else { return 0 }
        let hrr = min((averageHR - restingHR) / (maxHR - restingHR), 1.2)
        func weighted(_ b: Double, _ c: Double) -> Double { minutes * hrr * b * exp(c * hrr) }
        switch sex {
        case .male: return weighted(0.64, 1.92)
        case .female: return weighted(0.86, 1.67)
        case nil: return (weighted(0.64, 1.92) + weighted(0.86, 1.67)) / 2
        }
    }

    static func trimpThresholdHour(_ sex: Sex?) -> Double {
        trimp(minutes: 60, averageHR: 100 + thresholdHRR * 100, restingHR: 100, maxHR: 200, sex: sex)
    }

    /// Pace-based load: hours × IF² × 100.
    public static func paceLoad(seconds: Double, meters: Double, thresholdSpeed: Double) -> Double {
        guard seconds > 0, meters > 0, thresholdSpeed > 0 else { return 0 }
        let intensity = (meters / seconds) / thresholdSpeed
        return seconds / 3600 * intensity * intensity * 100
    }

    /// Coggan's TSS: hours × IF² × 100 with IF = NP ÷ FTP (an hour at FTP is 100).
    public static func powerLoad(seconds: Double, normalizedPower: Double, ftp: Double) -> Double? {
        guard seconds.isFinite, seconds > 0, normalizedPower.isFinite, normalizedPower >= 0, ftp.isFinite, ftp > 0
        else { return nil }
        let intensity = normalizedPower / ftp
        // Beyond 2.5 × FTP the FTP is stale or the meter wrong, not the ride: heart rate or RPE stand in.
        guard intensity < 2.5 else { return nil }
        return seconds / 3600 * intensity * intensity * 100
    }

    /// A swim's load from its pace against CSS: hours × IF³ × 100, IF = speed ÷ CSS speed — the cube
    /// because water's drag rises with the cube of speed in power (the swim score of TrainingPeaks' sTSS).
    /// An hour at CSS is 100.
    public static func swimLoad(seconds: Double, meters: Double, cssPer100m: Double) -> Double? {
        guard seconds.isFinite, seconds > 0, meters.isFinite, meters > 0, cssPer100m.isFinite, cssPer100m > 0
        else { return nil }
        let intensity = (meters / seconds) / (100 / cssPer100m)
        guard intensity < 3 else { return nil }
        return seconds / 3600 * intensity * intensity * intensity * 100
    }

    /// Foster's session RPE (CR-10 × minutes), on the common scale.
    public static func sessionRPE(rpe: Double, minutes: Double) -> Double {
        guard rpe > 0, minutes > 0 else { return 0 }
        return rpe * minutes / rpeUnitsPerLoad
    }

    /// The best load the data allows for a done session.
    public static func of(_ entry: ActivityEntry, _ who: Physiology) -> SessionLoad? {
        guard entry.status != .skipped, let seconds = entry.movingSeconds ?? entry.durationSeconds, seconds > 0 else {
            return nil
        }
        let minutes = seconds / 60
        let thresholds = who.thresholds(on: entry.date)
        // A ride with a power meter: TSS from normalized power and the FTP of its day (Coggan).
        if let np = entry.normalizedPower, let ftp = thresholds.ftp,
            let tss = powerLoad(seconds: seconds, normalizedPower: np, ftp: ftp)
        {
            return SessionLoad(value: tss, source: .power)
        }
        // A swim's pace against CSS before its heart rate: wrist heart rate in water is poor.
        if entry.sport == .swim, let meters = entry.distanceMeters, let css = thresholds.cssPer100m,
            let load = swimLoad(seconds: seconds, meters: meters, cssPer100m: css)
        {
            return SessionLoad(value: load, source: .swimPace)
        }
        // A heart rate with many dropouts weighs nothing here: pace or RPE stand in.
        if !entry.heartRateUnreliable, let hr = entry.averageHeartRate, let max = who.maxHR, let rest = who.restingHR,
            hr > rest, hr <= max + 5
        {
            let value =
                trimp(minutes: minutes, averageHR: hr, restingHR: rest, maxHR: max, sex: who.sex)
                / trimpThresholdHour(who.sex) * 100
            return SessionLoad(value: value, source: .heartRate)
        }
        if entry.sport == .run, let meters = entry.distanceMeters, meters > 0, let threshold = who.thresholdSpeed {
            return SessionLoad(
                value: paceLoad(seconds: seconds, meters: meters, thresholdSpeed: threshold), source: .pace)
        }
        if let rpe = entry.rpe {
            return SessionLoad(value: sessionRPE(rpe: Double(rpe), minutes: minutes), source: .rpe)
        }
        // Only a duration: an easy session's RPE (4, "somewhat hard" is 4 on CR-10).
        return SessionLoad(value: sessionRPE(rpe: 4, minutes: minutes), source: .duration)
    }

    /// Estimated load of a planned workout: each block's time at the intensity of its zone.
    public static func planned(_ workout: Workout, zones: PaceZones?) -> SessionLoad {
        var total = 0.0
        func walk(_ blocks: [WorkoutBlock], times: Int) {
            for block in blocks {
                let count = times * max(block.repeatCount, 1)
                if block.type == .interval {
                    walk(block.children, times: count)
                    continue
                }
                var single = block
                single.repeatCount = 1
                let t = WorkoutTotals([single], zones: zones)
                // Without paces a distance block's time is guessed at 3 m/s (a 5:33/km jog).
                let seconds = t.durationSeconds > 0 ? t.durationSeconds : t.distanceMeters / 3
                let intensity = zoneIntensity(block.pace)
                total += Double(count) * seconds / 3600 * intensity * intensity * 100
            }
        }
        walk(workout.blocks, times: 1)
        return SessionLoad(value: total, source: .planned)
    }

    /// Intensity factor (speed ÷ threshold speed) of each zone's middle, at any VDOT within the tables.
    static func zoneIntensity(_ zone: PaceZone) -> Double {
        switch zone {
        case .z1: 0.75
        case .z2: 0.88
        case .z3: 1.0
        case .z4: 1.08
        case .z5: 1.13
        case .z6: 1.2
        }
    }
}
