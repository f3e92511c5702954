import Foundation
import Hummingbird
import PacelineCore
import PacelineStore

/// The signed-in user's own account: name, password, organizations (switch or create one).
struct AccountController {
    let deps: AppDependencies

    func addRoutes(to routes: GuardedRoutes<AppRequestContext>) {
        routes.get("account", use: show)
        routes.post("account/name", use: updateName)
        routes.post("account/password", use: changePassword)
        routes.post("account/organizations", use: createOrganization)
    }

    struct AccountPage {
        struct Membership {
            let name: String
            let href: String
            let role: String
        }
        var email: String
        var name: Field
        var passwordError: String?
        var currentPasswordError: String?
        var organizationName = Field()
        var slug = Field()
        var memberships: [Membership]
        var hasMemberships: Bool
    }

    private func session(_ context: AppRequestContext) throws -> SignedInSession {
        guard let session = context.session else { throw HTTPError(.unauthorized) }
        return session
    }

    private func render(
        _ page: (inout AccountPage) -> Void, context: AppRequestContext, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let session = try session(context)
        let memberships = try await deps.database.memberships(userId: session.user.id)
        var model = AccountPage(
            email: session.user.email, name: Field(session.user.name),
            memberships: memberships.map {
                .init(name: $0.organization.name, href: SiteURL.org($0.organization.slug).home, role: $0.role.label)
            },
            hasMemberships: !memberships.isEmpty)
        page(&model)
        return try deps.renderer.response(
            .accountShow, page: model, app: Chrome.make(context, title: "Your account", organizations: memberships),
            status: status)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await render({ _ in }, context: context)
    }

    @Sendable func updateName(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let form = try await request.form(context: context)
        let user = try session(context).user
        do {
            let name = try FieldRules.name(form["name"])
            try await deps.database.updateName(userId: user.id, name: name)
            return .redirect(to: SiteURL.account, flash: .success("Your name is saved."))
        } catch let invalid as FieldRules.Invalid {
            return try await render(
                { $0.name = Field(String(form["name"].prefix(200)), error: invalid.message) },
                context: context, status: .unprocessableContent)
        }
    }

    @Sendable func changePassword(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let form = try await request.form(context: context)
        let user = try session(context).user
        guard let hash = try await deps.database.passwordHash(userId: user.id),
            form["current_password"].utf8.count <= FieldRules.maxPasswordBytes,
            await deps.verifyPassword(form["current_password"], hash: hash)
        else {
            return try await render(
                { $0.currentPasswordError = "Your current password is not right." }, context: context,
                status: .unprocessableContent)
        }
        do {
            let password = try FieldRules.password(form["new_password"], context: [user.email, user.name])
            guard password == form["confirm_password"] else {
                throw FieldRules.Invalid("The two new passwords differ.")
            }
            let newHash = try await deps.hashPassword(password)
            try await deps.database.setPassword(
                userId: user.id, passwordHash: newHash, keepSessionToken: context.sessionToken, now: deps.clock.now())
            return .redirect(
                to: SiteURL.account, flash: .success("Your password is changed. Other devices have been signed out."))
        } catch let invalid as FieldRules.Invalid {
            return try await render(
                { $0.passwordError = invalid.message }, context: context, status: .unprocessableContent)
        }
    }

    @Sendable func createOrganization(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let form = try await request.form(context: context)
        let user = try session(context).user
        var errors = FieldErrors()
        let name = errors.check("organization_name") {
            try FieldRules.name(form["organization_name"], field: "Organization name")
        }
        let slugInput = form["slug"].isEmpty ? FieldRules.suggestSlug(from: form["organization_name"]) : form["slug"]
        let slug = errors.check("slug") { try FieldRules.slug(slugInput) }
        if errors.isEmpty, let name, let slug {
            do {
                _ = try await deps.database.createOrganization(
                    name: name, slug: slug, adminUserId: user.id, now: deps.clock.now())
                return .redirect(to: SiteURL.org(slug).home, flash: .success("\(name) is ready."))
            } catch StoreError.invalid(let message) {
                errors.add("slug", message)
            }
        }
        return try await render(
            {
                $0.organizationName = Field(
                    String(form["organization_name"].prefix(200)), error: errors["organization_name"])
                $0.slug = Field(String(form["slug"].prefix(60)), error: errors["slug"])
            }, context: context, status: .unprocessableContent)
    }
}
