import Foundation

/// A planned session as the engine sees it.
public struct PlannedSession: Sendable, Hashable {
    public let id: Int64
    public let date: CalendarDate
    public let workout: Workout
    /// What was done for it, if anything (`.skipped` counts as not done).
    public let done: ActivityEntry?
    public let ticked: Bool

    public init(id: Int64, date: CalendarDate, workout: Workout, done: ActivityEntry?, ticked: Bool = false) {
        self.id = id
        self.date = date
        self.workout = workout
        self.done = done
        self.ticked = ticked
    }

    public var isDone: Bool { ticked || (done.map { $0.status != .skipped } ?? false) }
    public var isLongRun: Bool { workout.subtype == .longRun }
    /// Hard days: quality sessions and long runs.
    public var isKey: Bool { workout.subtype.isQuality || isLongRun }
    /// Long run 3, quality 2, anything else 1 (what is kept when not everything fits).
    public var importance: Int { isLongRun ? 3 : (workout.subtype.isQuality ? 2 : 1) }
}

/// Everything the engine reads about one athlete.
public struct EngineInput: Sendable {
    public var today: CalendarDate
    public var physiology: Physiology
    /// Done activities (any day up to today), oldest first.
    public var activities: [ActivityEntry]
    public var checkIns: [CheckIn]
    /// Visible planned sessions around today (at least the last 7 and next 7 days).
    public var schedule: [PlannedSession]
    /// Individually fitted time constants when the fit is confident.
    public var tau: (fitness: Double, fatigue: Double)?
    /// The athlete's weather by day: observed for past days, the forecast for coming ones.
    public var weather: [CalendarDate: DayWeather]
    /// The fitted impulse-response model (any fit, confident or not): peak timing and the goal time
    /// read it; nil without markers.
    public var model: BanisterModel?
    /// Days the athlete cannot train (travel, work): nothing is planned on them.
    public var unavailable: Set<CalendarDate>

    public init(
        today: CalendarDate, physiology: Physiology, activities: [ActivityEntry], checkIns: [CheckIn],
        schedule: [PlannedSession],
        tau: (fitness: Double, fatigue: Double)? = nil, weather: [CalendarDate: DayWeather] = [:],
        model: BanisterModel? = nil, unavailable: Set<CalendarDate> = []
    ) {
        self.today = today
        self.physiology = physiology
        self.activities = activities
        self.checkIns = checkIns
        self.schedule = schedule
        self.tau = tau
        self.weather = weather
        self.model = model
        self.unavailable = unavailable
    }

    /// Speed of a run on `date` as if it had been cool: × (1 + Hadley slowdown). Nil when the
    /// day was too hot to judge at all.
    public func heatNormalized(speed: Double, on date: CalendarDate) -> Double? {
        guard let w = weather[date] else { return speed }
        return w.slowdown.map { speed * (1 + $0) }
    }
}

public enum ReadinessLevel: String, Sendable, Codable {
    case green, amber, red
    public var label: String { rawValue.capitalized }
}

/// Day-by-day state and today's signals, with words for each.
public struct AthleteState: Sendable {
    public let start: CalendarDate
    public let loads: [Double]
    public let loadConfidence: Double
    public let ctl: [Double]
    public let atl: [Double]
    public let tsb: [Double]
    public let acwr: [Double?]
    public let hrv: [HRVStatus?]
    public let lnRMSSD: [Double?]
    public let restingHRElevated: Bool
    public let hrvSuppressedDays: Int
    public let monotony: Double?
    public let strainRPEUnits: Double?
    public let efficiencyChange: Double?
    public let shortSleepNights: Int
    /// Hours short of `Thresholds.sleepNeedHours` over the last 7 nights (nil with too few readings).
    public let sleepDebtHours: Double?
    public let soreDaysInARow: Int
    public let illToday: Bool
    public let suspect: [String]
    public let readiness: ReadinessLevel
    public let reasons: [String]
    /// Overtraining-risk signals present today (two or more at once is the risk).
    public let overtrainingSignals: [String]
    /// Days in a row, ending today, with a warning sign in the body's own data (HRV's 7-day mean 1.5 SD
    /// under its baseline, resting heart rate up, soreness 4+, illness): what `persistence` reads.
    public let warningDays: Int
    /// Stride mechanics over the last four weeks of steady runs (nil without enough runs).
    public let mechanics: MechanicsTrend?

