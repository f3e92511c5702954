import Foundation
import Hummingbird
import PacelineCore
import PacelineStore

/// Coaches' athlete list and athlete profiles.
struct AthletesController {
    let deps: AppDependencies

    func addRoutes(to routes: GuardedRoutes<TenantContext>) {
        routes.get("athletes", use: index)
    }

    /// Under `athletes/:id`, with the athlete resolved by `AthleteContext`.
    func addOpenedRoutes(to routes: GuardedRoutes<AthleteContext>) {
        routes.get("", use: show)
        routes.post("", use: update)
    }

    @Sendable func index(_ request: Request, context: TenantContext) async throws -> Response {
        let filter = AthleteBoardPage.Filter { request.query($0) }
        return try await deps.pages.cached(
            .athletesIndex, title: { _ in "Athletes" }, request: request, context: context
        ) {
            try await AthleteBoardPage.load(
                deps.database, context, today: context.scope.today(now: deps.clock.now()), filter: filter)
        }
    }

    @Sendable func show(_ request: Request, context: AthleteContext) async throws -> Response {
        let page = try await AthleteShowPage.load(deps.database, context)
        return try await deps.pages.render(.athletesShow, page, title: page.name, request: request, context: context)
    }

    @Sendable func update(_ request: Request, context: AthleteContext) async throws -> Response {
        var request = request
        let form = try await request.form(context: context)
        let (update, errors) = AthleteProfileForm(form).validate()
        guard let update else {
            let page = AthleteShowPage(context.subject, urls: SiteURL.org(context.slug), form: form, errors: errors)
            return try await deps.pages.render(
                .athletesShow, page, title: page.name, request: request, context: context,
                status: .unprocessableContent)
        }
        try await deps.database.updateAthlete(context.scope, id: context.athleteId, update, now: deps.clock.now())
        return .redirect(to: SiteURL.org(context.slug).athlete(context.athleteId), flash: .success("Profile saved."))
    }
}
