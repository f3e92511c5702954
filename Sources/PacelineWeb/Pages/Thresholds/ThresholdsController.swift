import Foundation
import Hummingbird
import PacelineCore
import PacelineStore

/// Thresholds for every sport (FTP, threshold heart rates, CSS) with their history: the athlete's own
/// page and the same page for their coach. Saving one changes the targets of every workout from its day.
struct ThresholdsController {
    let deps: AppDependencies

    func addRoutes(to routes: GuardedRoutes<AthleteContext>) {
        routes.get("thresholds", use: page)
        routes.post("thresholds", use: add)
        routes.post("thresholds/:threshold/delete", use: remove)
    }

    func render(
        _ request: Request, _ context: AthleteContext, typed: ThresholdForm?, errors: FieldErrors,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let page = try await ThresholdsPage.load(deps.database, context, typed: typed, errors: errors)
        return try await deps.pages.render(
            .thresholds, page, title: "Thresholds and zones", request: request, context: context, status: status)
    }

    @Sendable func page(_ request: Request, context: AthleteContext) async throws -> Response {
        try await render(request, context, typed: nil, errors: FieldErrors())
    }

    @Sendable func add(_ request: Request, context: AthleteContext) async throws -> Response {
        var request = request
        let form = ThresholdForm(try await request.form(context: context))
        let (entry, errors) = form.validate(today: context.subject.today)
        guard let entry else {
            return try await render(request, context, typed: form, errors: errors, status: .unprocessableContent)
        }
        do {
            try await deps.database.addThreshold(
                context.scope, athleteId: context.athleteId, entry, now: deps.clock.now())
        } catch StoreError.invalid(let message) {
            var errors = FieldErrors()
            errors.add("value", message)
            return try await render(request, context, typed: form, errors: errors, status: .unprocessableContent)
        }
        return .redirect(
            to: context.subject.log.thresholds,
            flash: .success("\(entry.kind.label): \(entry.kind.text(entry.value)) from \(entry.validFrom)."))
    }

    @Sendable func remove(_ request: Request, context: AthleteContext) async throws -> Response {
        let id = try request.id(context, "threshold")
        try await deps.database.removeThreshold(context.scope, athleteId: context.athleteId, id: id)
        return .redirect(to: context.subject.log.thresholds, flash: .success("Removed."))
    }
}
