import Foundation
import PacelineCore
import PacelineStore

/// The athlete's own profile ("My profile"): their fitness tables, calendar feed and plans.
struct ProfilePage: Sendable {
    let name: String
    let organizationName: String
    let profileHref: String
    let groups: String
    let fitness: FitnessView?
    let vdotHref: String
    let feedURL: String
    let regenerateAction: String
    let plans: [PlanStatus]
    let hasPlans: Bool

    static func load(
        _ deps: AppDependencies, _ context: TenantContext, athlete: Athlete, feedURL: (String) -> String
    )
        async throws -> ProfilePage
    {
        let viewer = Viewer(athlete, organization: context.scope.organization, now: deps.clock.now())
        let fitness = athlete.vdot.flatMap { try? VDOT($0) }.map {
            FitnessView(vdot: $0, units: viewer.units, report: nil, heartRate: viewer.heartRate)
        }
        let urls = SiteURL.org(context.slug)
        let token = try await deps.database.calendarToken(context.scope, athleteId: athlete.id)
        let instances = try await deps.database.instances(context.scope, athleteId: athlete.id)
        return ProfilePage(
            name: athlete.name, organizationName: context.scope.organization.name, profileHref: urls.me,
            groups: athlete.groups.map(\.name).joined(separator: ", "), fitness: fitness, vdotHref: urls.vdotTool,
            feedURL: feedURL(SiteURL.calendarFeed(token: token)), regenerateAction: urls.meCalendarToken,
            plans: instances.map(PlanStatus.init), hasPlans: !instances.isEmpty)
    }
}
