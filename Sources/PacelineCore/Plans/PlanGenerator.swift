import Foundation

/// What a coach asks the generator for.
public struct PlanRequest: Sendable, Hashable {
    public var raceDistanceMeters: Double
    public var raceDate: CalendarDate?
    public var weeks: Int?
    public var vdot: Double
    public var level: TrainingLevel
    public var qualityDays: [Weekday]
    public var longRunDay: Weekday
    public var restDays: [Weekday]
    public var weeklyKm: Double
    public var maxDays: Int?
    /// "Today" in the coach's time zone: a race date must come after it.
    public var today: CalendarDate

    public init(
        raceDistanceMeters: Double, raceDate: CalendarDate? = nil, weeks: Int? = nil, vdot: Double,
        level: TrainingLevel,
        qualityDays: [Weekday], longRunDay: Weekday, restDays: [Weekday], weeklyKm: Double, maxDays: Int? = nil,
        today: CalendarDate
    ) {
        self.raceDistanceMeters = raceDistanceMeters
        self.raceDate = raceDate
        self.weeks = weeks
        self.vdot = vdot
        self.level = level
        self.qualityDays = qualityDays
        self.longRunDay = longRunDay
        self.restDays = restDays
        self.weeklyKm = weeklyKm
        self.maxDays = maxDays
        self.today = today
    }
}

/// A generated plan: the template plus what the generator decided.
public struct GeneratedPlan: Sendable, Hashable {
    public let template: PlanTemplate
    /// Monday of week 1 when a race date was given.
    public let startDate: CalendarDate?
    /// The planned weekly volume (km) the weeks were built to, race excluded.
    public let weeklyTargetKm: [Double]
    public let raceSlot: PlanSlot
    /// Cycling and triathlon plans: the weekly minutes the weeks were built to (their km are empty).
    public var weeklyTargetMinutes: [Double] = []
}

/// The generator's rules, in one table (docs/PLAN-GENERATOR.md explains each).
public enum PlanRules {
    public static let minWeeks: [RaceClass: Int] = [.fiveK: 4, .tenK: 4, .half: 6, .marathon: 8]
    public static let maxWeeks = 30
    public static let taperWeeks: [RaceClass: Int] = [.fiveK: 1, .tenK: 1, .half: 2, .marathon: 3]
    /// Share of the pre-taper weeks in base and peak (build takes the rest).
    public static let baseShare = 0.4, peakShare = 0.25
    /// Recovery week every 4th week (3:1), every 3rd for basic (2:1).
    public static func recoveryCycle(_ level: TrainingLevel) -> Int { level == .basic ? 3 : 4 }
    public static let recoveryVolumeFactor = 0.75
    /// Weekly volume rises by at most 10 % over the previous non-recovery week.
    public static let maxWeeklyIncrease = 1.10
    public static let longRunMaxShare = 0.30
    public static let longRunShare = 0.28
    public static func longRunMaxSeconds(_ race: RaceClass) -> Double { race == .marathon ? 3 * 3600 : 2.5 * 3600 }
    public static let qualityShare = 0.18
    public static let recoveryQualityShare = 0.14
    /// Taper volumes as a share of the last full training week, week by week.
    public static let taperFactors: [Int: [Double]] = [1: [0.6], 2: [0.75, 0.55], 3: [0.8, 0.65, 0.5]]
    /// Lowest weekly volume planned: 5 km per training day, at least 20 km.
    public static func minimumVolume(trainingDays: Int) -> Double { max(20, 5 * Double(trainingDays)) }
    /// Peak weekly volume (km) the plan builds toward, by race and level.
    public static let peakVolume: [RaceClass: [TrainingLevel: Double]] = [
        .fiveK: [.basic: 30, .intermediate: 45, .advanced: 65],
        .tenK: [.basic: 35, .intermediate: 50, .advanced: 70],
        .half: [.basic: 40, .intermediate: 55, .advanced: 75],
        .marathon: [.basic: 50, .intermediate: 70, .advanced: 95],
    ]
    public static let maxQualityDays: [TrainingLevel: Int] = [.basic: 2, .intermediate: 3, .advanced: 3]
    public static let minTrainingDays = 3
    /// Quality sessions by level and phase; the i-th quality day of a week takes entry i (cycling).
    public static let quality: [TrainingLevel: [TrainingPhase: [QualityKind]]] = [
        .basic: [.base: [.strides], .build: [.fartlek, .strides], .peak: [.fartlek, .strides], .taper: [.strides]],
        .intermediate: [
            .base: [.tempo, .strides], .build: [.tempo, .threshold], .peak: [.vo2max, .threshold],
            .taper: [.threshold, .strides],
        ],
        .advanced: [
            .base: [.threshold, .strides], .build: [.vo2max, .threshold], .peak: [.racePace, .vo2max],
            .taper: [.racePace, .strides],
        ],
    ]
}

