import Foundation

public enum AdaptationKind: String, Sendable, Codable, CaseIterable {
    case sick, outperforming, fatigue, missedDays = "missed-days", overtraining, heat, recovery
    case tolerance, persistence, taper, goalTime = "goal-time", availability, threshold

    public var label: String {
        switch self {
        case .sick: "Sick or run down"
        case .outperforming: "Outperforming"
        case .fatigue: "Fatigue"
        case .missedDays: "Missed days"
        case .overtraining: "Overtraining risk"
        case .heat: "Heat"
        case .recovery: "Recovery between hard sessions"
        case .tolerance: "Learned ceiling"
        case .persistence: "Progression waits"
        case .taper: "Taper for your race"
        case .goalTime: "Goal time"
        case .availability: "Days you cannot train"
        case .threshold: "New threshold"
        }
    }
}

/// One change to an athlete's plan instance (never the template). `before` keeps what was
/// there so the change can be shown side by side and undone.
public enum PlanChange: Sendable, Hashable, Codable {
    case replace(scheduledId: Int64, date: CalendarDate, before: Workout, after: Workout)
    case move(scheduledId: Int64, from: CalendarDate, to: CalendarDate, workout: String)
    case drop(scheduledId: Int64, date: CalendarDate, before: Workout)
    case setVDOT(from: Double, to: Double)
    /// A detected threshold (FTP, threshold heart rate, CSS) valid from the day of its evidence.
    case setThreshold(kind: ThresholdKind, from: Double?, to: Double, validFrom: CalendarDate)

    /// "Thu 2027-01-14: Tempo run 20 min → Easy run 40 min".
    public var words: String {
        switch self {
        case .replace(_, let date, let before, let after) where before.name == after.name && before.heat != after.heat:
            "\(Weekday(date).short) \(date): \(before.name) — "
                + (after.heat.map { "heat-adjusted paces (\($0.words(units: .km)))" } ?? "heat adjustment removed")
        case .replace(_, let date, let before, let after):
            "\(Weekday(date).short) \(date): \(before.name) → \(after.name)"
        case .move(_, let from, let to, let name):
            "\(name): \(Weekday(from).short) \(from) → \(Weekday(to).short) \(to)"
        case .drop(_, let date, let before): "\(Weekday(date).short) \(date): \(before.name) dropped"
        case .setVDOT(let from, let to): String(format: "VDOT %.1f → %.1f (all paces follow)", from, to)
        case .setThreshold(let kind, let from, let to, let day):
            "\(kind.label): \(kind.change(from: from, to: to)) from \(Weekday(day).short) \(day)"
        }
    }

    /// The scheduled session a change touches (nil for the VDOT).
    public var scheduledId: Int64? {
        switch self {
        case .replace(let id, _, _, _), .move(let id, _, _, _), .drop(let id, _, _): id
        case .setVDOT, .setThreshold: nil
        }
    }
}

/// A proposed change with its reasons in words.
public struct Proposal: Sendable, Hashable {
    public let kind: AdaptationKind
    public let title: String
    public let explanation: String
    public let changes: [PlanChange]
    /// Same situation, same fingerprint: the engine never proposes it twice.
    public let fingerprint: String
}

extension Workout {
    /// The same session at a fraction of its volume: every block's distance or time scaled
    /// (whole minutes, 100 m steps); repeats and paces kept.
    public func scaled(by factor: Double) -> Workout {
        func scale(_ block: WorkoutBlock) -> WorkoutBlock {
            var b = block
            if let d = b.distanceMeters { b.distanceMeters = max(100, (d * factor / 100).rounded() * 100) }
            if let t = b.durationSeconds { b.durationSeconds = max(60, (t * factor / 60).rounded() * 60) }
            b.children = b.children.map(scale)
            return b
        }
        var copy = self
        copy.blocks = blocks.map(scale)
        copy.targetDistanceMeters = targetDistanceMeters.map { ($0 * factor / 100).rounded() * 100 }
        copy.targetDurationSeconds = targetDurationSeconds.map { ($0 * factor / 60).rounded() * 60 }
        copy.name = name.hasSuffix("(reduced)") ? name : name + " (reduced)"
        return copy
    }

