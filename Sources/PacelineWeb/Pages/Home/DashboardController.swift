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
            let title = context.scope.organization.name
            return try await deps.pages.cached(.homeCoach, title: { _ in title }, request: request, context: context) {
                try await CoachDashboardPage.load(deps, context)
            }
        }
        return try await deps.pages.cached(.trainingHome, title: { _ in "Today" }, request: request, context: context) {
            guard let page = try await AthleteHomePage.load(deps.database, context.scope, now: deps.clock.now()) else {
                throw HTTPError(.notFound)
            }
            return page
        }
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
