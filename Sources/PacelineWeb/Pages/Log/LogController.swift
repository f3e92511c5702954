import Foundation
import Hummingbird
import NIOCore
import PacelineCore
import PacelineStore

/// What was actually done: the log, the manual log form and one activity. The same pages serve
/// an athlete (their own log, under `/o/{org}`) and a coach (an athlete's log, under
/// `/o/{org}/athletes/{id}`): the athlete is the `AthleteContext`'s subject either way.
struct LogController {
    let deps: AppDependencies

    /// The log of the context's athlete (registered for the own and the opened area alike).
    func addRoutes(to routes: GuardedRoutes<AthleteContext>) {
        routes.get("activities", use: index)
        routes.get("activities/new", use: newForm)
        routes.post("activities/new", use: create)
    }

    /// One activity, reached by its id: its athlete is checked by `AthleteAccess`.
    func addActivityRoutes(to routes: GuardedRoutes<TenantContext>) {
        routes.get("activities/:id", use: show)
        routes.get("activities/:id/edit", use: editForm)
        routes.post("activities/:id/edit", use: update)
        routes.post("activities/:id/delete", use: delete)
        routes.get("activities/:id/file", use: download)
    }

    func addCoachRoutes(to routes: GuardedRoutes<TenantContext>) {
        routes.post("activities/:id/match", use: rematch)
    }

    @Sendable func index(_ request: Request, context: AthleteContext) async throws -> Response {
        try await deps.pages.cached(.logIndex, title: \.title, request: request, context: context) {
            try await LogIndexPage.load(deps.database, context)
        }
    }

    // MARK: A new entry

    @Sendable func newForm(_ request: Request, context: AthleteContext) async throws -> Response {
        let subject = context.subject
        var form = LogEntryForm(date: subject.today.description)
        let scheduled = try await plannedWorkout(request.query("scheduled"), context)
        if let scheduled {
            if let done = scheduled.outcome {
                return .redirect(to: SiteURL.org(context.slug).activityOp(done.activityId, "edit"))
            }
            form.date = scheduled.date.description
            form.sport = scheduled.workout.sport.rawValue
        }
        let page = LogFormPage(
            form, errors: FieldErrors(), target: .new(subject, scheduled: scheduled),
            scheduled: scheduled, subject: subject)
        return try await deps.pages.render(.logForm, page, title: page.title, request: request, context: context)
    }

    @Sendable func create(_ request: Request, context: AthleteContext) async throws -> Response {
        var request = request
        let subject = context.subject
        let form = LogEntryForm(try await request.form(context: context))
        let scheduled = try await plannedWorkout(form.scheduled, context)
        let (entry, errors) = form.validate(units: subject.units, today: subject.today)
        guard let entry else {
            let page = LogFormPage(
                form, errors: errors, target: .new(subject, scheduled: scheduled),
                scheduled: scheduled, subject: subject)
            return try await deps.pages.render(
                .logForm, page, title: page.title, request: request, context: context,
                status: .unprocessableContent)
        }
        let id = try await saving {
            try await deps.database.logActivity(
                context.scope, athleteId: subject.athlete.id, entry,
                scheduledId: scheduled?.id, activityId: nil, now: deps.clock.now())
        }
        await deps.recompute(context.scope, athleteId: subject.athlete.id, logger: context.logger)
        return .redirect(
            to: SiteURL.org(context.slug).activity(id),
            flash: .success(entry.status == .skipped ? "Logged as skipped." : "Logged. Well done!"))
    }

