import Foundation
import Testing
@testable import PacelineCore

@Suite("Plan generator properties")
struct PlanGeneratorPropertyTests {
    static let today = CalendarDate("2026-11-23")!

    /// Random but reproducible requests that the rules allow (PLAN-GENERATOR.md): at most the
    /// level's quality days, at least three training days, `maxDays` no fewer than the quality and
    /// long-run days, weeks within the race's range. Every one of them must be accepted.
    static func requests(count: Int, seed: UInt64) -> [PlanRequest] {
        var rng = SplitMix64(seed: seed)
        let distances = [5000.0, 10_000, 21_097.5, 42_195, 15_000, 30_000]
        var out: [PlanRequest] = []
        for _ in 0..<count {
            let level = TrainingLevel.allCases[Int.random(in: 0..<3, using: &rng)]
            let days = Weekday.allCases.shuffled(using: &rng)
            let long = days[0]
            let qualityCount = Int.random(in: 0...(PlanRules.maxQualityDays[level] ?? 2), using: &rng)
            let quality = Array(days[1..<(1 + qualityCount)])
            let restCount = Int.random(in: 0...(6 - qualityCount - 2), using: &rng)
            let rest = Array(days[(1 + qualityCount)..<(1 + qualityCount + restCount)])
            let distance = distances[Int.random(in: 0..<distances.count, using: &rng)]
            let minimum = PlanRules.minWeeks[RaceClass(meters: distance)] ?? 4
            let useDate = Bool.random(using: &rng)
            // A race date k days before the end of week `weeks` can make the plan one week longer.
            let weeks = Int.random(in: minimum...(PlanRules.maxWeeks - (useDate ? 1 : 0)), using: &rng)
            let raceDate = useDate ? today.adding(days: weeks * 7 - Int.random(in: 0...6, using: &rng)) : nil
            let request = PlanRequest(
                raceDistanceMeters: distance, raceDate: raceDate, weeks: useDate ? nil : weeks,
                vdot: Double.random(in: 28...75, using: &rng), level: level, qualityDays: quality, longRunDay: long,
                restDays: rest,
                weeklyKm: Double.random(in: 0...110, using: &rng).rounded(),
                maxDays: Bool.random(using: &rng)
                    ? Int.random(in: max(qualityCount + 1, PlanRules.minTrainingDays)...7, using: &rng) : nil,
                today: today)
            out.append(request)
        }
        return out
    }

    @Test func requestsTheRulesRefuseAreRefused() {
        let base = PlanRequest(
            raceDistanceMeters: 10_000, weeks: 10, vdot: 45, level: .intermediate, qualityDays: [.tue, .thu],
            longRunDay: .sun, restDays: [.mon], weeklyKm: 40, today: Self.today)
        var tooFewDays = base  // 2 training days
        tooFewDays.restDays = [.mon, .wed, .thu, .fri, .sat]
        tooFewDays.qualityDays = [.tue]
        var tooManyForMax = base; tooManyForMax.maxDays = 3; tooManyForMax.qualityDays = [.tue, .thu, .sat];
        tooManyForMax.level = .advanced
        var tooShort = base; tooShort.weeks = (PlanRules.minWeeks[RaceClass(meters: 10_000)] ?? 4) - 1
        var tooLong = base; tooLong.weeks = PlanRules.maxWeeks + 1
        var longOnRest = base; longOnRest.restDays = [.sun]
        var pastRace = base; pastRace.weeks = nil; pastRace.raceDate = Self.today.adding(days: -1)
        for (name, request) in [
            ("too few days", tooFewDays), ("quality + long over max days", tooManyForMax), ("too short", tooShort),
            ("too long", tooLong), ("long run on a rest day", longOnRest), ("race in the past", pastRace),
        ] {
            #expect(throws: PlanRequestError.self, "\(name) was accepted") { try PlanGenerator.generate(request) }
        }
        #expect(throws: Never.self) { try PlanGenerator.generate(base) }
    }

    static func distance(_ workout: Workout?) -> Double {
        workout.map { WorkoutTotals($0.blocks, zones: nil).distanceMeters } ?? 0
    }

