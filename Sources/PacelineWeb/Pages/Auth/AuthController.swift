import Foundation
import HTTPTypes
import Hummingbird
import PacelineCore
import PacelineStore

/// Log-in, log-out and sign-up.
struct AuthController {
    let deps: AppDependencies
    var throttle = LoginThrottle()

    func addRoutes(to routes: GuardedRoutes<AppRequestContext>) {
        routes.get("login", use: loginForm)
        routes.post("login", use: login)
        routes.get("signup", use: signupForm)
        routes.post("signup", use: signup)
    }

    func addSignedInRoutes(to routes: GuardedRoutes<AppRequestContext>) {
        routes.post("logout", use: logout)
    }

    // MARK: Log-in

    struct LoginPage {
        var email = Field()
        var next = ""
        var error: String?
    }

    @Sendable func loginForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        if context.session != nil {
            return .redirect(to: SiteURL.home)
        }
        let page = LoginPage(next: SiteURL.isSafeRedirect(request.query("next")) ? request.query("next") : "")
        return try deps.renderer.response(.authLogin, page: page, app: Chrome.make(context, title: "Sign in"))
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let form = try await request.form(context: context)
        let next = SiteURL.isSafeRedirect(form["next"]) ? form["next"] : ""
        let emailInput = String(form["email"].prefix(FieldRules.maxEmailLength + 10))
        func failure(_ message: String, status: HTTPResponse.Status) throws -> Response {
            let page = LoginPage(email: Field(emailInput), next: next, error: message)
            return try deps.renderer.response(
                .authLogin, page: page, app: Chrome.make(context, title: "Sign in"), status: status)
        }
        guard let email = try? FieldRules.email(emailInput), !form["password"].isEmpty,
            form["password"].utf8.count <= FieldRules.maxPasswordBytes
        else {
            return try failure("Enter your email and password.", status: .unprocessableContent)
        }
        let password = form["password"]
        let deviceToken = Self.deviceToken(request)
        let outcome = try await checkPassword(password, of: email, request, context)
        switch outcome {
        case .throttled(let retryAfter):
            let minutes = Int(saturating: retryAfter / 60, rounding: .up)
            return try failure(
                "Too many failed sign-in attempts. Try again in \(minutes) minute\(minutes == 1 ? "" : "s").",
                status: .tooManyRequests)
        case .invalidCredentials:
            return try failure("That email and password do not match an account.", status: .unprocessableContent)
        case .success(let user):
            if let stored = try await deps.database.passwordHash(userId: user.id), deps.hasher.needsRehash(stored) {
                // An account hashed at an older, cheaper cost gets today's cost now that the
                // password is at hand, so its log-in takes as long as everyone else's.
                let stronger = try await deps.hashPassword(password)
                try await deps.database.upgradePasswordHash(userId: user.id, from: stored, to: stronger)
            }
            let device = try await deps.database.rememberDevice(
                userId: user.id, presentedToken: deviceToken,
                lifetime: Self.deviceLifetime, now: deps.clock.now())
            context.logger.info("Signed in", metadata: ["user_id": "\(user.id)"])
            let target = next.isEmpty ? try await landing(for: user.id) : next
            var response = try await startSession(user, context, redirect: .redirect(to: target))
            response.setCookie(
                Cookie(
                    name: Self.deviceCookieName, value: device,
                    expires: deps.clock.now().addingTimeInterval(Self.deviceLifetime),
                    path: "/", secure: deps.config.secureCookies, httpOnly: true, sameSite: .strict))
            return response
        }
    }

    /// One sign-in attempt through the throttle (log-in and sign-up with a known email alike):
    /// the address the trusted proxy saw, the remembered-device cookie, bcrypt off the event loop.
    func checkPassword(
        _ password: String, of email: String, _ request: Request, _ context: AppRequestContext
    ) async throws -> LoginOutcome {
        try await deps.database.attemptLogin(
            email: email,
            address: ClientAddress.of(request, context: context, trustedProxies: deps.config.trustedProxies),
            deviceToken: Self.deviceToken(request), throttle: throttle, decoyHash: deps.hasher.decoyHash,
            now: deps.clock.now()
        ) { hash in await deps.verifyPassword(password, hash: hash) }
    }

    static func deviceToken(_ request: Request) -> String? {
        request.cookies[deviceCookieName]?.value.prefix(100).description
    }

    /// What sign-up says when the email cannot be used, the same for every reason.
    static let signupRefusal =
        "We could not create an account with this email and password. If you have a Paceline account, "
        + "sign in and add the organization from your account page, or sign up with that account's password."

    /// The remembered-device cookie: set at a successful sign-in, it lets this browser through
    /// when strangers' guesses have slowed the account down (OWASP device cookies).
    static let deviceCookieName = "paceline_device"
    static let deviceLifetime: TimeInterval = 180 * 86_400

    /// Where a user lands after log-in: their only organization, or the chooser on the account page.
    func landing(for userId: Int64) async throws -> String {
        let memberships = try await deps.database.memberships(userId: userId)
        if memberships.count == 1, let only = memberships.first { return SiteURL.org(only.organization.slug).home }
        return SiteURL.account
    }

    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let token = context.sessionToken { try await deps.database.deleteSession(token: token) }
        var response = Response.redirect(
            to: "/login", flash: .info("You have signed out."), secure: deps.config.secureCookies)
        response.setCookie(SessionMiddleware.clearedSessionCookie(secure: deps.config.secureCookies))
        return response
    }

    // MARK: Sign-up

    struct SignupPage {
        var organizationName = Field()
        var slug = Field()
        var name = Field()
        var email = Field()
        var password = Field()
        var summary: String?
    }

    @Sendable func signupForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        try deps.renderer.response(
            .authSignup, page: SignupPage(), app: Chrome.make(context, title: "Create your organization"))
    }

    @Sendable func signup(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let form = SignupForm(try await request.form(context: context))
        var (signup, errors) = form.validate()
        func rerender(_ errors: FieldErrors) throws -> Response {
            try deps.renderer.response(
                .authSignup, page: form.page(errors), app: Chrome.make(context, title: "Create your organization"),
                status: .unprocessableContent)
        }
        guard let signup else { return try rerender(errors) }
        let (orgName, slug, name, email, password) =
            (signup.organizationName, signup.slug, signup.name, signup.email, signup.password)

        // Someone who already has an account may sign up a second organization with the same
        // email and password. Any other password gets the same words whether or not the email
        // has an account, and counts as a failed sign-in (the same throttle), so sign-up is no
        // faster a way to learn which emails have accounts than log-in.
        let user: User
        if try await deps.database.user(email: email) != nil {
            switch try await checkPassword(password, of: email, request, context) {
            case .success(let existing):
                do {
                    _ = try await deps.database.createOrganization(
                        name: orgName, slug: slug, adminUserId: existing.id, now: deps.clock.now())
                } catch StoreError.invalid(let message) {
                    errors.add("slug", message)
                    return try rerender(errors)
                }
                user = existing
            case .invalidCredentials, .throttled:
                errors.add("email", Self.signupRefusal)
                return try rerender(errors)
            }
        } else {
            let hash = try await deps.hashPassword(password)
            do {
                (_, user) = try await deps.database.signUp(
                    organizationName: orgName, slug: slug, adminName: name, email: email,
                    passwordHash: hash, now: deps.clock.now())
            } catch StoreError.invalid(let message) {
                errors.add(
                    message.contains("address") ? "slug" : "email",
                    message.contains("address") ? message : Self.signupRefusal)
                return try rerender(errors)
            }
        }
        return try await startSession(
            user, context,
            redirect: .redirect(
                to: SiteURL.org(slug).home,
                flash: .success("Welcome to Paceline! Invite your coaches and athletes from Members."),
                secure: deps.config.secureCookies))
    }

    /// A new session id at every log-in and sign-up (the old session, if any, ends), set on `redirect`.
    func startSession(_ user: User, _ context: AppRequestContext, redirect: Response) async throws -> Response {
        if let old = context.sessionToken { try await deps.database.deleteSession(token: old) }
        let (token, session) = try await deps.database.createSession(
            userId: user.id, lifetime: deps.config.sessionLifetime, now: deps.clock.now())
        var response = redirect
        response.setCookie(
            SessionMiddleware.sessionCookie(token: token, expires: session.expiresAt, secure: deps.config.secureCookies)
        )
        return response
    }
}
