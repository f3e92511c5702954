import Foundation

/// Stride mechanics over the last four weeks of steady runs (not hard: RPE under 7 or heart rate
/// under 80 % of reserve): the three-week change of each figure by least squares. Rising asymmetry
/// and less steady cadence or pace on steady runs are signs of fatigue (SCIENCE.md §5).
public struct MechanicsTrend: Sendable, Hashable {
    public let runs: Int
    /// Change over three weeks: percentage points for asymmetry; fractions of the mean for the variations.
    public let asymmetryChange: Double?
    public let cadenceVariationChange: Double?
    public let paceVariationChange: Double?

    public init?(_ input: EngineInput) {
        let from = input.today.adding(days: -27)
        let steady = input.activities.filter {
            $0.sport == .run && $0.status == .done && $0.date >= from && $0.date <= input.today && $0.mechanics != nil
                && !ToleranceProfile.isHard($0, input.physiology)
        }
        guard steady.count >= Thresholds.mechanicsMinimumRuns else { return nil }
        func change(_ value: (StrideMechanics) -> Double?, relative: Bool) -> Double? {
            let points = steady.compactMap { e in
                e.mechanics.flatMap(value).map { (Double(from.days(until: e.date)), $0) }
            }
            guard points.count >= Thresholds.mechanicsMinimumRuns, let slope = Series.slope(points) else { return nil }
            if !relative { return slope * 21 }
            guard let mean = Series.mean(points.map(\.1)), mean > 0 else { return nil }
            return slope * 21 / mean
        }
        runs = steady.count
        asymmetryChange = change({ $0.asymmetry }, relative: false)
        cadenceVariationChange = change({ $0.cadenceVariation }, relative: true)
        paceVariationChange = change({ $0.paceVariation }, relative: true)
    }

    /// The overtraining signals among them.
    public var signals: [String] {
        var out: [String] = []
        if let a = asymmetryChange, a >= Thresholds.asymmetryRisePoints {
            out.append(String(format: "stride asymmetry up %.1f points over three weeks", a))
        }
        if let c = cadenceVariationChange, c >= Thresholds.variationRiseFraction {
            out.append(String(format: "cadence %.0f %% less steady on steady runs", c * 100))
        }
        if let p = paceVariationChange, p >= Thresholds.variationRiseFraction {
            out.append(String(format: "pace %.0f %% less steady on steady runs", p * 100))
        }
        return out
    }

    public var words: String {
        var parts: [String] = []
        if let a = asymmetryChange { parts.append(String(format: "asymmetry %+.1f points", a)) }
        if let c = cadenceVariationChange { parts.append(String(format: "cadence variation %+.0f %%", c * 100)) }
        if let p = paceVariationChange { parts.append(String(format: "pace variation %+.0f %%", p * 100)) }
        return (parts.isEmpty ? "no figures" : parts.joined(separator: ", "))
            + " over three weeks, from \(runs) steady runs"
    }
}

extension Engine {
    /// Performance markers (VDOT of races and hard efforts, `ActivityEntry.performanceMarker`): a run
    /// is a race when it was done for a planned race.
    public static func markers(_ input: EngineInput) -> [(date: CalendarDate, vdot: Double)] {
        let races = Set(input.schedule.filter { $0.workout.kind == .race }.compactMap { $0.done?.startTime ?? nil })
        return input.activities.compactMap { entry in
            let wasRace = entry.startTime.map { races.contains($0) } ?? false
            return entry.performanceMarker(wasRace: wasRace).map { (entry.date, $0) }
        }
    }

    /// The Banister fit of `input` (toward the given priors) and the input with the fitted model
    /// (and, when confident, its time constants) in it: what the server and the CLI both run.
    public static func fitted(
        _ input: EngineInput, priors: EmpiricalPriors = .population
    ) -> (input: EngineInput, fit: BanisterFit?) {
        var input = input
        let start = input.today.adding(days: -(historyDays - 1))
        let fit = BanisterFitter.fit(
            loads: dailyLoads(input).loads,
            markers: markers(input).map { PerformanceMarker(day: start.days(until: $0.date), value: $0.vdot) },
            priorTau1: priors.tau1, priorTau2: priors.tau2)
        input.tau = fit?.confidentTau
        input.model = fit?.model
        return (input, fit)
    }