    /// An easy run standing in for a harder session.
    public static func easyRun(minutes: Int, note: String) -> Workout {
        Workout(
            name: "Easy run \(minutes) min", sport: .run, subtype: .easyRun,
            targetDurationSeconds: Double(minutes * 60), notes: note,
            blocks: [WorkoutBlock(.run, duration: Double(minutes * 60), pace: .z1)])
    }
}

extension Engine {
    /// What the rules propose. `settled`: fingerprints already decided (applied, rejected,
    /// undone, stale) — they are not proposed again, and the heat rule does not wait for them.
    /// `learned`: the athlete's learned quantities when the caller has them already (else learned here).
    public static func proposals(
        _ input: EngineInput, state: AthleteState, learned known: LearnedQuantities? = nil, settled: Set<String> = []
    ) -> [Proposal] {
        let learned = known ?? LearnedQuantities(input, state: state)
        var out: [Proposal] = []
        // One proposal per session at a time: a later rule that would touch a session an earlier one
        // changes waits for that decision. Settled situations are never proposed again.
        func add(_ proposal: Proposal?) {
            guard let proposal, !settled.contains(proposal.fingerprint) else { return }
            let taken = Set(out.flatMap { $0.changes.compactMap(\.scheduledId) })
            if taken.isDisjoint(with: proposal.changes.compactMap(\.scheduledId)) { out.append(proposal) }
        }
        // A suspect reading holds the plan where it is (SCIENCE.md §5).
        let holding = !state.suspect.isEmpty
        if !holding, let sick = sick(input, state) {
            add(sick)
        } else {
            if !holding { add(fatigue(input, state)) }
            if !holding { add(overtraining(input, state)) }
            add(missedDays(input, state))
            // The athlete's own recovery time spaces the hard sessions.
            if !holding { add(recoverySpacing(input, learned.recovery)) }
        }
        // Days the athlete cannot train are a fact, not a reading: never held.
        add(availability(input, state))
        if !holding {
            add(persistence(input, state))
            add(tolerance(input, learned.tolerance))
            add(peakTiming(input, state))
        }
        add(goalTime(input, state))
        // A threshold read from a test is a fact about the athlete, not a progression: never held.
        for proposal in thresholdProposals(input) { add(proposal) }
        if !holding, state.readiness == .green {
            let taken = Set(out.flatMap { $0.changes.compactMap(\.scheduledId) })
            add(outperforming(input, state, ceiling: learned.tolerance.ceilingKm, taken: taken))
        }
        // Heat is not a progression: a suspect reading does not hold it. Sessions another
        // pending proposal changes wait for that decision (one proposal per session at a time).
        let touched = Set(out.flatMap { $0.changes.compactMap(\.scheduledId) })
        out += heat(input, skipping: touched).filter { !settled.contains($0.fingerprint) }
        return out
    }

    static func upcoming(_ input: EngineInput, days: Range<Int>) -> [PlannedSession] {
        input.schedule.filter {
            !$0.isDone && input.today.days(until: $0.date) >= days.lowerBound
                && input.today.days(until: $0.date) < days.upperBound
        }
        .sorted { $0.date < $1.date }
    }

    static func minutes(_ s: PlannedSession, _ input: EngineInput) -> Int {
        let zones = PaceZones(vdotValue: input.physiology.vdot)
        let t = WorkoutTotals(s.workout.blocks, zones: zones).durationSeconds
        return max(20, min(45, Int(saturating: (t > 0 ? t : 2400) / 60 * 0.6 / 5, rounding: .towardZero) * 5))
    }

    // MARK: Heat

