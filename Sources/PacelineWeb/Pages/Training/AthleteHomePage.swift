import Foundation
import PacelineCore
import PacelineStore

/// The athlete's home ("Today"): today's workout with their paces, the week ahead, their plans.
/// The most requested page: one store read (`athleteHome`), hand-written template fields.
struct AthleteHomePage: Sendable {
    struct Upcoming: Sendable {
        let weekday: String
        let date: String
        let name: String
        let href: String
        let isRest: Bool
    }
    let name: String
    let today: WorkoutView?
    let todayText: String
    let upcoming: [Upcoming]
    let plans: [PlanStatus]
    let hasPlans: Bool
    /// What a rest day says when no plan is running: never assigned, cancelled or completed.
    let noPlanText: String
    let pausedNotice: String?
    let calendarHref: String
    let sendToWatchHref: String
    let profileHref: String
    let hasVDOT: Bool
    let vdotHref: String
    let checkInHref: String
    let logListHref: String

    static let daysAhead = 7

    static func load(_ database: AppDatabase, _ scope: TenantScope, now: Date) async throws -> AthleteHomePage? {
        guard let data = try await database.athleteHome(scope, now: now, days: daysAhead) else { return nil }
        let athlete = data.athlete
        let urls = SiteURL.org(scope.organization.slug)
        let viewer = Viewer(athlete, organization: scope.organization, now: now)
        let byDate = Dictionary(data.items.map { ($0.0.date, $0.0) }, uniquingKeysWith: { first, _ in first })
        let upcoming = (1...daysAhead).map { offset -> Upcoming in
            let date = viewer.today.adding(days: offset)
            let item = byDate[date]
            return Upcoming(
                weekday: Weekday(date).label, date: date.description, name: item?.workout.name ?? "Rest",
                href: item.map { urls.scheduled($0.id) } ?? "", isRest: item == nil)
        }
        let current = data.instances.filter { !$0.state.status.isFinal }
        let paused = current.first { $0.state.status == .paused }
        let ended = data.instances.filter { $0.state.status.isFinal }
            .max { ($0.lastDate ?? .earliest) < ($1.lastDate ?? .earliest) }
        let noPlanText: String
        switch ended?.state.status {
        case .cancelled?:
            noPlanText = "Your plan “\(ended?.name ?? "")” was cancelled, and no other plan is running. "
                + "Train as you and your coach agree until a new plan is assigned."
        case .completed?:
            noPlanText = "You completed “\(ended?.name ?? "")”. Your coach has not assigned the next plan yet."
        default:
            noPlanText = "Your coach has not assigned a plan yet. When they do, today's workout appears here."
        }
        let log = urls.log(athlete: nil)
        return AthleteHomePage(
            name: athlete.name, today: byDate[viewer.today].map { WorkoutView($0, viewer: viewer, urls: urls) },
            todayText: "\(Weekday(viewer.today).label), \(viewer.today)", upcoming: upcoming,
            plans: current.map(PlanStatus.init), hasPlans: !current.isEmpty, noPlanText: noPlanText,
            pausedNotice: paused.map {
                "“\($0.name)” is paused since \($0.state.pausedSince?.description ?? "today"): "
                    + "no workouts appear until your coach resumes it."
            },
            calendarHref: urls.calendar, sendToWatchHref: urls.sendToWatch, profileHref: urls.me,
            hasVDOT: athlete.vdot != nil, vdotHref: urls.vdotTool,
            checkInHref: log.checkIn, logListHref: log.activities)
    }
}