    /// Planned load per day from tomorrow for `days` days (open sessions only).
    static func plannedLoads(_ input: EngineInput, days: Int) -> [Double] {
        let zones = PaceZones(vdotValue: input.physiology.vdot)
        var out = [Double](repeating: 0, count: max(days, 0))
        for session in input.schedule where !session.isDone {
            let offset = input.today.days(until: session.date) - 1
            if offset >= 0 && offset < out.count { out[offset] += Load.planned(session.workout, zones: zones).value }
        }
        return out
    }

    // MARK: Persistence

    /// Warning signs lasting beyond a week: the next progression block starts a week later. Next week
    /// becomes a recovery week (its quality sessions easy, everything 30 % shorter), and each later week
    /// takes the sessions of the week before it, weekday by weekday, up to the taper (which stays
    /// where the race is) or the end of the visible plan — the last shifted week's step is the one lost.
    static func persistence(_ input: EngineInput, _ state: AthleteState) -> Proposal? {
        guard state.warningDays > Thresholds.persistenceDays else { return nil }
        let nextMonday = input.today.mondayOfWeek.adding(days: 7)
        let open = input.schedule.filter { !$0.isDone && $0.date >= nextMonday }
        guard let lastDay = open.map(\.date).max() else { return nil }
        let race = open.filter { $0.workout.subtype == .race }.min { $0.date < $1.date }
        let endMonday = race.map { $0.date.mondayOfWeek.adding(days: -14) } ?? lastDay.mondayOfWeek
        guard endMonday >= nextMonday else { return nil }
        var changes: [PlanChange] = []
        var monday = nextMonday
        var weeks = 0
        while monday <= endMonday {
            let week = open.filter { $0.date >= monday && $0.date < monday.adding(days: 7) }
            for session in week where session.workout.kind != .race {
                if weeks == 0 {
                    let after: Workout =
                        session.workout.subtype.isQuality
                        ? .easyRun(
                            minutes: minutes(session, input),
                            note: "Recovery week: the progression waits until the warning signs clear.")
                        : session.workout.scaled(by: Thresholds.sickVolumeFactor)
                    changes.append(
                        .replace(scheduledId: session.id, date: session.date, before: session.workout, after: after))
                } else if let earlier = input.schedule.first(where: {
                    $0.date == session.date.adding(days: -7) && $0.workout.kind != .race
                }) {
                    if earlier.workout != session.workout {
                        changes.append(
                            .replace(
                                scheduledId: session.id, date: session.date, before: session.workout,
                                after: earlier.workout))
                    }
                } else {
                    changes.append(.drop(scheduledId: session.id, date: session.date, before: session.workout))
                }
            }
            weeks += 1
            monday = monday.adding(days: 7)
        }
        guard !changes.isEmpty else { return nil }
        return Proposal(
            kind: .persistence, title: "The next progression waits a week",
            explanation: "Your warning signs have lasted \(state.warningDays) days in a row ("
                + state.reasons.joined(separator: "; ") + "). Next week (from \(nextMonday)) is a recovery week, "
                + "and each of the following \(weeks - 1) week\(weeks == 2 ? "" : "s") takes the sessions of the "
                + "week before it"
                + (race.map { ", up to the taper for “\($0.workout.name)” on \($0.date), which stays" } ?? "")
                + ". The step this pushes out is the one dropped: progression resumes one week later.",
            changes: changes, fingerprint: "persistence:\(nextMonday)")
    }

    // MARK: Outperforming: a volume step

