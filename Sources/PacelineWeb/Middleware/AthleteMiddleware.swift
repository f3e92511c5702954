import Foundation
import Hummingbird
import PacelineCore
import PacelineStore

/// Resolves whose training data an athlete-area request is about, once, for `AthleteContext`.
struct AthleteMiddleware: RouterMiddleware {
    typealias Context = TenantContext

    enum Area: Sendable {
        /// The signed-in member's own data (`/o/{org}/activities`): members without an athlete
        /// profile (coaches, admins) get a page saying where athletes' logs are.
        case own
        /// The athlete a coach opened (`/o/{org}/athletes/{id}/activities`), by the path parameter.
        case opened(parameter: String)
    }

    let database: AppDatabase
    let clock: AppClock
    let area: Area

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        let athlete: Athlete
        switch area {
        case .own:
            guard let own = try await database.ownAthleteProfile(context.scope) else {
                throw PageError(
                    status: .notFound, title: "No training log",
                    message:
                        "Only athletes have a training log here. Coaches open an athlete's log from the athlete's page."
                )
            }
            athlete = own
        case .opened(let parameter):
            athlete = try await database.athlete(context.scope, id: try request.id(context, parameter))
            guard AthleteAccess.mayOpen(athlete, scope: context.scope) else { throw HTTPError(.notFound) }
        }
        var context = context
        context.athlete = AthleteSubject(athlete, scope: context.scope, now: clock.now())
        context.logger[metadataKey: "athlete"] = "\(athlete.id)"
        return try await next(request, context)
    }
}
