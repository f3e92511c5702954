import Foundation
import PacelineCore
import PacelineStore

// The parts of the form page, each from the engine's model of the athlete.

extension AthleteFormPage {
    /// Fitness, fatigue and form over the last twelve weeks and the planned days ahead (at the
    /// athlete's own time constants when the fit is confident, else 42/7).
    struct Projection {
        static let shownDays = 84
        static let aheadDays = 28
        let pastCount: Int
        let from: Int
        let range: Range<Int>
        let ctl: [Double]
        let atl: [Double]
        let tsb: [Double]

        init(_ model: AthleteModelView) {
            let state = model.state
            let all = state.loads + model.plannedLoads
            let tau1 = model.input.tau?.fitness ?? Thresholds.fitnessDays
            let tau2 = model.input.tau?.fatigue ?? Thresholds.fatigueDays
            ctl = Series.exponential(all, days: tau1)
            atl = Series.exponential(all, days: tau2)
            tsb = Series.form(ctl: ctl, atl: atl)
            pastCount = min(state.loads.count, Self.shownDays)
            from = all.count - pastCount - model.plannedLoads.count
            range = from..<(from + pastCount + min(model.plannedLoads.count, Self.aheadDays))
        }

        /// The last six weeks, a row a week: date, fitness, fatigue, form.
        func table(today: CalendarDate) -> [[String]] {
            stride(from: pastCount - 1, through: 0, by: -7).prefix(6).map { offset -> [String] in
                let k = from + offset
                return [
                    today.adding(days: offset - pastCount + 1).description, String(format: "%.0f", ctl[k]),
                    String(format: "%.0f", atl[k]), String(format: "%.0f", tsb[k]),
                ]
            }
        }
    }

    static func fitnessChart(_ state: AthleteState, _ p: Projection, today: CalendarDate) -> SafeHTML {
        let i = state.todayIndex
        let labels = stride(from: 0, to: p.range.count, by: 14).map {
            ($0, today.adding(days: $0 - p.pastCount + 1).description.suffix(5).description)
        }
        let summary = String(
            format: "Today fitness %.0f, fatigue %.0f, form %.0f; dashed: projected from the planned workouts.",
            state.ctl[i], state.atl[i], state.tsb[i])
        return SVGChart(title: "Fitness, fatigue and form", summary: summary).lines(
            [
                .init(
                    label: "Fitness (CTL)", cssClass: "chart-ctl", values: p.range.map { p.ctl[$0] },
                    dashedFrom: p.pastCount),
                .init(
                    label: "Fatigue (ATL)", cssClass: "chart-atl", values: p.range.map { p.atl[$0] },
                    dashedFrom: p.pastCount),
                .init(
                    label: "Form (TSB)", cssClass: "chart-tsb", values: p.range.map { p.tsb[$0] },
                    dashedFrom: p.pastCount),
            ], xLabels: labels)
    }

    static func hrvChart(_ state: AthleteState, today: CalendarDate) -> SafeHTML {
        let hrvPast = Array(state.hrv.suffix(56))
        return SVGChart(
            title: "HRV against its baseline",
            summary: state.hrv.last.flatMap { $0 }.map {
                String(
                    format: "7-day mean ln rMSSD %.2f; normal band %.2f–%.2f%@.", $0.rollingMean, $0.lowerBand,
                    $0.upperBand, $0.suppressed ? ", below it" : "")
            }
                ?? "Not enough HRV readings yet: at least 14 in 60 days."
        )
        .lines(
            [.init(label: "7-day mean ln rMSSD", cssClass: "chart-hrv", values: hrvPast.map { $0?.rollingMean })],
            band: hrvPast.map { $0.map { ($0.lowerBand, $0.upperBand) } },
            xLabels: stride(from: 0, to: 56, by: 14).map {
                ($0, today.adding(days: $0 - 55).description.suffix(5).description)
            })
    }