    /// Next week's open runs × (1 + step) when that stays under the learned ceiling and keeps the
    /// acute:chronic ratio under its limit; nil otherwise (with the reason for the explanation).
    static func volumeStep(
        _ input: EngineInput, _ state: AthleteState, ceiling: Double?
    ) -> (changes: [PlanChange], words: String) {
        let zones = PaceZones(vdotValue: input.physiology.vdot)
        let monday = input.today.mondayOfWeek.adding(days: 7)
        let week = input.schedule.filter {
            !$0.isDone && $0.date >= monday && $0.date < monday.adding(days: 7) && $0.workout.sport == .run
                && $0.workout.kind != .race
        }
        guard !week.isEmpty else { return ([], "") }
        let factor = 1 + Thresholds.outperformVolumeStep
        let km = week.reduce(0) { $0 + plannedKm($1, zones: zones) }
        if let ceiling, km * factor > ceiling {
            return (
                [],
                String(format: " Volume stays: next week's %.0f km would pass your ceiling of %.0f km.", km, ceiling)
            )
        }
        var future = plannedLoads(input, days: input.today.days(until: monday.adding(days: 7)))
        for session in week {
            let offset = input.today.days(until: session.date) - 1
            if offset >= 0 && offset < future.count {
                future[offset] += Load.planned(session.workout, zones: zones).value * (factor - 1)
            }
        }
        if let worst = Series.acwr(state.loads + future).suffix(future.count).compactMap({ $0 }).max(),
            worst > Thresholds.acwrLimit
        {
            return ([], String(format: " Volume stays: a bigger week would take acute:chronic load to %.2f.", worst))
        }
        let changes: [PlanChange] = week.map {
            var after = $0.workout.scaled(by: factor)
            after.name = $0.workout.name
            return .replace(scheduledId: $0.id, date: $0.date, before: $0.workout, after: after)
        }
        return (
            changes,
            String(
                format: " Next week's runs also grow %.0f %% (%.0f → %.0f km), within your ceiling and the "
                    + "acute:chronic limit.", Thresholds.outperformVolumeStep * 100, km, km * factor)
        )
    }

    // MARK: Peak timing

    /// For a goal race 15–42 days ahead, tapers of 1, 2 and 3 weeks with volume cuts of 30, 45 and
    /// 60 % are run through the athlete's own impulse-response model from the plan's peak week; the
    /// one with the best predicted race-day performance is proposed when it beats the plan's taper by
    /// `taperGainVDOT`.
    static func peakTiming(_ input: EngineInput, _ state: AthleteState) -> Proposal? {
        guard let model = input.model, model.k1 > 0, model.k2 > model.k1 else { return nil }
        guard
            let race = input.schedule.filter({
                !$0.isDone && $0.workout.subtype == .race && $0.date > input.today
            }).min(by: { $0.date < $1.date }),
            Thresholds.taperDecisionDays.contains(input.today.days(until: race.date))
        else { return nil }
        let daysToRace = input.today.days(until: race.date)
        let planned = plannedLoads(input, days: daysToRace)  // tomorrow … the day before the race
        let taperStart = max(0, planned.count - 21)
        // The plan's peak week: its busiest seven days before the last three weeks (or the last week done).
        var pattern = Array(state.loads.suffix(7))
        var peak = pattern.reduce(0, +)
        if taperStart >= 7 {
            for s in 0...(taperStart - 7) {
                let week = Array(planned[s..<(s + 7)])
                if week.reduce(0, +) > peak { peak = week.reduce(0, +); pattern = week }
            }
        }
        guard peak > 0 else { return nil }
        func predict(_ future: [Double]) -> Double {
            model.predict(state.loads + future + [0]).last ?? model.p0
        }
        // Weekday alignment: the pattern's day k is the weekday of (its start + k).
        let base: [Double] = planned.indices.map { d in
            d < taperStart ? planned[d] : pattern[((d - taperStart) % 7 + 7) % 7]
        }
        var options: [(weeks: Int, cut: Double, value: Double, loads: [Double])] = []
        for weeks in 1...3 {
            for cut in [0.3, 0.45, 0.6] {
                let loads = base.indices.map { d in d >= base.count - weeks * 7 ? base[d] * (1 - cut) : base[d] }
                options.append((weeks, cut, predict(loads), loads))
            }
        }
        let current = predict(planned)
        guard let best = options.max(by: { $0.value < $1.value }), best.value - current >= Thresholds.taperGainVDOT
        else { return nil }
        var changes: [PlanChange] = []
        for session in input.schedule
        where !session.isDone && session.workout.kind != .race && session.date > input.today
            && session.date < race.date
        {
            let d = input.today.days(until: session.date) - 1
            guard d >= taperStart, d < planned.count, planned[d] > 0 else { continue }
            let factor = min(1.5, max(0.3, best.loads[d] / planned[d]))
            guard abs(factor - 1) > 0.05 else { continue }
            var after = session.workout.scaled(by: factor)
            if factor > 1 { after.name = session.workout.name }
            changes.append(.replace(scheduledId: session.id, date: session.date, before: session.workout, after: after))
        }
        guard !changes.isEmpty else { return nil }
        let byLength = (1...3).compactMap { w in
            options.filter { $0.weeks == w }.max { $0.value < $1.value }.map {
                String(format: "%d week%@ (−%.0f %%): %.1f", w, w == 1 ? "" : "s", $0.cut * 100, $0.value)
            }
        }
        return Proposal(
            kind: .taper, title: "Taper \(best.weeks) week\(best.weeks == 1 ? "" : "s") for \(race.workout.name)",
            explanation: String(
                format: "Your own model (τ1 %.0f, τ2 %.0f days, fatigue weighing %.1f× fitness) predicts race-day "
                    + "performance (VDOT) for each taper from your peak week — ", model.tau1, model.tau2,
                model.k2 / model.k1)
                + byLength.joined(separator: "; ")
                + String(
                    format: " — against %.1f for the plan as it is. A %d-week taper cutting volume %.0f %% is best: "
                        + "the last three weeks before %@ follow it.", current, best.weeks, best.cut * 100,
                    race.date.description),
            changes: changes, fingerprint: "taper:\(race.id):\(best.weeks):\(Int(best.cut * 100))")
    }

