import Foundation
import Hummingbird
import PacelineCore
import PacelineStore

/// What athletes live in every day: today's workout with their own paces, the week ahead, the
/// month calendar, a workout's page, and their calendar feed.
struct TrainingController {
    let deps: AppDependencies

    func addRoutes(to routes: GuardedRoutes<TenantContext>) {
        routes.get("calendar", use: calendar)
        routes.get("workouts/:id", use: workout)
        routes.post("workouts/:id/done", use: markDone)
        routes.post("me/calendar", use: regenerateFeed)
    }

    func addPublicRoutes(to routes: GuardedRoutes<AppRequestContext>) {
        routes.get("cal/:file", use: feed)
    }

    /// The athlete's own view settings: units, zones, heart-rate zones, today.
    struct Viewer {
        let athlete: Athlete
        let units: UnitSystem
        let zones: PaceZones?
        let heartRate: HeartRateZones?
        let today: CalendarDate

        var words: WorkoutWords { WorkoutWords(units: units, zones: zones, heartRate: heartRate) }
    }

    func viewer(_ athlete: Athlete, _ context: TenantContext) -> Viewer {
        return Viewer(athlete: athlete, units: athlete.units ?? context.scope.organization.units,
                      zones: PaceZones(vdotValue: athlete.vdot),
                      heartRate: athlete.maxHR.flatMap { max in athlete.restingHR.flatMap { HeartRateZones(maxHR: max, restingHR: $0) } },
                      today: deps.today(in: athlete.timeZone ?? context.scope.organization.timeZone))
    }

    /// A workout as an athlete reads it.
    struct WorkoutView {
        let id: Int64
        let name: String
        let date: String
        let weekday: String
        let href: String
        let steps: [String]
        let totals: String
        let notesHTML: SafeHTML
        let hasNotes: Bool
        let completed: Bool
        let doneAction: String
        let planName: String
        let kind: String
        /// The athlete's own log form for this workout.
        let logHref: String
        /// What was done, when an activity is matched: "10.1 km · 52:03 (on target)".
        let doneText: String
        /// A hot day's adjustment in words (the steps then show the adjusted paces beside the targets).
        let heat: String?
    }

    static func view(_ item: ScheduledItem, viewer: Viewer, urls: SiteURL.Org) -> WorkoutView {
        let totals = WorkoutTotals(item.workout.blocks, zones: viewer.zones)
        var parts: [String] = []
        if totals.distanceMeters > 0 { parts.append(WorkoutWords.distance(totals.distanceMeters, units: viewer.units)) }
        if totals.durationSeconds > 0 { parts.append(WorkoutWords.duration(totals.durationSeconds)) }
        return WorkoutView(
            id: item.id, name: item.workout.name, date: item.date.description, weekday: Weekday(item.date).label, href: urls.scheduled(item.id),
            steps: viewer.words.forWorkout(item.workout).steps(item.workout.blocks), totals: (totals.isComplete ? "" : "about ") + parts.joined(separator: " · "),
            notesHTML: Markdown.html(item.workout.notes), hasNotes: !item.workout.notes.isEmpty, completed: item.completed,
            doneAction: urls.scheduledDone(item.id), planName: item.instanceName,
            kind: item.workout.subtype == .race ? "race" : (item.workout.subtype.isQuality ? "quality" : "easy"),
            logHref: urls.log(athlete: nil).newActivity(scheduled: item.id), doneText: LogController.doneText(item, units: viewer.units, zones: viewer.zones),
            heat: item.workout.heat.map { "Hot day — " + $0.words(units: viewer.units) + "." })
    }

    // MARK: Home

    struct HomePage {
        struct Upcoming {
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
        let pausedNotice: String?
        let calendarHref: String
        let profileHref: String
        let hasVDOT: Bool
        let vdotHref: String
        let checkInHref: String
        let logListHref: String
    }

    struct PlanStatus {
        let name: String
        let status: String
        let statusClass: String
        let dates: String
    }

