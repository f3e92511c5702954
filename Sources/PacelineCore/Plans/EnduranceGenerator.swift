import Foundation

/// Issue 19, item 6: plans for a cycling event and for a sprint or olympic triathlon, in the same rules
/// style as running's (`docs/PLAN-GENERATOR.md`, "Cycling and triathlon"). Volume is time, not distance:
/// every block is duration-governed (the event itself by distance), so a week's minutes are exact.
public enum EnduranceGoal: String, Sendable, CaseIterable, Codable {
    case cycling, sprintTriathlon = "sprint-triathlon", olympicTriathlon = "olympic-triathlon"

    public var label: String {
        switch self {
        case .cycling: "Cycling event"
        case .sprintTriathlon: "Sprint triathlon"
        case .olympicTriathlon: "Olympic triathlon"
        }
    }

    public var isTriathlon: Bool { self != .cycling }

    /// Swim, bike and run legs in meters (triathlons).
    public var legs: (swim: Double, bike: Double, run: Double)? {
        switch self {
        case .cycling: nil
        case .sprintTriathlon: (750, 20_000, 5000)
        case .olympicTriathlon: (1500, 40_000, 10_000)
        }
    }
}

/// What a coach asks for a cycling or triathlon plan.
public struct EndurancePlanRequest: Sendable, Hashable {
    public var goal: EnduranceGoal
    public var eventDate: CalendarDate?
    public var weeks: Int?
    /// Training hours a week now (week 1).
    public var hoursPerWeek: Double
    public var level: TrainingLevel
    public var trainingDays: [Weekday]
    /// The long ride (the brick in build and peak for triathletes); the event's day without a date.
    public var longDay: Weekday
    public var qualityDays: [Weekday]
    /// Cycling: required (the plan is written in its power zones, the description names it).
    public var ftp: Double?
    /// Cycling: the event's distance in km, when it has one.
    public var eventKm: Double?
    public var today: CalendarDate

    public init(
        goal: EnduranceGoal, eventDate: CalendarDate? = nil, weeks: Int? = nil, hoursPerWeek: Double,
        level: TrainingLevel, trainingDays: [Weekday], longDay: Weekday, qualityDays: [Weekday], ftp: Double? = nil,
        eventKm: Double? = nil, today: CalendarDate
    ) {
        self.goal = goal
        self.eventDate = eventDate
        self.weeks = weeks
        self.hoursPerWeek = hoursPerWeek
        self.level = level
        self.trainingDays = trainingDays
        self.longDay = longDay
        self.qualityDays = qualityDays
        self.ftp = ftp
        self.eventKm = eventKm
        self.today = today
    }
}

/// The rules, in one table (docs/PLAN-GENERATOR.md explains each).
public enum EnduranceRules {
    public static let minWeeks: [EnduranceGoal: Int] = [.cycling: 6, .sprintTriathlon: 6, .olympicTriathlon: 8]
    public static let maxWeeks = 30
    public static let taperWeeks: [EnduranceGoal: Int] = [.cycling: 1, .sprintTriathlon: 1, .olympicTriathlon: 2]
    public static let hours = 2.0...25.0
    /// Peak hours = week 1's × this, by level (at most the top of `hours`).
    public static let peakFactor: [TrainingLevel: Double] = [.basic: 1.2, .intermediate: 1.35, .advanced: 1.5]
    public static let maxWeeklyIncrease = 1.10
    public static let recoveryFactor = 0.7
    /// Every session lasts at least this long (minutes); week 1 must allow it on every training day.
    public static let minimumSessionMinutes = 30.0
    /// Week 1 holds at most this many hours a training day (the peak then at most 1.5 × this).
    public static let maxHoursPerDay = 3.0
    public static let qualityShare = 0.15
    /// Cycling: the long ride's share of the week and its cap (minutes).
    public static let longRideShare = 0.35, longRideMaxMinutes = 300.0
    /// Triathlon: each sport's share of the week's time, the long ride's share of the bike time, the run
    /// off the bike of a brick (share of the run time, at most `brickRunMaxMinutes`).
    public static let sportShare: [Sport: Double] = [.swim: 0.2, .bike: 0.5, .run: 0.3]
    public static let triathlonLongShare = 0.45, brickRunShare = 0.3, brickRunMaxMinutes = 25.0
    /// Triathlon sessions of each sport by the number of training days (swim, bike, run).
    public static let triathlonSessions: [Int: [Sport: Int]] = [
        4: [.swim: 1, .bike: 2, .run: 1], 5: [.swim: 2, .bike: 2, .run: 1], 6: [.swim: 2, .bike: 2, .run: 2],
        7: [.swim: 3, .bike: 2, .run: 2],
    ]
    public static let minTrainingDays: [EnduranceGoal: Int] = [.cycling: 3, .sprintTriathlon: 4, .olympicTriathlon: 4]
    public static let maxQualityDays: [TrainingLevel: Int] = [.basic: 2, .intermediate: 3, .advanced: 3]
}