/// Race distances fall in four classes for the rules.
public enum RaceClass: String, Sendable, CaseIterable {
    case fiveK, tenK, half, marathon

    public init(meters: Double) {
        switch meters {
        case ..<7_500: self = .fiveK
        case ..<15_000: self = .tenK
        case ..<30_000: self = .half
        default: self = .marathon
        }
    }

    /// The zone of race pace: 5K ≈ I, 10K and half ≈ T, marathon = M.
    var racePaceZone: PaceZone {
        switch self {
        case .fiveK: .z4
        case .tenK, .half: .z3
        case .marathon: .z2
        }
    }
}

public enum QualityKind: String, Sendable, CaseIterable {
    case strides, fartlek, tempo, threshold, vo2max, racePace
}

/// Why a request cannot become a plan, in words for the coach.
public struct PlanRequestError: Error, Equatable, Sendable, CustomStringConvertible {
    public let field: String
    public let description: String
}

public enum PlanGenerator {
    // Each field's own rule, so a form can report every field's problem at once (not the first only).
    public static func vdotProblem(_ value: Double) -> String? {
        (try? VDOT(value)) == nil ? "VDOT must be between 15 and 90." : nil
    }
    public static func distanceProblem(_ meters: Double) -> String? {
        meters.isFinite && (1500...100_000).contains(meters)
            ? nil : "The race distance must be between 1500 m and 100 km."
    }
    public static func weeklyKmProblem(_ km: Double) -> String? {
        km.isFinite && (0...300).contains(km) ? nil : "Current weekly volume must be between 0 and 300 km."
    }
    public static func maxDaysProblem(_ days: Int) -> String? {
        (PlanRules.minTrainingDays...7).contains(days) ? nil : "Maximum days per week must be 3–7."
    }
    /// The length rule; the shortest plan depends on the race (4 weeks when the distance is not known).
    public static func weeksProblem(_ weeks: Int, raceMeters: Double?) -> String? {
        let minimum = raceMeters.flatMap { PlanRules.minWeeks[RaceClass(meters: $0)] } ?? 4
        if weeks < minimum {
            return "A plan for this race needs at least \(minimum) weeks (this one would have \(max(weeks, 0)))."
        }
        if weeks > PlanRules.maxWeeks {
            return "A plan has at most \(PlanRules.maxWeeks) weeks (this one would have \(weeks))."
        }
        return nil
    }

