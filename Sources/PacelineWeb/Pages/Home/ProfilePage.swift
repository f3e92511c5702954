import Foundation
import PacelineCore
import PacelineStore

/// Percent-encoding of a whole value for a query string (RFC 3986 unreserved characters kept).
enum QueryValue {
    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._~"))) ?? ""
    }
}

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
    /// The same address for calendar apps (`webcal://` opens Apple and Outlook calendars) and Google's
    /// "add by URL" page. (Stored, not computed: templates read stored properties.)
    let webcalURL: String
    let googleCalendarURL: String
    let plans: [PlanStatus]
    let hasPlans: Bool
    /// Everything of the athlete's as a zip (JSON, CSV, the original files).
    let exportHref: String

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
        let feed = feedURL(SiteURL.calendarFeed(token: token))
        let webcal = feed.range(of: "://").map { "webcal" + feed[$0.lowerBound...] } ?? feed
        return ProfilePage(
            name: athlete.name, organizationName: context.scope.organization.name, profileHref: urls.me,
            groups: athlete.groups.map(\.name).joined(separator: ", "), fitness: fitness, vdotHref: urls.vdotTool,
            feedURL: feed, regenerateAction: urls.meCalendarToken, webcalURL: webcal,
            googleCalendarURL: "https://calendar.google.com/calendar/render?cid=" + QueryValue.encode(webcal),
            plans: instances.map(PlanStatus.init), hasPlans: !instances.isEmpty, exportHref: urls.exportMine)
    }
}
