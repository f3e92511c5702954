import Foundation
import Hummingbird
import PacelineCore
import PacelineStore

/// Coaches: assign a template, control and edit athletes' plan instances, group-wide controls.
struct InstancesController {
    let deps: AppDependencies

    func addRoutes(to routes: GuardedRoutes<TenantContext>) {
        routes.get("plans/:id/assign", use: assignForm)
        routes.post("plans/:id/assign", use: assign)
        routes.get("instances/:id", use: show)
        routes.post("instances/:id/pause", use: pause)
        routes.post("instances/:id/resume", use: resume)
        routes.post("instances/:id/cancel", use: cancel)
        routes.post("instances/:id/place", use: place)
        routes.post("instances/:id/move", use: move)
        routes.post("instances/:id/rest", use: rest)
        routes.get("instances/:id/days/:date", use: dayForm)
        routes.post("instances/:id/days/:date", use: saveDay)
        routes.post("groups/:id/assignments/:assignment/:action", use: groupAction)
    }

    func today(_ context: TenantContext, athleteTimeZone: String? = nil) -> CalendarDate {
        deps.today(in: athleteTimeZone ?? context.scope.organization.timeZone)
    }

    // MARK: Assign

    struct AssignPage {
        let planName: String
        let action: String
        let athletes: [SelectOption]
        let groups: [SelectOption]
        let startDate: Field
        let raceDate: Field
        let error: String?
        let weeks: Int
    }

    func assignPage(_ context: TenantContext, plan: StoredPlan, form: FormData?, errors: [String: String]) async throws -> AssignPage {
        let chosen = Set(form?.all("athlete_id") ?? [])
        let athletes = try await deps.database.athletes(context.scope)
        let groups = try await deps.database.groups(context.scope)
        let nextMonday = today(context).mondayOfWeek.adding(days: 7)
        return AssignPage(
            planName: plan.template.name, action: SiteURL.org(context.slug).planAssign(plan.id),
            athletes: athletes.map { .init(value: String($0.id), label: $0.name, selected: chosen.contains(String($0.id))) },
            groups: [SelectOption(value: "", label: "No group", selected: (form?["group_id"] ?? "").isEmpty)]
                + groups.map { .init(value: String($0.id), label: "\($0.name) (\($0.memberCount))", selected: form?["group_id"] == String($0.id)) },
            startDate: Field(form?["start_date"] ?? (plan.template.goal?.date == nil ? nextMonday.description : ""), error: errors["start_date"]),
            raceDate: Field(form?["race_date"] ?? (plan.template.goal?.date?.description ?? ""), error: errors["race_date"]),
            error: errors["athletes"], weeks: plan.template.weeks.count)
    }

    @Sendable func assignForm(_ request: Request, context: TenantContext) async throws -> Response {
        let plan = try await deps.database.plan(context.scope, id: try request.id(context))
        return try await deps.pages.render("plans/assign", try await assignPage(context, plan: plan, form: nil, errors: [:]),
                                           title: "Assign \(plan.template.name)", request: request, context: context)
    }

    @Sendable func assign(_ request: Request, context: TenantContext) async throws -> Response {
        var request = request
        let id = try request.id(context)
        let plan = try await deps.database.plan(context.scope, id: id)
        let form = try await request.form(context: context)
        var errors: [String: String] = [:]
        var athleteIds = form.all("athlete_id").prefix(10_000).compactMap { Int64($0) }
        var groupId: Int64?
        if !form["group_id"].isEmpty {
            guard let gid = Int64(form["group_id"]) else { throw HTTPError(.notFound) }
            groupId = gid
            let group = try await deps.database.group(context.scope, id: gid)
            athleteIds += group.members.map(\.id)
        }
        athleteIds = Array(Set(athleteIds)).sorted()
        if athleteIds.isEmpty { errors["athletes"] = "Choose athletes or a group with members." }
        var placement: PlanPlacement?
        if !form["race_date"].isEmpty {
            if let date = CalendarDate(form["race_date"]) { placement = .raceDate(date) } else { errors["race_date"] = "Enter the race date as YYYY-MM-DD." }
        } else if let date = CalendarDate(form["start_date"]) {
            placement = .start(date)
        } else {
            errors["start_date"] = "Enter a start date (YYYY-MM-DD) or a race date."
        }
        if let placement, case .raceDate(let date) = placement, date < today(context) {
            errors["race_date"] = "The race date is in the past."
        }
        guard errors.isEmpty, let placement else {
            return try await deps.pages.render("plans/assign", try await assignPage(context, plan: plan, form: form, errors: errors),
                                               title: "Assign \(plan.template.name)", request: request, context: context, status: .unprocessableContent)
        }
        let result: AssignmentResult
        do {
            result = try await deps.database.assign(context.scope, templateId: id, athleteIds: athleteIds, groupId: groupId, placement: placement,
                                                    now: deps.clock.now())
        } catch StoreError.conflict(let message) {
            return try await deps.pages.render("plans/assign", try await assignPage(context, plan: plan, form: form, errors: ["athletes": message]),
                                               title: "Assign \(plan.template.name)", request: request, context: context, status: .unprocessableContent)
        }
        var message = "“\(plan.template.name)” assigned to \(result.created) athlete\(result.created == 1 ? "" : "s")."
        if !result.overlapping.isEmpty {
            message += " Note: \(result.overlapping.joined(separator: ", ")) already had a plan over some of these days; both are active."
        }
        let target = groupId.map { SiteURL.org(context.slug).group($0) } ?? SiteURL.org(context.slug).athlete(athleteIds[0])
        return .redirect(to: target, flash: result.overlapping.isEmpty ? .success(message) : .info(message))
    }