    func home(_ request: Request, context: TenantContext) async throws -> Response {
        guard let data = try await deps.database.athleteHome(context.scope, now: deps.clock.now(), days: 7) else { throw HTTPError(.notFound) }
        let athlete = data.athlete
        let urls = SiteURL.org(context.slug)
        let v = viewer(athlete, context)
        let items = data.items
        let todayItem = items.first { $0.0.date == v.today }?.0
        let upcoming = (1...7).map { offset -> HomePage.Upcoming in
            let date = v.today.adding(days: offset)
            let item = items.first { $0.0.date == date }?.0
            return .init(weekday: Weekday(date).label, date: date.description, name: item?.workout.name ?? "Rest",
                         href: item.map { urls.scheduled($0.id) } ?? "", isRest: item == nil)
        }
        let current = data.instances.filter { !$0.state.status.isFinal }
        let paused = current.first { $0.state.status == .paused }
        let page = HomePage(
            name: athlete.name, today: todayItem.map { Self.view($0, viewer: v, urls: urls) },
            todayText: "\(Weekday(v.today).label), \(v.today)", upcoming: upcoming,
            plans: current.map { Self.status($0) }, hasPlans: !current.isEmpty,
            pausedNotice: paused.map { "“\($0.name)” is paused since \($0.state.pausedSince?.description ?? "")): no workouts appear until your coach resumes it." },
            calendarHref: urls.calendar, profileHref: urls.me, hasVDOT: athlete.vdot != nil, vdotHref: urls.vdotTool,
            checkInHref: urls.log(athlete: nil).checkIn, logListHref: urls.log(athlete: nil).activities)
        return try await deps.pages.render("training/home", page, title: "Today", request: request, context: context)
    }

    static func status(_ instance: InstanceSummary) -> PlanStatus {
        PlanStatus(name: instance.name, status: instance.state.status.label, statusClass: instance.state.status.rawValue,
                   dates: [instance.firstDate?.description, instance.lastDate?.description].compactMap { $0 }.joined(separator: " – "))
    }

    // MARK: Calendar

    struct CalendarPage {
        let monthTitle: String
        let grid: CalendarGrid
        let previousHref: String
        let nextHref: String
        let athleteName: String
    }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

    @Sendable func calendar(_ request: Request, context: TenantContext) async throws -> Response {
        guard let athlete = try await deps.database.ownAthleteProfile(context.scope) else {
            throw PageError(status: .notFound, title: "No training calendar", message: "Only athletes have a training calendar here.")
        }
        let v = viewer(athlete, context)
        let urls = SiteURL.org(context.slug)
        var (year, month, _) = v.today.components
        let query = request.query("month")
        if !query.isEmpty {
            guard let first = CalendarDate("\(query.prefix(7))-01"), query.count == 7 else {
                throw PageError(status: .unprocessableContent, title: "Unknown month", message: "Months are written YYYY-MM, e.g. 2026-12.")
            }
            (year, month, _) = first.components
        }
        guard let first = CalendarDate(year: year, month: month, day: 1) else { throw HTTPError(.notFound) }
        let next = month == 12 ? CalendarDate(year: year + 1, month: 1, day: 1) : CalendarDate(year: year, month: month + 1, day: 1)
        let last = (next ?? first.adding(days: 31)).adding(days: -1)
        let items = try await deps.database.schedule(context.scope, athleteId: athlete.id, from: first.mondayOfWeek, to: last.adding(days: 6))
        let prevMonth = month == 1 ? String(format: "%04d-12", year - 1) : String(format: "%04d-%02d", year, month - 1)
        let nextMonth = month == 12 ? String(format: "%04d-01", year + 1) : String(format: "%04d-%02d", year, month + 1)
        let page = CalendarPage(
            monthTitle: "\(Self.monthNames[month - 1]) \(year)",
            grid: CalendarGrid(items: items, from: first, to: last, today: v.today, link: { urls.scheduled($0.id) }, units: v.units, zones: v.zones),
            previousHref: urls.calendarMonth(prevMonth), nextHref: urls.calendarMonth(nextMonth), athleteName: athlete.name)
        return try await deps.pages.render("training/calendar", page, title: "Calendar", request: request, context: context)
    }

