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
    let sportVolumeChart: SafeHTML
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
    let birthYear: String
    let weatherHref: String
    let awayHref: String
    let thresholdsHref: String
    let validationHref: String
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
        let model = try await deps.database.athleteModel(
            context.scope, athleteId: subject.athlete.id, now: deps.clock.now())
        let state = model.state
        let urls = SiteURL.org(context.slug)
        let today = model.input.today
        let projection = Projection(model)
        let (modelFacts, note) = Self.modelFacts(model, organization: context.scope.organization.name)
        let canDecide = context.role.includes(.coach)
        let records = try await deps.database.adaptations(context.scope, athleteId: subject.athlete.id, limit: 30)
        let formatter = deps.instantFormatter(zone: context.scope.organization.timeZone)
        let proposals = records.map {
            ProposalView($0, urls: urls, canDecide: canDecide, isOwn: subject.isOwn, formatter: formatter)
        }
        return AthleteFormPage(
            name: subject.athlete.name, isOwn: subject.isOwn, readiness: state.readiness.rawValue,
            readinessLabel: state.readiness.label,
            reasons: state.reasons.map { Voice.about($0, isOwn: subject.isOwn) }, numbers: numbers(state),
            pmcChart: fitnessChart(state, projection, today: today), hrvChart: hrvChart(state, today: today),
            volumeChart: volumeChart(model, zones: subject.viewer.zones), sportVolumeChart: sportVolumeChart(model),
            pmcTable: projection.table(today: today),
            model: modelFacts.map { Fact(label: $0.label, value: Voice.about($0.value, isOwn: subject.isOwn)) },
            modelNote: note,
            prediction: prediction(model, vdot: subject.athlete.vdot, projection: projection, units: subject.units),
            proposals: proposals, hasProposals: !proposals.isEmpty, canDecide: canDecide,
            settingsAction: urls.athleteEngine(subject.athlete.id), autoApply: model.autoApply,
            sexes: [SelectOption(value: "", label: "Not given", selected: model.sex == nil)]
                + Sex.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0 == model.sex) },
            birthYear: model.input.physiology.birthYear.map(String.init) ?? "",
            weatherHref: subject.log.weather, awayHref: subject.log.away, thresholdsHref: subject.log.thresholds,
            validationHref: subject.log.validation,
            history: Engine.readinessHistory(model.input).reversed().map {
                ReadinessDay(
                    date: "\(Weekday($0.date).short) \($0.date)", level: $0.level.rawValue, label: $0.level.label,
                    reasons: Voice.about($0.reasons.joined(separator: "; "), isOwn: subject.isOwn))
            })
    }
}
