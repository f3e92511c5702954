import Foundation
import Testing
@testable import PacelineCore

/// The rules on hand-made inputs (the stories through the store are in AdaptationStoryTests).
struct EngineTests {
    static let library = Dictionary(StarterLibrary.workouts.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    let today = CalendarDate(year: 2027, month: 1, day: 13) ?? .earliest  // a Wednesday

    /// A sparse week — Tue easy, Thu tempo, Sat easy, Sun long — for three weeks from this Monday.
    func sparseSchedule() -> [PlannedSession] {
        var out: [PlannedSession] = []
        var id: Int64 = 1
        for week in 0..<3 {
            let monday = today.mondayOfWeek.adding(days: 7 * week)
            for (offset, name) in [
                (1, "Easy run 40 min"), (3, "Tempo run 20 min"), (5, "Easy run 40 min"), (6, "Long run 90 min"),
            ] {
                if let w = Self.library[name] {
                    out.append(PlannedSession(id: id, date: monday.adding(days: offset), workout: w, done: nil))
                }
                id += 1
            }
        }
        return out
    }

    func coldCheckIns() -> [CheckIn] {
        (3...62).map {
            CheckIn(date: today.adding(days: -$0), hrvRMSSD: 66 + Double($0 % 5) - 2, restingHR: 47 + $0 % 3)
        }
            + (0...2).map { CheckIn(date: today.adding(days: -$0), hrvRMSSD: 44, restingHR: 56) }
    }

    @Test func sickMovesTheQualitySessionToAnEasyDayOfNextWeek() throws {
        let input = EngineInput(
            today: today, physiology: Physiology(vdot: 50), activities: [], checkIns: coldCheckIns(),
            schedule: sparseSchedule())
        let state = Engine.state(input)
        #expect(state.restingHRElevated && state.hrvSuppressedDays >= 3 && state.readiness == .red)
        let proposal = try #require(Engine.proposals(input, state: state).first)
        #expect(proposal.kind == .sick)
        let thursday = today.adding(days: 1), nextTuesday = today.adding(days: 13)
        #expect(
            proposal.changes.contains {
                if case .replace(_, thursday, _, let after) = $0 { after.subtype == .easyRun } else { false }
            })
        // The Tuesday of the week after the next seven days was easy with no hard neighbour: it takes the tempo.
        #expect(
            proposal.changes.contains {
                if case .replace(_, nextTuesday, _, let after) = $0 { after.name == "Tempo run 20 min" } else { false }
            })
        #expect(proposal.fingerprint == "sick:\(today.mondayOfWeek)")
    }

    @Test func anIllnessCheckInAloneIsEnoughAndNoDataIsGreen() throws {
        let ill = EngineInput(
            today: today, physiology: Physiology(vdot: 50), activities: [],
            checkIns: [CheckIn(date: today, ill: true, illnessNote: "flu")], schedule: sparseSchedule())
        #expect(Engine.proposals(ill, state: Engine.state(ill)).first?.kind == .sick)
        let quiet = EngineInput(
            today: today, physiology: Physiology(vdot: 50), activities: [], checkIns: [], schedule: sparseSchedule())
        let state = Engine.state(quiet)
        #expect(state.readiness == .green && Engine.proposals(quiet, state: state).isEmpty)
    }

    @Test func overtrainingNeedsTwoSignalsAtOnce() throws {
        // Short sleep alone: amber, no change. Short sleep and soreness: red, the week backs off.
        let sleepy = (0..<7).map { CheckIn(date: today.adding(days: -$0), sleepHours: 5) }
        let one = EngineInput(
            today: today, physiology: Physiology(vdot: 50), activities: [], checkIns: sleepy, schedule: sparseSchedule()
        )
        let s1 = Engine.state(one)
        #expect(s1.readiness == .amber && s1.overtrainingSignals.isEmpty)
        #expect(Engine.proposals(one, state: s1).isEmpty)
        let sore = (0..<7).map { CheckIn(date: today.adding(days: -$0), sleepHours: 5, soreness: 4) }
        let two = EngineInput(
            today: today, physiology: Physiology(vdot: 50), activities: [], checkIns: sore, schedule: sparseSchedule())
        let s2 = Engine.state(two)
        #expect(s2.readiness == .red && s2.overtrainingSignals.count == 2)
        let proposal = try #require(Engine.proposals(two, state: s2).first)
        #expect(
            proposal.kind == .overtraining && proposal.explanation.contains("sleep")
                && proposal.explanation.contains("soreness"))
    }

    /// A reading far from the athlete's usual is set aside only when nothing corroborates it (issue 16).
    @Test func outliersCountWhenSomethingCorroboratesThem() throws {
        func state(_ recent: [CheckIn]) -> AthleteState {
            let recentDays = Set(recent.map(\.date))
            let base = coldCheckIns().filter { !recentDays.contains($0.date) }
            return Engine.state(
                EngineInput(
                    today: today, physiology: Physiology(vdot: 50), activities: [], checkIns: base + recent,
                    schedule: sparseSchedule()))
        }
        func usual(_ back: Int) -> CheckIn {
            CheckIn(date: today.adding(days: -back), hrvRMSSD: 66, restingHR: 48)
        }
        // Ill, HRV 44 against ~66 and resting HR 58 against ~48: both readings agree with the athlete.
        let ill = state(
            [usual(2), usual(1), CheckIn(date: today, hrvRMSSD: 44, restingHR: 58, ill: true)])
        #expect(ill.suspect.isEmpty, "\(ill.suspect)")
        #expect(ill.readiness == .red)
        let illInput = EngineInput(
            today: today, physiology: Physiology(vdot: 50), activities: [],
            checkIns: coldCheckIns().filter { $0.date < today.adding(days: -2) }
                + [usual(2), usual(1), CheckIn(date: today, hrvRMSSD: 44, restingHR: 58, ill: true)],
            schedule: sparseSchedule())
        #expect(Engine.proposals(illInput, state: Engine.state(illInput)).first?.kind == .sick)
        // Not ill, but both readings move together: real too.
        let both = state([usual(2), usual(1), CheckIn(date: today, hrvRMSSD: 44, restingHR: 58)])
        #expect(both.suspect.isEmpty && both.readiness != .green, "\(both.reasons)")
        // One wild reading alone: set aside and named; it does not move readiness.
        let alone = state([usual(2), usual(1), CheckIn(date: today, hrvRMSSD: 25, restingHR: 48)])
        #expect(alone.suspect.count == 1 && alone.suspect[0].contains("HRV"))
        #expect(alone.readiness == .green, "\(alone.reasons)")
        // A wild reading yesterday that today's reading confirms is acted on.
        let confirmed = state([usual(2), CheckIn(date: today.adding(days: -1), hrvRMSSD: 25, restingHR: 48),
            CheckIn(date: today, hrvRMSSD: 27, restingHR: 48)])
        #expect(confirmed.suspect.isEmpty && confirmed.readiness != .green, "\(confirmed.reasons)")
        // A wild reading yesterday that today's does not confirm stays out of the trends.
        let glitch = state([usual(2), CheckIn(date: today.adding(days: -1), hrvRMSSD: 25, restingHR: 48), usual(0)])
        #expect(glitch.suspect.isEmpty && glitch.readiness == .green, "\(glitch.reasons)")
    }

    /// Two athletes on the same plan: one's HRV takes three mornings to come back after a hard session,
    /// the other's one or two. The slow one gets easy days between hard ones and lighter easy runs; the
    /// fast one keeps the plan (issue 16, item 2).
    @Test func recoveryTimeSpacesTheHardSessionsPerAthlete() throws {
        let tempo = try #require(Self.library["Tempo run 20 min"])
        let long = try #require(Self.library["Long run 90 min"])
        let easy = try #require(Self.library["Easy run 40 min"])
        let intervals = try #require(Self.library["Cruise intervals 5 × 1 km"])
        // Six past weeks: tempo on Thursday, long run on Sunday, done. This week and next: Tue intervals,
        // Thu tempo, Sat easy, Sun long — Tuesday's session was done yesterday.
        var schedule: [PlannedSession] = []
        var id: Int64 = 1
        let monday = today.mondayOfWeek
        for week in -6..<2 {
            let start = monday.adding(days: 7 * week)
            let days: [(Int, Workout)] =
                week < 0 ? [(3, tempo), (6, long)] : [(1, intervals), (3, tempo), (5, easy), (6, long)]
            for (offset, workout) in days {
                let date = start.adding(days: offset)
                schedule.append(PlannedSession(id: id, date: date, workout: workout, done: nil, ticked: date < today))
                id += 1
            }
        }
        let hardDays = Set(schedule.filter { $0.isKey && $0.date < today }.map(\.date))
        func mornings(dip: [Double]) -> [CheckIn] {
            (1...60).map { back -> CheckIn in
                let date = today.adding(days: -back)
                var ln = log(65) + Double(back % 3 - 1) * 0.01
                for (k, drop) in dip.enumerated() where hardDays.contains(date.adding(days: -(k + 1))) { ln -= drop }
                return CheckIn(date: date, hrvRMSSD: exp(ln), restingHR: 48)
            }
        }
        func run(_ checkIns: [CheckIn]) -> (RecoveryProfile, [Proposal]) {
            let input = EngineInput(
                today: today, physiology: Physiology(vdot: 50), activities: [], checkIns: checkIns, schedule: schedule)
            return (RecoveryProfile.learn(input), Engine.proposals(input, state: Engine.state(input)))
        }
        let (slow, slowProposals) = run(mornings(dip: [0.25, 0.2]))
        let (fast, fastProposals) = run(mornings(dip: [0.1]))
        #expect((slow.measuredDays ?? 0) >= 2.5 && slow.sessions >= 10, "\(slow)")
        #expect((fast.measuredDays ?? 9) <= 2.0, "\(fast)")
        #expect(slow.hours > fast.hours + 12)
        let spacing = try #require(slowProposals.first { $0.kind == .recovery }, "\(slowProposals.map(\.kind))")
        // Thursday's tempo (48 h after Tuesday's intervals) and next Tuesday's intervals (48 h after the
        // long run) become easy; the long run stays; Saturday's easy run is 10 % shorter.
        let replaced = Dictionary(
            spacing.changes.compactMap { change -> (CalendarDate, Workout)? in
                if case .replace(_, let date, _, let after) = change { return (date, after) }
                return nil
            }, uniquingKeysWith: { a, _ in a })
        #expect(replaced[today.adding(days: 1)]?.subtype == .easyRun)
        #expect(replaced[monday.adding(days: 13)] == nil && replaced[monday.adding(days: 6)] == nil)
        #expect(replaced[monday.adding(days: 8)]?.subtype == .easyRun)
        #expect(replaced[monday.adding(days: 5)]?.name == "Easy run 40 min (reduced)")
        #expect(spacing.explanation.contains("mornings to come back"))
        #expect(!fastProposals.contains { $0.kind == .recovery }, "\(fastProposals.map(\.explanation))")
    }

    @Test func readinessSaysEachReasonOnce() {
        // Three days of low HRV, high resting HR, short sleep and soreness after a quiet baseline: the
        // heart-rate reason is said once, not again inside "overtraining risk".
        let recent = (0..<4).map {
            CheckIn(date: today.adding(days: -$0), hrvRMSSD: 40, restingHR: 60, sleepHours: 5, soreness: 4)
        }
        let input = EngineInput(
            today: today, physiology: Physiology(vdot: 50), activities: [], checkIns: coldCheckIns() + recent,
            schedule: sparseSchedule())
        let reasons = Engine.state(input).reasons
        #expect(reasons.contains { $0.hasPrefix("overtraining risk") }, "\(reasons)")
        let mentions = reasons.joined(separator: " | ").components(separatedBy: "resting heart rate").count - 1
        #expect(mentions == 1, "\(reasons)")
        // The heart-rate markers alone (no other signal): still said once.
        let heartOnly = (0..<4).map { CheckIn(date: today.adding(days: -$0), hrvRMSSD: 40, restingHR: 60) }
        let alone = Engine.state(
            EngineInput(
                today: today, physiology: Physiology(vdot: 50), activities: [], checkIns: coldCheckIns() + heartOnly,
                schedule: sparseSchedule()))
        let said = alone.reasons.joined(separator: " | ").components(separatedBy: "resting heart rate").count - 1
        #expect(alone.readiness == .red && said == 1, "\(alone.reasons)")
    }

    @Test func workoutsScaleAndEasyRunsStandIn() {
        let tempo = Self.library["Tempo run 20 min"]
        let scaled = tempo.map { $0.scaled(by: 0.7) }
        #expect(scaled?.name == "Tempo run 20 min (reduced)")
        let before = WorkoutTotals(tempo?.blocks ?? [], zones: nil).durationSeconds,
            after = WorkoutTotals(scaled?.blocks ?? [], zones: nil).durationSeconds
        #expect(abs(after / before - 0.7) < 0.05)
        #expect(Workout.easyRun(minutes: 30, note: "n").blocks.first?.pace == .z1)
    }
}
