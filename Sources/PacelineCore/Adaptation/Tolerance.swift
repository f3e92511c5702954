import Foundation

/// What this athlete has tolerated: the weekly running volume and the share of hard training above
/// which their warning signs appeared (soreness 4+, a niggle in a note, HRV below its baseline,
/// illness), learned week by week from their history. A week with signs above what they usually run
/// sets the ceiling just below it; every `cleanWeeksToRaise` weeks held near the ceiling without
/// signs raise it by `raiseFraction`. No ceiling until a sign has been seen: a cap invented without
/// evidence would only slow the athletes who are fine.
public struct ToleranceProfile: Sendable, Hashable {
    public struct Week: Sendable, Hashable {
        public let monday: CalendarDate
        public let kilometers: Double
        /// Share of the week's load from hard sessions (RPE 7+, or above 80 % of heart-rate reserve).
        public let hardShare: Double
        /// The warning signs of the week and the three days after it.
        public let signs: [String]
    }

    public let weeks: [Week]
    /// Weekly running kilometres the plan is kept under (nil: no sign yet).
    public let ceilingKm: Double?
    /// The ceiling before its last raise, and how many clean weeks raised it.
    public let raisedFromKm: Double?
    /// Where the ceiling came from: the week whose signs set it.
    public let setBy: Week?
    /// Clean weeks near the ceiling since it was set or last raised.
    public let cleanWeeks: Int
    /// The highest share of hard training the plan keeps to (nil: no sign yet).
    public let hardShareCap: Double?

    /// Below the week with signs: 95 % of its volume.
    public static let ceilingFraction = 0.95
    public static let cleanWeeksToRaise = 4
    public static let raiseFraction = 0.05
    /// A clean week counts toward a raise when it reached this share of the ceiling.
    public static let nearCeiling = 0.9
    /// A week with signs sets the ceiling only when it was above the athlete's usual volume by this
    /// fraction (a cold in an easy week says nothing about volume).
    public static let aboveUsual = 0.05
    /// Clean weeks before a week with signs that say what is usual (their median).
    public static let usualWeeks = 3
    /// The hard share a week with signs must exceed the usual by to set the intensity cap.
    public static let hardShareMargin = 0.05
    /// HRV counts as a warning sign of a week when its 7-day mean is this many smallest worthwhile
    /// changes (0.5 SD each) under the baseline on this many days of the week and the 3 after.
    public static let hrvSignSWCs = 3.0
    public static let hrvSignDays = 3
    /// Fewest completed weeks with running before anything is learned.
    public static let minimumWeeks = 4
    /// Words in an activity note or check-in note that mean a niggle.
    public static let niggleWords = [
        "niggle", "pain", "injur", "hurt", "ache", "achy", "tight", "strain", "shin", "achilles", "plantar",
        "tendon", "knee", "calf", "hamstring", "blister",
    ]

    public static func hasNiggle(_ text: String) -> Bool {
        let lower = text.lowercased()
        guard !lower.isEmpty else { return false }
        return niggleWords.contains { lower.contains($0) }
    }

