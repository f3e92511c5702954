import Foundation
import Hummingbird
import PacelineCore
import PacelineStore

/// "Forgot your password?": an email with a link that works once, for an hour. The answer to the
/// request is the same whether or not the address has an account (no one learns who is a member).
struct PasswordResetController {
    let deps: AppDependencies

    func addRoutes(to routes: GuardedRoutes<AppRequestContext>) {
        routes.get("password/forgot", use: forgotForm)
        routes.post("password/forgot", use: forgot)
        routes.get("password/reset/:token", use: resetForm)
        routes.post("password/reset/:token", use: reset)
    }

    struct ForgotPage {
        var email = Field()
        var sent = false
        let action = SiteURL.passwordForgot
    }

    struct ResetPage {
        let email: String
        let action: String
        var passwordError: String?
    }

    @Sendable func forgotForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        try deps.renderer.response(
            .authForgot, page: ForgotPage(), app: Chrome.make(context, title: "Reset your password"))
    }

    @Sendable func forgot(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let form = try await request.form(context: context)
        let input = String(form["email"].prefix(FieldRules.maxEmailLength + 10))
        let chrome = Chrome.make(context, title: "Reset your password")
        guard let email = try? FieldRules.email(input) else {
            let page = ForgotPage(email: Field(input, error: "Enter the email address you sign in with."))
            return try deps.renderer.response(.authForgot, page: page, app: chrome, status: .unprocessableContent)
        }
        let now = deps.clock.now()
        if let (user, token) = try await deps.database.createPasswordReset(email: email, now: now),
            let mail = try deps.mail.passwordReset(user: user, token: token, now: now)
        {
            try await deps.database.enqueueMail(mail, now: now)
            context.logger.info("Password reset requested", metadata: ["user_id": "\(user.id)"])
        }
        return try deps.renderer.response(.authForgot, page: ForgotPage(email: Field(email), sent: true), app: chrome)
    }

    private func token(_ context: AppRequestContext) throws -> String {
        guard let token = context.parameters.get("token"), (20...100).contains(token.count) else {
            throw invalidLink
        }
        return token
    }

    private var invalidLink: PageError {
        PageError(
            status: .notFound, title: "This link does not work any more",
            message: "Reset links work once, for one hour. Ask for a new one on the sign-in page.")
    }

    @Sendable func resetForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try token(context)
        guard let user = try await deps.database.passwordResetUser(token: token, now: deps.clock.now()) else {
            throw invalidLink
        }
        let page = ResetPage(email: user.email, action: SiteURL.passwordReset(token: token))
        return try deps.renderer.response(
            .authReset, page: page, app: Chrome.make(context, title: "Choose a new password"))
    }

    @Sendable func reset(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try token(context)
        var request = request
        let form = try await request.form(context: context)
        guard let user = try await deps.database.passwordResetUser(token: token, now: deps.clock.now()) else {
            throw invalidLink
        }
        do {
            let password = try FieldRules.password(form["new_password"], context: [user.email, user.name])
            guard password == form["confirm_password"] else { throw FieldRules.Invalid("The two passwords differ.") }
            let hash = try await deps.hashPassword(password)
            _ = try await deps.database.completePasswordReset(token: token, passwordHash: hash, now: deps.clock.now())
        } catch let invalid as FieldRules.Invalid {
            let page = ResetPage(
                email: user.email, action: SiteURL.passwordReset(token: token), passwordError: invalid.message)
            return try deps.renderer.response(
                .authReset, page: page, app: Chrome.make(context, title: "Choose a new password"),
                status: .unprocessableContent)
        } catch StoreError.notFound {
            throw invalidLink
        }
        context.logger.info("Password reset", metadata: ["user_id": "\(user.id)"])
        return Response.redirect(
            to: SiteURL.login(next: nil), flash: .success("Your password is changed. Sign in with it."),
            secure: deps.config.secureCookies)
    }
}
