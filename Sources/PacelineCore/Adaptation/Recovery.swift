import Foundation

/// How long this athlete needs between hard sessions, learned from their own mornings: after each
/// hard session (a quality session or long run done, or anything logged at RPE 7+), how many mornings
/// until HRV is back within its normal band and resting heart rate within 2 bpm of the week before.
/// The fitted fatigue time constant τ2 gives the prior (population: 7 days ↔ 48 h); the measured
/// recovery takes over as sessions are observed (weight n / (n + 3)).
public struct RecoveryProfile: Sendable, Hashable {
    /// Hours to leave between two hard sessions.
    public let hours: Double
    /// Hard sessions whose following mornings could be read.
    public let sessions: Int
    /// Mean mornings until HRV and resting heart rate were back (nil without any).
    public let measuredDays: Double?
    /// The prior from the fatigue time constant, in hours.
    public let priorHours: Double
    public let fatigueDays: Double

    public static let populationHours = 48.0
    public static let populationFatigueDays = 7.0
    /// Mornings looked at after a session; not back by then counts as this many.
    public static let horizonDays = 4
    /// Hours a planned gap may fall short of `hours` before the rule acts (a morning session
    /// two days later is 48 h; a 50 h need is not worth a change).
    public static let toleranceHours = 6.0
    /// Hard sessions with readable mornings before the learned time changes a plan (the prior alone
    /// never overrides the coach's spacing).
    public static let minimumSessions = 3

    public static func learn(_ input: EngineInput) -> RecoveryProfile {
        var byDay: [CalendarDate: CheckIn] = [:]
        for c in input.checkIns { byDay[c.date] = c }
        let earliest = input.today.adding(days: -120)
        var hard = Set(input.schedule.filter { $0.isKey && $0.isDone }.map(\.date))
        for a in input.activities where (a.rpe ?? 0) >= 7 { hard.insert(a.date) }
        var measured: [Double] = []
        for day in hard.sorted() where day >= earliest && day < input.today.adding(days: -1) {
            let before = (1...30).compactMap { byDay[day.adding(days: -$0)] }
            let lnBefore = before.compactMap { $0.hrvRMSSD.flatMap { $0 > 0 ? log($0) : nil } }
            guard lnBefore.count >= 7 else { continue }
            let week = Array(lnBefore.prefix(7))
            let base = week.reduce(0, +) / Double(week.count)
            let mean = lnBefore.reduce(0, +) / Double(lnBefore.count)
            let sd = (lnBefore.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(lnBefore.count)).squareRoot()
            let rhrWeek = before.prefix(7).compactMap(\.restingHR)
            let rhrBase = rhrWeek.isEmpty ? nil : Double(rhrWeek.reduce(0, +)) / Double(rhrWeek.count)
            var readAny = false
            var back: Int?
            for k in 1...horizonDays {
                guard let morning = byDay[day.adding(days: k)], let hrv = morning.hrvRMSSD, hrv > 0 else { continue }
                readAny = true
                let hrvBack = log(hrv) >= base - max(0.5 * sd, 0.03)
                var rhrBack = true
                if let heart = morning.restingHR, let rhrBase { rhrBack = Double(heart) <= rhrBase + 2 }
                if hrvBack && rhrBack { back = k; break }
            }
            if readAny { measured.append(Double(back ?? horizonDays)) }
        }
        let fatigueDays = input.tau?.fatigue ?? populationFatigueDays
        let prior = populationHours * fatigueDays / populationFatigueDays
        let days = measured.isEmpty ? nil : measured.reduce(0, +) / Double(measured.count)
        let weight = Double(measured.count) / Double(measured.count + 3)
        let hours = days.map { weight * $0 * 24 + (1 - weight) * prior } ?? prior
        return RecoveryProfile(
            hours: min(max(hours, 24), 120), sessions: measured.count, measuredDays: days, priorHours: prior,
            fatigueDays: fatigueDays)
    }

    /// "about 2.8 mornings after 6 hard sessions; fatigue time constant 9 days → 67 h between hard sessions".
    public var words: String {
        let measuredWords =
            measuredDays.map {
                String(
                    format: "your HRV and resting heart rate took %.1f mornings to come back after %d hard sessions",
                    $0, sessions)
            } ?? "no hard session with mornings to read yet"
        return measuredWords
            + String(format: "; fatigue time constant %.0f days → %.0f h between hard sessions", fatigueDays, hours)
    }
}

extension Engine {
    /// Two hard sessions closer than the athlete recovers (`RecoveryProfile`) in the next seven days:
    /// the less important of each pair becomes an easy run, and the week's easy runs are 10 % shorter.
    static func recoverySpacing(_ input: EngineInput, _ profile: RecoveryProfile) -> Proposal? {
        guard profile.sessions >= RecoveryProfile.minimumSessions else { return nil }
        let recentHard = input.schedule.filter { $0.isKey && $0.isDone && $0.date >= input.today.adding(days: -3) }
        let ahead = upcoming(input, days: 0..<7)
        let key = (recentHard + ahead.filter(\.isKey)).sorted { $0.date < $1.date }
        var eased: [PlannedSession] = []
        var previous: PlannedSession?
        for session in key {
            defer { if !eased.contains(where: { $0.id == session.id }) { previous = session } }
            guard let before = previous else { continue }
            let gap = Double(before.date.days(until: session.date)) * 24
            guard gap + RecoveryProfile.toleranceHours < profile.hours else { continue }
            // Ease the less important one that is still ahead (a long run or a race outranks a quality day).
            let candidates = [before, session].filter { !$0.isDone && $0.workout.subtype != .race }
            guard let target = candidates.min(by: { $0.importance < $1.importance }) else { continue }
            eased.append(target)
            if target.id == before.id { previous = nil }
        }
        guard !eased.isEmpty else { return nil }
        let easedIds = Set(eased.map(\.id))
        var changes: [PlanChange] = eased.map {
            .replace(
                scheduledId: $0.id, date: $0.date, before: $0.workout,
                after: .easyRun(minutes: minutes($0, input), note: "Easy: too close to the last hard session for you."))
        }
        for session in ahead where !session.isKey && !easedIds.contains(session.id) {
            changes.append(
                .replace(
                    scheduledId: session.id, date: session.date, before: session.workout,
                    after: session.workout.scaled(by: 0.9)))
        }
        let names = eased.map { "“\($0.workout.name)” on \(Weekday($0.date).label)" }.joined(separator: " and ")
        return Proposal(
            kind: .recovery, title: "More time between hard sessions",
            explanation: "Paceline learns how long you take to recover: \(profile.words). " + names
                + " comes sooner than that after a hard session, so it becomes an easy run, and this week's "
                + "other easy runs are 10 % shorter.",
            changes: changes, fingerprint: "recovery:" + eased.map { "\($0.id)" }.joined(separator: ","))
    }
}