    /// Each coming run with a forecast gets its day's heat adjustment (Hadley, SCIENCE.md §6):
    /// the targets stay and the adjusted paces are shown beside them. Over the table, a quality
    /// session becomes an easy run by feel. When the forecast cools, the adjustment comes off.
    static func heat(_ input: EngineInput, skipping: Set<Int64>) -> [Proposal] {
        upcoming(input, days: 0..<Thresholds.heatDaysAhead).compactMap { session in
            guard session.workout.sport == .run, !skipping.contains(session.id) else { return nil }
            let weather = input.weather[session.date]
            let adjustment = weather.map(HeatAdjustment.init).flatMap {
                $0.fraction >= Thresholds.heatMinimumFraction || $0.hardRunningNotAdvised ? $0 : nil
            }
            guard adjustment != session.workout.heat else { return nil }
            var after = session.workout
            after.heat = adjustment
            let day = "\(Weekday(session.date).label) \(session.date)"
            func conditions(_ t: Double, _ d: Double) -> String {
                String(
                    format: "%.0f °C (%.0f °F) with a dew point of %.0f °C (%.0f °F)", t,
                    Conditions.fahrenheit(celsius: t), d, Conditions.fahrenheit(celsius: d))
            }
            let title: String, explanation: String
            switch adjustment {
            case nil:
                title = "Heat adjustment off on \(Weekday(session.date).label)"
                explanation =
                    (weather.map { "The forecast for \(day) is now \(conditions($0.temperatureC, $0.dewPointC)): " }
                        ?? "There is no longer a forecast for \(day): ")
                    + "“\(session.workout.name)” goes back to its plain targets."
            case let heat? where heat.hardRunningNotAdvised && session.workout.subtype.isQuality:
                after = .easyRun(
                    minutes: minutes(session, input),
                    note: "Too hot for “\(session.workout.name)”: run easy, by feel, early or indoors.")
                after.heat = heat
                title = "Too hot for hard running on \(Weekday(session.date).label)"
                explanation =
                    "The forecast for \(day) is \(conditions(heat.temperatureC, heat.dewPointC))"
                    + String(
                        format: " (%.0f on Hadley's scale, over 180): hard running is not advised. ", heat.hadleySum)
                    + "“\(session.workout.name)” becomes an easy run by feel."
            case let heat?:
                title = "Hot \(Weekday(session.date).label): heat-adjusted paces"
                explanation =
                    "The forecast for \(day) is \(conditions(heat.temperatureC, heat.dewPointC))"
                    + String(format: " (%.0f on Hadley's scale). ", heat.hadleySum)
                    + (heat.hardRunningNotAdvised
                        ? "Over the table hard running is not advised: run “\(session.workout.name)” easy, by feel."
                        : "“\(session.workout.name)” keeps its targets; each is shown with the heat-adjusted pace "
                            + "beside it, "
                            + "\(HeatAdjustment.percent(heat.fraction)) % slower "
                            + "(\(HeatAdjustment.percent(heat.fraction / 2)) % on repeats of a mile or less). Run "
                            + "by effort, not the watch.")
            }
            return Proposal(
                kind: .heat, title: title, explanation: explanation,
                changes: [.replace(scheduledId: session.id, date: session.date, before: session.workout, after: after)],
                fingerprint: "heat:\(session.id):\(session.date):"
                    + (adjustment.map { String(format: "%.1f/%.1f", $0.temperatureC, $0.dewPointC) } ?? "off")
                    + ":" + Self.digest(session.workout))
        }
    }

