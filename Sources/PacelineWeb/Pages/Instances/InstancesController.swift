import Foundation
import Hummingbird
import PacelineCore
import PacelineStore

/// Coaches: assign a template, control and edit athletes' plan instances, group-wide controls.
struct InstancesController {
    let deps: AppDependencies

    func addRoutes(to routes: GuardedRoutes<TenantContext>) {
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

    // MARK: One instance

    func renderShow(
        _ request: Request, _ context: TenantContext, id: Int64, status: HTTPResponse.Status = .ok,
        error: String? = nil, conflict: String? = nil
    ) async throws -> Response {
        let page = try await InstanceShowPage.load(deps, context, id: id, error: error, conflict: conflict)
        return try await deps.pages.render(
            .instancesShow, page, title: page.name, request: request, context: context,
            status: status)
    }

    @Sendable func show(_ request: Request, context: TenantContext) async throws -> Response {
        try await renderShow(request, context, id: try request.id(context))
    }

    func lifecycle(_ request: Request, _ context: TenantContext, _ action: InstanceAction) async throws -> Response {
        var request = request
        let id = try request.id(context)
        let form = try await request.form(context: context)
        let summary = try await deps.database.instance(context.scope, id: id).summary
        let athlete = try await deps.database.athlete(context.scope, id: summary.athleteId)
        let today = Viewer(athlete, organization: context.scope.organization, now: deps.clock.now()).today
        if action == .cancel,
            let ask = try await ConfirmPage.ask(
                deps, request, context, form: form, question: "Cancel \(athlete.name)'s plan “\(summary.name)”?",
                consequence: "The plan stops for good: a cancelled plan cannot be resumed, and its remaining "
                    + "workouts are no longer planned. What \(athlete.name) has logged stays in the log.",
                button: "Yes, cancel the plan", back: SiteURL.org(context.slug).instance(id))
        {
            return ask
        }
        var day = today
        if action == .pause {
            let since = form["since"].isEmpty ? nil : CalendarDate(form["since"])
            guard form["since"].isEmpty || since != nil, let start = PauseRule.start(since: since, today: today) else {
                return try await renderShow(
                    request, context, id: id, status: .unprocessableContent, error: PauseRule.message)
            }
            day = start
        }
        do {
            try await deps.database.transition(context.scope, instanceId: id, action, today: day, now: deps.clock.now())
        } catch StoreError.invalid(let message) {
            return try await renderShow(request, context, id: id, status: .unprocessableContent, error: message)
        }
        let words: String
        switch action {
        case .pause: words = "paused: no workouts appear from today until you resume it"
        case .resume: words = "resumed: the remaining workouts moved later by the paused weeks"
        case .cancel: words = "cancelled"
        }
        return .redirect(
            to: SiteURL.org(context.slug).instance(id), flash: .success("\(athlete.name)'s plan \(words)."))
    }

    @Sendable func pause(_ request: Request, context: TenantContext) async throws -> Response {
        try await lifecycle(request, context, .pause)
    }
    @Sendable func resume(_ request: Request, context: TenantContext) async throws -> Response {
        try await lifecycle(request, context, .resume)
    }
    @Sendable func cancel(_ request: Request, context: TenantContext) async throws -> Response {
        try await lifecycle(request, context, .cancel)
    }

    /// Runs an instance edit with the version the form carried.
    func edit(
        _ request: Request, _ context: TenantContext, _ body: (Int64, FormData, Int) async throws -> String
    ) async throws -> Response {
        var request = request
        let id = try request.id(context)
        let form = try await request.form(context: context)
        guard let version = Int(form["version"]) else {
            return try await renderShow(
                request, context, id: id, status: .conflict,
                conflict: "The form did not say which version it edits; this is the latest version.")
        }
        let message: String
        do {
            message = try await body(id, form, version)
        } catch StoreError.versionConflict {
            return try await renderShow(request, context, id: id, status: .conflict, conflict: ConflictWords.planStale)
        } catch StoreError.invalid(let text) {
            return try await renderShow(request, context, id: id, status: .unprocessableContent, error: text)
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
            guard let workoutId = Int64(form["workout_id"]) else {
                throw FieldRules.Invalid("Choose a workout from the library.")
            }
            let source = try await deps.database.workout(context.scope, id: workoutId)
            let date = try Self.date(form, "date")
            try await deps.database.placeScheduled(
                context.scope, instanceId: id, date: date, workout: source.workout, expectedVersion: version,
                now: deps.clock.now())
            return "“\(source.workout.name)” placed on \(date)."
        }
    }

    @Sendable func move(_ request: Request, context: TenantContext) async throws -> Response {
        try await edit(request, context) { id, form, version in
            let from = try Self.date(form, "from"), to = try Self.date(form, "to")
            try await deps.database.moveScheduled(
                context.scope, instanceId: id, from: from, to: to, expectedVersion: version, now: deps.clock.now())
            return "Moved from \(from) to \(to)."
        }
    }

    @Sendable func rest(_ request: Request, context: TenantContext) async throws -> Response {
        try await edit(request, context) { id, form, version in
            let date = try Self.date(form, "date")
            try await deps.database.restScheduled(
                context.scope, instanceId: id, date: date, expectedVersion: version, now: deps.clock.now())
            return "\(date) is now a rest day."
        }
    }

    func dayParameter(_ context: TenantContext) throws -> CalendarDate {
        guard let text = context.parameters.get("date"), let date = CalendarDate(text) else {
            throw HTTPError(.notFound)
        }
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
        let page = WorkoutEditor.page(
            form, errors: [:], title: "\(detail.summary.athleteName): \(Weekday(date).label) \(date)",
            action: urls.instanceDay(id, date: date), cancel: urls.instance(id))
        return try await deps.pages.render(
            .libraryEdit, page, title: "Edit workout", request: request, context: context)
    }

    @Sendable func saveDay(_ request: Request, context: TenantContext) async throws -> Response {
        let id = try request.id(context)
        let date = try dayParameter(context)
        let detail = try await deps.database.instance(context.scope, id: id)
        let urls = SiteURL.org(context.slug)
        return try await WorkoutEditor.submit(
            request, context: context, pages: deps.pages,
            target: EditorTarget(
                title: "\(detail.summary.athleteName): \(Weekday(date).label) \(date)",
                action: urls.instanceDay(id, date: date),
                cancel: urls.instance(id), conflict: ConflictWords.planStale,
                save: { workout, version in
                    guard let version else { throw StoreError.invalid("The form did not say which version it edits.") }
                    try await deps.database.placeScheduled(
                        context.scope, instanceId: id, date: date, workout: workout, expectedVersion: version,
                        now: deps.clock.now())
                    return .redirect(
                        to: urls.instance(id),
                        flash: .success("Workout saved for \(date). The plan template is unchanged."))
                },
                latest: { form in
                    var fresh = form
                    fresh.version = String(try await deps.database.instance(context.scope, id: id).summary.version)
                    return fresh
                }))
    }

    // MARK: Groups

    @Sendable func groupAction(_ request: Request, context: TenantContext) async throws -> Response {
        var request = request
        let groupId = try request.id(context)
        let assignmentId = try request.id(context, "assignment")
        let group = try await deps.database.group(context.scope, id: groupId)
        let urls = SiteURL.org(context.slug)
        if context.parameters.get("action") == InstanceAction.cancel.rawValue,
            let ask = try await ConfirmPage.ask(
                deps, request, context, form: try await request.form(context: context),
                question: "Cancel this plan for every member of “\(group.name)”?",
                consequence: "Each member's copy stops for good (a cancelled plan cannot be resumed). "
                    + "Their logged training stays.",
                button: "Yes, cancel all", back: urls.group(groupId))
        {
            return ask
        }
        let now = deps.clock.now()
        let message: String
        switch context.parameters.get("action") ?? "" {
        case "latecomers":
            let count = try await deps.database.assignLatecomers(context.scope, assignmentId: assignmentId, now: now)
            message =
                count == 0
                ? "Every member already has this plan."
                : "\(count) member\(count == 1 ? "" : "s") got the group's plan on the same calendar."
        case let name:
            guard let action = InstanceAction(rawValue: name) else { throw HTTPError(.notFound) }
            let count = try await deps.database.transitionAssignment(
                context.scope, assignmentId: assignmentId, action,
                today: context.scope.today(now: now), now: now)
            message =
                "\(count) plan\(count == 1 ? "" : "s") "
                + "\(action == .pause ? "paused" : action == .resume ? "resumed" : "cancelled")."
        }
        return .redirect(to: urls.group(groupId), flash: .success(message))
    }
}