    @Test func everyRuleHoldsForManyRandomRequests() throws {
        var refused: [String] = []
        for request in Self.requests(count: 300, seed: 2026) {
            let plan: GeneratedPlan
            do { plan = try PlanGenerator.generate(request) } catch { refused.append("\(error): \(request)"); continue }
            let template = plan.template
            let weeks = template.weeks
            let race = RaceClass(meters: request.raceDistanceMeters)
            let taper = PlanRules.taperWeeks[race] ?? 1
            let zones = PaceZones(vdot: try VDOT(request.vdot))
            let context = "\(request)"

            // Same inputs, same plan.
            #expect(try PlanGenerator.generate(request) == plan, "not deterministic: \(context)")
            // Blocks valid everywhere.
            for week in weeks {
                for workout in week.days.compactMap({ $0 }) {
                    #expect(
                        WorkoutRules.validate(workout).isEmpty,
                        "\(workout.name): \(WorkoutRules.validate(workout)) — \(context)")
                }
            }
            // The race is the plan's last workout, on race day, and nothing follows it.
            let last = try #require(weeks.last)
            #expect(last[plan.raceSlot.day]?.subtype == .race, "\(context)")
            #expect(last[plan.raceSlot.day]?.targetDistanceMeters == request.raceDistanceMeters)
            for day in Weekday.allCases where day > plan.raceSlot.day { #expect(last[day] == nil, "\(context)") }
            if let date = request.raceDate, let start = plan.startDate {
                #expect(start.adding(days: (weeks.count - 1) * 7 + plan.raceSlot.day.rawValue) == date, "\(context)")
                #expect(start.weekdayIndex == 0 && start >= request.today, "\(context)")
            } else {
                #expect(weeks.count == request.weeks, "\(context)")
            }
            // Phases in order, taper length by race.
            let phases = weeks.compactMap(\.phase)
            #expect(phases.count == weeks.count && phases == phases.sorted { $0.order < $1.order }, "\(context)")
            #expect(
                phases.suffix(taper).allSatisfy { $0 == .taper } && phases.filter { $0 == .taper }.count == taper,
                "\(context)")

            var lastFull: Double?
            var sinceRecovery = 0
            let cycle = PlanRules.recoveryCycle(request.level)
            for (index, week) in weeks.enumerated() {
                let isRaceWeek = index == weeks.count - 1
                let volume = week.days.enumerated().filter { !(isRaceWeek && $0.offset == plan.raceSlot.day.rawValue) }
                    .map { Self.distance($0.element) }.reduce(0, +)
                // Weeks are built to their target volume exactly (race week: the days before the race, at most).
                if isRaceWeek {
                    #expect(volume <= plan.weeklyTargetKm[index] * 1000 + 1, "race week \(volume) — \(context)")
                } else {
                    #expect(
                        abs(volume - plan.weeklyTargetKm[index] * 1000) < 1,
                        "week \(index + 1)/\(weeks.count) \(volume) vs \(plan.weeklyTargetKm[index]) — \(context)")
                }
                if !isRaceWeek {
                    // The request's days, as asked: its rest days rest, its quality days hard, its long-run
                    // day long; the others easy, or rest only where `maxDays` asks for fewer days.
                    for day in Weekday.allCases {
                        let workout = week[day]
                        if request.restDays.contains(day) {
                            #expect(workout == nil, "rest day \(day) has \(workout?.name ?? "") — \(context)")
                        } else if request.qualityDays.contains(day) {
                            #expect(
                                workout?.subtype.isQuality == true,
                                "quality day \(day): \(workout?.name ?? "rest") — \(context)")
                        } else if day == request.longRunDay {
                            #expect(
                                workout?.subtype == .longRun,
                                "long day \(day): \(workout?.name ?? "rest") — \(context)"
                            )
                        } else if request.maxDays == nil {
                            #expect(
                                workout?.subtype == .easyRun,
                                "easy day \(day): \(workout?.name ?? "rest") — \(context)"
                            )
                        } else {
                            #expect(
                                workout == nil || workout?.subtype == .easyRun,
                                "easy day \(day): \(workout?.name ?? "") — \(context)")
                        }
                    }
                    let trainingDays = week.days.compactMap { $0 }.count
                    #expect(
                        trainingDays <= request.maxDays ?? 7
                            && trainingDays == min(7 - request.restDays.count, request.maxDays ?? 7),
                        "\(trainingDays) training days — \(context)")
                    // Long run: ≤ 30 % of the week and ≤ 2.5 h (3 h marathon) at the athlete's easy pace.
                    if let long = week[request.longRunDay] {
                        let meters = Self.distance(long)
                        #expect(
                            meters <= volume * PlanRules.longRunMaxShare + 1,
                            "long run \(meters) of \(volume) — \(context)")
                        let seconds = WorkoutTotals(long.blocks, zones: zones).durationSeconds
                        #expect(
                            seconds <= PlanRules.longRunMaxSeconds(race) + 60, "long run \(seconds) s — \(context)")
                    }
                }
                // Volume: at most +10 % over the previous full week; recovery weeks on the rhythm, lower.
                if week.phase != .taper {
                    if week.isRecovery {
                        #expect(sinceRecovery == cycle - 1, "recovery off rhythm at week \(index + 1) — \(context)")
                        #expect(volume < (lastFull ?? .infinity), "\(context)")
                        sinceRecovery = 0
                    } else {
                        if let lastFull {
                            #expect(
                                volume <= lastFull * PlanRules.maxWeeklyIncrease + 1,
                                "week \(index + 1) jumps — \(context)")
                        }
                        lastFull = volume
                        sinceRecovery += 1
                    }
                }
            }
            // Taper: falling volume, kept intensity.
            let taperWeeks = Array(weeks.suffix(taper))
            var previous = lastFull ?? .infinity
            for (i, week) in taperWeeks.enumerated() {
                let isRaceWeek = i == taperWeeks.count - 1
                let volume = week.days.enumerated().filter { !(isRaceWeek && $0.offset == plan.raceSlot.day.rawValue) }
                    .map { Self.distance($0.element) }.reduce(0, +)
                #expect(volume < previous, "taper volume does not fall — \(context)")
                previous = volume
                let qualityBeforeRace = request.qualityDays.contains {
                    !isRaceWeek || $0.rawValue < plan.raceSlot.day.rawValue - 1
                }
                if qualityBeforeRace {
                    #expect(
                        week.days.compactMap { $0 }.contains { $0.subtype.isQuality && $0.subtype != .race },
                        "taper lost intensity — \(context)")
                }
            }
        }
        #expect(refused.isEmpty, "\(refused.count) requests the rules allow were refused: \(refused.prefix(3))")
    }

    @Test func qualitySessionsFollowTheLevel() throws {
        func kinds(_ level: TrainingLevel) throws -> Set<WorkoutSubtype> {
            let plan = try PlanGenerator.generate(
                PlanRequest(
                    raceDistanceMeters: 10_000, weeks: 12, vdot: 50, level: level,
                    qualityDays: [.tue, .thu], longRunDay: .sun, restDays: [.mon],
                    weeklyKm: 40, today: Self.today))
            return Set(
                plan.template.weeks.dropLast().flatMap { $0.days.compactMap { $0 } }.map(\.subtype).filter {
                    $0.isQuality
                })
        }
        #expect(try kinds(.basic) == [.strides, .fartlek])
        #expect(try kinds(.intermediate).isSuperset(of: [.tempoRun, .intervalRun]))
        #expect(try kinds(.advanced).contains(.intervalRun))
    }

    @Test func badRequestsAreRefusedWithMessages() {
        func request(_ change: (inout PlanRequest) -> Void) -> PlanRequest {
            var r = PlanRequest(
                raceDistanceMeters: 42_195, weeks: 16, vdot: 45, level: .intermediate, qualityDays: [.tue, .thu],
                longRunDay: .sun, restDays: [.mon, .fri], weeklyKm: 40, today: Self.today)
            change(&r)
            return r
        }
        let cases: [(PlanRequest, String)] = [
            (
                request {
                    $0.weeks = nil; $0.raceDate = Self.today.adding(days: -3)
                }, "future"
            ),
            (request { $0.weeks = 0 }, "at least 8 weeks"),
            (request { $0.weeks = 200 }, "at most 30 weeks"),
            (request { $0.vdot = 5 }, "VDOT"),
            (request { $0.restDays = [.mon, .sun] }, "long-run day cannot also be a rest day"),
            (
                request {
                    $0.restDays = [.mon, .tue, .wed, .thu, .fri, .sat]; $0.qualityDays = []
                }, "at least 3 training days"
            ),
            (
                request {
                    $0.restDays = [.mon, .tue, .wed, .fri, .sat]; $0.qualityDays = []
                }, "at least 3 training days"
            ),
            (request { $0.qualityDays = [.sun] }, "cannot also be a quality day"),
            (
                request {
                    $0.level = .basic; $0.qualityDays = [.tue, .wed, .thu]
                }, "at most 2 quality days"
            ),
            (request { $0.weeks = nil }, "race date or a number of weeks"),
            (request { $0.raceDate = Self.today.adding(days: 100) }, "not both"),
            (request { $0.raceDistanceMeters = -1 }, "race distance"),
            (request { $0.maxDays = 2 }, "3–7"),
        ]
        for (r, message) in cases {
            do {
                _ = try PlanGenerator.generate(r)
                Issue.record("expected “\(message)” for \(r)")
            } catch {
                #expect(
                    error.description.contains(message), "got “\(error.description)”, expected “\(message)”")
            }
        }
    }

    @Test func maxDaysTurnsEasyDaysIntoRestFromSunday() throws {
        let request = PlanRequest(
            raceDistanceMeters: 10_000, weeks: 10, vdot: 45, level: .intermediate, qualityDays: [.tue, .thu],
            longRunDay: .sat, restDays: [], weeklyKm: 30, maxDays: 5, today: Self.today)
        let pattern = try PlanGenerator.dayPattern(request)
        #expect(pattern.kinds == [.easy, .quality, .easy, .quality, .rest, .long, .rest])
    }
}

