import Foundation
import Hummingbird
import PacelineCore
import PacelineStore

/// The organization's home: a coach's overview, or an athlete's "Today"; and the athlete's profile.
struct DashboardController {
    let deps: AppDependencies

    func addRoutes(to routes: GuardedRoutes<TenantContext>) {
        routes.get("", use: show)
        routes.get("me", use: me)
    }

    @Sendable func show(_ request: Request, context: TenantContext) async throws -> Response {
        if context.role.includes(.coach) {
            let page = try await CoachDashboardPage.load(deps, context)
            return try await deps.pages.render(
                .homeCoach, page, title: context.scope.organization.name, request: request,
                context: context)
        }
        guard let page = try await AthleteHomePage.load(deps.database, context.scope, now: deps.clock.now()) else {
            throw HTTPError(.notFound)
        }
        return try await deps.pages.render(.trainingHome, page, title: "Today", request: request, context: context)
    }

    /// The athlete's own page (any member with an athlete profile here); coaches go home.
    @Sendable func me(_ request: Request, context: TenantContext) async throws -> Response {
        guard let athlete = try await deps.database.ownAthleteProfile(context.scope) else {
            if context.role.includes(.coach) { return .redirect(to: SiteURL.org(context.slug).home) }
            throw HTTPError(.notFound)
        }
        let page = try await ProfilePage.load(deps, context, athlete: athlete) {
            request.absoluteURL(path: $0, secure: deps.config.secureCookies)
        }
        return try await deps.pages.render(.profileShow, page, title: "My profile", request: request, context: context)
    }
}
