import Foundation
import PacelineCore
import PacelineStore

/// Who coaches an athlete or a group, on their pages: the names, and for admins the controls to
/// assign a coach or take one off. An athlete's list includes the coaches of their groups.
struct CoachesView: Sendable {
    struct Row: Sendable {
        let name: String
        let via: String
        let removeAction: String?
    }
    let rows: [Row]
    let hasRows: Bool
    let canAssign: Bool
    let options: [SelectOption]
    let assignAction: String
    let back: String

    static func load(
        _ database: AppDatabase, _ context: TenantContext, athleteId: Int64? = nil, groupId: Int64? = nil,
        groupIds: Set<Int64> = [], groupNames: [Int64: String] = [:]
    ) async throws -> CoachesView {
        let urls = SiteURL.org(context.slug)
        let canAssign = context.role.includes(.admin)
        let assignments = try await database.coachAssignments(context.scope)
        let rows = assignments.compactMap { a -> Row? in
            let direct = (athleteId != nil && a.athleteId == athleteId) || (groupId != nil && a.groupId == groupId)
            let viaGroup = a.groupId.map { groupIds.contains($0) } ?? false
            guard direct || viaGroup else { return nil }
            return Row(
                name: a.coachName, via: direct ? "" : "through \(a.groupId.flatMap { groupNames[$0] } ?? "a group")",
                removeAction: direct && canAssign ? urls.coachAssignmentRemove(a.id) : nil)
        }
        let coaches = canAssign ? try await database.members(context.scope).filter { $0.role.includes(.coach) } : []
        let back = athleteId.map(urls.athlete) ?? groupId.map(urls.group) ?? urls.athletes
        return CoachesView(
            rows: rows, hasRows: !rows.isEmpty, canAssign: canAssign,
            options: coaches.map { SelectOption(value: String($0.userId), label: $0.name, selected: false) },
            assignAction: back + "/coaches", back: back)
    }
}
