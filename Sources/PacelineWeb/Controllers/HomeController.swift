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
        return try deps.renderer.response("home/landing", page: LandingPage(), app: Chrome.make(context, title: "Paceline"))
    }

    @Sendable func health(_ request: Request, context: AppRequestContext) async throws -> Response {
        let health = await deps.database.health()
        let text = if case .unhealthy(let reason) = health { reason } else { "ok" }
        return Response(status: health == .ok ? .ok : .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    @Sendable func metrics(_ request: Request, context: AppRequestContext) async throws -> Response {
        Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(bytes: deps.metrics.emitToBuffer())))
    }
}

/// The organization's home: a coach's overview, or an athlete's own start page.
struct DashboardController {
    let deps: AppDependencies

    func addRoutes(to routes: GuardedRoutes<TenantContext>) {
        routes.get("", use: show)
        routes.get("me", use: me)
    }

    struct CoachDashboard {
        let organizationName: String
        let athleteCount: Int
        let groups: [GroupRow]
        let hasGroups: Bool
        let athletesHref: String
        let groupsHref: String
        let isAdmin: Bool
        let membersHref: String
        let recent: [AuditRow]
        let hasRecent: Bool
        let athletes: [AthleteRow]
        let plansHref: String
        let proposals: [AdaptationController.ProposalView]
        let hasProposals: Bool
    }

    struct AthleteRow {
        let name: String
        let href: String
        let plan: String
        let planHref: String
        let status: String
        let statusClass: String
        let today: String
    }

    struct GroupRow {
        let name: String
        let href: String
        let count: Int
    }

    struct AuditRow {
        let when: String
        let who: String
        let what: String
    }

    struct AthleteHome {
        let name: String
        let organizationName: String
        let profileHref: String
        let groups: String
        let fitness: FitnessController.FitnessView?
        let vdotHref: String
        let feedURL: String
        let regenerateAction: String
        let plans: [TrainingController.PlanStatus]
        let hasPlans: Bool
    }

    @Sendable func show(_ request: Request, context: TenantContext) async throws -> Response {
        let scope = context.scope
        let urls = SiteURL.org(context.slug)
        if context.role.includes(.coach) {
            async let athletes = deps.database.athletes(scope)
            async let groups = deps.database.groups(scope)
            async let audit = deps.database.auditLog(scope, limit: 8)
            let groupRows = try await groups.map { GroupRow(name: $0.name, href: urls.group($0.id), count: $0.memberCount) }
            let formatter = deps.instantFormatter(zone: scope.organization.timeZone)
            let recent = try await audit.map { AuditRow(when: formatter.string(from: $0.at), who: $0.userName ?? "—", what: Self.describe($0)) }
            let today = deps.today(in: scope.organization.timeZone)
            let proposals = try await deps.database.adaptations(scope, states: [.proposed], limit: 20)
                .map { AdaptationController.view($0, urls: urls, canDecide: true, formatter: formatter) }
            let rows = try await deps.database.athletesToday(scope, today: today).map {
                AthleteRow(name: $0.name, href: urls.athlete($0.athleteId), plan: $0.planName ?? "No plan",
                           planHref: $0.instanceId.map { urls.instance($0) } ?? "", status: $0.status?.label ?? "—",
                           statusClass: $0.status?.rawValue ?? "none", today: $0.today ?? ($0.status == .active ? "Rest" : "—"))
            }
            let page = CoachDashboard(
                organizationName: scope.organization.name, athleteCount: try await athletes.count, groups: groupRows,
                hasGroups: !groupRows.isEmpty, athletesHref: urls.athletes, groupsHref: urls.groups,
                isAdmin: context.role.includes(.admin), membersHref: urls.members, recent: recent, hasRecent: !recent.isEmpty,
                athletes: rows, plansHref: urls.plans, proposals: proposals, hasProposals: !proposals.isEmpty)
            return try await deps.pages.render("home/coach", page, title: scope.organization.name, request: request, context: context)
        }
        return try await TrainingController(deps: deps).home(request, context: context)
    }

    static func describe(_ entry: AuditEntry) -> String {
        let action = entry.action.replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: ".", with: " ")
        return entry.detail.isEmpty ? action : "\(action): \(entry.detail)"
    }

    /// The athlete's own page (any member with an athlete profile here).
    @Sendable func me(_ request: Request, context: TenantContext) async throws -> Response {
        guard let athlete = try await deps.database.ownAthleteProfile(context.scope) else {
            if context.role.includes(.coach) { return .redirect(to: SiteURL.org(context.slug).home) }
            throw HTTPError(.notFound)
        }
        let units = athlete.units ?? context.scope.organization.units
        let heartRate = athlete.maxHR.flatMap { max in athlete.restingHR.flatMap { HeartRateZones(maxHR: max, restingHR: $0) } }
        let fitness = athlete.vdot.flatMap { try? VDOT($0) }.map {
            FitnessController.FitnessView(vdot: $0, units: units, report: nil, heartRate: heartRate)
        }
        let urls = SiteURL.org(context.slug)
        let token = try await deps.database.calendarToken(context.scope, athleteId: athlete.id)
        let instances = try await deps.database.instances(context.scope, athleteId: athlete.id)
        let page = AthleteHome(
            name: athlete.name, organizationName: context.scope.organization.name, profileHref: urls.me,
            groups: athlete.groups.map(\.name).joined(separator: ", "), fitness: fitness, vdotHref: urls.vdotTool,
            feedURL: request.absoluteURL(path: SiteURL.calendarFeed(token: token), secure: deps.config.secureCookies),
            regenerateAction: urls.meCalendarToken, plans: instances.map(TrainingController.status), hasPlans: !instances.isEmpty)
        return try await deps.pages.render("home/athlete", page, title: "My profile", request: request, context: context)
    }
}
