import Foundation
import Testing
@testable import PacelineCore

/// Issue 19, item 6: the cycling and triathlon generators against their rules (docs/PLAN-GENERATOR.md,
/// "Cycling and triathlon"), over many random requests the rules allow.
@Suite("Cycling and triathlon generator properties")
struct EnduranceGeneratorTests {
    static let today = CalendarDate("2026-11-23")!

    static func requests(count: Int, seed: UInt64) -> [EndurancePlanRequest] {
        var rng = SplitMix64(seed: seed)
        var out: [EndurancePlanRequest] = []
        for _ in 0..<count {
            let goal = EnduranceGoal.allCases[Int.random(in: 0..<3, using: &rng)]
            let level = TrainingLevel.allCases[Int.random(in: 0..<3, using: &rng)]
            let minDays = EnduranceRules.minTrainingDays[goal] ?? 3
            let shuffled = Weekday.allCases.shuffled(using: &rng)
            let days = Array(shuffled.prefix(Int.random(in: minDays...7, using: &rng)))
            let long = days[0]
            let maxQuality = min(EnduranceRules.maxQualityDays[level] ?? 2, days.count - 1)
            let quality = Array(days.dropFirst().prefix(Int.random(in: 0...maxQuality, using: &rng)))
            let floor = Double(days.count) * EnduranceRules.minimumSessionMinutes / 60
            let ceiling = min(18, Double(days.count) * EnduranceRules.maxHoursPerDay)
            let hours = min(ceiling, (Double.random(in: max(2, floor)...ceiling, using: &rng) * 2).rounded(.up) / 2)
            let minimum = EnduranceRules.minWeeks[goal] ?? 6
            let useDate = Bool.random(using: &rng)
            let weeks = Int.random(in: minimum...(EnduranceRules.maxWeeks - (useDate ? 1 : 0)), using: &rng)
            let date = useDate ? today.adding(days: weeks * 7 - Int.random(in: 0...6, using: &rng)) : nil
            out.append(
                EndurancePlanRequest(
                    goal: goal, eventDate: date, weeks: useDate ? nil : weeks, hoursPerWeek: hours, level: level,
                    trainingDays: days, longDay: long, qualityDays: quality,
                    ftp: goal == .cycling ? Double(Int.random(in: 120...380, using: &rng)) : nil,
                    eventKm: goal == .cycling && Bool.random(using: &rng)
                        ? Double(Int.random(in: 5...400, using: &rng)) : nil, today: today))
        }
        return out
    }

    static func minutes(_ workout: Workout) -> Double {
        (workout.targetDurationSeconds ?? WorkoutTotals(workout.blocks, zones: nil).durationSeconds) / 60
    }