    // MARK: Goal time

    /// A race or time trial of the last seven days that came in `goalGapVDOT` ahead of or behind what
    /// the model (its time constants, p0/k1/k2 solved on the markers before it) predicted moves the goal
    /// race's target time to what the model now predicts for race day.
    static func goalTime(_ input: EngineInput, _ state: AthleteState) -> Proposal? {
        guard let model = input.model else { return nil }
        let found = markers(input).sorted { $0.date < $1.date }
        guard let latest = found.last, latest.date >= input.today.adding(days: -6), found.count >= 4 else { return nil }
        guard
            let race = input.schedule.filter({
                !$0.isDone && $0.workout.subtype == .race && $0.date > input.today
            }).min(by: { $0.date < $1.date }), let goal = race.workout.targetDurationSeconds, goal > 0
        else { return nil }
        let zones = PaceZones(vdotValue: input.physiology.vdot)
        let meters =
            race.workout.targetDistanceMeters ?? WorkoutTotals(race.workout.blocks, zones: zones).distanceMeters
        guard meters >= 800 else { return nil }
        let start = state.start, loads = state.loads
        let day = start.days(until: latest.date)
        // The athlete's model re-solved (same time constants) on the markers before this one: what it
        // predicted for the day, without the day's own result.
        guard day >= 0, day < loads.count,
            let before = BanisterFitter.refit(
                loads: loads,
                markers: found.dropLast().map { PerformanceMarker(day: start.days(until: $0.date), value: $0.vdot) },
                tau1: model.tau1, tau2: model.tau2)
        else { return nil }
        let predicted = before.predict(Array(loads[0...day])).last ?? before.p0
        let gap = latest.vdot - predicted
        guard abs(gap) >= Thresholds.goalGapVDOT else { return nil }
        let future = plannedLoads(input, days: input.today.days(until: race.date))
        let path = model.predict(loads + future + [0])
        let change = max(-3, min(3, (path.last ?? 0) - path[day]))
        let raceVDOT = latest.vdot + change
        let newGoal = (Daniels.raceTime(meters: meters, vdot: raceVDOT) / 5).rounded() * 5
        guard newGoal.isFinite, newGoal > 0, abs(newGoal - goal) / goal >= 0.01 else { return nil }
        var after = race.workout
        after.targetDurationSeconds = newGoal
        return Proposal(
            kind: .goalTime,
            title: "Goal time for \(race.workout.name): \(TimeFormat.clock(goal)) → \(TimeFormat.clock(newGoal))",
            explanation: String(
                format: "Your effort on %@ (VDOT %.1f) came in %.1f %@ the model's prediction for that day (%.1f). "
                    + "With it, the model expects VDOT %.1f on race day (%@): %@ instead of %@.",
                latest.date.description, latest.vdot, abs(gap), gap > 0 ? "ahead of" : "behind", predicted, raceVDOT,
                race.date.description, TimeFormat.clock(newGoal), TimeFormat.clock(goal)),
            changes: [.replace(scheduledId: race.id, date: race.date, before: race.workout, after: after)],
            fingerprint: "goal:\(race.id):\(latest.date)")
    }

