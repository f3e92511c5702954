import Foundation
import PacelineCore
import PacelineStore

/// How far to trust the engine: each prediction it made (walk-forward) beside what happened, with the
/// mean error and the bias per kind — for one athlete, or for every athlete of the organization.
struct ValidationPage: Sendable {
    struct SummaryRow: Sendable {
        let label: String
        let count: Int
        let meanError: String
        let bias: String
    }
    struct CheckRow: Sendable {
        let date: String
        let kind: String
        let what: String
        let predicted: String
        let actual: String
        let error: String
    }
    struct AthleteRow: Sendable {
        let name: String
        let href: String
        let cells: [String]
    }
    let heading: String
    let intro: String
    let summaries: [SummaryRow]
    let checks: [CheckRow]
    let athletes: [AthleteRow]
    let kinds: [String]
    let isOrganization: Bool
    let backHref: String

    static func value(_ kind: EngineValidation.Kind, _ value: Double) -> String {
        switch kind {
        case .performance: String(format: "%.1f", value)
        case .raceTime: TimeFormat.clock(abs(value))
        case .recovery: String(format: "%.0f h", value)
        }
    }

    static func signed(_ kind: EngineValidation.Kind, _ value: Double) -> String {
        switch kind {
        case .performance: String(format: "%+.2f VDOT", value)
        case .raceTime: (value < 0 ? "−" : "+") + TimeFormat.clock(abs(value))
        case .recovery: String(format: "%+.0f h", value)
        }
    }

    static func summaryRows(_ summaries: [EngineValidation.Summary]) -> [SummaryRow] {
        summaries.map {
            SummaryRow(
                label: $0.kind.label, count: $0.count,
                meanError: signed($0.kind, $0.meanError).replacingOccurrences(of: "+", with: ""),
                bias: signed($0.kind, $0.bias))
        }
    }

    static let intro =
        "Each prediction is made with only what was known before its day (walk-forward), then set beside what "
        + "happened. Mean error is the typical miss; bias is its direction (positive: the engine expected more — "
        + "a faster performance, a longer time, a longer recovery)."

    static func athlete(_ deps: AppDependencies, _ context: AthleteContext) async throws -> ValidationPage {
        let subject = context.subject
        let validation = try await deps.database.engineValidation(
            context.scope, athleteId: context.athleteId, now: deps.clock.now())
        return ValidationPage(
            heading: subject.isOwn
                ? "How well the engine predicts you" : "\(subject.athlete.name) — engine predictions",
            intro: intro, summaries: summaryRows(validation.summaries),
            checks: validation.checks.prefix(200).map {
                CheckRow(
                    date: "\(Weekday($0.date).short) \($0.date)", kind: $0.kind.label, what: $0.what,
                    predicted: value($0.kind, $0.predicted), actual: value($0.kind, $0.actual),
                    error: signed($0.kind, $0.error))
            }, athletes: [], kinds: [], isOrganization: false, backHref: subject.log.form)
    }

    static func organization(_ deps: AppDependencies, _ context: TenantContext) async throws -> ValidationPage {
        let all = try await deps.database.organizationValidation(context.scope, now: deps.clock.now())
        let urls = SiteURL.org(context.slug)
        let pooled = EngineValidation(checks: all.flatMap(\.validation.checks))
        let kinds = EngineValidation.Kind.allCases
        return ValidationPage(
            heading: "Engine predictions — \(context.scope.organization.name)",
            intro: intro + " Every athlete's predictions are pooled below; each athlete's page lists them one by one.",
            summaries: summaryRows(pooled.summaries), checks: [],
            athletes: all.filter { !$0.validation.checks.isEmpty }.map { entry in
                let summaries = Dictionary(uniqueKeysWithValues: entry.validation.summaries.map { ($0.kind, $0) })
                return AthleteRow(
                    name: entry.name, href: urls.athleteForm(entry.athleteId) + "/validation",
                    cells: kinds.map { kind in
                        summaries[kind].map {
                            "\($0.count): " + signed(kind, $0.meanError).replacingOccurrences(of: "+", with: "")
                                + " (bias " + signed(kind, $0.bias) + ")"
                        } ?? "—"
                    })
            }, kinds: kinds.map(\.label), isOrganization: true, backHref: urls.home)
    }
}
