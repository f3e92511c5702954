import Foundation
import Hummingbird
import PacelineCore
import PacelineStore
import Prometheus

/// The front page, the health check and the metrics endpoint.
struct HomeController {
    let deps: AppDependencies

    func addRoutes(to routes: GuardedRoutes<AppRequestContext>) {
        routes.get("", use: landing)
        routes.get("healthz", use: health)
        routes.get("metrics", use: metrics)
    }

    struct LandingPage {}

    @Sendable func landing(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let session = context.session {
            let memberships = try await deps.database.memberships(userId: session.user.id)
            if memberships.count == 1, let only = memberships.first {
                return .redirect(to: SiteURL.org(only.organization.slug).home)
            }
            return .redirect(to: SiteURL.account)
        }
        return try deps.renderer.response(
            .homeLanding, page: LandingPage(), app: Chrome.make(context, title: "Paceline"))
    }

    @Sendable func health(_ request: Request, context: AppRequestContext) async throws -> Response {
        let health = await deps.database.health()
        let text = if case .unhealthy(let reason) = health { reason } else { "ok" }
        return Response(
            status: health == .ok ? .ok : .serviceUnavailable,
            headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    @Sendable func metrics(_ request: Request, context: AppRequestContext) async throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: deps.metrics.emitToBuffer())))
    }
}