    /// Weekly volume planned vs done over the last six weeks, in minutes.
    static func volumeChart(_ model: AthleteModelView, zones: PaceZones?) -> SafeHTML {
        let today = model.input.today
        var weeks: [(label: String, planned: Double, done: Double)] = []
        for w in (0..<6).reversed() {
            let monday = today.mondayOfWeek.adding(days: -7 * w)
            let sessions = model.input.schedule.filter { $0.date >= monday && $0.date < monday.adding(days: 7) }
            let planned =
                sessions.reduce(0) { $0 + WorkoutTotals($1.workout.blocks, zones: zones).durationSeconds } / 60
            let done =
                model.input.activities.filter {
                    $0.date >= monday && $0.date < monday.adding(days: 7) && $0.status != .skipped
                }
                .reduce(0) { $0 + ($1.durationSeconds ?? 0) } / 60
            weeks.append((String(monday.description.suffix(5)), planned, done))
        }
        return SVGChart(
            title: "Weekly volume, planned vs done",
            summary: weeks.map { String(format: "week of %@: %.0f of %.0f min", $0.label, $0.done, $0.planned) }.joined(
                separator: "; ")
        )
        .bars(weeks, unit: "min")
    }

    /// The sports of the by-sport chart, bottom first; walks and hikes count with runs.
    static let volumeSports: [(label: String, cssClass: String, sports: Set<Sport>)] = [
        ("Run", "chart-sport-run", [.run, .walk, .hike]), ("Bike", "chart-sport-bike", [.bike]),
        ("Swim", "chart-sport-swim", [.swim]), ("Strength", "chart-sport-strength", [.strength]),
    ]

    /// Done training time by sport, week by week over the last six weeks (minutes).
    static func sportVolumeChart(_ model: AthleteModelView) -> SafeHTML {
        let today = model.input.today
        var rows: [(label: String, parts: [Double])] = []
        var words: [String] = []
        for w in (0..<6).reversed() {
            let monday = today.mondayOfWeek.adding(days: -7 * w)
            let done = model.input.activities.filter {
                $0.date >= monday && $0.date < monday.adding(days: 7) && $0.status != .skipped
            }
            func minutes(_ keep: (Sport) -> Bool) -> Double {
                done.filter { keep($0.sport) }.reduce(0) { $0 + ($1.durationSeconds ?? 0) } / 60
            }
            let parts = volumeSports.map { sport in minutes { sport.sports.contains($0) } }
            let label = String(monday.description.suffix(5))
            rows.append((label, parts))
            let named = zip(volumeSports.map(\.label), parts).filter { $0.1 > 0 }
                .map { String(format: "%@ %.0f", $0.0, $0.1) }
            words.append("week of \(label): " + (named.isEmpty ? "nothing" : named.joined(separator: ", ") + " min"))
        }
        return SVGChart(title: "Weekly training time by sport", summary: words.joined(separator: "; "))
            .stackedBars(
                rows, series: volumeSports.map { ($0.label, $0.cssClass) }, unit: "min")
    }

    static func numbers(_ state: AthleteState) -> [Fact] {
        let i = state.todayIndex
        var numbers: [Fact] = [
            .init(label: "Fitness (CTL)", value: String(format: "%.0f", state.ctl[i])),
            .init(label: "Fatigue (ATL)", value: String(format: "%.0f", state.atl[i])),
            .init(label: "Form (TSB)", value: String(format: "%.0f", state.tsb[i])),
            .init(label: "Load data confidence", value: String(format: "%.0f %%", state.loadConfidence * 100)),
        ]
        if let a = state.acwr.last ?? nil {
            numbers.append(
                .init(label: "Acute:chronic load", value: String(format: "%.2f (limit %.1f)", a, Thresholds.acwrLimit)))
        }
        if let m = state.monotony {
            numbers.append(
                .init(
                    label: "Monotony / strain (7 days)",
                    value: String(format: "%.1f / %.0f", m, state.strainRPEUnits ?? 0)))
        }
        if let ef = state.efficiencyChange {
            numbers.append(
                .init(label: "Efficiency trend (3 weeks, heat-normalized)", value: String(format: "%+.1f %%", ef * 100))
            )
        }
        if let debt = state.sleepDebtHours {
            numbers.append(
                .init(
                    label: "Sleep debt (7 nights)",
                    value: String(format: "%.1f h short of %.0f h a night", debt, Thresholds.sleepNeedHours)))
        }
        return numbers
    }

