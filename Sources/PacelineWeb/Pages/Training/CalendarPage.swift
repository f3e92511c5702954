import Foundation
import PacelineCore
import PacelineStore

/// The athlete's month calendar, weeks Monday to Sunday, with what was done on each day.
struct CalendarPage: Sendable {
    let monthTitle: String
    let grid: CalendarGrid
    let previousHref: String
    let nextHref: String
    let athleteName: String

    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December",
    ]

    /// The month of `month` ("YYYY-MM"; empty: this month); throws a 422 page for anything else.
    static func load(
        _ database: AppDatabase, _ context: AthleteContext, month query: String
    ) async throws -> CalendarPage {
        let subject = context.subject, viewer = subject.viewer
        let urls = SiteURL.org(context.slug)
        var (year, month, _) = viewer.today.components
        if !query.isEmpty {
            guard let first = CalendarDate("\(query.prefix(7))-01"), query.count == 7 else {
                throw PageError(
                    status: .unprocessableContent, title: "Unknown month",
                    message: "Months are written YYYY-MM, e.g. 2026-12.")
            }
            (year, month, _) = first.components
        }
        guard let first = CalendarDate(year: year, month: month, day: 1) else { throw StoreError.notFound }
        let next =
            month == 12
            ? CalendarDate(year: year + 1, month: 1, day: 1) : CalendarDate(year: year, month: month + 1, day: 1)
        let last = (next ?? first.adding(days: 31)).adding(days: -1)
        let items = try await database.schedule(
            context.scope, athleteId: context.athleteId, from: first.mondayOfWeek,
            to: last.adding(days: 6))
        let previousMonth =
            month == 1 ? String(format: "%04d-12", year - 1) : String(format: "%04d-%02d", year, month - 1)
        let nextMonth = month == 12 ? String(format: "%04d-01", year + 1) : String(format: "%04d-%02d", year, month + 1)
        return CalendarPage(
            monthTitle: "\(monthNames[month - 1]) \(year)",
            grid: CalendarGrid(
                items: items, from: first, to: last, today: viewer.today, link: { urls.scheduled($0.id) },
                units: viewer.units, zones: viewer.zones),
            previousHref: urls.calendarMonth(previousMonth), nextHref: urls.calendarMonth(nextMonth),
            athleteName: subject.athlete.name)
    }
}