    // MARK: Availability

    /// Sessions of the next 14 days on days the athlete cannot train: each such week's open sessions are
    /// arranged again on the days left (the missed-days search: the most important kept, no two hard
    /// days back to back, no cramming — what does not fit is dropped).
    static func availability(_ input: EngineInput, _ state: AthleteState) -> Proposal? {
        let blocked = upcoming(input, days: 0..<14).filter { input.unavailable.contains($0.date) }
        guard !blocked.isEmpty else { return nil }
        var changes: [PlanChange] = []
        var moved: [String] = [], dropped: [String] = []
        for monday in Set(blocked.map(\.date.mondayOfWeek)).sorted() {
            let sunday = monday.adding(days: 6)
            let first = max(monday, input.today)
            let days = (0...first.days(until: sunday)).map { first.adding(days: $0) }
            let week = input.schedule.filter { $0.date >= monday && $0.date <= sunday }
            let pool = Array(
                week.filter { !$0.isDone && $0.date >= first }.sorted { $0.importance > $1.importance }.prefix(10)
            ).sorted { $0.date < $1.date }
            let hardBefore = input.schedule.contains { $0.date == first.adding(days: -1) && $0.isKey }
            let hardAfter = input.schedule.contains { $0.date == sunday.adding(days: 1) && $0.isKey }
            let hardLimit = pool.filter(\.isKey).count
            guard
                let plan = arrange(
                    pool, on: days, open: Set(days).subtracting(input.unavailable), hardBefore: hardBefore,
                    hardAfter: hardAfter, hardLimit: hardLimit, planned: Set(week.map(\.date)))
            else { continue }
            var placed = Set<Int64>()
            for (offset, slot) in plan.enumerated() {
                guard let slot else { continue }
                let session = pool[slot]
                placed.insert(session.id)
                if session.date != days[offset] {
                    changes.append(
                        .move(
                            scheduledId: session.id, from: session.date, to: days[offset],
                            workout: session.workout.name))
                    moved.append("“\(session.workout.name)” to \(Weekday(days[offset]).label) \(days[offset])")
                }
            }
            for session in pool where !placed.contains(session.id) {
                changes.append(.drop(scheduledId: session.id, date: session.date, before: session.workout))
                dropped.append("“\(session.workout.name)”")
            }
        }
        guard !changes.isEmpty else { return nil }
        let away = Set(blocked.map(\.date)).sorted().map { "\(Weekday($0).short) \($0)" }
        return Proposal(
            kind: .availability, title: "Re-plan around the days you cannot train",
            explanation: "You cannot train on " + away.joined(separator: ", ") + ". "
                + (moved.isEmpty ? "" : "Moved: " + moved.joined(separator: ", ") + ". ")
                + (dropped.isEmpty ? "" : "Dropped so nothing is crammed: " + dropped.joined(separator: ", ") + ". ")
                + "The most important sessions are kept, no two hard days back to back.",
            changes: changes,
            fingerprint: "away:" + blocked.map { "\($0.id)@\($0.date)" }.sorted().joined(separator: ","))
    }
}

/// Everything the engine has learned about one athlete, for the pages and the CLI.
public struct LearnedQuantities: Sendable {
    public let recovery: RecoveryProfile
    public let tolerance: ToleranceProfile
    public let mechanics: MechanicsTrend?
    public let warningDays: Int

    public init(_ input: EngineInput, state: AthleteState) {
        recovery = RecoveryProfile.learn(input)
        tolerance = ToleranceProfile.learn(input, state: state)
        mechanics = state.mechanics
        warningDays = state.warningDays
    }
}