    public var todayIndex: Int { loads.count - 1 }
}

/// The engine: state from data, then the rules, each giving an explained proposal.
public enum Engine {
    public static let historyDays = 120
    /// How far ahead the engine reads the plan: to a goal race up to half a year away (peak timing,
    /// and persistence shifting the progression up to the taper).
    public static let planAheadDays = 182

    /// The state over the last `days` days (120 by default: three times the fitness time constant).
    public static func state(_ input: EngineInput, days: Int = historyDays) -> AthleteState {
        let days = max(days, 14)
        let start = input.today.adding(days: -(days - 1))
        let (loads, loadConfidence) = dailyLoads(input, days: days)
        let tauFit = input.tau?.fitness ?? Thresholds.fitnessDays, tauFat = input.tau?.fatigue ?? Thresholds.fatigueDays
        let ctl = Series.exponential(loads, days: tauFit), atl = Series.exponential(loads, days: tauFat)
        var ln = [Double?](repeating: nil, count: days), rhr = [Double?](repeating: nil, count: days)
        var byDay: [CalendarDate: CheckIn] = [:]
        for c in input.checkIns {
            byDay[c.date] = c
            let i = start.days(until: c.date)
            guard i >= 0, i < days else { continue }
            if let v = c.hrvRMSSD, v > 0 { ln[i] = log(v) }
            if let v = c.restingHR { rhr[i] = Double(v) }
        }
        // Outliers: a reading far from the athlete's robust baseline is suspect only when nothing
        // corroborates it — an illness report (that day or the day before, for a reading in the stress
        // direction), the other reading moving the same way, or the day before or after off the same way.
        // Suspect readings of the last week are set aside from the trends; today's is named.
        let illDays = Set(input.checkIns.filter(\.ill).map(\.date))
        let corroborate = Thresholds.corroborationZ
        func z(_ series: [Double?], _ i: Int) -> Double? {
            guard i >= 0, i < series.count, let value = series[i] else { return nil }
            return Series.robustZ(value, among: series[max(0, i - 60)..<i].compactMap { $0 })
        }
        var suspect: [String] = []
        var cleanLn = ln, cleanRHR = rhr
        for i in max(0, days - Thresholds.outlierWindowDays)..<days {
            let day = start.adding(days: i)
            let ill = illDays.contains(day) || illDays.contains(day.adding(days: -1))
            // (name, its series, the other series, the sign of "under stress": HRV down, resting HR up)
            for (name, series, other, stress) in [("HRV", ln, rhr, -1.0), ("resting heart rate", rhr, ln, 1.0)] {
                guard let zi = z(series, i), abs(zi) > Thresholds.outlierZ else { continue }
                let direction: Double = zi > 0 ? 1 : -1
                func sameWay(_ value: Double?, _ threshold: Double) -> Bool {
                    value.map { $0 * direction > threshold } ?? false
                }
                // HRV and resting heart rate move in opposite directions when something is real.
                let otherAgrees = z(other, i).map { $0 * -direction > corroborate } ?? false
                let corroborated =
                    (ill && direction == stress) || otherAgrees
                    || sameWay(z(series, i - 1), Thresholds.outlierZ) || sameWay(z(series, i + 1), corroborate)
                guard !corroborated else { continue }
                if name == "HRV" { cleanLn[i] = nil } else { cleanRHR[i] = nil }
                if i == days - 1 {
                    suspect.append(
                        "today's \(name) reading is far from your usual (robust z \(String(format: "%.1f", zi)))")
                }
            }
        }
        let hrv = HRVStatus.series(cleanLn)
        var suppressedDays = 0
        for status in hrv.reversed() { if status?.suppressed == true { suppressedDays += 1 } else { break } }
        let rhrElevated = RestingHRStatus.elevated(cleanRHR) ?? false
        let week = Series.monotony(week: Array(loads.suffix(7)))
        let recent = (0..<7).map { input.today.adding(days: -$0) }
        let shortSleep = recent.filter { (byDay[$0]?.sleepHours ?? 24) < Thresholds.shortSleepHours }.count
        let nights = recent.compactMap { byDay[$0]?.sleepHours }
        let sleepDebt =
            nights.count >= Thresholds.sleepDebtMinimumNights
            ? nights.reduce(0) { $0 + max(0, Thresholds.sleepNeedHours - $1) } : nil
        var sore = 0
        for day in recent { if (byDay[day]?.soreness ?? 0) >= Thresholds.highSoreness { sore += 1 } else { break } }
        let ill = (byDay[input.today]?.ill ?? false) || (byDay[input.today.adding(days: -1)]?.ill ?? false)
        let efChange = efficiencyChange(input)
        let acwr = Series.acwr(loads)
        let tsb = Series.form(ctl: ctl, atl: atl)

        var signals: [String] = []
        let heartSignal = "resting heart rate up with HRV below its baseline"
        if rhrElevated && suppressedDays > 0 { signals.append(heartSignal) }
        if let ef = efChange, ef < -Thresholds.efDropFraction {
            signals.append(String(format: "efficiency down %.0f %% over three weeks", -ef * 100))
        }
        if let a = acwr.last ?? nil, a > Thresholds.acwrLimit {
            signals.append(String(format: "acute:chronic load %.2f (limit %.1f)", a, Thresholds.acwrLimit))
        }
        if let m = week?.monotony, m > Thresholds.monotonyLimit, (week?.strain ?? 0) > 0 {
            signals.append(String(format: "monotony %.1f (limit %.1f)", m, Thresholds.monotonyLimit))
        }
        if shortSleep >= Thresholds.shortSleepNights {
            signals.append("under \(Int(Thresholds.shortSleepHours)) h of sleep on \(shortSleep) of 7 nights")
        }
        if sore >= Thresholds.sorenessDays { signals.append("soreness 4 or more on \(sore) days in a row") }
        let mechanics = MechanicsTrend(input)
        signals += mechanics?.signals ?? []
        // How long the warning signs have lasted: each of the last days, judged on its own.
        var warningDays = 0
        for back in 0..<min(days - 1, Thresholds.persistenceDays + 7) {
            let i = days - 1 - back, day = start.adding(days: i)
            // (The status reads the last 33 days: 30 of history and 3 recent.)
            let rhrUp = i >= 3 && (RestingHRStatus.elevated(Array(cleanRHR[max(0, i - 33)...i])) ?? false)
            // HRV 1.5 SD under its baseline (three times the readiness band): a 7-day mean wanders under the
            // 0.5 SD band for a week or more by chance alone too often to delay a plan on it.
            let hrvLow = hrv[i].map { $0.rollingMean < $0.baseline - Thresholds.persistenceHRVSWCs * $0.swc } ?? false
            let warned =
                hrvLow || rhrUp || (byDay[day]?.soreness ?? 0) >= Thresholds.highSoreness || byDay[day]?.ill == true
            if warned { warningDays += 1 } else { break }
        }

        var level = ReadinessLevel.green
        var reasons: [String] = []
        if ill { level = .red; reasons.append("you reported illness") }
        if rhrElevated && suppressedDays > 0 {
            level = .red; reasons.append("resting heart rate is up and HRV is below its baseline")
        } else if rhrElevated {
            level = max(level, .amber); reasons.append("resting heart rate is up")
        } else if suppressedDays > 0 {
            level = max(level, .amber);
            reasons.append("HRV is below its baseline (\(suppressedDays) day\(suppressedDays == 1 ? "" : "s"))")
        }
        if signals.count >= 2 {
            // The heart-rate signal is already a reason above: say it once, and name the others.
            let others = signals.filter { $0 != heartSignal }
            let lead = others.count < signals.count ? "overtraining risk: that, with " : "overtraining risk: "
            level = .red; reasons.append(lead + others.joined(separator: "; "))
        } else if let s = signals.first, s != heartSignal, !reasons.contains(where: { s.contains($0) }) {
            level = max(level, .amber); reasons.append(s)
        }
        if let debt = sleepDebt, debt >= Thresholds.sleepDebtHours {
            level = max(level, .amber)
            reasons.append(
                String(
                    format: "sleep debt %.1f h over the last %d nights (need %.0f h a night)", debt, nights.count,
                    Thresholds.sleepNeedHours))
        }
        if let form = tsb.last, form < Thresholds.deepFatigueTSB {
            level = max(level, .amber); reasons.append(String(format: "form %.0f: deep fatigue", form))
        }
        if !suspect.isEmpty { reasons.append(contentsOf: suspect.map { $0 + " — set aside until confirmed" }) }
        if reasons.isEmpty { reasons.append("no warning signs in your check-ins and training") }
        return AthleteState(
            start: start, loads: loads, loadConfidence: loadConfidence, ctl: ctl, atl: atl, tsb: tsb, acwr: acwr,
            hrv: hrv, lnRMSSD: ln, restingHRElevated: rhrElevated, hrvSuppressedDays: suppressedDays,
            monotony: week?.monotony, strainRPEUnits: week.map { $0.strain * Load.rpeUnitsPerLoad },
            efficiencyChange: efChange, shortSleepNights: shortSleep, sleepDebtHours: sleepDebt, soreDaysInARow: sore,
            illToday: ill, suspect: suspect,
            readiness: level, reasons: reasons, overtrainingSignals: signals.count >= 2 ? signals : [],
            warningDays: warningDays, mechanics: mechanics)
    }

