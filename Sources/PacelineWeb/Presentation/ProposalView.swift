import Foundation
import PacelineCore
import PacelineStore

/// A proposal of the adaptive engine, as the coach dashboard and the athlete's form page list it.
struct ProposalView: Sendable {
    let id: Int64
    let athleteName: String
    let athleteHref: String
    let title: String
    let kind: String
    let explanation: String
    let changes: [String]
    let state: String
    let stateLabel: String
    let when: String
    let isProposed: Bool
    let isApplied: Bool
    let acceptAction: String
    let rejectAction: String
    let undoAction: String
    let canDecide: Bool

    /// `isOwn`: the athlete reads their own proposals ("your HRV"); anyone else reads "their HRV".
    init(_ record: AdaptationRecord, urls: SiteURL.Org, canDecide: Bool, isOwn: Bool, formatter: DateFormatter) {
        id = record.id
        athleteName = record.athleteName
        athleteHref = urls.athleteForm(record.athleteId)
        title = record.title
        kind = record.kind.label
        explanation = Voice.about(record.explanation, isOwn: isOwn)
        changes = record.changes.map { Voice.about($0.words, isOwn: isOwn) }
        state = record.state.rawValue
        stateLabel = record.state.label
        when = formatter.string(from: record.decidedAt ?? record.createdAt)
        isProposed = record.state == .proposed
        isApplied = record.state == .applied
        acceptAction = urls.adaptation(record.id, "accept")
        rejectAction = urls.adaptation(record.id, "reject")
        undoAction = urls.adaptation(record.id, "undo")
        self.canDecide = canDecide
    }
}
