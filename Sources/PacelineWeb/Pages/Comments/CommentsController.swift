import Foundation
import Hummingbird
import PacelineCore
import PacelineStore

/// Comments on a workout or an activity: the athlete and the coaches write; each edits their own for
/// 15 minutes and deletes their own. A refused comment (empty, too long) shows the page again with the
/// message under the box (422) and stores nothing.
struct CommentsController {
    let deps: AppDependencies

    func addRoutes(to routes: GuardedRoutes<TenantContext>) {
        routes.post("workouts/:id/comments", use: { try await self.add($0, $1, on: .workout(try $0.id($1))) })
        routes.post("activities/:id/comments", use: { try await self.add($0, $1, on: .activity(try $0.id($1))) })
        routes.post("comments/:id/edit", use: edit)
        routes.post("comments/:id/delete", use: delete)
    }

    func add(_ request: Request, _ context: TenantContext, on target: CommentTarget) async throws -> Response {
        var request = request
        let body = try await request.form(context: context)["body"]
        do {
            let id = try await deps.database.addComment(context.scope, on: target, body: body, now: deps.clock.now())
            let urls = SiteURL.org(context.slug)
            return .redirect(
                to: urls.thread(target).replacingOccurrences(of: "#comments", with: "#comment-\(id)"),
                flash: .success("Comment posted."))
        } catch StoreError.invalid(let message) {
            return try await CommentPages.render(
                deps, request, context, target: target, typed: body, error: message, status: .unprocessableContent)
        }
    }

    @Sendable func edit(_ request: Request, context: TenantContext) async throws -> Response {
        var request = request
        let id = try request.id(context)
        let body = try await request.form(context: context)["body"]
        let target = try await deps.database.commentTarget(context.scope, id: id)
        do {
            try await deps.database.editComment(context.scope, id: id, body: body, now: deps.clock.now())
        } catch StoreError.invalid(let message) {
            return try await CommentPages.render(
                deps, request, context, target: target, typed: "", error: message, status: .unprocessableContent)
        }
        return .redirect(to: SiteURL.org(context.slug).thread(target), flash: .success("Comment saved."))
    }

    @Sendable func delete(_ request: Request, context: TenantContext) async throws -> Response {
        var request = request
        let id = try request.id(context)
        let target = try await deps.database.commentTarget(context.scope, id: id)
        let back = SiteURL.org(context.slug).thread(target)
        if let ask = try await ConfirmPage.ask(
            deps, request, context, form: try await request.form(context: context),
            question: "Delete your comment?", consequence: "It goes from the thread for everyone.",
            button: "Yes, delete it", back: back)
        {
            return ask
        }
        try await deps.database.deleteComment(context.scope, id: id)
        return .redirect(to: back, flash: .success("Comment deleted."))
    }
}
