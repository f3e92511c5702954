import Foundation
import Hummingbird
import PacelineCore
import PacelineStore

/// The invitation link: a new person creates an account; a signed-in one joins.
struct InvitationController {
    let deps: AppDependencies

    func addRoutes(to routes: GuardedRoutes<AppRequestContext>) {
        routes.get("invite/:token", use: show)
        routes.post("invite/:token", use: accept)
    }

    struct InvitationPage {
        let organizationName: String
        let email: String
        let role: String
        let action: String
        let signedIn: Bool
        let signedInAsOther: Bool
        let accountExists: Bool
        let loginHref: String
        var name = Field()
        var password = Field()
        var error: String?
        /// Stored, not computed: templates see stored properties only.
        let needsAccount: Bool
    }

    private func token(_ context: AppRequestContext) throws -> String {
        guard let token = context.parameters.get("token"), (20...100).contains(token.count) else {
            throw HTTPError(.notFound)
        }
        return token
    }

    private func page(_ preview: InvitationPreview, token: String, context: AppRequestContext) -> InvitationPage {
        let path = SiteURL.invitation(token: token)
        let signedIn = context.session != nil
        return InvitationPage(
            organizationName: preview.organization.name, email: preview.email, role: preview.role.label, action: path,
            signedIn: signedIn,
            signedInAsOther: signedIn && context.session?.user.email.lowercased() != preview.email.lowercased(),
            accountExists: preview.accountExists, loginHref: SiteURL.login(next: path),
            needsAccount: !signedIn && !preview.accountExists)
    }

    private func invalidLink() -> PageError {
        PageError(
            status: .notFound, title: "This invitation is not valid",
            message:
                "The link is unknown, used, revoked or older than 7 days. Ask the organization's admin for a new one.")
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try token(context)
        guard let preview = try await deps.database.invitationPreview(token: token, now: deps.clock.now()) else {
            throw invalidLink()
        }
        return try deps.renderer.response(
            .invitationsShow, page: page(preview, token: token, context: context),
            app: Chrome.make(context, title: "Join \(preview.organization.name)"))
    }

    @Sendable func accept(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let form = try await request.form(context: context)
        let token = try token(context)
        guard let preview = try await deps.database.invitationPreview(token: token, now: deps.clock.now()) else {
            throw invalidLink()
        }
        var model = page(preview, token: token, context: context)
        var newAccount: (String, String)?
        if context.session == nil {
            var errors = FieldErrors()
            let name = errors.check("name") { try FieldRules.name(form["name"], field: "Your name") }
            let password = errors.check("password") {
                try FieldRules.password(
                    form["password"], context: [preview.email, form["name"], preview.organization.name])
            }
            guard errors.isEmpty, let name, let password else {
                model.name = Field(String(form["name"].prefix(200)), error: errors["name"])
                model.password = Field("", error: errors["password"])
                return try deps.renderer.response(
                    .invitationsShow, page: model,
                    app: Chrome.make(context, title: "Join \(preview.organization.name)"),
                    status: .unprocessableContent)
            }
            newAccount = (name, try await deps.hashPassword(password))
        }
        let organization: Organization
        let user: User
        do {
            (organization, user) = try await deps.database.acceptInvitation(
                token: token, userId: context.session?.user.id, newAccount: newAccount, now: deps.clock.now())
        } catch StoreError.invalid(let message) {
            model.error = message
            return try deps.renderer.response(
                .invitationsShow, page: model, app: Chrome.make(context, title: "Join \(preview.organization.name)"),
                status: .unprocessableContent)
        }
        var response = Response.redirect(
            to: SiteURL.org(organization.slug).home, flash: .success("Welcome to \(organization.name)!"),
            secure: deps.config.secureCookies)
        if context.session == nil {
            let (sessionToken, session) = try await deps.database.createSession(
                userId: user.id, lifetime: deps.config.sessionLifetime, now: deps.clock.now())
            response.setCookie(
                SessionMiddleware.sessionCookie(
                    token: sessionToken, expires: session.expiresAt, secure: deps.config.secureCookies))
        }
        return response
    }
}
