import Foundation
import PacelineCore
import PacelineStore

/// The group pages' view models.
extension GroupsController {
    struct IndexPage {
        let groups: [GroupRow]
        let hasGroups: Bool
        let action: String
        var name = Field()
    }

    struct ShowPage {
        struct MemberRow {
            let name: String
            let href: String
            let removeAction: String
        }
        let name: String
        let members: [MemberRow]
        let hasMembers: Bool
        let candidates: [SelectOption]
        let hasCandidates: Bool
        let addAction: String
        let renameAction: String
        let deleteAction: String
        var rename: Field
        var addError: String?
        var assignments: [AssignmentView] = []
        var hasAssignments = false
        var plansHref = ""
        var coaches: CoachesView?
    }

    struct AssignmentView {
        struct Member {
            let name: String
            let status: String
            let statusClass: String
            let href: String
        }
        let name: String
        let placement: String
        let members: [Member]
        let latecomers: Int
        /// "Give the plan to 2 newer members", or "" (no button) when every member has it.
        let latecomersLabel: String
        let pauseAction: String
        let resumeAction: String
        let cancelAction: String
        let latecomersAction: String
    }
}