    /// The individual model in numbers, and what it rests on.
    static func modelFacts(_ model: AthleteModelView, organization: String) -> ([Fact], String) {
        var modelFacts: [Fact] = []
        var note =
            "No performance markers yet (races, time trials, or runs of 3 km+ at RPE 8+): the model uses the "
            + "population time constants 42/7 days."
        if let fit = model.fit {
            modelFacts = [
                .init(
                    label: "Recovery half-life",
                    value: String(format: "%.1f days", fit.model.recoveryHalfLife)
                        + (fit.tauFitted
                            ? String(
                                format: " (near-optimal fits: %.1f–%.1f)", fit.tau2Range.lowerBound * log(2),
                                fit.tau2Range.upperBound * log(2)) : " (population value)")),
                .init(
                    label: "Time constants τ1 / τ2",
                    value: String(format: "%.0f / %.1f days", fit.model.tau1, fit.model.tau2)),
                .init(label: "Markers", value: "\(fit.markers)"),
                .init(label: "Fit error (RMSE)", value: String(format: "%.2f VDOT", fit.rmse)),
                .init(
                    label: "Prediction error (each marker before it arrived)",
                    value: fit.predictionError.map { String(format: "%.2f VDOT", $0) } ?? "not enough markers yet"),
                .init(label: "Confidence", value: String(format: "%.0f %%", fit.confidence * 100)),
            ]
            note = fit.reason
        }
        modelFacts.append(
            .init(
                label: "Priors for τ1 / τ2",
                value: model.priors.athletes > 0
                    ? String(
                        format:
                            "%.0f / %.1f days, learned from %d athletes of %@ with confident fits (empirical Bayes)",
                        model.priors.tau1, model.priors.tau2,
                        model.priors.athletes, organization)
                    : "42 / 7 days (population values: fewer than \(EmpiricalPriors.minimumAthletes) athletes here "
                        + "have confident fits yet)"
            ))
        // What the plan's spacing of hard sessions follows, and how sure it is.
        let recovery = RecoveryProfile.learn(model.input)
        modelFacts.append(
            .init(
                label: "Time between hard sessions",
                value: String(format: "%.0f h — ", recovery.hours) + recovery.words
                    + (recovery.sessions < RecoveryProfile.minimumSessions
                        ? " (the plan's spacing is kept until \(RecoveryProfile.minimumSessions) sessions are measured)"
                        : "")))
        let tolerance = ToleranceProfile.learn(model.input, state: model.state)
        let clean = tolerance.weeks.filter(\.signs.isEmpty).count
        modelFacts.append(
            .init(
                label: "Weekly ceiling",
                value: tolerance.words()
                    + " (learned from \(tolerance.weeks.count) weeks, \(clean) without warning signs)"))
        modelFacts.append(
            .init(
                label: "Stride mechanics",
                value: model.state.mechanics.map { $0.words }
                    ?? "needs \(Thresholds.mechanicsMinimumRuns) steady runs with a file in four weeks"))
        if model.state.warningDays > 0 {
            modelFacts.append(
                .init(
                    label: "Warning signs",
                    value: "\(model.state.warningDays) day\(model.state.warningDays == 1 ? "" : "s") in a row"
                        + (model.state.warningDays > Thresholds.persistenceDays
                            ? ": the next progression waits a week" : "")))
        }
        return (modelFacts, note)
    }

    /// The goal race's predicted time at the VDOT the model expects on race day.
    static func prediction(
        _ model: AthleteModelView, vdot: Double?, projection: Projection, units: UnitSystem
    )
        -> String?
    {
        guard let race = model.race, let vdot else { return nil }
        let state = model.state, today = model.input.today, tsb = projection.tsb
        var raceVDOT = vdot
        if let fit = model.fit, fit.markers > 0 {
            let path = fit.model.predict(state.loads + model.plannedLoads)
            let raceIndex = state.loads.count - 1 + today.days(until: race.date)
            if raceIndex < path.count { raceVDOT += max(-3, min(3, path[raceIndex] - path[state.loads.count - 1])) }
        }
        let formOnRaceDay =
            today.days(until: race.date) - 1 < tsb.count - state.loads.count
            ? tsb[state.loads.count - 1 + today.days(until: race.date)] : nil
        return
            "\(race.name) on \(race.date) (\(DistanceFormat.format(meters: race.meters, units: units))): "
            + TimeFormat.clock(Daniels.raceTime(meters: race.meters, vdot: raceVDOT))
            + String(format: " at VDOT %.1f", raceVDOT)
            + (formOnRaceDay.map { String(format: "; projected form on race day %+.0f", $0) } ?? "")
    }
}
