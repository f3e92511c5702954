import Foundation
import Hummingbird
import PacelineCore
import PacelineStore

/// The link at the foot of every email of a series, and its `List-Unsubscribe` twin: works without
/// signing in (the token in the address is the key). Opening it only asks — mail scanners open links
/// — and the POST stops the series (RFC 8058's one-click POST lands here too). No CSRF token: the
/// unguessable token in the path is what a forger would need, and with it they could POST anyway.
struct UnsubscribeController {
    let deps: AppDependencies

    func addRoutes(to routes: GuardedRoutes<AppRequestContext>) {
        routes.get("unsubscribe/:token", use: ask)
        routes.post("unsubscribe/:token", use: confirm)
    }

    struct UnsubscribePage {
        let organizationName: String
        let email: String
        let series: String
        let action: String
        let done: Bool
        let all: Bool
    }

    private func token(_ context: AppRequestContext) throws -> String {
        guard let token = context.parameters.get("token"), (20...100).contains(token.count) else { throw invalidLink }
        return token
    }

    private var invalidLink: PageError {
        PageError(
            status: .notFound, title: "This link does not work any more",
            message: "Unsubscribe links work for 60 days. Sign in and choose what you get under Notifications.")
    }

    private func render(_ target: UnsubscribeTarget, token: String, done: Bool, all: Bool, context: AppRequestContext)
        throws -> Response
    {
        let page = UnsubscribePage(
            organizationName: target.organizationName, email: target.email, series: target.kind.label,
            action: SiteURL.unsubscribe(token: token), done: done, all: all)
        return try deps.renderer.response(
            .authUnsubscribe, page: page, app: Chrome.make(context, title: "Email settings"))
    }

    @Sendable func ask(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try token(context)
        guard let target = try await deps.database.unsubscribeTarget(token: token) else { throw invalidLink }
        return try render(target, token: token, done: false, all: false, context: context)
    }

    @Sendable func confirm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try token(context)
        var request = request
        let form = try await request.form(context: context)
        let all = form["all"] == "yes"
        guard let target = try await deps.database.unsubscribeTarget(token: token),
            try await deps.database.unsubscribe(token: token, all: all, now: deps.clock.now())
        else { throw invalidLink }
        context.logger.info("Unsubscribed", metadata: ["kind": "\(all ? "all" : target.kind.rawValue)"])
        return try render(target, token: token, done: true, all: all, context: context)
    }
}