    /// Builds a periodized plan. The same request always gives the same plan.
    public static func generate(_ request: PlanRequest) throws(PlanRequestError) -> GeneratedPlan {
        func fail(_ field: String, _ message: String) -> PlanRequestError {
            PlanRequestError(field: field, description: message)
        }
        let vdot: VDOT
        do { vdot = try VDOT(request.vdot) } catch { throw fail("vdot", "VDOT must be between 15 and 90.") }
        if let problem = distanceProblem(request.raceDistanceMeters) { throw fail("race_distance", problem) }
        if let problem = weeklyKmProblem(request.weeklyKm) { throw fail("weekly_km", problem) }
        let race = RaceClass(meters: request.raceDistanceMeters)
        let pattern = try dayPattern(request)

        let (weeks, startDate) = try weekCount(raceDate: request.raceDate, weeks: request.weeks, today: request.today)
        if let problem = weeksProblem(weeks, raceMeters: request.raceDistanceMeters) {
            throw fail(request.raceDate == nil ? "weeks" : "race_date", problem)
        }

        let raceDay = request.raceDate.map { Weekday($0) } ?? request.longRunDay
        let zones = PaceZones(vdot: vdot)
        let builder = WeekBuilder(request: request, race: race, pattern: pattern, zones: zones, raceDay: raceDay)

        // Phases and volumes.
        let taper = PlanRules.taperWeeks[race] ?? 1
        let pre = weeks - taper
        let phases = phasePlan(preTaper: pre) + Array(repeating: TrainingPhase.taper, count: taper)
        let cycle = PlanRules.recoveryCycle(request.level)
        let start = max(request.weeklyKm, PlanRules.minimumVolume(trainingDays: pattern.trainingDays))
        let peak = max(start, PlanRules.peakVolume[race]?[request.level] ?? 50)
        var targets: [Double] = []
        var recovery: [Bool] = []
        var lastFull = start
        for index in 0..<pre {
            let isRecovery = (index + 1) % cycle == 0 && index + 1 < pre
            if isRecovery {
                targets.append(lastFull * PlanRules.recoveryVolumeFactor)
            } else {
                let volume = index == 0 ? start : min(lastFull * PlanRules.maxWeeklyIncrease, peak)
                lastFull = volume
                targets.append(volume)
            }
            recovery.append(isRecovery)
        }
        for factor in PlanRules.taperFactors[taper] ?? [0.6] {
            targets.append(lastFull * factor)
            recovery.append(false)
        }

        var planWeeks: [PlanWeek] = []
        for index in 0..<weeks {
            let isRaceWeek = index == weeks - 1
            let days =
                isRaceWeek
                ? builder.raceWeek(volume: targets[index])
                : builder.week(volume: targets[index], phase: phases[index], isRecovery: recovery[index])
            planWeeks.append(PlanWeek(days: days, phase: phases[index], isRecovery: recovery[index]))
        }
        let raceName = raceLabel(request.raceDistanceMeters)
        let template = PlanTemplate(
            name: "\(raceName) plan, \(weeks) weeks (\(request.level.rawValue))",
            description:
                "Generated for VDOT \(String(format: "%.1f", vdot.value)) from \(Int(saturating: request.weeklyKm)) km "
                + "a week: "
                + "base, build, peak and a \(taper)-week taper, recovery every \(cycle == 3 ? "third" : "fourth") "
                + "week.",
            type: .run, level: request.level,
            goal: GoalEvent(distanceMeters: request.raceDistanceMeters, date: request.raceDate),
            pattern: pattern, weeks: planWeeks, referenceVDOT: vdot.rounded)
        return GeneratedPlan(
            template: template, startDate: startDate, weeklyTargetKm: targets,
            raceSlot: PlanSlot(week: weeks - 1, day: raceDay))
    }

    /// The plan's length, and its first Monday when a race date was given (the Monday after `today`, or
    /// today when it is one; the race falls in the last week).
    public static func weekCount(raceDate: CalendarDate?, weeks: Int?, today: CalendarDate) throws(PlanRequestError)
        -> (weeks: Int, start: CalendarDate?)
    {
        switch (raceDate, weeks) {
        case (let date?, nil):
            guard date > today else {
                throw PlanRequestError(field: "race_date", description: "The race date must be in the future.")
            }
            let firstMonday = today.weekdayIndex == 0 ? today : today.mondayOfWeek.adding(days: 7)
            return (firstMonday.days(until: date.mondayOfWeek) / 7 + 1, firstMonday)
        case (nil, let count?):
            return (count, nil)
        case (nil, nil):
            throw PlanRequestError(field: "weeks", description: "Give a race date or a number of weeks.")
        case (.some, .some):
            throw PlanRequestError(field: "weeks", description: "Give a race date or a number of weeks, not both.")
        }
    }