    /// A short digest of a workout that is the same in every process (Swift's `Hasher` is
    /// seeded per process): FNV-1a over every field, blocks depth-first. Cheap enough for the
    /// nightly run over every athlete (no JSON).
    static func digest(_ workout: Workout) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func byte(_ b: UInt8) { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
        func add(_ text: String) { for b in text.utf8 { byte(b) }; byte(0) }
        func add(_ number: Double?) {
            let bits = (number ?? -1).bitPattern
            for shift in stride(from: 0, to: 64, by: 8) { byte(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
        }
        func add(_ block: WorkoutBlock) {
            add(block.type.rawValue); add(block.distanceMeters); add(block.durationSeconds); add(block.pace.rawValue)
            add(block.lengthTarget.rawValue); add(block.intensityTarget.rawValue); add(Double(block.repeatCount))
            add(Double(block.children.count)); block.children.forEach(add)
        }
        add(workout.name); add(workout.sport.rawValue); add(workout.subtype.rawValue); add(workout.targetDistanceMeters)
        add(workout.targetDurationSeconds); add(workout.notes); add(Double(workout.blocks.count));
        workout.blocks.forEach(add)
        add(workout.heat?.temperatureC); add(workout.heat?.dewPointC); add(workout.heat?.fraction);
        add(workout.heat?.hardRunningNotAdvised == true ? 1 : 0)
        return String(hash, radix: 16)
    }

    // MARK: Sick or run down

    public static let sickHRVDays = 3

    static func sick(_ input: EngineInput, _ state: AthleteState) -> Proposal? {
        let markers = state.restingHRElevated && state.hrvSuppressedDays >= sickHRVDays
        guard state.illToday || markers else { return nil }
        let week = upcoming(input, days: 0..<7)
        var changes: [PlanChange] = []
        var why: [String] = []
        if state.illToday { why.append("you reported being ill") }
        if markers {
            why.append(
                "your resting heart rate is up and your HRV has been below its baseline for \(state.hrvSuppressedDays) "
                    + "days"
            )
        }
        let quality = week.first { $0.workout.subtype.isQuality }
        if let quality {
            changes.append(
                .replace(
                    scheduledId: quality.id, date: quality.date, before: quality.workout,
                    after: .easyRun(
                        minutes: minutes(quality, input),
                        note: "Easy instead of “\(quality.workout.name)”: recover first.")))
            // The quality session moves to the following week, onto an easy day with no hard day beside it.
            let next = upcoming(input, days: 7..<14)
            let hardDates = Set(input.schedule.filter(\.isKey).map(\.date))
            if let slot = next.first(where: {
                !$0.isKey && !hardDates.contains($0.date.adding(days: -1))
                    && !hardDates.contains($0.date.adding(days: 1))
            }) {
                changes.append(
                    .replace(scheduledId: slot.id, date: slot.date, before: slot.workout, after: quality.workout))
            } else if let slot = next.first(where: { $0.workout.subtype.isQuality }), slot.workout != quality.workout {
                // No easy day without a hard neighbour: it takes the place of next week's first
                // quality session, so the progression waits a week instead of adding a hard day.
                changes.append(
                    .replace(scheduledId: slot.id, date: slot.date, before: slot.workout, after: quality.workout))
            }
        }
        for session in week where session.id != quality?.id {
            changes.append(
                .replace(
                    scheduledId: session.id, date: session.date, before: session.workout,
                    after: session.workout.scaled(by: Thresholds.sickVolumeFactor)))
        }
        guard !changes.isEmpty else { return nil }
        let monday = input.today.mondayOfWeek
        return Proposal(
            kind: .sick, title: "Recover first: easier week",
            explanation: "Because \(why.joined(separator: " and ")), "
                + (quality.map {
                    "“\($0.workout.name)” on \(Weekday($0.date).label) becomes an easy run and moves to next week; "
                } ?? "")
                + "the other sessions of the next seven days are about 30 % shorter. Volume comes back when the "
                + "markers return to normal.",
            changes: changes, fingerprint: "sick:\(monday)")
    }

    // MARK: Outperforming

    static func outperforming(
        _ input: EngineInput, _ state: AthleteState, ceiling: Double? = nil, taken: Set<Int64> = []
    ) -> Proposal? {
        guard let vdot = input.physiology.vdot, let v = try? VDOT(vdot) else { return nil }
        let zones = PaceZones(vdot: v)
        let recent = input.schedule.filter {
            $0.workout.subtype.isQuality && $0.workout.sport == .run && $0.done != nil && $0.date <= input.today
                && input.today.days(until: $0.date) >= -28
        }.sorted { $0.date < $1.date }.suffix(Thresholds.outperformSessions)
        guard recent.count == Thresholds.outperformSessions else { return nil }
        var lines: [String] = []
        for session in recent {
            guard let done = session.done, done.status == .done, let d = done.distanceMeters,
                let t = done.movingSeconds ?? done.durationSeconds, t > 0
            else { return nil }
            let planned = WorkoutTotals(session.workout.blocks, zones: zones)
            guard planned.durationSeconds > 0, planned.distanceMeters > 0 else { return nil }
            // Heat-normalized: a hot day's run counts at the speed it would have been in the cool.
            guard let actual = input.heatNormalized(speed: d / t, on: session.date) else { return nil }
            let target = planned.distanceMeters / planned.durationSeconds
            guard actual >= target * (1 + Thresholds.outperformSpeedFraction) else { return nil }
            if let rpe = done.rpe {
                guard rpe <= Thresholds.outperformMaxRPE else { return nil }
            } else if let hr = done.averageHeartRate, let max = input.physiology.maxHR,
                let rest = input.physiology.restingHR
            {
                guard (hr - rest) / (max - rest) <= 0.9 else { return nil }
            } else {
                return nil  // no effort figure: faster alone is not enough
            }
            if done.points > 0 && Double(done.droppedPoints) / Double(done.points) > 0.1 { return nil }  // GPS trouble
            lines.append(
                String(
                    format: "%@ %@ %.0f %% faster than target", Weekday(session.date).short, session.date.description,
                    (actual / target - 1) * 100)
                    + (done.rpe.map { " at RPE \($0)" } ?? ""))
        }
        let next = (vdot + Thresholds.vdotStep).rounded()
        // A small volume step too, within the learned ceiling and the acute:chronic limit.
        var step = volumeStep(input, state, ceiling: ceiling)
        if !taken.isDisjoint(with: step.changes.compactMap(\.scheduledId)) { step = ([], "") }
        return Proposal(
            kind: .outperforming, title: String(format: "Raise VDOT to %.0f", next),
            explanation:
                "Your last \(recent.count) quality sessions were faster than their targets without a harder effort: "
                + lines.joined(separator: "; ")
                + String(format: ". VDOT %.1f → %.0f: every pace of the plan follows.", vdot, next) + step.words,
            changes: [.setVDOT(from: vdot, to: next)] + step.changes,
            fingerprint: "outperforming:\(recent.last?.id ?? 0)")
    }

    // MARK: Fatigue

    static func fatigue(_ input: EngineInput, _ state: AthleteState) -> Proposal? {
        guard let ef = state.efficiencyChange, ef < -Thresholds.efDropFraction, state.hrvSuppressedDays > 0 else {
            return nil
        }
        let changes = upcoming(input, days: 0..<7).filter { $0.workout.subtype.isQuality }.map {
            PlanChange.replace(
                scheduledId: $0.id, date: $0.date, before: $0.workout,
                after: .easyRun(
                    minutes: minutes($0, input),
                    note: "Lower intensity this week: efficiency is falling and HRV is low."))
        }
        guard !changes.isEmpty else { return nil }
        return Proposal(
            kind: .fatigue, title: "Lower intensity for a week",
            explanation: String(
                format:
                    "Your efficiency on easy runs fell %.0f %% over three weeks while your HRV is below its baseline: "
                    + "the quality sessions of the next seven days become easy runs.",
                -ef * 100),
            changes: changes, fingerprint: "fatigue:\(input.today.mondayOfWeek)")
    }

    // MARK: Overtraining risk

    static func overtraining(_ input: EngineInput, _ state: AthleteState) -> Proposal? {
        guard state.overtrainingSignals.count >= 2 else { return nil }
        var changes: [PlanChange] = upcoming(input, days: 0..<7).map {
            .replace(
                scheduledId: $0.id, date: $0.date, before: $0.workout,
                after: $0.workout.scaled(by: Thresholds.overtrainingVolumeFactor))
        }
        // Delay the next progression step: next week no bigger than this one was planned.
        let zones = PaceZones(vdotValue: input.physiology.vdot)
        func volume(_ sessions: [PlannedSession]) -> Double {
            sessions.reduce(0) { $0 + Load.planned($1.workout, zones: zones).value }
        }
        let monday = input.today.mondayOfWeek
        let thisWeek = volume(input.schedule.filter { $0.date >= monday && $0.date < monday.adding(days: 7) })
        let nextSessions = upcoming(input, days: 7..<14)
        let nextWeek = volume(nextSessions)
        if thisWeek > 0, nextWeek > thisWeek * 1.02 {
            let factor = thisWeek / nextWeek
            changes += nextSessions.map {
                .replace(scheduledId: $0.id, date: $0.date, before: $0.workout, after: $0.workout.scaled(by: factor))
            }
        }
        guard !changes.isEmpty else { return nil }
        return Proposal(
            kind: .overtraining, title: "Back off: overtraining risk",
            explanation: "Several warning signs at once — " + state.overtrainingSignals.joined(separator: "; ")
                + ". The next seven days are 20 % lighter and next week does not grow.",
            changes: changes, fingerprint: "overtraining:\(monday)")
    }

    // MARK: Missed days

    /// Re-plans the rest of the week when key sessions (long run, quality) were missed: the
    /// sessions of today…Sunday and the missed key ones are arranged one per day, no two hard
    /// days back to back (done hard days and next week's count too), no more hard sessions than
    /// the week planned, the acute:chronic ratio under its limit; the most important are kept,
    /// with the fewest moves. What does not fit is dropped — never crammed.
    static func missedDays(_ input: EngineInput, _ state: AthleteState) -> Proposal? {
        let monday = input.today.mondayOfWeek, sunday = monday.adding(days: 6)
        let thisWeek = input.schedule.filter { $0.date >= monday && $0.date <= sunday }
        let missed = thisWeek.filter { $0.date < input.today && !$0.isDone }
        let missedKey = missed.filter(\.isKey)
        guard !missedKey.isEmpty, missed.count >= 1 else { return nil }
        let remaining = thisWeek.filter { $0.date >= input.today && !$0.isDone }
        let days = (0...input.today.days(until: sunday)).map { input.today.adding(days: $0) }
        // Bounded search: at most the ten most important sessions (a week with doubles stays fast).
        let pool = Array((remaining + missedKey).sorted { $0.importance > $1.importance }.prefix(10)).sorted {
            $0.date < $1.date
        }
        let hardBefore = input.schedule.contains { $0.date == input.today.adding(days: -1) && $0.isKey && $0.isDone }
        let hardAfter = input.schedule.contains { $0.date == sunday.adding(days: 1) && $0.isKey }
        let plannedHard = thisWeek.filter(\.isKey).count
        let doneHard = thisWeek.filter { $0.isKey && $0.isDone }.count
        guard
            let best = arrange(
                pool, on: days, open: Set(days).subtracting(input.unavailable), hardBefore: hardBefore,
                hardAfter: hardAfter, hardLimit: plannedHard - doneHard, planned: Set(thisWeek.map(\.date)))
        else { return nil }

        // The acute:chronic limit: projected loads of the arrangement.
        let zones = PaceZones(vdotValue: input.physiology.vdot)
        var projected = state.loads
        for (offset, slot) in best.enumerated() {
            guard let slot, offset > 0 else { continue }
            projected.append(Load.planned(pool[slot].workout, zones: zones).value)
        }
        if let worst = Series.acwr(projected).suffix(days.count).compactMap({ $0 }).max(), worst > Thresholds.acwrLimit
        {
            return nil  // no safe arrangement: leave the plan as it is and let the coach decide
        }

        var changes: [PlanChange] = []
        var placed = Set<Int64>()
        for (offset, slot) in best.enumerated() {
            guard let slot else { continue }
            let session = pool[slot]
            placed.insert(session.id)
            if session.date != days[offset] {
                changes.append(
                    .move(scheduledId: session.id, from: session.date, to: days[offset], workout: session.workout.name))
            }
        }
        // Sessions of the coming days that no longer fit are dropped; missed ones that cannot be
        // made up stay in the history as missed.
        let dropped = pool.filter { !placed.contains($0.id) }
        for session in dropped where session.date >= input.today {
            changes.append(.drop(scheduledId: session.id, date: session.date, before: session.workout))
        }
        guard !changes.isEmpty else { return nil }
        let movedNames = changes.compactMap {
            if case .move(_, _, let to, let name) = $0 { "“\(name)” to \(Weekday(to).label)" } else { nil }
        }
        let droppedNames = dropped.map { "“\($0.workout.name)”" + ($0.date < input.today ? " (not made up)" : "") }
        return Proposal(
            kind: .missedDays, title: "Re-plan the rest of the week",
            explanation:
                "\(missed.count) planned session\(missed.count == 1 ? "" : "s") this week "
                + "\(missed.count == 1 ? "was" : "were") missed, "
                + "\(missedKey.count) of them key (long run or quality). "
                + (movedNames.isEmpty ? "" : "Moved: " + movedNames.joined(separator: ", ") + ". ")
                + (droppedNames.isEmpty
                    ? "" : "Dropped so nothing is crammed: " + droppedNames.joined(separator: ", ") + ". ")
                + "No two hard days back to back, no more hard sessions than the week planned.",
            changes: changes,
            fingerprint: "missed:\(monday):" + missedKey.map { String($0.id) }.sorted().joined(separator: ","))
    }
}

extension Engine {
    /// What taking a day the plan left for rest costs an arrangement: an easy run (worth 1) never takes
    /// one; a key session (2–3) does when the week has no better place for it.
    static func restDayCost(_ session: PlannedSession) -> Double { session.isKey ? 0.3 : 1.0 }

    /// The best arrangement of `pool` on `days` (index into the pool per day, nil for none): each open
    /// day takes nothing or one session; no two hard days back to back (the day before the first and
    /// the day after the last count), at most `hardLimit` hard sessions; the most important sessions
    /// are kept, with the fewest and shortest moves. A day the plan left empty (`planned` holds the days
    /// with a session) costs `restDayCost`: an easy run never takes a rest day, a key session when the
    /// week has no better place for it. Depth-first with a bound; the pool is at most ten sessions, so a week
    /// with doubles stays fast. Nil when the pool is empty.
    static func arrange(
        _ pool: [PlannedSession], on days: [CalendarDate], open: Set<CalendarDate>, hardBefore: Bool,
        hardAfter: Bool, hardLimit: Int, planned: Set<CalendarDate>
    ) -> [Int?]? {
        guard !pool.isEmpty, !days.isEmpty else { return nil }
        let original = Dictionary(pool.map { ($0.date, $0.id) }, uniquingKeysWith: { a, _ in a })
        var best: (score: Double, plan: [Int?]) = (-1, [])
        var plan = [Int?](repeating: nil, count: days.count)
        var used = Set<Int>()
        func search(_ day: Int, score: Double, hard: Int, previousHard: Bool) {
            if day == days.count {
                if !(previousHard && hardAfter), score > best.score { best = (score, plan) }
                return
            }
            // Bound: even placing every remaining session could not beat the best.
            let rest = pool.indices.filter { !used.contains($0) }.map { Double(pool[$0].importance) }.sorted(by: >)
                .prefix(days.count - day).reduce(0, +)
            if score + rest <= best.score { return }
            if open.contains(days[day]) {
                for index in pool.indices where !used.contains(index) {
                    let session = pool[index]
                    if session.isKey && (previousHard || hard + 1 > hardLimit) { continue }
                    // Each move costs a little, more the further it goes: keep the plan's shape.
                    let moved = original[days[day]] != session.id
                    let cost =
                        (moved ? 0.1 + 0.01 * Double(abs(session.date.days(until: days[day]))) : 0)
                        + (planned.contains(days[day]) ? 0 : Self.restDayCost(session))
                    used.insert(index); plan[day] = index
                    search(
                        day + 1, score: score + Double(session.importance) - cost,
                        hard: hard + (session.isKey ? 1 : 0), previousHard: session.isKey)
                    used.remove(index); plan[day] = nil
                }
            }
            search(day + 1, score: score, hard: hard, previousHard: false)
        }
        search(0, score: 0, hard: 0, previousHard: hardBefore)
        return best.score >= 0 ? best.plan : nil
    }
}
