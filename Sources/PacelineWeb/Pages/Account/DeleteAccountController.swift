import Foundation
import Hummingbird
import PacelineCore
import PacelineStore

/// A user deletes their own account, after typing their password: their data goes with it. The only
/// admin of an organization is refused, with a message saying which and what to do first.
struct DeleteAccountController {
    let deps: AppDependencies

    func addRoutes(to routes: GuardedRoutes<AppRequestContext>) {
        routes.get("account/delete", use: ask)
        routes.post("account/delete", use: delete)
    }

    struct DeletePage {
        let email: String
        let action = "/account/delete"
        var passwordError: String?
        var blockedBy: String?
    }

    private func page(
        _ context: AppRequestContext, status: HTTPResponse.Status = .ok, _ edit: (inout DeletePage) -> Void
    ) async throws -> Response {
        guard let session = context.session else { throw HTTPError(.unauthorized) }
        var page = DeletePage(email: session.user.email)
        let sole = try await deps.database.organizationsOnlyAdministeredBy(userId: session.user.id)
        if !sole.isEmpty {
            page.blockedBy =
                "You are the only admin of \(sole.map(\.name).joined(separator: ", ")): make someone else an admin "
                + "there, or delete the organization, first."
        }
        edit(&page)
        return try deps.renderer.response(
            .accountDelete, page: page, app: Chrome.make(context, title: "Delete your account"), status: status)
    }

    @Sendable func ask(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await page(context) { _ in }
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let session = context.session else { throw HTTPError(.unauthorized) }
        var request = request
        let form = try await request.form(context: context)
        guard let hash = try await deps.database.passwordHash(userId: session.user.id),
            !form["password"].isEmpty, form["password"].utf8.count <= FieldRules.maxPasswordBytes,
            await deps.verifyPassword(form["password"], hash: hash)
        else {
            return try await page(context, status: .unprocessableContent) {
                $0.passwordError = "That is not your password."
            }
        }
        do {
            try await deps.database.deleteAccount(userId: session.user.id)
        } catch StoreError.invalid(let message) {
            return try await page(context, status: .unprocessableContent) { $0.blockedBy = message }
        }
        context.logger.info("Account deleted", metadata: ["user_id": "\(session.user.id)"])
        var response = Response.redirect(
            to: "/login", flash: .info("Your account and its data are deleted."), secure: deps.config.secureCookies)
        response.setCookie(SessionMiddleware.clearedSessionCookie(secure: deps.config.secureCookies))
        return response
    }
}
