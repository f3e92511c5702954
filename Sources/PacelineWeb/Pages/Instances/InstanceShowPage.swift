import Foundation
import PacelineCore
import PacelineStore

/// One athlete's plan instance for the coach: status and controls, the calendar (click a day to
/// edit it), the place / move / rest forms and the history.
struct InstanceShowPage: Sendable {
    struct EventRow {
        let when: String
        let who: String
        let what: String
    }
    let name: String
    let athleteName: String
    let athleteHref: String
    let status: String
    let isActive: Bool
    let isPaused: Bool
    let isFinal: Bool
    let pauseAction: String
    let resumeAction: String
    let cancelAction: String
    let pausedSince: String?
    let calendar: CalendarGrid
    let events: [EventRow]
    let version: Int
    let placeAction: String
    let moveAction: String
    let restAction: String
    let library: [SelectOption]
    let occupied: [SelectOption]
    let dates: [SelectOption]
    let error: String?
    let conflict: String?
    let today: String

    static func load(
        _ deps: AppDependencies, _ context: TenantContext, id: Int64, error: String?, conflict: String?
    )
        async throws -> InstanceShowPage
    {
        let detail = try await deps.database.instance(context.scope, id: id)
        let athlete = try await deps.database.athlete(context.scope, id: detail.summary.athleteId)
        let viewer = Viewer(athlete, organization: context.scope.organization, now: deps.clock.now())
        let urls = SiteURL.org(context.slug)
        let state = detail.summary.state
        let today = viewer.today
        let formatter = deps.instantFormatter(zone: context.scope.organization.timeZone)
        let library = try await deps.database.workouts(context.scope)
        let first = detail.items.first?.date ?? today, last = detail.items.last?.date ?? today
        let grid = CalendarGrid(
            items: detail.items.map { ($0, state) }, from: first, to: last, today: today,
            link: { urls.instanceDay(id, date: $0.date) },
            // A finished or cancelled plan takes no new workouts: no "Add" on its free days.
            emptyLink: state.status.isFinal ? nil : { urls.instanceDay(id, date: $0) },
            units: viewer.units, zones: viewer.zones)
        var dates: [SelectOption] = []
        var day = first.mondayOfWeek
        while day <= last.adding(days: 7 - last.weekdayIndex - 1) && dates.count < 400 {
            dates.append(.init(value: day.description, label: "\(Weekday(day).short) \(day)", selected: false))
            day = day.adding(days: 1)
        }
        return InstanceShowPage(
            name: detail.summary.name, athleteName: athlete.name, athleteHref: urls.athlete(athlete.id),
            status: state.status.label, isActive: state.status == .active, isPaused: state.status == .paused,
            isFinal: state.status.isFinal, pauseAction: urls.instanceOp(id, "pause"),
            resumeAction: urls.instanceOp(id, "resume"), cancelAction: urls.instanceOp(id, "cancel"),
            pausedSince: state.pausedSince?.description, calendar: grid,
            events: detail.events.map {
                EventRow(
                    when: formatter.string(from: $0.at), who: $0.who ?? "Paceline",
                    what: [$0.action, $0.detail].filter { !$0.isEmpty }.joined(separator: ": "))
            },
            version: detail.summary.version, placeAction: urls.instanceOp(id, "place"),
            moveAction: urls.instanceOp(id, "move"),
            restAction: urls.instanceOp(id, "rest"),
            library: library.map { .init(value: String($0.id), label: $0.workout.name, selected: false) },
            occupied: detail.items.map {
                .init(value: $0.date.description, label: "\($0.date) \($0.workout.name)", selected: false)
            },
            dates: dates, error: error, conflict: conflict, today: today.description)
    }
}