extension PlanGenerator {
    /// Builds a cycling or triathlon plan. The same request always gives the same plan.
    public static func generate(_ request: EndurancePlanRequest) throws(PlanRequestError) -> GeneratedPlan {
        func fail(_ field: String, _ message: String) -> PlanRequestError {
            PlanRequestError(field: field, description: message)
        }
        let goal = request.goal
        guard request.hoursPerWeek.isFinite, EnduranceRules.hours.contains(request.hoursPerWeek) else {
            throw fail("hours", "Enter the training hours a week now, 2–25.")
        }
        if goal == .cycling {
            guard let ftp = request.ftp, ftp.isFinite, ThresholdKind.ftp.plausible.contains(ftp) else {
                throw fail("ftp", "Enter the rider's FTP in watts, 30–600.")
            }
        }
        if let km = request.eventKm, !(km.isFinite && (5...1000).contains(km)) {
            throw fail("event_km", "The event distance must be 5–1000 km.")
        }
        let days = Set(request.trainingDays), quality = Set(request.qualityDays)
        guard days.count == request.trainingDays.count, quality.count == request.qualityDays.count else {
            throw fail("days", "A day is listed twice.")
        }
        let minDays = EnduranceRules.minTrainingDays[goal] ?? 3
        guard days.count >= minDays else { throw fail("days", "Choose at least \(minDays) training days a week.") }
        guard days.contains(request.longDay) else { throw fail("days", "The long day must be a training day.") }
        guard quality.isSubset(of: days) else { throw fail("days", "Every quality day must be a training day.") }
        guard !quality.contains(request.longDay) else {
            throw fail("days", "The long day cannot also be a quality day.")
        }
        let maxQuality = EnduranceRules.maxQualityDays[request.level] ?? 2
        guard quality.count <= maxQuality else {
            throw fail("days", "At \(request.level.rawValue) level a week has at most \(maxQuality) quality days.")
        }
        let floor = Double(days.count) * EnduranceRules.minimumSessionMinutes / 60
        guard request.hoursPerWeek >= floor else {
            throw fail(
                "hours", String(format: "%d training days need at least %.1f hours a week.", days.count, floor))
        }
        let ceiling = Double(days.count) * EnduranceRules.maxHoursPerDay
        guard request.hoursPerWeek <= ceiling else {
            throw fail(
                "hours", String(format: "%d training days hold at most %.0f hours a week now.", days.count, ceiling))
        }
        let (weeks, startDate) = try weekCount(raceDate: request.eventDate, weeks: request.weeks, today: request.today)
        let minWeeks = EnduranceRules.minWeeks[goal] ?? 6
        guard (minWeeks...EnduranceRules.maxWeeks).contains(weeks) else {
            throw fail(
                request.eventDate == nil ? "weeks" : "race_date",
                "\(goal.label) plans last \(minWeeks)–\(EnduranceRules.maxWeeks) weeks.")
        }
        let eventDay = request.eventDate.map { Weekday($0) } ?? request.longDay

        // Phases and minutes, as the running generator: build to the peak ≤ 10 % a week, recovery weeks, taper.
        let taper = EnduranceRules.taperWeeks[goal] ?? 1
        let pre = weeks - taper
        let phases = phasePlan(preTaper: pre) + Array(repeating: TrainingPhase.taper, count: taper)
        let cycle = PlanRules.recoveryCycle(request.level)
        let start = request.hoursPerWeek * 60
        let peak = max(
            start, min(start * (EnduranceRules.peakFactor[request.level] ?? 1.3), EnduranceRules.hours.upperBound * 60))
        var targets: [Double] = [], recovery: [Bool] = []
        var lastFull = start
        for index in 0..<pre {
            let isRecovery = (index + 1) % cycle == 0 && index + 1 < pre
            // Whole 5 minutes, rounded down: a week never rises more than 10 %.
            let minutes = EnduranceWeekBuilder.whole(
                isRecovery
                    ? lastFull * EnduranceRules.recoveryFactor
                    : (index == 0 ? start : min(lastFull * EnduranceRules.maxWeeklyIncrease, peak)))
            if !isRecovery { lastFull = minutes }
            targets.append(minutes)
            recovery.append(isRecovery)
        }
        for factor in PlanRules.taperFactors[taper] ?? [0.6] {
            targets.append(EnduranceWeekBuilder.whole(lastFull * factor))
            recovery.append(false)
        }
        let builder = EnduranceWeekBuilder(request: request, eventDay: eventDay)
        var planWeeks: [PlanWeek] = []
        for index in 0..<weeks {
            let days =
                index == weeks - 1
                ? builder.eventWeek(minutes: targets[index])
                : builder.week(minutes: targets[index], phase: phases[index], isRecovery: recovery[index])
            planWeeks.append(PlanWeek(days: days, phase: phases[index], isRecovery: recovery[index]))
        }
        var pattern = DayPattern(Array(repeating: .rest, count: 7))
        for day in days { pattern[day] = .easy }
        for day in quality { pattern[day] = .quality }
        pattern[request.longDay] = .long
        let what = goal == .cycling ? "FTP \(ThresholdKind.ftp.text(request.ftp ?? 0))" : "swim, bike and run"
        let template = PlanTemplate(
            name: "\(goal.label) plan, \(weeks) weeks (\(request.level.rawValue))",
            description:
                "Generated for \(what) from \(String(format: "%.1f", request.hoursPerWeek)) hours a week: base, build, "
                + "peak and a \(taper)-week taper, recovery every \(cycle == 3 ? "third" : "fourth") week. "
                + "Targets are zones: watts from the athlete's FTP, swim paces from their CSS, run paces from "
                + "their VDOT.",
            type: goal == .cycling ? .bike : .custom, level: request.level,
            goal: GoalEvent(
                distanceMeters: goal.legs.map { $0.swim + $0.bike + $0.run } ?? (request.eventKm ?? 0) * 1000,
                date: request.eventDate),
            pattern: pattern, weeks: planWeeks)
        return GeneratedPlan(
            template: template, startDate: startDate, weeklyTargetKm: [],
            raceSlot: PlanSlot(week: weeks - 1, day: eventDay), weeklyTargetMinutes: targets)
    }
}

