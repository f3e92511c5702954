import Foundation
import Hummingbird
import PacelineCore
import PacelineStore

/// What athletes live in every day: the month calendar and a workout's page (the home page's
/// "Today" is `AthleteHomePage`, served by the dashboard route).
struct TrainingController {
    let deps: AppDependencies

    func addRoutes(to routes: GuardedRoutes<AthleteContext>) {
        routes.get("calendar", use: calendar)
    }

    func addWorkoutRoutes(to routes: GuardedRoutes<TenantContext>) {
        routes.get("workouts/:id", use: workout)
        routes.post("workouts/:id/done", use: markDone)
    }

    @Sendable func calendar(_ request: Request, context: AthleteContext) async throws -> Response {
        try await deps.pages.cached(.trainingCalendar, title: { _ in "Calendar" }, request: request, context: context) {
            try await CalendarPage.load(deps.database, context, month: request.query("month"))
        }
    }

    /// The scheduled workout if the viewer may see it (`AthleteAccess`), with its athlete.
    func visibleItem(_ request: Request, _ context: TenantContext) async throws -> (ScheduledItem, AthleteSubject) {
        let item = try await deps.database.scheduledWorkout(context.scope, id: try request.id(context))
        let subject = try await AthleteAccess.subject(
            athleteId: item.athleteId, scope: context.scope, database: deps.database,
            now: deps.clock.now())
        return (item, subject)
    }

    @Sendable func workout(_ request: Request, context: TenantContext) async throws -> Response {
        try await CommentPages.render(deps, request, context, target: .workout(try request.id(context)))
    }

    @Sendable func markDone(_ request: Request, context: TenantContext) async throws -> Response {
        var request = request
        let (item, _) = try await visibleItem(request, context)
        let form = try await request.form(context: context)
        let done = form["done"] != "0"
        try await deps.database.setCompleted(context.scope, scheduledId: item.id, done: done, now: deps.clock.now())
        return .redirect(
            to: SiteURL.org(context.slug).scheduled(item.id),
            flash: .success(done ? "Marked as done. Well run!" : "Marked as not done."))
    }
}
