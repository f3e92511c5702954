import Foundation

/// How long this athlete needs between hard sessions, learned from their own mornings: after each
/// hard session (a quality session or long run done, or anything logged at RPE 7+), how many mornings
/// until HRV is back within its normal band and resting heart rate within 2 bpm of the week before.
/// The prior: 48 h for the population, scaled by the athlete's fitted impulse-response model when it
/// is confident (the Banister time to a net positive effect, τ1·τ2/(τ1−τ2)·ln(k2/k1), against the
/// population's 42/7 days and k2/k1 = 2; or τ2/7 when k2/k1 is not usable) and by age
/// (`ageFactor`). The measured recovery takes over as sessions are observed (weight n / (n + 3)).
public struct RecoveryProfile: Sendable, Hashable {
    /// Hours to leave between two hard sessions.
    public let hours: Double
    /// Hard sessions whose following mornings could be read.
    public let sessions: Int
    /// Mean mornings until HRV and resting heart rate were back (nil without any).
    public let measuredDays: Double?
    /// The prior from the fitted model and age, in hours.
    public let priorHours: Double
    public let fatigueDays: Double
    /// The age prior's factor (1 under 35).
    public let ageFactor: Double
    /// k2/k1 when the fitted model gave it (nil: τ2 alone).
    public let fatigueRatio: Double?

    public static let populationHours = 48.0
    public static let populationFatigueDays = 7.0
    public static let populationTau1 = 42.0
    /// The population's k2/k1 (Morton et al. 1990 report fatigue weights about twice the fitness ones).
    public static let populationFatigueRatio = 2.0
    /// Masters athletes recover more slowly (Borges et al. 2016, J Aging Phys Act 24:149–157; Fell &
    /// Williams 2008, J Aging Phys Act 16:97–115): +1 % of recovery time per year over 35, at most +40 %.
    /// Sex: no prior. Studies do not agree on a sex difference in recovery time between sessions
    /// (Hunter 2014, Acta Physiol 210:768–789, finds women *less* fatigable at the same relative
    /// intensity), so the athlete's own mornings decide.
    public static func ageFactor(_ age: Int?) -> Double {
        guard let age else { return 1 }
        return min(1.4, 1 + 0.01 * Double(max(0, age - 35)))
    }

    /// Days from one session until its fitness effect outweighs its fatigue (Banister):
    /// τ1·τ2/(τ1−τ2)·ln(k2/k1); nil when the model cannot give it.
    static func netBenefitDays(tau1: Double, tau2: Double, ratio: Double) -> Double? {
        guard tau1 > tau2, tau2 > 0, ratio > 1, ratio.isFinite else { return nil }
        return tau1 * tau2 / (tau1 - tau2) * log(ratio)
    }
    /// Mornings looked at after a session; not back by then counts as this many.
    public static let horizonDays = 4
    /// Hours a planned gap may fall short of `hours` before the rule acts (a morning session
    /// two days later is 48 h; a 50 h need is not worth a change).
    public static let toleranceHours = 6.0
    /// Hard sessions with readable mornings before the learned time changes a plan (the prior alone
    /// never overrides the coach's spacing).
    public static let minimumSessions = 3

    /// Each hard session of the last 120 days whose following mornings could be read, with the
    /// mornings until HRV and resting heart rate were back (`horizonDays` when not back by then).
    public static func measurements(_ input: EngineInput) -> [(date: CalendarDate, days: Double)] {
        let earliest = input.today.adding(days: -120)
        var byDay: [CalendarDate: CheckIn] = [:]
        for c in input.checkIns where c.date >= earliest.adding(days: -30) { byDay[c.date] = c }
        var hard = Set(input.schedule.filter { $0.isKey && $0.isDone }.map(\.date))
        for a in input.activities where (a.rpe ?? 0) >= 7 { hard.insert(a.date) }
        var measured: [(date: CalendarDate, days: Double)] = []
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
            if readAny { measured.append((day, Double(back ?? horizonDays))) }
        }
        return measured
    }

    public static func learn(_ input: EngineInput) -> RecoveryProfile {
        let measured = measurements(input).map(\.days)
        let fatigueDays = input.tau?.fatigue ?? populationFatigueDays
        let age = ageFactor(input.physiology.age(on: input.today))
        var ratio: Double? = nil
        var scale = fatigueDays / populationFatigueDays
        if let tau = input.tau, let model = input.model, model.k1 > 0, model.k2 > 0,
            let own = netBenefitDays(tau1: tau.fitness, tau2: tau.fatigue, ratio: model.k2 / model.k1),
            let population = netBenefitDays(
                tau1: populationTau1, tau2: populationFatigueDays, ratio: populationFatigueRatio)
        {
            ratio = model.k2 / model.k1
            scale = own / population
        }
        let prior = min(max(populationHours * scale * age, 24), 120)
        let days = measured.isEmpty ? nil : measured.reduce(0, +) / Double(measured.count)
        let weight = Double(measured.count) / Double(measured.count + 3)
        let hours = days.map { weight * $0 * 24 + (1 - weight) * prior } ?? prior
        return RecoveryProfile(
            hours: min(max(hours, 24), 120), sessions: measured.count, measuredDays: days, priorHours: prior,
            fatigueDays: fatigueDays, ageFactor: age, fatigueRatio: ratio)
    }

    /// "about 2.8 mornings after 6 hard sessions; fatigue time constant 9 days → 67 h between hard sessions".
    public var words: String {
        let measuredWords =
            measuredDays.map {
                String(
                    format: "your HRV and resting heart rate took %.1f mornings to come back after %d hard sessions",
                    $0, sessions)
            } ?? "no hard session with mornings to read yet"
        let ageWords = ageFactor > 1 ? String(format: ", +%.0f %% for age", (ageFactor - 1) * 100) : ""
        let ratioWords = fatigueRatio.map { String(format: ", fatigue weighing %.1f× fitness", $0) } ?? ""
        return measuredWords
            + String(
                format: "; prior %.0f h (fatigue time constant %.0f days%@%@) → %.0f h between hard sessions",
                priorHours, fatigueDays, ratioWords, ageWords, hours)
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
            let candidates = [before, session].filter { !$0.isDone && $0.workout.kind != .race }
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
