import Foundation
import Hummingbird
import PacelineCore
import PacelineStore

/// An admin deletes the organization after typing its name: every row of it goes.
struct DeleteOrganizationController {
    let deps: AppDependencies

    func addRoutes(to routes: GuardedRoutes<TenantContext>) {
        routes.get("settings/delete", use: ask)
        routes.post("settings/delete", use: delete)
    }

    struct DeletePage {
        let organizationName: String
        let action: String
        let exportHref: String
        var confirmName = Field()
    }

    private func page(_ request: Request, _ context: TenantContext, status: HTTPResponse.Status = .ok, name: Field)
        async throws -> Response
    {
        let urls = SiteURL.org(context.slug)
        let page = DeletePage(
            organizationName: context.scope.organization.name, action: urls.settingsDelete,
            exportHref: urls.exportOrganization, confirmName: name)
        return try await deps.pages.render(
            .membersDelete, page, title: "Delete the organization", request: request, context: context, status: status)
    }

    @Sendable func ask(_ request: Request, context: TenantContext) async throws -> Response {
        try await page(request, context, name: Field())
    }

    @Sendable func delete(_ request: Request, context: TenantContext) async throws -> Response {
        var request = request
        let form = try await request.form(context: context)
        let typed = String(form["confirm_name"].prefix(300))
        do {
            try await deps.database.deleteOrganization(context.scope, confirmName: typed, now: deps.clock.now())
        } catch StoreError.invalid(let message) {
            return try await page(request, context, status: .unprocessableContent, name: Field(typed, error: message))
        }
        context.logger.info("Organization deleted", metadata: ["org": "\(context.slug)"])
        return .redirect(
            to: SiteURL.account,
            flash: .info("\(context.scope.organization.name) and all its data are deleted."),
            secure: deps.config.secureCookies)
    }
}