    public static func learn(_ input: EngineInput, state: AthleteState) -> ToleranceProfile {
        let thisMonday = input.today.mondayOfWeek
        // The engine's history (120 days), whatever span the state was computed over.
        let first = max(state.start, input.today.adding(days: -(Engine.historyDays - 1))).adding(days: 6).mondayOfWeek
        let weekCount = max(0, first.days(until: thisMonday) / 7)
        var byDay: [CalendarDate: CheckIn] = [:]
        for c in input.checkIns where c.date >= first { byDay[c.date] = c }
        // One pass over the activities: each week's kilometres, load, hard load and niggles.
        var km = [Double](repeating: 0, count: weekCount), total = km, hard = km
        var niggleNotes = [Int](repeating: 0, count: weekCount)
        for entry in input.activities where entry.status == .done && entry.date >= first && entry.date < thisMonday {
            let w = first.days(until: entry.date) / 7
            guard w >= 0, w < weekCount else { continue }
            if entry.sport == .run { km[w] += (entry.distanceMeters ?? 0) / 1000 }
            if let load = Load.of(entry, input.physiology)?.value {
                total[w] += load
                if isHard(entry, input.physiology) { hard[w] += load }
            }
            if hasNiggle(entry.notes) { niggleNotes[w] += 1 }
        }
        var weeks: [Week] = []
        for w in 0..<weekCount {
            let monday = first.adding(days: 7 * w)
            var signs: [String] = []
            let window = (0..<10).map { monday.adding(days: $0) }
            let sore = window.filter { (byDay[$0]?.soreness ?? 0) >= Thresholds.highSoreness }
            if !sore.isEmpty { signs.append("soreness \(Thresholds.highSoreness)+ on \(sore.count) day(s)") }
            if window.contains(where: { byDay[$0]?.ill == true }) { signs.append("illness") }
            let niggles =
                niggleNotes[w]
                + window.filter { byDay[$0].map { hasNiggle($0.notes) || hasNiggle($0.illnessNote) } ?? false }.count
            if niggles > 0 { signs.append("a niggle in \(niggles) note\(niggles == 1 ? "" : "s")") }
            // HRV well below its baseline (1.5 SD, three times the smallest worthwhile change) on 3+ days:
            // the 0.5 SD band of readiness is crossed by ordinary day-to-day noise too often to mark a week.
            let suppressed = window.filter { day in
                let i = state.start.days(until: day)
                guard i >= 0, i < state.hrv.count, let status = state.hrv[i] else { return false }
                return status.rollingMean < status.baseline - Self.hrvSignSWCs * status.swc
            }.count
            if suppressed >= Self.hrvSignDays { signs.append("HRV well below its baseline on \(suppressed) days") }
            if km[w] > 0 || total[w] > 0 {
                weeks.append(
                    Week(
                        monday: monday, kilometers: km[w], hardShare: total[w] > 0 ? hard[w] / total[w] : 0,
                        signs: signs))
            }
        }
        guard weeks.filter({ $0.kilometers > 0 }).count >= minimumWeeks else {
            return ToleranceProfile(
                weeks: weeks, ceilingKm: nil, raisedFromKm: nil, setBy: nil, cleanWeeks: 0, hardShareCap: nil)
        }
        var ceiling: Double?, raisedFrom: Double?, setBy: Week?, clean = 0, shareCap: Double?
        var cleanSoFar: [Week] = []
        for week in weeks {
            let usual = Series.median(cleanSoFar.map(\.kilometers)) ?? 0
            let usualShare = Series.median(cleanSoFar.map(\.hardShare)) ?? 0
            if !week.signs.isEmpty {
                var set = false
                if cleanSoFar.count >= Self.usualWeeks, week.kilometers > usual * (1 + aboveUsual) {
                    ceiling = week.kilometers * ceilingFraction
                    raisedFrom = nil
                    set = true
                }
                if cleanSoFar.count >= Self.usualWeeks, week.hardShare > usualShare + hardShareMargin {
                    shareCap = max(0.1, week.hardShare - hardShareMargin)
                    set = true
                }
                if set { setBy = week; clean = 0 }
            } else {
                cleanSoFar.append(week)
                if let cap = ceiling, week.kilometers >= cap * nearCeiling {
                    clean += 1
                    if clean == cleanWeeksToRaise {
                        raisedFrom = cap
                        ceiling = cap * (1 + raiseFraction)
                        if let share = shareCap { shareCap = min(1, share + 0.02) }
                        clean = 0
                    }
                }
            }
        }
        return ToleranceProfile(
            weeks: weeks, ceilingKm: ceiling, raisedFromKm: raisedFrom, setBy: setBy, cleanWeeks: clean,
            hardShareCap: shareCap)
    }

    static func isHard(_ entry: ActivityEntry, _ physiology: Physiology) -> Bool {
        if let rpe = entry.rpe { return rpe >= 7 }
        if let hr = entry.averageHeartRate, let max = physiology.maxHR, let rest = physiology.restingHR, max > rest {
            return (hr - rest) / (max - rest) > 0.8
        }
        return false
    }

    /// "your ceiling so far: 65 km a week; raised from 62 after four clean weeks".
    public func words(units: UnitSystem = .km) -> String {
        guard let ceilingKm else {
            return weeks.count < Self.minimumWeeks
                ? "not enough weeks of running yet to learn a ceiling"
                : "no warning signs above your usual volume yet, so no ceiling"
        }
        func distance(_ km: Double) -> String {
            units == .mi ? String(format: "%.0f mi", km / 1.609_344) : String(format: "%.0f km", km)
        }
        var out = "your ceiling so far: \(distance(ceilingKm)) a week"
        if let from = raisedFromKm {
            out += "; raised from \(distance(from)) after \(Self.cleanWeeksToRaise) clean weeks"
        } else if let week = setBy {
            out += "; \(distance(week.kilometers)) in the week of \(week.monday) brought "
                + week.signs.joined(separator: ", ")
        }
        if let share = hardShareCap { out += String(format: "; hard training up to %.0f %% of your load", share * 100) }
        return out
    }
}