extension TrainingPhase {
    var order: Int { TrainingPhase.allCases.firstIndex(of: self) ?? 0 }
}

@Suite("Plan editor operations")
struct PlanEditorTests {
    static let easy = Workout(
        name: "Easy", sport: .run, subtype: .easyRun, blocks: [WorkoutBlock(.run, duration: 1800)])
    static let tempo = Workout(
        name: "Tempo", sport: .run, subtype: .tempoRun, blocks: [WorkoutBlock(.run, duration: 1200, pace: .z3)])

    func plan() -> PlanTemplate { PlanTemplate(name: "P", weeks: [PlanWeek(), PlanWeek(), PlanWeek()]) }

    @Test func placeIsACopy() throws {
        var p = plan()
        var source = Self.easy
        try p.place(source, at: PlanSlot(week: 0, day: .tue))
        source.name = "Changed in the library"
        #expect(p.weeks[0][.tue]?.name == "Easy")
        #expect(throws: PlanEditError.self) { try p.place(Self.easy, at: PlanSlot(week: 9, day: .mon)) }
    }

    @Test func moveToAnEmptyDayOrSwap() throws {
        var p = plan()
        try p.place(Self.easy, at: PlanSlot(week: 0, day: .tue))
        try p.place(Self.tempo, at: PlanSlot(week: 1, day: .thu))
        try p.move(from: PlanSlot(week: 0, day: .tue), to: PlanSlot(week: 0, day: .wed))
        #expect(p.weeks[0][.tue] == nil && p.weeks[0][.wed]?.name == "Easy")
        try p.move(from: PlanSlot(week: 0, day: .wed), to: PlanSlot(week: 1, day: .thu))
        #expect(p.weeks[1][.thu]?.name == "Easy" && p.weeks[0][.wed]?.name == "Tempo")
        #expect(throws: PlanEditError.self) {
            try p.move(from: PlanSlot(week: 2, day: .mon), to: PlanSlot(week: 0, day: .mon))
        }
    }

    @Test func restReorderCopyAddDelete() throws {
        var p = plan()
        try p.place(Self.tempo, at: PlanSlot(week: 0, day: .thu))
        try p.copyWeek(0, toEnd: false)
        #expect(p.weeks.count == 4 && p.weeks[1][.thu]?.name == "Tempo")
        try p.copyWeek(0, toEnd: true)
        #expect(p.weeks.count == 5 && p.weeks[4][.thu]?.name == "Tempo")
        try p.setRest(PlanSlot(week: 1, day: .thu))
        #expect(p.weeks[1][.thu] == nil && p.weeks[0][.thu] != nil)
        try p.moveWeek(0, by: 1)
        #expect(p.weeks[0][.thu] == nil && p.weeks[1][.thu]?.name == "Tempo")
        #expect(throws: PlanEditError.self) { try p.moveWeek(0, by: -1) }
        try p.deleteWeek(1)
        #expect(p.weeks.count == 4)
        try p.addWeek()
        #expect(p.weeks.count == 5 && p.weeks[4].days.allSatisfy { $0 == nil })
        var one = PlanTemplate(name: "One", weeks: [PlanWeek()])
        #expect(throws: PlanEditError.self) { try one.deleteWeek(0) }
        var full = PlanTemplate(name: "Full", weeks: Array(repeating: PlanWeek(), count: PlanTemplate.maxWeeks))
        #expect(throws: PlanEditError.self) { try full.addWeek() }
    }

    @Test func weekTotalsAndQualityCount() throws {
        var p = plan()
        try p.place(Self.easy, at: PlanSlot(week: 0, day: .mon))
        try p.place(Self.tempo, at: PlanSlot(week: 0, day: .tue))
        let totals = p.weeks[0].totals(zones: nil)
        #expect(totals.durationSeconds == 3000 && p.weeks[0].qualityCount == 1)
    }

    @Test func calendarDates() throws {
        let d = try #require(CalendarDate("2026-11-23"))
        #expect(d.weekdayIndex == 0 && Weekday(d) == .mon)
        #expect(d.adding(days: 9).description == "2026-12-02")
        #expect(
            CalendarDate("2024-02-29") != nil && CalendarDate("2023-02-29") == nil && CalendarDate("2026-13-01") == nil)
        #expect(CalendarDate("2026-11-29")?.mondayOfWeek == d)
        #expect(CalendarDate("1969-12-31")?.components.day == 31)
    }
}
