import Foundation
import Hummingbird
import PacelineCore
import PacelineStore

/// Admins: which coaches look after which athletes and groups (the coaches' "My athletes").
struct CoachingController {
    let deps: AppDependencies

    func addRoutes(to routes: GuardedRoutes<TenantContext>) {
        routes.post("athletes/:id/coaches", use: assignToAthlete)
        routes.post("groups/:id/coaches", use: assignToGroup)
        routes.post("coach-assignments/:id/remove", use: remove)
    }

    func assign(
        _ request: Request, _ context: TenantContext, athleteId: Int64? = nil, groupId: Int64? = nil, back: String
    ) async throws -> Response {
        var request = request
        let form = try await request.form(context: context)
        guard let coach = Int64(form["coach_user_id"]) else {
            return .redirect(to: back, flash: .error("Choose a coach."))
        }
        do {
            try await deps.database.assignCoach(
                context.scope, coachUserId: coach, athleteId: athleteId, groupId: groupId, now: deps.clock.now())
        } catch StoreError.invalid(let message) {
            return .redirect(to: back, flash: .error(message))
        }
        return .redirect(to: back, flash: .success("Coach assigned."))
    }

    @Sendable func assignToAthlete(_ request: Request, context: TenantContext) async throws -> Response {
        let id = try request.id(context)
        _ = try await deps.database.athlete(context.scope, id: id)  // another organization's id: 404
        return try await assign(request, context, athleteId: id, back: SiteURL.org(context.slug).athlete(id))
    }

    @Sendable func assignToGroup(_ request: Request, context: TenantContext) async throws -> Response {
        let id = try request.id(context)
        _ = try await deps.database.group(context.scope, id: id)
        return try await assign(request, context, groupId: id, back: SiteURL.org(context.slug).group(id))
    }

    @Sendable func remove(_ request: Request, context: TenantContext) async throws -> Response {
        var request = request
        let id = try request.id(context)
        let next = try await request.form(context: context)["next"]
        try await deps.database.unassignCoach(context.scope, assignmentId: id, now: deps.clock.now())
        let back = SiteURL.isSafeRedirect(next) ? next : SiteURL.org(context.slug).athletes
        return .redirect(to: back, flash: .success("Coach taken off."))
    }
}