    // MARK: A workout

    /// The scheduled workout if the viewer may see it: their own, or any athlete's for coaches.
    func visibleItem(_ request: Request, _ context: TenantContext) async throws -> (ScheduledItem, Athlete) {
        let item = try await deps.database.scheduledWorkout(context.scope, id: try request.id(context))
        if !context.role.includes(.coach) {
            guard let own = try await deps.database.ownAthleteProfile(context.scope), own.id == item.athleteId else { throw HTTPError(.notFound) }
        }
        return (item, try await deps.database.athlete(context.scope, id: item.athleteId))
    }

    struct WorkoutPage {
        let workout: WorkoutView
        let athleteName: String
        let isOwn: Bool
        let backHref: String
        let logHref: String
        let activityHref: String?
    }

    @Sendable func workout(_ request: Request, context: TenantContext) async throws -> Response {
        let (item, athlete) = try await visibleItem(request, context)
        let v = viewer(athlete, context)
        let urls = SiteURL.org(context.slug)
        let page = WorkoutPage(workout: Self.view(item, viewer: v, urls: urls), athleteName: athlete.name,
                               isOwn: athlete.userId == context.scope.user.id,
                               backHref: athlete.userId == context.scope.user.id ? urls.calendar : urls.instance(item.instanceId),
                               logHref: item.outcome.map { urls.activityOp($0.activityId, "edit") }
                                   ?? urls.log(athlete: athlete.userId == context.scope.user.id ? nil : athlete.id).newActivity(scheduled: item.id),
                               activityHref: item.outcome.map { urls.activity($0.activityId) })
        return try await deps.pages.render("training/workout", page, title: item.workout.name, request: request, context: context)
    }

    @Sendable func markDone(_ request: Request, context: TenantContext) async throws -> Response {
        var request = request
        let (item, _) = try await visibleItem(request, context)
        let form = try await request.form(context: context)
        let done = form["done"] != "0"
        try await deps.database.setCompleted(context.scope, scheduledId: item.id, done: done, now: deps.clock.now())
        return .redirect(to: SiteURL.org(context.slug).scheduled(item.id), flash: .success(done ? "Marked as done. Well run!" : "Marked as not done."))
    }

    // MARK: Calendar feed

    @Sendable func regenerateFeed(_ request: Request, context: TenantContext) async throws -> Response {
        guard let athlete = try await deps.database.ownAthleteProfile(context.scope) else { throw HTTPError(.notFound) }
        _ = try await deps.database.regenerateCalendarToken(context.scope, athleteId: athlete.id, now: deps.clock.now())
        return .redirect(to: SiteURL.org(context.slug).me,
                         flash: .success("New calendar address made. The old one has stopped working: subscribe again with the new one."))
    }

    @Sendable func feed(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let file = context.parameters.get("file"), file.hasSuffix(".ics"), file.count <= 100 else { throw HTTPError(.notFound) }
        let token = String(file.dropLast(4))
        guard token.count >= 20, let feed = try await deps.database.calendarFeed(token: token) else { throw HTTPError(.notFound) }
        let zones = PaceZones(vdotValue: feed.vdot)
        let words = WorkoutWords(units: feed.units, zones: zones)
        let events = feed.items.map { item in
            ICalendar.Event(uid: item.uid, date: item.date, summary: item.workout.name,
                            description: ((item.workout.heat.map { ["Hot day — " + $0.words(units: feed.units) + "."] } ?? [])
                                + words.forWorkout(item.workout).steps(item.workout.blocks)
                                + (item.workout.notes.isEmpty ? [] : ["", item.workout.notes])).joined(separator: "\n"),
                            sequence: item.sequence, stamp: item.updatedAt)
        }
        let body = ICalendar(name: "\(feed.name) — training", events: events).render()
        return Response(status: .ok, headers: [.contentType: "text/calendar; charset=utf-8", .cacheControl: "no-cache"],
                        body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