/// Builds one week of rides (and swims and runs) to an exact number of minutes.
struct EnduranceWeekBuilder {
    let request: EndurancePlanRequest
    let eventDay: Weekday

    var trainingDays: [Weekday] { Weekday.allCases.filter { request.trainingDays.contains($0) } }
    var qualityDays: [Weekday] { trainingDays.filter { request.qualityDays.contains($0) } }

    static func whole(_ minutes: Double) -> Double { (minutes / 5).rounded(.down) * 5 }

    /// The sport of each training day: the long day rides; quality days take bike, run, swim in turn
    /// (cycling: all bike); the other days the sport furthest below its session count, not yesterday's
    /// sport when another is as far below.
    func sports() -> [Weekday: Sport] {
        var out: [Weekday: Sport] = [:]
        guard request.goal.isTriathlon else {
            for day in trainingDays { out[day] = .bike }
            return out
        }
        out[request.longDay] = .bike
        let turn: [Sport] = [.bike, .run, .swim]
        for (i, day) in qualityDays.enumerated() { out[day] = turn[i % turn.count] }
        let wanted = EnduranceRules.triathlonSessions[trainingDays.count] ?? [.swim: 2, .bike: 2, .run: 2]
        for day in trainingDays where out[day] == nil {
            let yesterday = out[Weekday(rawValue: (day.rawValue + 6) % 7) ?? day]
            let counts = Dictionary(grouping: out.values, by: { $0 }).mapValues(\.count)
            let order: [Sport] = [.swim, .run, .bike]
            let best = order.max { a, b in
                let da = (wanted[a] ?? 0) - (counts[a] ?? 0), db = (wanted[b] ?? 0) - (counts[b] ?? 0)
                if da != db { return da < db }
                // Tie: the one that is not yesterday's sport wins; else the order above.
                if (a == yesterday) != (b == yesterday) { return a == yesterday }
                return (order.firstIndex(of: a) ?? 0) > (order.firstIndex(of: b) ?? 0)
            }
            out[day] = best ?? .run
        }
        return out
    }

