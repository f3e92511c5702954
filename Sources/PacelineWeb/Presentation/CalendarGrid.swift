import Foundation
import PacelineCore
import PacelineStore

/// A calendar of dated workouts, week rows Monday to Sunday, for the athlete and coach pages.
struct CalendarGrid {
    struct Day {
        let date: String
        let dayNumber: Int
        let weekday: String
        let isToday: Bool
        let inRange: Bool
        let hasWorkout: Bool
        let name: String
        let state: String  // done, missed, skipped, planned, today, paused, cancelled, rest
        let stateLabel: String
        /// The workout's page, or on a free day the coach's "add a workout" link; nil when neither
        /// (an athlete's rest day), so the template renders no link at all.
        let href: String?
        let zoneClass: String
        /// What was done, e.g. "9.8 km · 52:10", with its compliance band; empty when nothing was.
        let doneText: String
        let band: String
        /// "Hot: paces 6 % slower" when the heat rule stamped the day's workout; empty otherwise.
        let heat: String
        /// "Feb" on the first of a month and on the grid's first day, so a month boundary is seen.
        let monthLabel: String
    }
    struct Week {
        let days: [Day]
    }
    let weeks: [Week]
    /// The same days as a list, for phones: the days in range that have a workout.
    let agenda: [Day]
    let headers = Weekday.allCases.map(\.short)
    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    init(
        items: [(ScheduledItem, InstanceState)], from: CalendarDate, to: CalendarDate, today: CalendarDate,
        link: (ScheduledItem) -> String, emptyLink: ((CalendarDate) -> String)? = nil, units: UnitSystem = .km,
        zones: PaceZones? = nil
    ) {
        var byDate: [CalendarDate: ScheduledItem] = [:]
        var plans: [CalendarDate: InstanceState] = [:]
        for (item, plan) in items where byDate[item.date] == nil {
            byDate[item.date] = item
            plans[item.date] = plan
        }
        let firstShown = from.mondayOfWeek
        var weeks: [Week] = []
        var monday = from.mondayOfWeek
        while monday <= to && weeks.count < 60 {
            let days = (0..<7).map { offset -> Day in
                let date = monday.adding(days: offset)
                let item = byDate[date]
                let state: String
                if let item {
                    let plan = plans[date]
                    if item.outcome?.status == .skipped {
                        state = "skipped"
                    } else if item.completed {
                        state = "done"
                    } else if plan?.status == .cancelled {
                        // A cancelled plan's open days are not "missed" or "planned": nobody will do them.
                        state = "cancelled"
                    } else if plan?.status == .paused, date >= (plan?.pausedSince ?? today) {
                        state = "paused"
                    } else {
                        state = date < today ? "missed" : (date == today ? "today" : "planned")
                    }
                } else {
                    state = "rest"
                }
                let label =
                    [
                        "done": "Done", "missed": "Missed", "skipped": "Skipped", "today": "Today",
                        "planned": "Planned", "rest": "Rest", "paused": "On hold (paused)",
                        "cancelled": "Cancelled",
                    ][state] ?? state
                var doneText = "", band = ""
                if let item, let done = item.outcome, done.status != .skipped {
                    doneText = item.doneText(units: units, zones: zones, decimals: 1)
                    band = item.sessionOutcome(zones: zones).band.rawValue
                }
                let zone = item?.workout.kind.rawValue ?? "rest"
                return Day(
                    date: date.description, dayNumber: date.components.day, weekday: Weekday(date).label,
                    isToday: date == today,
                    inRange: date >= from && date <= to, hasWorkout: item != nil, name: item?.workout.name ?? "",
                    state: state, stateLabel: label, href: item.map(link) ?? emptyLink?(date), zoneClass: zone,
                    doneText: doneText, band: band,
                    heat: item?.workout.heat?.effect(minimum: 0).map { "Hot: " + $0 } ?? "",
                    monthLabel: date.components.day == 1 || date == firstShown
                        ? Self.monthNames[max(0, min(11, date.components.month - 1))] : "")
            }
            weeks.append(Week(days: days))
            monday = monday.adding(days: 7)
        }
        self.weeks = weeks
        agenda = weeks.flatMap(\.days).filter { $0.inRange && $0.hasWorkout }
    }
}
