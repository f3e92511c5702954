import Foundation
import PacelineCore
import PacelineStore

/// A coach's overview of the organization: athletes with today's session, proposals waiting for
/// a decision, groups and recent changes.
struct CoachDashboardPage: Sendable {
    struct AthleteRow: Sendable {
        let name: String
        let href: String
        let plan: String
        let planHref: String?
        let status: String
        let statusClass: String
        let today: String
    }
    struct AuditRow: Sendable {
        let when: String
        let who: String
        let what: String
    }
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
    let proposals: [ProposalView]
    let hasProposals: Bool
    /// Where Accept/Reject return: this queue.
    let queueHref: String

    static func load(_ deps: AppDependencies, _ context: TenantContext) async throws -> CoachDashboardPage {
        let scope = context.scope
        let urls = SiteURL.org(context.slug)
        async let athletes = deps.database.athletes(scope)
        async let groups = deps.database.groups(scope)
        async let audit = deps.database.auditLog(scope, limit: 8)
        let groupRows = try await groups.map { GroupRow($0, urls: urls) }
        let formatter = deps.instantFormatter(zone: scope.organization.timeZone)
        let recent = try await audit.map {
            AuditRow(when: formatter.string(from: $0.at), who: $0.userName ?? "—", what: describe($0))
        }
        let proposals = try await deps.database.adaptations(scope, states: [.proposed], limit: 20)
            .map { ProposalView($0, urls: urls, canDecide: true, isOwn: false, formatter: formatter) }
        let rows = try await deps.database.athletesToday(scope, today: scope.today(now: deps.clock.now())).map {
            AthleteRow(
                name: $0.name, href: urls.athlete($0.athleteId), plan: $0.planName ?? "No plan",
                planHref: $0.instanceId.map { urls.instance($0) }, status: $0.status?.label ?? "—",
                statusClass: $0.status?.rawValue ?? "none", today: $0.today ?? ($0.status == .active ? "Rest" : "—"))
        }
        return CoachDashboardPage(
            organizationName: scope.organization.name, athleteCount: try await athletes.count, groups: groupRows,
            hasGroups: !groupRows.isEmpty, athletesHref: urls.athletes, groupsHref: urls.groups,
            isAdmin: context.role.includes(.admin), membersHref: urls.members, recent: recent,
            hasRecent: !recent.isEmpty,
            athletes: rows, plansHref: urls.plans, proposals: proposals, hasProposals: !proposals.isEmpty,
            queueHref: urls.home + "#proposals")
    }

    static func describe(_ entry: AuditEntry) -> String {
        let action = entry.action.replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: ".", with: " ")
        return entry.detail.isEmpty ? action : "\(action): \(entry.detail)"
    }
}

/// A group in a list: its name, page and size.
struct GroupRow: Sendable {
    let name: String
    let href: String
    let count: Int

    init(_ group: GroupSummary, urls: SiteURL.Org) {
        name = group.name
        href = urls.group(group.id)
        count = group.memberCount
    }
}