    func week(minutes total: Double, phase: TrainingPhase, isRecovery: Bool) -> [Workout?] {
        var days = [Workout?](repeating: nil, count: 7)
        let sportOf = sports()
        let bySport = Dictionary(grouping: trainingDays, by: { sportOf[$0] ?? .bike })
        let brick = request.goal.isTriathlon && (phase == .build || phase == .peak) && !isRecovery
        var budgets: [Sport: Double] = [:]
        if request.goal.isTriathlon {
            var left = total
            for sport in [Sport.swim, .bike] {
                budgets[sport] = Self.whole(total * (EnduranceRules.sportShare[sport] ?? 0))
                left -= budgets[sport] ?? 0
            }
            budgets[.run] = left
        } else {
            budgets[.bike] = total
        }
        // Bike first: a brick's run off the bike comes out of the run time before the runs share it.
        for sport in [Sport.bike, .swim, .run] {
            guard let sportDays = bySport[sport] else { continue }
            var budget = budgets[sport] ?? 0
            var open = sportDays.filter { !qualityDays.contains($0) && $0 != request.longDay }
            let floor = EnduranceRules.minimumSessionMinutes * Double(open.count)
            // Quality sessions first, each about 15 % of the week, leaving the open days their minimum.
            for day in sportDays where qualityDays.contains(day) {
                let share = max(EnduranceRules.minimumSessionMinutes, Self.whole(total * EnduranceRules.qualityShare))
                let minutes = max(EnduranceRules.minimumSessionMinutes, min(share, budget - floor))
                days[day.rawValue] = EnduranceWorkouts.quality(
                    sport, minutes: minutes, phase: phase, level: request.level,
                    index: qualityDays.firstIndex(of: day) ?? 0,
                    light: isRecovery)
                budget -= minutes
            }
            if sport == .bike, sportDays.contains(request.longDay) {
                let share = request.goal.isTriathlon ? EnduranceRules.triathlonLongShare : EnduranceRules.longRideShare
                let base = request.goal.isTriathlon ? budget : total
                let minutes = max(
                    min(Self.whole(base * share), EnduranceRules.longRideMaxMinutes, budget - floor),
                    EnduranceRules.minimumSessionMinutes)
                var brickRun = 0.0
                if brick, let run = budgets[.run] {
                    brickRun = max(
                        10, min(Self.whole(run * EnduranceRules.brickRunShare), EnduranceRules.brickRunMaxMinutes))
                    budgets[.run] = run - brickRun
                }
                days[request.longDay.rawValue] = EnduranceWorkouts.longRide(minutes: minutes, brickRun: brickRun)
                budget -= minutes
            }
            if open.isEmpty {
                // No open day: the rest lengthens the sport's sessions, shared out evenly.
                let share = Self.whole(max(budget, 0) / Double(sportDays.count))
                for (i, day) in sportDays.enumerated() {
                    let extra = i == sportDays.count - 1 ? max(budget, 0) - share * Double(i) : share
                    if extra > 0, let workout = days[day.rawValue] {
                        days[day.rawValue] = EnduranceWorkouts.lengthened(workout, by: extra)
                    }
                }
                continue
            }
            let each = Self.whole(budget / Double(max(open.count, 1)))
            while let day = open.first {
                open.removeFirst()
                let minutes = open.isEmpty ? budget : each
                days[day.rawValue] = EnduranceWorkouts.easy(
                    sport, minutes: max(minutes, EnduranceRules.minimumSessionMinutes))
                budget -= minutes
            }
        }
        return days
    }