    @Test func everyRuleHoldsForManyRandomRequests() throws {
        var exactWeeks = 0
        for request in Self.requests(count: 300, seed: 19) {
            let context = "\(request)"
            let plan = try PlanGenerator.generate(request)
            #expect(try PlanGenerator.generate(request) == plan, "not deterministic: \(context)")
            let weeks = plan.template.weeks
            let targets = plan.weeklyTargetMinutes
            #expect(targets.count == weeks.count)
            if let date = request.eventDate, let start = plan.startDate {
                #expect(start.adding(days: (weeks.count - 1) * 7 + plan.raceSlot.day.rawValue) == date, "\(context)")
            } else {
                #expect(weeks.count == request.weeks && plan.raceSlot.day == request.longDay, "\(context)")
            }
            // The event is the plan's last workout, a race for the calendars and the engine.
            let last = try #require(weeks.last)
            let event = try #require(last[plan.raceSlot.day], "\(context)")
            #expect(event.kind == .race && event.subtype == (request.goal == .cycling ? .bikeRace : .triathlon))
            for day in Weekday.allCases where day > plan.raceSlot.day { #expect(last[day] == nil, "\(context)") }
            let taper = EnduranceRules.taperWeeks[request.goal] ?? 1
            var lastFull: Double?
            for (index, week) in weeks.enumerated() {
                for workout in week.days.compactMap({ $0 }) {
                    #expect(WorkoutRules.validate(workout).isEmpty, "\(workout.name): \(context)")
                    // Every block in the sport's own terms: watts for rides, paces (CSS, VDOT) for swims and runs.
                    func blocks(_ list: [WorkoutBlock]) -> [WorkoutBlock] {
                        list.flatMap { [$0] + blocks($0.children) }
                    }
                    let expected: IntensityTarget = workout.sport == .bike ? .power : .pace
                    #expect(blocks(workout.blocks).allSatisfy { $0.intensityTarget == expected }, "\(workout.name)")
                }
                guard index < weeks.count - 1 else { continue }
                // The pattern: every training day has a session, every other day is rest; the long day rides.
                for day in Weekday.allCases {
                    #expect((week[day] != nil) == request.trainingDays.contains(day), "week \(index + 1) \(day)")
                }
                let long = try #require(week[request.longDay])
                #expect(long.sport == .bike && long.subtype == .enduranceRide, "\(context)")
                let isBrick = long.name.hasPrefix("Brick")
                #expect(
                    isBrick
                        == (request.goal.isTriathlon && [.build, .peak].contains(week.phase) && !week.isRecovery),
                    "bricks in build and peak only: week \(index + 1) \(context)")
                // Quality sessions on the quality days only.
                for day in Weekday.allCases {
                    #expect((week[day]?.subtype.isQuality ?? false) == request.qualityDays.contains(day))
                }
                // Triathlon: all three sports every week.
                if request.goal.isTriathlon {
                    let sports = Set(week.days.compactMap { $0?.sport })
                    #expect(sports == [.swim, .bike, .run], "week \(index + 1): \(sports) \(context)")
                }
                // Minutes: never under the target; exact unless a 30-minute floor was binding.
                let planned = week.days.compactMap { $0 }.reduce(0) { $0 + Self.minutes($1) }
                let sessions = week.days.compactMap { $0 }.map(Self.minutes)
                #expect(planned >= targets[index] - 1e-6, "week \(index + 1): \(planned) < \(targets[index])")
                if sessions.allSatisfy({ $0 > EnduranceRules.minimumSessionMinutes }) {
                    #expect(abs(planned - targets[index]) < 1e-6, "week \(index + 1) \(planned) ≠ \(targets[index])")
                    exactWeeks += 1
                }
                // Progression: ≤ 10 % a week (5-minute rounding), recovery and taper weeks lighter.
                if week.phase == .taper || week.isRecovery {
                    #expect(targets[index] < (lastFull ?? .infinity) + 1e-9, "week \(index + 1) \(context)")
                } else {
                    if let lastFull { #expect(targets[index] <= lastFull * EnduranceRules.maxWeeklyIncrease + 1e-9) }
                    lastFull = targets[index]
                }
            }
            #expect(weeks.suffix(taper).allSatisfy { $0.phase == .taper })
        }
        #expect(exactWeeks > 1000, "the exact case must be the common one (\(exactWeeks))")
    }

    @Test func refusalsNameTheirField() {
        let base = EndurancePlanRequest(
            goal: .cycling, weeks: 12, hoursPerWeek: 8, level: .intermediate, trainingDays: [.tue, .thu, .sat, .sun],
            longDay: .sun, qualityDays: [.tue, .thu], ftp: 250, today: Self.today)
        func field(_ change: (inout EndurancePlanRequest) -> Void) -> String? {
            var r = base
            change(&r)
            do {
                _ = try PlanGenerator.generate(r)
                return nil
            } catch {
                return error.field
            }
        }
        #expect(field { _ in } == nil)
        #expect(field { $0.ftp = nil } == "ftp")
        #expect(field { $0.ftp = 5000 } == "ftp")
        #expect(field { $0.hoursPerWeek = .nan } == "hours")
        #expect(field { $0.hoursPerWeek = 40 } == "hours")
        #expect(
            field {
                $0.hoursPerWeek = 1.5; $0.trainingDays = Weekday.allCases
            } == "hours")
        #expect(field { $0.longDay = .mon } == "days")
        #expect(field { $0.qualityDays = [.sun] } == "days")
        #expect(field { $0.qualityDays = [.mon] } == "days")
        #expect(field { $0.trainingDays = [.sat, .sun] } == "days")
        #expect(field { $0.hoursPerWeek = 13 } == "hours", "4 days hold at most 12 hours")
        #expect(field { $0.weeks = 3 } == "weeks")
        #expect(
            field {
                $0.weeks = nil; $0.eventDate = Self.today
            } == "race_date")
        #expect(field { $0.eventKm = -1 } == "event_km")
        #expect(
            field {
                $0.goal = .olympicTriathlon; $0.ftp = nil; $0.weeks = 6
            } == "weeks")
        #expect(
            field {
                $0.goal = .sprintTriathlon; $0.trainingDays = [.tue, .sat, .sun]
            } == "days")
    }

    @Test func anOlympicTriathlonWeekInItsOwnTerms() throws {
        let request = EndurancePlanRequest(
            goal: .olympicTriathlon, weeks: 12, hoursPerWeek: 8, level: .intermediate,
            trainingDays: [.mon, .tue, .wed, .thu, .sat, .sun], longDay: .sat, qualityDays: [.tue, .thu],
            today: Self.today)
        let plan = try PlanGenerator.generate(request)
        // Week 5 (build): the brick on Saturday, a ride and a run on the quality days, two swims.
        let week = plan.template.weeks[4]
        #expect(week.phase == .build)
        #expect(week[.sat]?.name.hasPrefix("Brick: long ride and a") == true)
        #expect(week[.tue]?.sport == .bike && week[.tue]?.subtype.isQuality == true)
        #expect(week[.thu]?.sport == .run && week[.thu]?.subtype.isQuality == true)
        #expect(week.days.compactMap { $0 }.filter { $0.sport == .swim }.count == 2)
        // The time split: swim 20 %, bike 50 % (the brick's run counted with the runs), run 30 %.
        let target = plan.weeklyTargetMinutes[4]
        let swim = week.days.compactMap { $0 }.filter { $0.sport == .swim }.reduce(0) { $0 + Self.minutes($1) }
        #expect(abs(swim - EnduranceWeekBuilder.whole(target * 0.2)) < 1e-6)
        // The race: the run leg with the swim and the ride in its notes.
        let race = try #require(plan.template.weeks.last?[.sat])
        #expect(race.name == "Race: Olympic triathlon (1500 m swim, 40 km bike, 10 km run)")
        #expect(race.targetDistanceMeters == 10_000 && race.kind == .race)
    }
}