    /// The week pattern from the request: rest, quality and long days as given, the others easy;
    /// above `maxDays`, easy days become rest from Sunday backwards.
    public static func dayPattern(_ request: PlanRequest) throws(PlanRequestError) -> DayPattern {
        func fail(_ message: String) -> PlanRequestError { PlanRequestError(field: "days", description: message) }
        let quality = Set(request.qualityDays), rest = Set(request.restDays)
        guard quality.count == request.qualityDays.count, rest.count == request.restDays.count else {
            throw fail("A day is listed twice.")
        }
        guard !quality.contains(request.longRunDay) else {
            throw fail("The long-run day cannot also be a quality day.")
        }
        guard !rest.contains(request.longRunDay) else { throw fail("The long-run day cannot also be a rest day.") }
        guard quality.isDisjoint(with: rest) else { throw fail("A day cannot be both a quality day and a rest day.") }
        let maxQuality = PlanRules.maxQualityDays[request.level] ?? 2
        guard quality.count <= maxQuality else {
            throw fail("At \(request.level.rawValue) level a week has at most \(maxQuality) quality days.")
        }
        var pattern = DayPattern(Array(repeating: .easy, count: 7))
        for day in rest { pattern[day] = .rest }
        for day in quality { pattern[day] = .quality }
        pattern[request.longRunDay] = .long
        if let maxDays = request.maxDays {
            if let problem = maxDaysProblem(maxDays) {
                throw fail(problem)
            }
            for day in Weekday.allCases.reversed() where pattern.trainingDays > maxDays && pattern[day] == .easy {
                pattern[day] = .rest
            }
            guard pattern.trainingDays <= maxDays else {
                throw fail("The quality and long-run days alone are more than \(maxDays) days a week.")
            }
        }
        guard pattern.trainingDays >= PlanRules.minTrainingDays else {
            throw fail("Choose at least \(PlanRules.minTrainingDays) training days a week (fewer rest days).")
        }
        return pattern
    }

    static func phasePlan(preTaper weeks: Int) -> [TrainingPhase] {
        guard weeks >= 3 else { return weeks == 2 ? [.base, .build] : Array(repeating: .build, count: max(weeks, 0)) }
        let base = max(1, Int((Double(weeks) * PlanRules.baseShare).rounded()))
        let peak = max(1, Int((Double(weeks) * PlanRules.peakShare).rounded()))
        let build = max(1, weeks - base - peak)
        let adjustedBase = weeks - build - peak
        return Array(repeating: .base, count: adjustedBase) + Array(repeating: .build, count: build)
            + Array(repeating: .peak, count: peak)
    }

    public static func raceLabel(_ meters: Double) -> String {
        switch meters {
        case 5000: "5K"
        case 10_000: "10K"
        case 21_097.5: "Half marathon"
        case 42_195: "Marathon"
        default: String(format: "%.1f km", meters / 1000)
        }
    }
}

/// Builds the workouts of one week to an exact volume: long run and quality sessions take their
/// shares, easy days share the rest (the last one absorbs rounding), so a week's distance is its target.
struct WeekBuilder {
    let request: PlanRequest
    let race: RaceClass
    let pattern: DayPattern
    let zones: PaceZones
    let raceDay: Weekday

    var easyPace: Double { let r = zones.range(.z1); return (r.fast + r.slow) / 2 }

    static func km(_ meters: Double) -> Double { (meters / 100).rounded(.down) * 100 }

    func longRunMeters(volumeKm: Double) -> Double {
        let byShare = volumeKm * 1000 * PlanRules.longRunShare
        let byTime = PlanRules.longRunMaxSeconds(race) / easyPace * 1000
        return Self.km(min(byShare, byTime))
    }

    /// Every easy day gets at least this much; the long run gives way first when volume is tight.
    static let minimumEasyMeters = 1000.0

    func week(volume: Double, phase: TrainingPhase, isRecovery: Bool) -> [Workout?] {
        var days = [Workout?](repeating: nil, count: 7)
        let total = volume * 1000
        var used = 0.0
        let share = isRecovery ? PlanRules.recoveryQualityShare : PlanRules.qualityShare
        let kinds = PlanRules.quality[request.level]?[phase] ?? [.strides]
        for (i, day) in pattern.days(.quality).enumerated() {
            let workout = quality(kinds[i % kinds.count], budget: total * share, minimal: isRecovery)
            days[day.rawValue] = workout
            used += WorkoutTotals(workout.blocks, zones: nil).distanceMeters
        }
        let easyDays = pattern.days(.easy)
        if let longDay = pattern.days(.long).first {
            let room = Self.km(total - used - Self.minimumEasyMeters * Double(easyDays.count))
            let meters = max(min(longRunMeters(volumeKm: volume), room), Self.minimumEasyMeters)
            days[longDay.rawValue] = longRun(meters: meters, phase: phase, isRecovery: isRecovery)
            used += meters
        }
        fillEasy(&days, on: easyDays, meters: total - used)
        return days
    }

