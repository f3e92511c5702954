import Foundation
import Hummingbird
import PacelineStore

/// The engine's predictions beside what happened: per athlete (the athlete and their coaches) and for
/// the whole organization (coaches).
struct ValidationController {
    let deps: AppDependencies

    func addRoutes(to routes: GuardedRoutes<AthleteContext>) {
        routes.get("form/validation", use: athlete)
    }

    func addCoachRoutes(to routes: GuardedRoutes<TenantContext>) {
        routes.get("engine/validation", use: organization)
    }

    @Sendable func athlete(_ request: Request, context: AthleteContext) async throws -> Response {
        let page = try await ValidationPage.athlete(deps, context)
        return try await deps.pages.render(.validation, page, title: page.heading, request: request, context: context)
    }

    @Sendable func organization(_ request: Request, context: TenantContext) async throws -> Response {
        let page = try await ValidationPage.organization(deps, context)
        return try await deps.pages.render(.validation, page, title: page.heading, request: request, context: context)
    }
}