extension Engine {
    /// Planned running kilometres of a session (its blocks at the athlete's paces).
    static func plannedKm(_ session: PlannedSession, zones: PaceZones?) -> Double {
        guard session.workout.sport == .run else { return 0 }
        let totals = WorkoutTotals(session.workout.blocks, zones: zones)
        return (totals.distanceMeters > 0 ? totals.distanceMeters : session.workout.targetDistanceMeters ?? 0) / 1000
    }

    /// This week and next: a planned week over the learned ceiling has its open sessions scaled so the
    /// week lands on the ceiling; a week whose hard share is over the learned cap turns its least
    /// important quality session easy.
    static func tolerance(_ input: EngineInput, _ profile: ToleranceProfile) -> Proposal? {
        guard profile.ceilingKm != nil || profile.hardShareCap != nil else { return nil }
        let zones = PaceZones(vdotValue: input.physiology.vdot)
        var changes: [PlanChange] = []
        var lines: [String] = []
        for offset in [0, 7] {
            let monday = input.today.mondayOfWeek.adding(days: offset), sunday = monday.adding(days: 6)
            let week = input.schedule.filter { $0.date >= monday && $0.date <= sunday }
            let open = week.filter { !$0.isDone && $0.date >= input.today && $0.workout.kind != .race }
            guard !open.isEmpty else { continue }
            let doneKm = input.activities.filter { $0.date >= monday && $0.date <= sunday && $0.sport == .run }
                .reduce(0) { $0 + ($1.distanceMeters ?? 0) } / 1000
            let openKm = open.reduce(0) { $0 + plannedKm($1, zones: zones) }
            let fixedKm = week.filter { !$0.isDone && $0.workout.subtype == .race }.reduce(0) {
                $0 + plannedKm($1, zones: zones)
            }
            var easied: Int64?
            if let cap = profile.hardShareCap {
                let loads = week.map { (session: $0, load: Load.planned($0.workout, zones: zones).value) }
                let total = loads.reduce(0) { $0 + $1.load }
                let hard = loads.filter { $0.session.workout.subtype.isQuality }.reduce(0) { $0 + $1.load }
                if total > 0, hard / total > cap + 0.01,
                    let target = open.filter({ $0.workout.subtype.isQuality })
                        .min(by: { $0.importance < $1.importance })
                {
                    easied = target.id
                    changes.append(
                        .replace(
                            scheduledId: target.id, date: target.date, before: target.workout,
                            after: .easyRun(
                                minutes: minutes(target, input),
                                note: "Easy: this week's hard share is over what you have tolerated.")))
                    lines.append(
                        String(
                            format: "the week of %@ is %.0f %% hard (your cap %.0f %%): “%@” becomes easy",
                            monday.description, hard / total * 100, cap * 100, target.workout.name))
                }
            }
            if let ceiling = profile.ceilingKm, openKm > 0, doneKm + openKm + fixedKm > ceiling * 1.02 {
                let factor = max(0.5, (ceiling - doneKm - fixedKm) / openKm)
                guard factor < 0.98 else { continue }
                for session in open where session.id != easied && plannedKm(session, zones: zones) > 0 {
                    changes.append(
                        .replace(
                            scheduledId: session.id, date: session.date, before: session.workout,
                            after: session.workout.scaled(by: factor)))
                }
                lines.append(
                    String(
                        format: "the week of %@ plans %.0f km, over your ceiling of %.0f km: its runs are "
                            + "%.0f %% shorter",
                        monday.description, doneKm + openKm + fixedKm, ceiling, (1 - factor) * 100))
            }
        }
        guard !changes.isEmpty else { return nil }
        return Proposal(
            kind: .tolerance, title: "Stay under what you have tolerated",
            explanation: "Paceline learns where your warning signs begin: " + profile.words() + ". So "
                + lines.joined(separator: "; ") + ". The ceiling rises after "
                + "\(ToleranceProfile.cleanWeeksToRaise) weeks near it without warning signs.",
            changes: changes,
            fingerprint: "tolerance:\(input.today.mondayOfWeek):"
                + String(format: "%.0f/%.0f", profile.ceilingKm ?? 0, (profile.hardShareCap ?? 0) * 100))
    }
}
