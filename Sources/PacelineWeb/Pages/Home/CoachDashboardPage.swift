import Foundation
import PacelineCore
import PacelineStore

/// A coach's overview of the organization: athletes with today's session, proposals waiting for
/// a decision, groups and recent changes.
struct CoachDashboardPage: Sendable {
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
    /// The athletes needing attention (the board's first rows), at most `attentionLimit`.
    let athletes: [AthleteBoardPage.Row]
    let hasAthletes: Bool
    let attentionTitle: String
    let boardLink: String
    let boardHref: String
    let plansHref: String
    let validationHref: String
    let proposals: [ProposalView]
    let hasProposals: Bool
    /// Where Accept/Reject return: this queue.
    let queueHref: String

    static let attentionLimit = 15

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
        // The board's order, cut to those with a flag; a coach with assigned athletes sees theirs.
        let today = scope.today(now: deps.clock.now())
        let triage = try await deps.database.triage(scope, today: today)
        var filter = AthleteBoardPage.Filter { _ in "" }
        filter.mine = triage.contains { $0.coachUserIds.contains(scope.user.id) }
        let shown = AthleteBoardPage.rows(triage, filter: filter, coachUserId: scope.user.id, today: today)
        let flagged = shown.filter { $0.attention(today: today) > 0 }
        let rows = flagged.prefix(Self.attentionLimit).map { AthleteBoardPage.row($0, urls: urls, today: today) }
        let boardHref = filter.href(urls.athletes, page: 1)
        return CoachDashboardPage(
            organizationName: scope.organization.name, athleteCount: try await athletes.count, groups: groupRows,
            hasGroups: !groupRows.isEmpty, athletesHref: urls.athletes, groupsHref: urls.groups,
            isAdmin: context.role.includes(.admin), membersHref: urls.members, recent: recent,
            hasRecent: !recent.isEmpty,
            athletes: rows, hasAthletes: !rows.isEmpty,
            attentionTitle: filter.mine ? "Your athletes needing attention" : "Athletes needing attention",
            boardLink: flagged.count > rows.count
                ? "See all \(flagged.count) on the board"
                : "Open the board (\(filter.mine ? "your " : "")\(shown.count) athlete\(shown.count == 1 ? "" : "s"))",
            boardHref: boardHref, plansHref: urls.plans, validationHref: urls.engineValidation,
            proposals: proposals, hasProposals: !proposals.isEmpty,
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
