import Foundation
import Hummingbird
import PacelineStore

/// Resolves `/o/{org}` once: no session → to log-in; an organization that does not exist and
/// one the user does not belong to → the same 404.
struct TenantMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let database: AppDatabase

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let session = context.session else {
            if request.method == .get {
                return .redirect(to: SiteURL.login(next: request.uri.path), flash: .info("Please sign in to continue."))
            }
            return .redirect(to: SiteURL.login(next: nil), flash: .info("Please sign in to continue."))
        }
        guard let slug = context.parameters.get("org"), slug.count <= 40 else { throw HTTPError(.notFound) }
        // Read with the session when the session middleware saw this organization's path (one read).
        let resolved =
            if let prefetched = context.prefetchedTenant, prefetched.slug == slug {
                prefetched.tenant
            } else {
                try await database.resolveTenantWithMemberships(slug: slug, userId: session.user.id)
            }
        guard let resolved else { throw HTTPError(.notFound) }
        var context = context
        context.tenant = resolved.scope
        context.memberships = resolved.memberships
        context.unreadNotifications = resolved.unread
        context.dataVersion = resolved.version
        context.logger[metadataKey: "org"] = "\(slug)"
        return try await next(request, context)
    }
}

/// Requires a role (or a higher one) for every route of a group. Members with a lower role get
/// 403 with the reason; they belong to the organization, so there is nothing to hide.
struct RoleGuard: RouterMiddleware {
    typealias Context = TenantContext
    let minimum: Role

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard context.role.includes(minimum) else {
            throw PageError(
                status: .forbidden, title: "Not available to your role",
                message: "This page is for \(minimum == .admin ? "organization admins" : "coaches and admins").")
        }
        return try await next(request, context)
    }
}

/// The library's editing routes: admins always; coaches when the admin has allowed it in the settings.
struct LibraryEditorGuard: RouterMiddleware {
    typealias Context = TenantContext

    static func allows(_ context: TenantContext) -> Bool {
        context.role.includes(.admin)
            || (context.role.includes(.coach) && context.scope.organization.coachesEditLibrary)
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard Self.allows(context) else {
            throw PageError(
                status: .forbidden, title: "Not available to your role",
                message: "The library is edited by organization admins"
                    + (context.role.includes(.coach) ? "; an admin can let coaches edit it in the settings." : "."))
        }
        return try await next(request, context)
    }
}

/// Requires a signed-in user for routes outside any organization (the account pages).
struct SignedInGuard: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard context.session != nil else {
            return .redirect(
                to: SiteURL.login(next: request.method == .get ? request.uri.path : nil),
                flash: .info("Please sign in to continue."))
        }
        return try await next(request, context)
    }
}

import PacelineCore
