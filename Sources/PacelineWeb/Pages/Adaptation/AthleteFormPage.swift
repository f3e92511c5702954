import Foundation
import PacelineCore
import PacelineStore

/// The engine on the page ("Form"): readiness with reasons, fitness/fatigue/form with the
/// projection, HRV against its band, weekly volume planned vs done, the individual model, the
/// race prediction, and the proposals with accept / reject / undo.
struct AthleteFormPage: Sendable {
    let name: String
    let isOwn: Bool
    let readiness: String
    let readinessLabel: String
    let reasons: [String]
    let numbers: [Fact]
    let pmcChart: SafeHTML
    let hrvChart: SafeHTML
    let volumeChart: SafeHTML
    let pmcTable: [[String]]
    let model: [Fact]
    let modelNote: String
    let prediction: String?
    let proposals: [ProposalView]
    let hasProposals: Bool
    let canDecide: Bool
    let settingsAction: String
    let autoApply: Bool
    let sexes: [SelectOption]
    let weatherHref: String
    let history: [ReadinessDay]

    struct ReadinessDay: Sendable {
        let date: String
        let level: String
        let label: String
        let reasons: String
    }

    var title: String { isOwn ? "Form and readiness" : "\(name) — form" }

    static func load(_ deps: AppDependencies, _ context: AthleteContext) async throws -> AthleteFormPage {
        let subject = context.subject
        let now = deps.clock.now()
        let model = try await deps.database.athleteModel(context.scope, athleteId: subject.athlete.id, now: now)
        let state = model.state
        let urls = SiteURL.org(context.slug)
        let today = model.input.today
        let i = state.todayIndex

        // Fitness, fatigue, form over the last 12 weeks and the planned days ahead (dashed).
        let shown = 84
        let past = Array(state.loads.suffix(shown))
        let ahead = model.plannedLoads
        let tau1 = model.input.tau?.fitness ?? Thresholds.fitnessDays
        let tau2 = model.input.tau?.fatigue ?? Thresholds.fatigueDays
        let all = state.loads + ahead
        let ctl = Series.exponential(all, days: tau1), atl = Series.exponential(all, days: tau2),
            tsb = Series.form(ctl: ctl, atl: atl)
        let from = all.count - past.count - ahead.count
        let visible = min(ahead.count, 28)
        let range = from..<(from + past.count + visible)
        let labels = stride(from: 0, to: range.count, by: 14).map {
            ($0, today.adding(days: $0 - past.count + 1).description.suffix(5).description)
        }
        let pmc = SVGChart(
            title: "Fitness, fatigue and form",
            summary: String(
                format: "Today fitness %.0f, fatigue %.0f, form %.0f; dashed: projected from the planned workouts.",
                state.ctl[i], state.atl[i], state.tsb[i])
        )
        .lines(
            [
                .init(
                    label: "Fitness (CTL)", cssClass: "chart-ctl", values: range.map { ctl[$0] }, dashedFrom: past.count
                ),
                .init(
                    label: "Fatigue (ATL)", cssClass: "chart-atl", values: range.map { atl[$0] }, dashedFrom: past.count
                ),
                .init(
                    label: "Form (TSB)", cssClass: "chart-tsb", values: range.map { tsb[$0] }, dashedFrom: past.count),
            ], xLabels: labels)
        let hrvPast = Array(state.hrv.suffix(56))
        let hrvChart = SVGChart(
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
        // Weekly volume planned vs done, last 8 weeks (minutes).
        let zones = subject.viewer.zones
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
        let volume = SVGChart(
            title: "Weekly volume, planned vs done",
            summary: weeks.map { String(format: "week of %@: %.0f of %.0f min", $0.label, $0.done, $0.planned) }.joined(
                separator: "; ")
        )
        .bars(weeks, unit: "min")

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
                        model.priors.athletes, context.scope.organization.name)
                    : "42 / 7 days (population values: fewer than \(EmpiricalPriors.minimumAthletes) athletes here "
                        + "have confident fits yet)"
            ))
        var prediction: String? = nil
        if let race = model.race, let vdot = subject.athlete.vdot {
            var raceVDOT = vdot
            if let fit = model.fit, fit.markers > 0 {
                let path = fit.model.predict(state.loads + model.plannedLoads)
                let raceIndex = state.loads.count - 1 + today.days(until: race.date)
                if raceIndex < path.count { raceVDOT += max(-3, min(3, path[raceIndex] - path[state.loads.count - 1])) }
            }
            let formOnRaceDay =
                today.days(until: race.date) - 1 < tsb.count - state.loads.count
                ? tsb[state.loads.count - 1 + today.days(until: race.date)] : nil
            prediction =
                "\(race.name) on \(race.date) (\(DistanceFormat.format(meters: race.meters, units: subject.units))): "
                + TimeFormat.clock(Daniels.raceTime(meters: race.meters, vdot: raceVDOT))
                + String(format: " at VDOT %.1f", raceVDOT)
                + (formOnRaceDay.map { String(format: "; projected form on race day %+.0f", $0) } ?? "")
        }
        let canDecide = context.role.includes(.coach)
        let records = try await deps.database.adaptations(context.scope, athleteId: subject.athlete.id, limit: 30)
        let formatter = deps.instantFormatter(zone: context.scope.organization.timeZone)
        let proposals = records.map { ProposalView($0, urls: urls, canDecide: canDecide, formatter: formatter) }
        let page = AthleteFormPage(
            name: subject.athlete.name, isOwn: subject.isOwn, readiness: state.readiness.rawValue,
            readinessLabel: state.readiness.label,
            reasons: state.reasons, numbers: numbers, pmcChart: pmc, hrvChart: hrvChart, volumeChart: volume,
            pmcTable: stride(from: past.count - 1, through: 0, by: -7).prefix(6).map { offset -> [String] in
                let k = from + offset
                return [
                    today.adding(days: offset - past.count + 1).description, String(format: "%.0f", ctl[k]),
                    String(format: "%.0f", atl[k]), String(format: "%.0f", tsb[k]),
                ]
            },
            model: modelFacts, modelNote: note, prediction: prediction, proposals: proposals,
            hasProposals: !proposals.isEmpty,
            canDecide: canDecide, settingsAction: urls.athleteEngine(subject.athlete.id), autoApply: model.autoApply,
            sexes: [SelectOption(value: "", label: "Not given", selected: model.sex == nil)]
                + Sex.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0 == model.sex) },
            weatherHref: subject.log.weather,
            history: Engine.readinessHistory(model.input).reversed().map {
                ReadinessDay(
                    date: "\(Weekday($0.date).short) \($0.date)", level: $0.level.rawValue, label: $0.level.label,
                    reasons: $0.reasons.joined(separator: "; "))
            })
        return page
    }

}