    /// The event week: an opener early in the week, short easy sessions, the event on its day, nothing after.
    func eventWeek(minutes total: Double) -> [Workout?] {
        var days = [Workout?](repeating: nil, count: 7)
        let sportOf = sports()
        let before = trainingDays.filter { $0 < eventDay }
        var opener = false
        let each = max(EnduranceRules.minimumSessionMinutes, Self.whole(total / Double(max(before.count + 1, 2))))
        for day in before {
            let sport =
                day == request.longDay ? (request.goal.isTriathlon ? Sport.run : .bike) : (sportOf[day] ?? .bike)
            if qualityDays.contains(day) && !opener && day.rawValue != eventDay.rawValue - 1 {
                days[day.rawValue] = EnduranceWorkouts.quality(
                    sport, minutes: each, phase: .taper, level: request.level, index: 0, light: true)
                opener = true
            } else {
                days[day.rawValue] = EnduranceWorkouts.easy(sport, minutes: each)
            }
        }
        days[eventDay.rawValue] = EnduranceWorkouts.event(request.goal, eventKm: request.eventKm)
        return days
    }
}

/// The sessions the endurance generator writes: every block duration-governed and in the sport's own
/// zones (power for rides, CSS-based paces for swims, VDOT paces for runs), whole minutes.
enum EnduranceWorkouts {
    enum Kind { case tempo, threshold, vo2, openers }

    static func kind(phase: TrainingPhase, level: TrainingLevel, index: Int, light: Bool) -> Kind {
        if light { return phase == .taper ? .openers : .tempo }
        let table: [TrainingPhase: [Kind]] =
            level == .basic
            ? [.base: [.tempo], .build: [.tempo, .threshold], .peak: [.threshold, .tempo], .taper: [.openers]]
            : [.base: [.tempo, .tempo], .build: [.threshold, .vo2], .peak: [.vo2, .threshold], .taper: [.openers]]
        let kinds = table[phase] ?? [.tempo]
        return kinds[index % kinds.count]
    }

    /// Work and recovery minutes and zones of one repeat, by sport and kind.
    static func repeatOf(_ sport: Sport, _ kind: Kind) -> (work: Double, rest: Double, zone: PaceZone, name: String) {
        switch (sport, kind) {
        case (.swim, .tempo): (4, 1, .z3, "CSS intervals")
        case (.swim, .threshold), (.swim, .vo2): (2, 1, .z4, "Fast swim intervals")
        case (.swim, .openers): (1, 1, .z4, "Swim openers")
        case (.run, .tempo): (8, 2, .z3, "Tempo intervals")
        case (.run, .threshold): (5, 2, .z3, "Threshold intervals")
        case (.run, .vo2): (3, 2, .z4, "VO2max intervals")
        case (.run, .openers): (1, 2, .z5, "Run openers")
        case (_, .tempo): (10, 5, .z3, "Sweet-spot intervals")
        case (_, .threshold): (8, 4, .z4, "Threshold intervals")
        case (_, .vo2): (3, 3, .z5, "VO2max intervals")
        case (_, .openers): (1, 2, .z5, "Openers")
        }
    }

    static func intensity(_ sport: Sport) -> IntensityTarget { sport == .bike ? .power : .pace }

    static func quality(
        _ sport: Sport, minutes: Double, phase: TrainingPhase, level: TrainingLevel, index: Int, light: Bool
    ) -> Workout {
        let kind = kind(phase: phase, level: level, index: index, light: light)
        let r = repeatOf(sport, kind)
        let warm = minutes < 45 ? 10.0 : 15.0
        let count = max(1, min(8, Int((minutes - warm - 5) / (r.work + r.rest))))
        let cool = max(0, minutes - warm - Double(count) * (r.work + r.rest))
        let how = intensity(sport)
        var blocks = [
            WorkoutBlock(.warmUp, duration: warm * 60, pace: .z1, intensity: how),
            WorkoutBlock(
                .interval, intensity: how, repeat: count,
                children: [
                    WorkoutBlock(.run, duration: r.work * 60, pace: r.zone, intensity: how),
                    WorkoutBlock(.recoveryRun, duration: r.rest * 60, pace: .z1, intensity: how),
                ]),
        ]
        if cool > 0 { blocks.append(WorkoutBlock(.coolDown, duration: cool * 60, pace: .z1, intensity: how)) }
        let subtype: WorkoutSubtype =
            switch sport {
            case .swim: .intervalSwim
            case .run: kind == .tempo ? .tempoRun : .intervalRun
            default: kind == .tempo ? .tempoRide : .intervalRide
            }
        return Workout(
            name: "\(r.name) \(count) × \(Int(r.work)) min", sport: sport == .swim || sport == .run ? sport : .bike,
            subtype: subtype, targetDurationSeconds: minutes * 60,
            notes: "Warm up, then \(count) × \(Int(r.work)) min in zone \(r.zone.number) with \(Int(r.rest)) min easy "
                + "between; cool down easy.",
            blocks: blocks)
    }