    /// Load per day over the last `days` days ending today (rest days 0), and how far the figures
    /// can be trusted (load-weighted mean confidence of their sources). What the state and the
    /// Banister fit both start from.
    public static func dailyLoads(
        _ input: EngineInput, days: Int = historyDays
    ) -> (loads: [Double], confidence: Double) {
        let days = max(days, 14)
        let start = input.today.adding(days: -(days - 1))
        var loads = [Double](repeating: 0, count: days)
        var weighted = 0.0, total = 0.0
        for entry in input.activities {
            let i = start.days(until: entry.date)
            guard i >= 0, i < days, let load = Load.of(entry, input.physiology) else { continue }
            loads[i] += load.value
            weighted += load.value * load.confidence
            total += load.value
        }
        return (loads, total > 0 ? weighted / total : 0)
    }

    /// Readiness for each of the last `days` days, oldest first, each judged with only what was
    /// known on that day (later activities and check-ins are outside its window).
    public static func readinessHistory(
        _ input: EngineInput, days: Int = 14
    ) -> [(date: CalendarDate, level: ReadinessLevel, reasons: [String])] {
        (0..<max(days, 1)).reversed().map { back in
            var then = input
            then.today = input.today.adding(days: -back)
            let s = state(then)
            return (then.today, s.readiness, s.reasons)
        }
    }