    // MARK: One instance

    struct ShowPage {
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
    }

    func renderShow(_ request: Request, _ context: TenantContext, id: Int64, status: HTTPResponse.Status = .ok,
                    error: String? = nil, conflict: String? = nil) async throws -> Response {
        let detail = try await deps.database.instance(context.scope, id: id)
        let athlete = try await deps.database.athlete(context.scope, id: detail.summary.athleteId)
        let urls = SiteURL.org(context.slug)
        let state = detail.summary.state
        let todayDate = today(context, athleteTimeZone: athlete.timeZone)
        let formatter = deps.instantFormatter(zone: context.scope.organization.timeZone)
        let library = try await deps.database.workouts(context.scope)
        let first = detail.items.first?.date ?? todayDate, last = detail.items.last?.date ?? todayDate
        let grid = CalendarGrid(items: detail.items.map { ($0, state) }, from: first, to: last, today: todayDate,
                                link: { urls.instanceDay(id, date: $0.date) }, emptyLink: { urls.instanceDay(id, date: $0) },
                                units: athlete.units ?? context.scope.organization.units,
                                zones: PaceZones(vdotValue: athlete.vdot))
        var dates: [SelectOption] = []
        var day = first.mondayOfWeek
        while day <= last.adding(days: 7 - last.weekdayIndex - 1) && dates.count < 400 {
            dates.append(.init(value: day.description, label: "\(Weekday(day).short) \(day)", selected: false))
            day = day.adding(days: 1)
        }
        let page = ShowPage(
            name: detail.summary.name, athleteName: athlete.name, athleteHref: urls.athlete(athlete.id), status: state.status.label,
            isActive: state.status == .active, isPaused: state.status == .paused, isFinal: state.status.isFinal,
            pauseAction: urls.instanceOp(id, "pause"), resumeAction: urls.instanceOp(id, "resume"), cancelAction: urls.instanceOp(id, "cancel"),
            pausedSince: state.pausedSince?.description, calendar: grid,
            events: detail.events.map { .init(when: formatter.string(from: $0.at), who: $0.who ?? "Paceline", what: [$0.action, $0.detail].filter { !$0.isEmpty }.joined(separator: ": ")) },
            version: detail.summary.version, placeAction: urls.instanceOp(id, "place"), moveAction: urls.instanceOp(id, "move"),
            restAction: urls.instanceOp(id, "rest"),
            library: library.map { .init(value: String($0.id), label: $0.workout.name, selected: false) },
            occupied: detail.items.map { .init(value: $0.date.description, label: "\($0.date) \($0.workout.name)", selected: false) },
            dates: dates, error: error, conflict: conflict, today: todayDate.description)
        return try await deps.pages.render("instances/show", page, title: detail.summary.name, request: request, context: context, status: status)
    }

    @Sendable func show(_ request: Request, context: TenantContext) async throws -> Response {
        try await renderShow(request, context, id: try request.id(context))
    }

    /// How far back a pause may start ("she has been ill since Monday").
    static let maxPauseBackdateDays = 60

    func lifecycle(_ request: Request, _ context: TenantContext, _ action: InstanceAction) async throws -> Response {
        var request = request
        let id = try request.id(context)
        let form = try await request.form(context: context)
        let summary = try await deps.database.instance(context.scope, id: id).summary
        let athlete = try await deps.database.athlete(context.scope, id: summary.athleteId)
        let todayDate = today(context, athleteTimeZone: athlete.timeZone)
        var day = todayDate
        if action == .pause, !form["since"].isEmpty {
            guard let since = CalendarDate(form["since"]), since <= todayDate,
                  since.days(until: todayDate) <= Self.maxPauseBackdateDays else {
                return try await renderShow(request, context, id: id, status: .unprocessableContent,
                                            error: "The pause can start today or up to \(Self.maxPauseBackdateDays) days ago (YYYY-MM-DD).")
            }
            day = since
        }
        do {
            try await deps.database.transition(context.scope, instanceId: id, action, today: day, now: deps.clock.now())
        } catch StoreError.conflict(let message) {
            return try await renderShow(request, context, id: id, status: .unprocessableContent, error: message)
        }
        let words = ["pause": "paused: no workouts appear from today until you resume it", "resume": "resumed: the remaining workouts moved later by the paused weeks",
                     "cancel": "cancelled"][action.rawValue] ?? action.rawValue
        return .redirect(to: SiteURL.org(context.slug).instance(id), flash: .success("\(athlete.name)'s plan \(words)."))
    }

