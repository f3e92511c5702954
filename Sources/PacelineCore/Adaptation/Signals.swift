import Foundation

/// Every threshold the engine uses, in one table (docs/ADAPTATION.md prints the same table for
/// coaches). Sources in SCIENCE.md §3–5.
public enum Thresholds {
    /// CTL and ATL time constants (days) when the athlete has no confident individual fit.
    public static let fitnessDays = 42.0
    public static let fatigueDays = 7.0
    /// ACWR EWMA spans (Williams et al. 2017) and the limit the engine never plans past.
    public static let acuteDays = 7.0
    public static let chronicDays = 28.0
    public static let acwrLimit = 1.5
    public static let monotonyLimit = 2.0
    /// Weekly strain limit in session-RPE units.
    public static let strainLimit = 6000.0
    /// HRV: 7-day mean of ln rMSSD below the 60-day baseline minus 0.5 SD is suppressed.
    public static let hrvBaselineDays = 60
    public static let hrvSWCFactor = 0.5
    /// Fewest HRV readings in the baseline window before HRV is judged at all.
    public static let hrvMinimumReadings = 14
    /// Resting HR: 3-day mean above the 30-day mean by max(5 bpm, 1 SD) is elevated.
    public static let rhrElevationBPM = 5.0
    /// Robust z-score (Iglewicz & Hoaglin) beyond which a reading is suspect.
    public static let outlierZ = 3.5
    /// A second reading moving the same way this far (robust z) corroborates an outlier: HRV down with
    /// resting HR up is a body under stress, not a strap that slipped.
    public static let corroborationZ = 2.0
    /// How many recent days are checked for uncorroborated outliers (set aside from the trends).
    public static let outlierWindowDays = 7
    /// Efficiency factor falling by more than this over three weeks is a signal.
    public static let efDropFraction = 0.05
    public static let shortSleepHours = 6.0
    public static let shortSleepNights = 3
    /// Sleep debt: the hours short of this need, summed over the last 7 nights with a reading.
    public static let sleepNeedHours = 8.0
    /// A debt this large (about 6½ h a night on average) makes readiness amber. Not 7 h: most
    /// adults sleep about 7 h, and a warning that is always on is a warning nobody reads.
    public static let sleepDebtHours = 10.0
    /// Fewest nights with a reading among the last 7 before a debt is stated.
    public static let sleepDebtMinimumNights = 4
    /// Heat: scheduled runs this many days ahead (today included) get their forecast's adjustment.
    public static let heatDaysAhead = 8
    /// Smaller heat adjustments than this are not proposed: they are inside a pace range's width.
    public static let heatMinimumFraction = 0.01
    public static let highSoreness = 4
    public static let sorenessDays = 3
    /// Form (TSB) below this is deep fatigue.
    public static let deepFatigueTSB = -30.0
    /// Days with markers returning to normal before volume is restored after illness.
    public static let sickVolumeFactor = 0.7
    public static let overtrainingVolumeFactor = 0.8
    /// Outperforming: consecutive quality sessions at least this much faster than target at RPE ≤ 7.
    public static let outperformSessions = 3
    public static let outperformSpeedFraction = 0.02
    public static let outperformMaxRPE = 7
    public static let vdotStep = 1.0
    /// Missed days: missed planned sessions in the current week that trigger rescheduling.
    public static let missedSessions = 2
    /// Warning signs on more days in a row than this ("beyond a week") delay the next progression.
    public static let persistenceDays = 7
    /// For persistence, HRV counts when its 7-day mean is this many smallest worthwhile changes
    /// (0.5 SD each) under the baseline: 1.5 SD.
    public static let persistenceHRVSWCs = 3.0
    /// Outperforming also allows this volume step next week, within the ceiling and the ACWR limit.
    public static let outperformVolumeStep = 0.05
    /// Stride mechanics over four weeks of steady runs: a rise of this much over three weeks is a
    /// signal (asymmetry in percentage points; cadence and pace variation relative to their mean).
    public static let asymmetryRisePoints = 1.0
    public static let variationRiseFraction = 0.25
    public static let mechanicsMinimumRuns = 4
    /// Peak timing: a taper is proposed when it predicts at least this much more (VDOT) on race day
    /// than the plan's, looked at when the race is this many days ahead.
    public static let taperGainVDOT = 0.3
    public static let taperDecisionDays = 15...42
    /// A race or time trial this far (VDOT) from what the model predicted for its day moves the goal time.
    public static let goalGapVDOT = 1.0
    /// Threshold detection (`ThresholdDetection.swift`): activities of the last this many days are read.
    public static let thresholdLookbackDays = 14
    /// FTP = this × the best 20-minute power; proposed when it is this fraction above the current FTP.
    public static let ftpFraction = 0.95
    public static let ftpRiseFraction = 0.02
    /// A threshold-heart-rate test is a 25–75-minute session at this RPE or harder; it moves LTHR by this many bpm.
    public static let lthrTestRPE = 8
    public static let lthrChangeBPM = 3.0
    /// A CSS test's 400 m and 200 m swims within this many days of each other; CSS moves by this many s/100 m.
    public static let cssTestDays = 3
    public static let cssChangeSeconds = 2.0
}

