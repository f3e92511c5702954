import Foundation
import PacelineCore
import PacelineStore

/// Whose training data a page shows, and as whom: the athlete, whether it is the viewer's own
/// (the athlete's "My log") or one a coach opened, their view settings and where their pages live.
struct AthleteSubject: Sendable {
    let athlete: Athlete
    let isOwn: Bool
    let viewer: Viewer
    /// The athlete's log pages: under `/o/{org}` for their own, under the athlete for a coach.
    let log: SiteURL.Log

    init(_ athlete: Athlete, scope: TenantScope, now: Date) {
        self.athlete = athlete
        isOwn = athlete.userId == scope.user.id
        viewer = Viewer(athlete, organization: scope.organization, now: now)
        log = SiteURL.org(scope.organization.slug).log(athlete: isOwn ? nil : athlete.id)
    }

    var today: CalendarDate { viewer.today }
    var units: UnitSystem { viewer.units }
}

/// The one owner-or-coach rule: coaches and admins may open every athlete of their organization,
/// an athlete only themself. Anything else is answered as if it did not exist (404).
enum AthleteAccess {
    static func mayOpen(_ athlete: Athlete, scope: TenantScope) -> Bool {
        scope.role.includes(.coach) || athlete.userId == scope.user.id
    }

    /// The subject for an athlete reached through one of their records (an activity, a workout).
    static func subject(
        athleteId: Int64, scope: TenantScope, database: AppDatabase, now: Date
    ) async throws
        -> AthleteSubject
    {
        let athlete = try await database.athlete(scope, id: athleteId)
        guard mayOpen(athlete, scope: scope) else { throw StoreError.notFound }
        return AthleteSubject(athlete, scope: scope, now: now)
    }
}
