import Foundation
import Hummingbird
import PacelineCore
import PacelineStore

/// "Days I cannot train": the athlete (or their coach) marks travel and busy days ahead; saving runs
/// the engine, whose availability rule re-plans the weeks concerned (proposed, or applied with auto-apply).
struct AvailabilityController {
    let deps: AppDependencies

    func addRoutes(to routes: GuardedRoutes<AthleteContext>) {
        routes.get("away", use: page)
        routes.post("away", use: mark)
        routes.post("away/:unavailable/delete", use: remove)
    }

    @Sendable func page(_ request: Request, context: AthleteContext) async throws -> Response {
        let page = try await AvailabilityPage.load(
            deps.database, context, now: deps.clock.now(), typed: nil, errors: FieldErrors())
        return try await deps.pages.render(
            .availability, page, title: "Days you cannot train", request: request, context: context)
    }

    @Sendable func mark(_ request: Request, context: AthleteContext) async throws -> Response {
        var request = request
        let form = AvailabilityForm(try await request.form(context: context))
        let (range, errors) = form.validate(today: context.subject.today)
        guard let range else {
            let page = try await AvailabilityPage.load(
                deps.database, context, now: deps.clock.now(), typed: form, errors: errors)
            return try await deps.pages.render(
                .availability, page, title: "Days you cannot train", request: request, context: context,
                status: .unprocessableContent)
        }
        try await deps.database.markUnavailable(
            context.scope, athleteId: context.athleteId, from: range.from, to: range.to, reason: form.reason,
            now: deps.clock.now())
        let count = range.from.days(until: range.to) + 1
        return .redirect(
            to: context.subject.log.away,
            flash: .success(
                "\(count) day\(count == 1 ? "" : "s") marked. Sessions planned then are re-arranged on the form page."))
    }

    @Sendable func remove(_ request: Request, context: AthleteContext) async throws -> Response {
        let id = try request.id(context, "unavailable")
        try await deps.database.removeUnavailable(context.scope, athleteId: context.athleteId, id: id)
        return .redirect(to: context.subject.log.away, flash: .success("Day unmarked."))
    }
}