/// Exponential averages and the other series, over one value per day (rest days are 0).
public enum Series {
    /// `X_t = X_(t−1) + α·(load_t − X_(t−1))`, `α = 1 − e^(−1/N)` (GoldenCheetah's PMC), from 0.
    public static func exponential(_ loads: [Double], days: Double) -> [Double] {
        let alpha = 1 - exp(-1 / days)
        var x = 0.0
        return loads.map { load in
            x += alpha * (load - x); return x
        }
    }

    /// TSB for day t = CTL_(t−1) − ATL_(t−1): the form a day starts with.
    public static func form(ctl: [Double], atl: [Double]) -> [Double] {
        guard !ctl.isEmpty else { return [] }
        return [0] + zip(ctl, atl).dropLast().map { $0 - $1 }
    }

    /// EWMA with λ = 2/(N+1), seeded with the first day's load (Williams et al. 2017).
    public static func ewma(_ loads: [Double], days: Double) -> [Double] {
        guard let first = loads.first else { return [] }
        let lambda = 2 / (days + 1)
        var x = first
        return loads.enumerated().map { i, load in
            if i > 0 { x = lambda * load + (1 - lambda) * x }
            return x
        }
    }

    /// Acute:chronic ratio per day (nil while the chronic load is near zero).
    public static func acwr(_ loads: [Double]) -> [Double?] {
        zip(ewma(loads, days: Thresholds.acuteDays), ewma(loads, days: Thresholds.chronicDays)).map { a, c in
            c > 1 ? a / c : nil
        }
    }

    /// Foster's monotony (mean ÷ population SD of the week's daily loads) and strain (week's load × monotony).
    public static func monotony(week: [Double]) -> (monotony: Double, strain: Double)? {
        guard week.count == 7 else { return nil }
        let mean = week.reduce(0, +) / 7
        let sd = (week.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 7).squareRoot()
        guard mean > 0 else { return (0, 0) }
        let monotony = sd > 0 ? mean / sd : 10  // the same load every day: as monotonous as it gets
        return (monotony, week.reduce(0, +) * monotony)
    }

    public static func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }

    public static func sd(_ values: [Double]) -> Double? {
        guard values.count > 1, let m = mean(values) else { return nil }
        return (values.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(values.count - 1)).squareRoot()
    }

    public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    /// Robust z-score `0.6745·(x − median)/MAD`; nil when the spread is zero or there are too few values.
    public static func robustZ(_ x: Double, among values: [Double]) -> Double? {
        guard values.count >= 7, let med = median(values), let mad = median(values.map { abs($0 - med) }), mad > 0
        else { return nil }
        return 0.6745 * (x - med) / mad
    }

    /// Least-squares slope of (x, y) points; nil with fewer than 3 points or no spread in x.
    public static func slope(_ points: [(Double, Double)]) -> Double? {
        guard points.count >= 3 else { return nil }
        let n = Double(points.count)
        let mx = points.reduce(0) { $0 + $1.0 } / n, my = points.reduce(0) { $0 + $1.1 } / n
        let sxx = points.reduce(0) { $0 + ($1.0 - mx) * ($1.0 - mx) }
        guard sxx > 0 else { return nil }
        return points.reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) } / sxx
    }
}