    @Sendable func pause(_ request: Request, context: TenantContext) async throws -> Response { try await lifecycle(request, context, .pause) }
    @Sendable func resume(_ request: Request, context: TenantContext) async throws -> Response { try await lifecycle(request, context, .resume) }
    @Sendable func cancel(_ request: Request, context: TenantContext) async throws -> Response { try await lifecycle(request, context, .cancel) }

    /// Runs an instance edit with the version the form carried.
    func edit(_ request: Request, _ context: TenantContext, _ body: (Int64, FormData, Int) async throws -> String) async throws -> Response {
        var request = request
        let id = try request.id(context)
        let form = try await request.form(context: context)
        guard let version = Int(form["version"]) else {
            return try await renderShow(request, context, id: id, status: .conflict, conflict: "The form did not say which version it edits; this is the latest version.")
        }
        let message: String
        do {
            message = try await body(id, form, version)
        } catch StoreError.conflict(let text) {
            let isVersion = text.hasPrefix("Someone else")
            return try await renderShow(request, context, id: id, status: isVersion ? .conflict : .unprocessableContent,
                                        error: isVersion ? nil : text, conflict: isVersion ? text : nil)
        } catch let invalid as FieldRules.Invalid {
            return try await renderShow(request, context, id: id, status: .unprocessableContent, error: invalid.message)
        }
        return .redirect(to: SiteURL.org(context.slug).instance(id), flash: .success(message))
    }

    static func date(_ form: FormData, _ key: String) throws -> CalendarDate {
        guard let date = CalendarDate(form[key]) else { throw FieldRules.Invalid("Choose a date.") }
        return date
    }

    @Sendable func place(_ request: Request, context: TenantContext) async throws -> Response {
        try await edit(request, context) { id, form, version in
            guard let workoutId = Int64(form["workout_id"]) else { throw FieldRules.Invalid("Choose a workout from the library.") }
            let source = try await deps.database.workout(context.scope, id: workoutId)
            let date = try Self.date(form, "date")
            try await deps.database.placeScheduled(context.scope, instanceId: id, date: date, workout: source.workout, expectedVersion: version, now: deps.clock.now())
            return "“\(source.workout.name)” placed on \(date)."
        }
    }

    @Sendable func move(_ request: Request, context: TenantContext) async throws -> Response {
        try await edit(request, context) { id, form, version in
            let from = try Self.date(form, "from"), to = try Self.date(form, "to")
            try await deps.database.moveScheduled(context.scope, instanceId: id, from: from, to: to, expectedVersion: version, now: deps.clock.now())
            return "Moved from \(from) to \(to)."
        }
    }

    @Sendable func rest(_ request: Request, context: TenantContext) async throws -> Response {
        try await edit(request, context) { id, form, version in
            let date = try Self.date(form, "date")
            try await deps.database.restScheduled(context.scope, instanceId: id, date: date, expectedVersion: version, now: deps.clock.now())
            return "\(date) is now a rest day."
        }
    }

    func dayParameter(_ context: TenantContext) throws -> CalendarDate {
        guard let text = context.parameters.get("date"), let date = CalendarDate(text) else { throw HTTPError(.notFound) }
        return date
    }

    @Sendable func dayForm(_ request: Request, context: TenantContext) async throws -> Response {
        let id = try request.id(context)
        let date = try dayParameter(context)
        let detail = try await deps.database.instance(context.scope, id: id)
        let urls = SiteURL.org(context.slug)
        var form = WorkoutForm()
        if let item = detail.items.first(where: { $0.date == date }) {
            form = WorkoutForm(item.workout, version: detail.summary.version)
        } else {
            form.name = "Easy run"
            form.blocks = [.fresh(.run)]
            form.version = String(detail.summary.version)
        }
        let page = WorkoutEditor.page(form, errors: [:], title: "\(detail.summary.athleteName): \(Weekday(date).label) \(date)",
                                      action: urls.instanceDay(id, date: date), cancel: urls.instance(id))
        return try await deps.pages.render("library/edit", page, title: "Edit workout", request: request, context: context)
    }

