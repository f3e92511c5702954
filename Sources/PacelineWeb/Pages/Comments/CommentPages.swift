import Foundation
import Hummingbird
import PacelineCore
import PacelineStore

/// The two pages a thread hangs on — a workout's and an activity's — with their thread, for the
/// controllers that show them and for the comment forms' answers (a refused comment shows the page
/// again with its message).
enum CommentPages {
    static func render(
        _ deps: AppDependencies, _ request: Request, _ context: TenantContext, target: CommentTarget,
        typed: String = "", error: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let urls = SiteURL.org(context.slug)
        let now = deps.clock.now()
        switch target {
        case .workout(let id):
            let item = try await deps.database.scheduledWorkout(context.scope, id: id)
            let subject = try await AthleteAccess.subject(
                athleteId: item.athleteId, scope: context.scope, database: deps.database, now: now)
            var page = WorkoutPage(item, subject: subject, urls: urls)
            page.thread = try await thread(
                deps, context, target, subject: subject, logged: item.outcome != nil, typed: typed, error: error)
            return try await deps.pages.render(
                .trainingWorkout, page, title: item.workout.name, request: request, context: context, status: status)
        case .activity(let id):
            let item = try await deps.database.activity(context.scope, id: id)
            let subject = try await AthleteAccess.subject(
                athleteId: item.athleteId, scope: context.scope, database: deps.database, now: now)
            var page = try await ActivityShowPage.load(deps, context, item: item, subject: subject)
            page.thread = try await thread(
                deps, context, target, subject: subject, logged: true, typed: typed, error: error)
            return try await deps.pages.render(
                .logShow, page, title: page.title, request: request, context: context, status: status)
        }
    }

    static func thread(
        _ deps: AppDependencies, _ context: TenantContext, _ target: CommentTarget, subject: AthleteSubject,
        logged: Bool, typed: String, error: String?
    ) async throws -> CommentThread {
        let urls = SiteURL.org(context.slug)
        let comments = try await deps.database.comments(context.scope, on: target)
        let prompt =
            subject.isOwn
            ? (logged ? "How did it feel? Tell your coach" : "A question or a note for your coach")
            : "Write to \(subject.athlete.name)"
        let action: String
        switch target {
        case .workout(let id): action = urls.scheduled(id) + "/comments"
        case .activity(let id): action = urls.activity(id) + "/comments"
        }
        return CommentThread(
            comments, scope: context.scope, action: action, urls: urls,
            formatter: deps.instantFormatter(zone: subject.viewer.timeZoneIdentifier), now: deps.clock.now(),
            prompt: prompt, typed: typed, error: error)
    }
}

extension SiteURL.Org {
    /// Where a comment thread lives: its workout's or activity's page, at the thread.
    func thread(_ target: CommentTarget) -> String {
        switch target {
        case .workout(let id): scheduled(id) + "#comments"
        case .activity(let id): activity(id) + "#comments"
        }
    }
}