/// HRV against its baseline (Plews et al.): ln rMSSD, 7-day rolling mean vs the mean and SD of
/// that rolling mean over the previous 60 days; smallest worthwhile change = 0.5 × SD.
public struct HRVStatus: Sendable, Hashable {
    public let rollingMean: Double
    public let baseline: Double
    public let swc: Double
    public var suppressed: Bool { rollingMean < baseline - swc }
    public var lowerBand: Double { baseline - swc }
    public var upperBand: Double { baseline + swc }

    /// `lnRMSSD[i]` is day i's reading (nil when none); the status for the last day.
    public init?(lnRMSSD: [Double?]) {
        guard let status = Self.series(lnRMSSD).last, let status else { return nil }
        self = status
    }

    init(rollingMean: Double, baseline: Double, swc: Double) {
        self.rollingMean = rollingMean
        self.baseline = baseline
        self.swc = swc
    }

    /// The status of every day (nil while the data is too thin). Linear in the days: the windows are
    /// read from running sums (values shifted by the first reading, so the variance keeps its digits).
    public static func series(_ lnRMSSD: [Double?]) -> [HRVStatus?] {
        let n = lnRMSSD.count
        guard n > 0 else { return [] }
        let shift = lnRMSSD.lazy.compactMap { $0 }.first ?? 0
        // Prefix sums of the readings: count and sum (shifted).
        var readCount = [Int](repeating: 0, count: n + 1), readSum = [Double](repeating: 0, count: n + 1)
        for i in 0..<n {
            readCount[i + 1] = readCount[i] + (lnRMSSD[i] == nil ? 0 : 1)
            readSum[i + 1] = readSum[i] + (lnRMSSD[i].map { $0 - shift } ?? 0)
        }
        // Rolling 7-day means (shifted) where at least 3 readings, and their prefix sums.
        var rolling = [Double?](repeating: nil, count: n)
        var rollCount = [Int](repeating: 0, count: n + 1), rollSum = [Double](repeating: 0, count: n + 1)
        var rollSquares = [Double](repeating: 0, count: n + 1)
        for i in 0..<n {
            let from = max(0, i - 6)
            let count = readCount[i + 1] - readCount[from]
            let value: Double? = count >= 3 ? (readSum[i + 1] - readSum[from]) / Double(count) : nil
            rolling[i] = value
            rollCount[i + 1] = rollCount[i] + (value == nil ? 0 : 1)
            rollSum[i + 1] = rollSum[i] + (value ?? 0)
            rollSquares[i + 1] = rollSquares[i] + (value.map { $0 * $0 } ?? 0)
        }
        return (0..<n).map { i -> HRVStatus? in
            guard let current = rolling[i], i >= 1 else { return nil }
            let from = max(0, i - Thresholds.hrvBaselineDays)
            guard readCount[i] - readCount[from] >= Thresholds.hrvMinimumReadings else { return nil }
            let k = rollCount[i] - rollCount[from]
            guard k > 1 else { return nil }
            let mean = (rollSum[i] - rollSum[from]) / Double(k)
            let variance = max(0, (rollSquares[i] - rollSquares[from] - Double(k) * mean * mean) / Double(k - 1))
            return HRVStatus(
                rollingMean: current + shift, baseline: mean + shift,
                swc: Thresholds.hrvSWCFactor * variance.squareRoot())
        }
    }
}

/// Resting HR: elevated when the 3-day mean exceeds the 30-day mean by max(5 bpm, 1 SD).
public enum RestingHRStatus {
    public static func elevated(_ values: [Double?]) -> Bool? {
        guard values.count >= 4 else { return nil }
        let recent = values.suffix(3).compactMap { $0 }
        let history = values.dropLast(3).suffix(30).compactMap { $0 }
        guard recent.count >= 2, history.count >= 7, let r = Series.mean(recent), let h = Series.mean(history) else {
            return nil
        }
        return r - h >= max(Thresholds.rhrElevationBPM, Series.sd(history) ?? 0)
    }
}