    /// A log the store refuses (a rule the form cannot check, e.g. a matched workout that moved) is
    /// answered 422 with the store's reason.
    func saving<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch StoreError.invalid(let message) {
            throw PageError(status: .unprocessableContent, title: "Not saved", message: message)
        }
    }

    /// The planned workout a log is for (its id in a field), which must be the athlete's; nil when none is named.
    func plannedWorkout(_ text: String, _ context: AthleteContext) async throws -> ScheduledItem? {
        guard !text.isEmpty else { return nil }
        guard let id = Int64(text), let item = try? await deps.database.scheduledWorkout(context.scope, id: id),
            item.athleteId == context.athleteId
        else { throw HTTPError(.notFound) }
        return item
    }

    // MARK: One activity

    /// An activity the viewer may see, with its athlete: their own, or any athlete's for coaches.
    func visibleActivity(_ request: Request, _ context: TenantContext) async throws -> (ActivityItem, AthleteSubject) {
        let activity = try await deps.database.activity(context.scope, id: try request.id(context))
        let subject = try await AthleteAccess.subject(
            athleteId: activity.athleteId, scope: context.scope,
            database: deps.database, now: deps.clock.now())
        return (activity, subject)
    }

    @Sendable func show(_ request: Request, context: TenantContext) async throws -> Response {
        try await CommentPages.render(deps, request, context, target: .activity(try request.id(context)))
    }

    @Sendable func editForm(_ request: Request, context: TenantContext) async throws -> Response {
        let (item, subject) = try await visibleActivity(request, context)
        let scheduled = try await scheduledWorkout(of: item, context)
        let page = LogFormPage(
            LogEntryForm(item.entry, units: subject.units), errors: FieldErrors(),
            target: .edit(item, urls: SiteURL.org(context.slug)), scheduled: scheduled, subject: subject)
        return try await deps.pages.render(.logForm, page, title: page.title, request: request, context: context)
    }

    @Sendable func update(_ request: Request, context: TenantContext) async throws -> Response {
        var request = request
        let (item, subject) = try await visibleActivity(request, context)
        var form = LogEntryForm(try await request.form(context: context))
        if item.entry.isFromFile { form.keepNumbers(of: item.entry, units: subject.units) }
        let (entry, errors) = form.validate(units: subject.units, today: subject.today)
        guard let entry else {
            let page = LogFormPage(
                form, errors: errors, target: .edit(item, urls: SiteURL.org(context.slug)),
                scheduled: try await scheduledWorkout(of: item, context), subject: subject)
            return try await deps.pages.render(
                .logForm, page, title: page.title, request: request, context: context,
                status: .unprocessableContent)
        }
        _ = try await saving {
            try await deps.database.logActivity(
                context.scope, athleteId: subject.athlete.id, entry, scheduledId: nil,
                activityId: item.id, now: deps.clock.now())
        }
        await deps.recompute(context.scope, athleteId: subject.athlete.id, logger: context.logger)
        return .redirect(to: SiteURL.org(context.slug).activity(item.id), flash: .success("Saved."))
    }

    func scheduledWorkout(of item: ActivityItem, _ context: TenantContext) async throws -> ScheduledItem? {
        guard let id = item.scheduledId else { return nil }
        return try await deps.database.scheduledWorkout(context.scope, id: id)
    }

    @Sendable func download(_ request: Request, context: TenantContext) async throws -> Response {
        let (item, _) = try await visibleActivity(request, context)
        let file = try await deps.database.activityFile(context.scope, activityId: item.id)
        let safeName = String(file.name.map { $0.isLetter || $0.isNumber || "._-".contains($0) ? $0 : "_" })
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/octet-stream",
                .contentDisposition: "attachment; filename=\"\(safeName)\"",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: file.content)))
    }

    @Sendable func delete(_ request: Request, context: TenantContext) async throws -> Response {
        var request = request
        let (item, subject) = try await visibleActivity(request, context)
        if let ask = try await ConfirmPage.ask(
            deps, request, context, form: try await request.form(context: context),
            question: "Delete the \(item.entry.sport.label.lowercased()) of \(item.entry.date)?",
            consequence: "The activity, its numbers and its file go from the log, and its planned workout counts "
                + "as not done again. This cannot be undone.",
            button: "Yes, delete the activity", back: SiteURL.org(context.slug).activity(item.id))
        {
            return ask
        }
        try await deps.database.deleteActivity(context.scope, activityId: item.id)
        return .redirect(to: subject.log.activities, flash: .success("Activity deleted."))
    }

    @Sendable func rematch(_ request: Request, context: TenantContext) async throws -> Response {
        var request = request
        let (item, _) = try await visibleActivity(request, context)
        let form = try await request.form(context: context)
        var target: Int64? = nil
        if !form["scheduled"].isEmpty {
            guard let id = Int64(form["scheduled"]) else {
                throw PageError(
                    status: .unprocessableContent, title: "Unknown workout",
                    message: "Choose a planned workout from the list.")
            }
            target = id
        }
        try await deps.database.rematchActivity(
            context.scope, activityId: item.id, scheduledId: target, now: deps.clock.now())
        return .redirect(
            to: SiteURL.org(context.slug).activity(item.id),
            flash: .success(target == nil ? "Unmatched: kept as an unplanned activity." : "Matched."))
    }
}