    @Sendable func saveDay(_ request: Request, context: TenantContext) async throws -> Response {
        let id = try request.id(context)
        let date = try dayParameter(context)
        let detail = try await deps.database.instance(context.scope, id: id)
        let urls = SiteURL.org(context.slug)
        return try await WorkoutEditor.submit(request, context: context, pages: deps.pages, target: EditorTarget(
            title: "\(detail.summary.athleteName): \(Weekday(date).label) \(date)", action: urls.instanceDay(id, date: date), cancel: urls.instance(id),
            save: { workout, version in
                guard let version else { throw StoreError.conflict("The form did not say which version it edits.") }
                try await deps.database.placeScheduled(context.scope, instanceId: id, date: date, workout: workout, expectedVersion: version, now: deps.clock.now())
                return .redirect(to: urls.instance(id), flash: .success("Workout saved for \(date). The plan template is unchanged."))
            },
            latest: { form in
                var fresh = form
                fresh.version = String(try await deps.database.instance(context.scope, id: id).summary.version)
                return fresh
            }))
    }

    // MARK: Groups

    @Sendable func groupAction(_ request: Request, context: TenantContext) async throws -> Response {
        let groupId = try request.id(context)
        let assignmentId = try request.id(context, "assignment")
        _ = try await deps.database.group(context.scope, id: groupId)
        let urls = SiteURL.org(context.slug)
        let now = deps.clock.now()
        let message: String
        switch context.parameters.get("action") ?? "" {
        case "latecomers":
            let count = try await deps.database.assignLatecomers(context.scope, assignmentId: assignmentId, now: now)
            message = count == 0 ? "Every member already has this plan." : "\(count) member\(count == 1 ? "" : "s") got the group's plan on the same calendar."
        case let name:
            guard let action = InstanceAction(rawValue: name) else { throw HTTPError(.notFound) }
            let count = try await deps.database.transitionAssignment(context.scope, assignmentId: assignmentId, action, today: today(context), now: now)
            message = "\(count) plan\(count == 1 ? "" : "s") \(action == .pause ? "paused" : action == .resume ? "resumed" : "cancelled")."
        }
        return .redirect(to: urls.group(groupId), flash: .success(message))
    }
}

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
        let state: String     // done, missed, planned, today, rest
        let stateLabel: String
        let href: String
        let zoneClass: String
        /// What was done, e.g. "9.8 km · 52:10", with its compliance band; empty when nothing was.
        let doneText: String
        let band: String
        /// "Hot: paces 6 % slower" when the heat rule stamped the day's workout; empty otherwise.
        let heat: String
    }
    struct Week {
        let days: [Day]
    }
    let weeks: [Week]
    let headers = Weekday.allCases.map(\.short)

    init(items: [(ScheduledItem, InstanceState)], from: CalendarDate, to: CalendarDate, today: CalendarDate,
         link: (ScheduledItem) -> String, emptyLink: ((CalendarDate) -> String)? = nil, units: UnitSystem = .km, zones: PaceZones? = nil) {
        var byDate: [CalendarDate: ScheduledItem] = [:]
        for (item, _) in items where byDate[item.date] == nil { byDate[item.date] = item }
        var weeks: [Week] = []
        var monday = from.mondayOfWeek
        while monday <= to && weeks.count < 60 {
            let days = (0..<7).map { offset -> Day in
                let date = monday.adding(days: offset)
                let item = byDate[date]
                let state: String
                if let item {
                    state = item.outcome?.status == .skipped ? "skipped"
                        : item.completed ? "done" : (date < today ? "missed" : (date == today ? "today" : "planned"))
                } else {
                    state = "rest"
                }
                let label = ["done": "Done", "missed": "Missed", "skipped": "Skipped", "today": "Today", "planned": "Planned", "rest": "Rest"][state] ?? state
                var doneText = "", band = ""
                if let item, let done = item.outcome, done.status != .skipped {
                    doneText = LogController.doneText(item, units: units, zones: zones, decimals: 1)
                    band = LogController.outcome(item, zones: zones).band.rawValue
                }
                let zone = item.map { $0.workout.subtype == .race ? "race" : ($0.workout.subtype.isQuality ? "quality" : "easy") } ?? "rest"
                return Day(date: date.description, dayNumber: date.components.day, weekday: Weekday(date).label, isToday: date == today,
                           inRange: date >= from && date <= to, hasWorkout: item != nil, name: item?.workout.name ?? "",
                           state: state, stateLabel: label, href: item.map(link) ?? emptyLink?(date) ?? "", zoneClass: zone,
                           doneText: doneText, band: band,
                           heat: item?.workout.heat?.effect(minimum: 0).map { "Hot: " + $0 } ?? "")
            }
            weeks.append(Week(days: days))
            monday = monday.adding(days: 7)
        }
        self.weeks = weeks
    }
}