    /// Efficiency factor (m/min ÷ avg HR) of steady easy runs, speeds heat-normalized with the
    /// day's weather (SCIENCE.md §3, §6): the 28-day least-squares trend, as the change over
    /// three weeks relative to the mean (nil with fewer than 4 runs). Runs whose heart rate
    /// dropped out are left out.
    static func efficiencyChange(_ input: EngineInput) -> Double? {
        let from = input.today.adding(days: -27)
        let points = input.activities.compactMap { e -> (Double, Double)? in
            guard e.sport == .run, e.date >= from, e.date <= input.today, e.status == .done, !e.heartRateUnreliable,
                let d = e.distanceMeters,
                let t = e.movingSeconds ?? e.durationSeconds, let hr = e.averageHeartRate, t >= 1200, hr > 0,
                let speed = input.heatNormalized(speed: d / t, on: e.date)
            else { return nil }
            // Steady easy runs only: below 80 % of heart-rate reserve when known.
            if let max = input.physiology.maxHR, let rest = input.physiology.restingHR, (hr - rest) / (max - rest) > 0.8
            {
                return nil
            }
            return (Double(from.days(until: e.date)), speed * 60 / hr)
        }
        guard points.count >= 4, let slope = Series.slope(points), let mean = Series.mean(points.map(\.1)), mean > 0
        else { return nil }
        return slope * 21 / mean
    }
}

extension ReadinessLevel: Comparable {
    public static func < (a: ReadinessLevel, b: ReadinessLevel) -> Bool {
        let order: [ReadinessLevel] = [.green, .amber, .red]
        return (order.firstIndex(of: a) ?? 0) < (order.firstIndex(of: b) ?? 0)
    }
}