    /// Race week: a short quality session early in the week, short easy runs, the race, then nothing.
    func raceWeek(volume: Double) -> [Workout?] {
        var days = [Workout?](repeating: nil, count: 7)
        let before = Weekday.allCases.filter { $0 < raceDay && pattern[$0] != .rest }
        let total = volume * 1000
        var used = 0.0
        var easyDays: [Weekday] = []
        var placedQuality = false
        for day in before {
            let dayBeforeRace = day.rawValue == raceDay.rawValue - 1
            if pattern[day] == .quality && !placedQuality && !dayBeforeRace {
                let kinds = PlanRules.quality[request.level]?[.taper] ?? [.strides]
                let workout = quality(kinds[0], budget: total * 0.3, minimal: true)
                days[day.rawValue] = workout
                used += WorkoutTotals(workout.blocks, zones: nil).distanceMeters
                placedQuality = true
            } else {
                easyDays.append(day)
            }
        }
        fillEasy(&days, on: easyDays, meters: total - used)
        let meters = request.raceDistanceMeters
        days[raceDay.rawValue] = Workout(
            name: "Race: \(PlanGenerator.raceLabel(meters))", sport: .run, subtype: .race, targetDistanceMeters: meters,
            notes:
                "Race day. Warm up with 10 minutes of easy jogging and a few strides; start at goal pace, not faster.",
            blocks: [WorkoutBlock(.run, distance: meters, pace: race.racePaceZone)])
        return days
    }

    func fillEasy(_ days: inout [Workout?], on easyDays: [Weekday], meters: Double) {
        let remaining = max(meters, 0)
        guard !easyDays.isEmpty else {
            // No easy day: the rest goes to the last quality session's cool-down.
            if remaining > 0, let last = pattern.days(.quality).last, var workout = days[last.rawValue] {
                workout.blocks.append(WorkoutBlock(.coolDown, distance: remaining, pace: .z1))
                days[last.rawValue] = workout
            }
            return
        }
        let each = Self.km(remaining / Double(easyDays.count))
        for (i, day) in easyDays.enumerated() {
            let distance = i == easyDays.count - 1 ? remaining - each * Double(easyDays.count - 1) : each
            guard distance > 0 else { continue }
            days[day.rawValue] = Workout(
                name: String(format: "Easy run %.1f km", distance / 1000), sport: .run, subtype: .easyRun,
                targetDistanceMeters: distance,
                notes: "Conversational pace.", blocks: [WorkoutBlock(.run, distance: distance, pace: .z1)])
        }
    }

    func longRun(meters: Double, phase: TrainingPhase, isRecovery: Bool) -> Workout {
        let finish = race == .marathon && request.level != .basic && (phase == .build || phase == .peak) && !isRecovery
        if finish {
            let fast = Self.km(min(meters * 0.25, 8000))
            return Workout(
                name: String(format: "Long run %.1f km with marathon-pace finish", meters / 1000), sport: .run,
                subtype: .longRun,
                targetDistanceMeters: meters, notes: "Easy, then the last part at marathon pace.",
                blocks: [
                    WorkoutBlock(.run, distance: meters - fast, pace: .z1),
                    WorkoutBlock(.run, distance: fast, pace: .z2),
                ])
        }
        return Workout(
            name: String(format: "Long run %.1f km", meters / 1000), sport: .run, subtype: .longRun,
            targetDistanceMeters: meters,
            notes: "Steady and easy; practise drinking and fuelling.",
            blocks: [WorkoutBlock(.run, distance: meters, pace: .z1)])
    }