    static func easy(_ sport: Sport, minutes: Double) -> Workout {
        let (name, subtype, zone, note): (String, WorkoutSubtype, PaceZone, String) =
            switch sport {
            case .swim: ("Steady swim", .enduranceSwim, .z2, "Steady, long strokes; drills in the warm-up.")
            case .run: ("Easy run", .easyRun, .z1, "Conversational pace.")
            default: ("Endurance ride", .enduranceRide, .z2, "Steady endurance power; spin a light gear.")
            }
        return Workout(
            name: name, sport: sport, subtype: subtype, targetDurationSeconds: minutes * 60, notes: note,
            blocks: [WorkoutBlock(.run, duration: minutes * 60, pace: zone, intensity: intensity(sport))])
    }

    /// The long ride; with `brickRun` minutes it is a brick: the run off the bike is in its notes and its
    /// time (a day holds one workout, and the watch file is the ride's).
    static func longRide(minutes: Double, brickRun: Double) -> Workout {
        let ride = WorkoutBlock(.run, duration: minutes * 60, pace: .z2, intensity: .power)
        guard brickRun > 0 else {
            return Workout(
                name: "Long ride", sport: .bike, subtype: .enduranceRide, targetDurationSeconds: minutes * 60,
                notes: "Endurance power the whole way; eat and drink every 20–30 minutes.", blocks: [ride])
        }
        return Workout(
            name: "Brick: long ride and a \(Int(brickRun)) min run", sport: .bike, subtype: .enduranceRide,
            targetDurationSeconds: (minutes + brickRun) * 60,
            notes: "Ride at endurance power, then **run \(Int(brickRun)) minutes straight off the bike**: the first "
                + "five easy, then at race effort (zone 3). Set out your run shoes before you start.",
            blocks: [ride])
    }

    /// The session with `minutes` more at the end (easy), for a sport that has no open day left.
    static func lengthened(_ workout: Workout, by minutes: Double) -> Workout {
        var out = workout
        let how = workout.blocks.first?.intensityTarget ?? .pace
        out.blocks.append(WorkoutBlock(.coolDown, duration: minutes * 60, pace: .z1, intensity: how))
        out.targetDurationSeconds = (workout.targetDurationSeconds ?? 0) + minutes * 60
        return out
    }

    static func event(_ goal: EnduranceGoal, eventKm: Double?) -> Workout {
        if let legs = goal.legs {
            let what =
                "\(Int(legs.swim)) m swim, \(Int(legs.bike / 1000)) km bike, \(Int(legs.run / 1000)) km run"
            return Workout(
                name: "Race: \(goal.label) (\(what))", sport: .run, subtype: .triathlon,
                targetDistanceMeters: legs.run,
                notes: "Race day: \(what). Swim and ride at race effort, then this run. Warm up with 10 minutes "
                    + "easy and a few fast strokes; rack your bike and lay out your transition early.",
                blocks: [WorkoutBlock(.run, distance: legs.run, pace: .z3)])
        }
        let meters = eventKm.map { $0 * 1000 }
        return Workout(
            name: eventKm.map { String(format: "Event: %.0f km ride", $0) } ?? "Event day", sport: .bike,
            subtype: .bikeRace, targetDistanceMeters: meters,
            notes: "Event day. The first hour at endurance power (zone 2), no harder than tempo (zone 3) after; "
                + "eat every 30 minutes.",
            blocks: [
                meters.map { WorkoutBlock(.run, distance: $0, pace: .z2, intensity: .power) }
                    ?? WorkoutBlock(.run, duration: 3 * 3600, pace: .z2, intensity: .power)
            ])
    }
}
