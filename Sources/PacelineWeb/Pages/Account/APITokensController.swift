import Foundation
import Hummingbird
import PacelineCore
import PacelineStore

/// Personal access tokens for the JSON API, on the account page: create one for an organization
/// (read or read-write, with an expiry), see it once, revoke it. Only the hash is kept.
struct APITokensController {
    let deps: AppDependencies

    func addRoutes(to routes: GuardedRoutes<AppRequestContext>) {
        routes.get("account/tokens", use: show)
        routes.post("account/tokens", use: create)
        routes.post("account/tokens/:id/revoke", use: revoke)
    }

    /// Expiry choices, in days (0: never).
    static let lifetimes = [(30, "30 days"), (90, "90 days"), (365, "1 year"), (0, "No expiry")]

    struct TokensPage {
        struct Row {
            let id: Int64
            let name: String
            let organization: String
            let scope: String
            let created: String
            let expires: String
            let lastUsed: String
            let revoked: String?
            let revokeAction: String
        }
        var rows: [Row] = []
        var hasRows = false
        var organizations: [SelectOption] = []
        var scopes: [SelectOption] = []
        var lifetimes: [SelectOption] = []
        var name = Field()
        var organizationError: String?
        /// The new token, shown this once.
        var secret: String?
        var secretName = ""
        var curlExample = ""
        let action = "/account/tokens"
        let apiDocs = "/api/v1/openapi.json"
    }

    /// What the form had chosen (the defaults: read only, 90 days).
    struct Choice {
        var organization = "", scope = "read", expires = "90"
    }

    private func render(
        _ context: AppRequestContext, status: HTTPResponse.Status = .ok, choice: Choice = Choice(),
        _ edit: (inout TokensPage) -> Void
    ) async throws -> Response {
        guard let session = context.session else { throw HTTPError(.unauthorized) }
        let now = deps.clock.now()
        let memberships = try await deps.database.memberships(userId: session.user.id)
        let tokens = try await deps.database.apiTokens(userId: session.user.id)
        func day(_ date: Date?) -> String { date.map { CalendarDate($0, timeZone: .gmt).description } ?? "—" }
        var page = TokensPage()
        page.rows = tokens.map { token in
            TokensPage.Row(
                id: token.id, name: token.name, organization: token.organizationName,
                scope: token.scope == .write ? "Read and write" : "Read only", created: day(token.createdAt),
                expires: token.expiresAt.map { day($0) } ?? "Never",
                lastUsed: token.lastUsedAt.map { day($0) } ?? "Never",
                revoked: token.revokedAt.map { "Revoked \(day($0))" }
                    ?? (token.isLive(now: now) ? nil : "Expired"),
                revokeAction: "/account/tokens/\(token.id)/revoke")
        }
        page.hasRows = !page.rows.isEmpty
        page.organizations = memberships.map {
            SelectOption(
                value: $0.organization.slug, label: "\($0.organization.name) (\($0.role.label))",
                selected: $0.organization.slug == choice.organization)
        }
        page.scopes = [
            SelectOption(value: "read", label: "Read only (GET)", selected: choice.scope == "read"),
            SelectOption(value: "write", label: "Read and write", selected: choice.scope == "write"),
        ]
        page.lifetimes = Self.lifetimes.map {
            SelectOption(value: String($0.0), label: $0.1, selected: String($0.0) == choice.expires)
        }
        edit(&page)
        return try deps.renderer.response(
            .accountTokens, page: page, app: Chrome.make(context, title: "API tokens", organizations: memberships),
            status: status)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await render(context) { _ in }
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let session = context.session else { throw HTTPError(.unauthorized) }
        var request = request
        let form = try await request.form(context: context)
        let name = form["name"].trimmingCharacters(in: .whitespacesAndNewlines)
        let slug = form["organization"], scope = APITokenScope(rawValue: form["scope"])
        let days = Int(form["expires"]).flatMap { d in Self.lifetimes.contains { $0.0 == d } ? d : nil }
        func refuse(_ edit: (inout TokensPage) -> Void) async throws -> Response {
            let choice = Choice(organization: slug, scope: form["scope"], expires: form["expires"])
            return try await render(context, status: .unprocessableContent, choice: choice) { page in
                page.name = Field(String(form["name"].prefix(200)))
                edit(&page)
            }
        }
        guard !name.isEmpty, name.count <= APITokenPolicy.maxNameLength else {
            let message =
                "Name the token after the app that will use it (at most \(APITokenPolicy.maxNameLength) characters)."
            return try await refuse { $0.name = Field(String(form["name"].prefix(200)), error: message) }
        }
        guard let scope, let days else {
            return try await refuse { $0.organizationError = "Choose the token's access and expiry from the lists." }
        }
        let now = deps.clock.now()
        do {
            let (_, secret) = try await deps.database.createAPIToken(
                userId: session.user.id, organizationSlug: slug, name: name, scope: scope,
                expiresAt: days == 0 ? nil : now.addingTimeInterval(Double(days) * 86_400), now: now)
            return try await render(context, status: .created) { page in
                page.secret = secret
                page.secretName = name
                page.curlExample = "curl -H 'Authorization: Bearer \(secret)' \(deps.config.siteURL)/api/v1/me"
            }
        } catch StoreError.invalid(let message) {
            return try await refuse { $0.organizationError = message }
        }
    }

    @Sendable func revoke(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let session = context.session else { throw HTTPError(.unauthorized) }
        try await deps.database.revokeAPIToken(
            userId: session.user.id, id: try request.id(context), now: deps.clock.now())
        return .redirect(
            to: "/account/tokens", flash: .success("Token revoked: apps using it are refused from now on."))
    }
}