    /// A quality session of about `budget` meters (warm-up and cool-down included).
    func quality(_ kind: QualityKind, budget: Double, minimal: Bool) -> Workout {
        let warm = Self.km(min(max(budget * 0.2, 1000), 3000))
        let work = max(budget - 2 * warm, 0)
        func reps(_ unit: Double, _ range: ClosedRange<Int>) -> Int {
            minimal
                ? range.lowerBound
                : min(max(Int(saturating: work / unit, rounding: .towardZero), range.lowerBound), range.upperBound)
        }
        func session(_ name: String, _ subtype: WorkoutSubtype, _ notes: String, _ main: [WorkoutBlock]) -> Workout {
            let blocks =
                [WorkoutBlock(.warmUp, distance: warm, pace: .z1)] + main + [
                    WorkoutBlock(.coolDown, distance: warm, pace: .z1)
                ]
            return Workout(
                name: name, sport: .run, subtype: subtype,
                targetDistanceMeters: WorkoutTotals(blocks, zones: nil).distanceMeters,
                notes: notes, blocks: blocks)
        }
        switch kind {
        case .strides:
            let count = minimal ? 4 : 6
            let easy = Self.km(max(budget - Double(count) * 200, 2000))
            let blocks = [
                WorkoutBlock(.run, distance: easy, pace: .z1),
                WorkoutBlock(
                    .interval, repeat: count,
                    children: [
                        WorkoutBlock(.run, distance: 100, pace: .z5),
                        WorkoutBlock(.recoveryRun, distance: 100, pace: .z1),
                    ]),
            ]
            return Workout(
                name: String(format: "Easy %.1f km + %d × 100 m strides", easy / 1000, count), sport: .run,
                subtype: .strides,
                targetDistanceMeters: WorkoutTotals(blocks, zones: nil).distanceMeters,
                notes: "Strides: smooth, fast, relaxed — not sprints.", blocks: blocks)
        case .fartlek:
            let n = reps(800, 4...10)
            return session(
                "Fartlek \(n) × 400 m", .fartlek, "Brisk 400 m, easy 400 m: by feel.",
                [
                    WorkoutBlock(
                        .interval, repeat: n,
                        children: [
                            WorkoutBlock(.run, distance: 400, pace: .z4),
                            WorkoutBlock(.recoveryRun, distance: 400, pace: .z1),
                        ])
                ])
        case .tempo:
            // 3–10 km in whole 500 m steps.
            let continuous = minimal ? 3000 : (min(max(work, 3000), 10_000) / 500).rounded(.down) * 500
            return session(
                String(format: "Tempo %.1f km", continuous / 1000), .tempoRun,
                "Comfortably hard, steady: threshold pace.",
                [WorkoutBlock(.run, distance: continuous, pace: .z3)])
        case .threshold:
            let n = reps(1200, 3...8)
            return session(
                "Cruise intervals \(n) × 1 km", .tempoRun, "Threshold pace, 200 m easy jog between.",
                [
                    WorkoutBlock(
                        .interval, repeat: n,
                        children: [
                            WorkoutBlock(.run, distance: 1000, pace: .z3),
                            WorkoutBlock(.recoveryRun, distance: 200, pace: .z1),
                        ])
                ])
        case .vo2max:
            let n = reps(1400, 3...6)
            return session(
                "VO2max \(n) × 1000 m", .intervalRun, "I pace, 400 m jog between.",
                [
                    WorkoutBlock(
                        .interval, repeat: n,
                        children: [
                            WorkoutBlock(.run, distance: 1000, pace: .z4),
                            WorkoutBlock(.recoveryRun, distance: 400, pace: .z1),
                        ])
                ])
        case .racePace:
            let (rep, rest, range): (Double, Double, ClosedRange<Int>) =
                switch race {
                case .fiveK: (1000, 400, 3...6)
                case .tenK: (2000, 400, 2...5)
                case .half: (3000, 600, 2...4)
                case .marathon: (5000, 1000, 2...3)
                }
            let n = reps(rep + rest, range)
            return session(
                "Race pace \(n) × \(WorkoutWords.distance(rep, units: .km))",
                race == .fiveK || race == .tenK ? .intervalRun : .tempoRun,
                "Goal race pace: learn how it feels.",
                [
                    WorkoutBlock(
                        .interval, repeat: n,
                        children: [
                            WorkoutBlock(.run, distance: rep, pace: race.racePaceZone),
                            WorkoutBlock(.recoveryRun, distance: rest, pace: .z1),
                        ])
                ])
        }
    }
}
