import Foundation
import PacelineAPI
import PacelineCore
import PacelineStore

/// The coaching operations: the organization's athletes, groups, plan templates, plan instances and
/// the engine's proposals. Every one needs a coach or admin token (403 otherwise).
extension APIService {
    func coach() throws -> APICaller {
        let caller = try APICaller.get()
        try caller.requireCoach()
        return caller
    }

    func listAthletes(_ input: Operations.ListAthletes.Input) async throws -> Operations.ListAthletes.Output {
        let caller = try coach()
        let page = try APIPage(limit: input.query.limit, cursor: input.query.cursor)
        let organization = caller.scope.organization
        let (items, next) = try page.slice(try await deps.database.athletes(caller.scope))
        return .ok(
            .init(
                body: .json(
                    S.AthletePage(
                        items: items.map { APIRepresentation.athlete($0, organization: organization) },
                        nextCursor: next))))
    }

    func getAthlete(_ input: Operations.GetAthlete.Input) async throws -> Operations.GetAthlete.Output {
        let caller = try coach()
        let athlete = try await deps.database.athlete(caller.scope, id: input.path.id)
        return .ok(.init(body: .json(APIRepresentation.athlete(athlete, organization: caller.scope.organization))))
    }

    func listGroups(_ input: Operations.ListGroups.Input) async throws -> Operations.ListGroups.Output {
        let caller = try coach()
        var groups: [S.Group] = []
        for summary in try await deps.database.groups(caller.scope) {
            let detail = try await deps.database.group(caller.scope, id: summary.id)
            groups.append(S.Group(id: detail.id, name: detail.name, athleteIds: detail.members.map(\.id)))
        }
        return .ok(.init(body: .json(S.GroupList(items: groups))))
    }

    func listPlans(_ input: Operations.ListPlans.Input) async throws -> Operations.ListPlans.Output {
        let caller = try coach()
        let page = try APIPage(limit: input.query.limit, cursor: input.query.cursor)
        let all = try await deps.database.plans(caller.scope).sorted { ($0.updatedAt, $0.id) > ($1.updatedAt, $1.id) }
        let (items, next) = try page.slice(all)
        return .ok(.init(body: .json(S.PlanPage(items: items.map(APIRepresentation.planSummary), nextCursor: next))))
    }

    func getPlan(_ input: Operations.GetPlan.Input) async throws -> Operations.GetPlan.Output {
        let caller = try coach()
        let plan = try await deps.database.plan(caller.scope, id: input.path.id)
        return .ok(.init(body: .json(APIRepresentation.plan(plan, units: caller.scope.organization.units))))
    }

    func listInstances(_ input: Operations.ListInstances.Input) async throws -> Operations.ListInstances.Output {
        let caller = try coach()
        let page = try APIPage(limit: input.query.limit, cursor: input.query.cursor)
        let status = input.query.status.flatMap { InstanceStatus(rawValue: $0.rawValue) }
        let all = try await deps.database.allInstances(caller.scope, athleteId: input.query.athleteId, status: status)
        let (items, next) = try page.slice(all)
        return .ok(
            .init(body: .json(S.InstancePage(items: items.map { APIRepresentation.instance($0) }, nextCursor: next))))
    }

    func getInstance(_ input: Operations.GetInstance.Input) async throws -> Operations.GetInstance.Output {
        let caller = try coach()
        let detail = try await deps.database.instance(caller.scope, id: input.path.id)
        return .ok(.init(body: .json(APIRepresentation.instance(detail.summary, events: detail.events))))
    }

    /// Pause (from the athlete's today), resume or cancel, with the pages' rules: a change that does
    /// not apply to the instance's state is a 422 with the store's reason.
    func changeInstance(_ input: Operations.ChangeInstance.Input) async throws -> Operations.ChangeInstance.Output {
        let caller = try coach()
        guard let action = InstanceAction(rawValue: input.path.action.rawValue) else { throw APIProblem.notFound }
        let summary = try await deps.database.instance(caller.scope, id: input.path.id).summary
        let athlete = try await deps.database.athlete(caller.scope, id: summary.athleteId)
        let today = Viewer(athlete, organization: caller.scope.organization, now: now).today
        try await deps.database.transition(caller.scope, instanceId: summary.id, action, today: today, now: now)
        let detail = try await deps.database.instance(caller.scope, id: summary.id)
        return .ok(.init(body: .json(APIRepresentation.instance(detail.summary, events: detail.events))))
    }

    func listProposals(_ input: Operations.ListProposals.Input) async throws -> Operations.ListProposals.Output {
        let caller = try coach()
        let page = try APIPage(limit: input.query.limit, cursor: input.query.cursor)
        if let id = input.query.athleteId { _ = try await deps.database.athlete(caller.scope, id: id) }
        let states = input.query.state.flatMap { AdaptationState(rawValue: $0.rawValue) }.map { [$0] }
        let offset = try page.offset()
        let read = try await deps.database.adaptations(
            caller.scope, athleteId: input.query.athleteId, states: states, limit: offset + page.limit + 1)
        let (items, next) = try page.slice(read)
        return .ok(
            .init(body: .json(S.ProposalPage(items: items.map(APIRepresentation.proposal), nextCursor: next))))
    }

    func decideProposal(_ input: Operations.DecideProposal.Input) async throws -> Operations.DecideProposal.Output {
        let caller = try coach()
        let id = input.path.id
        try await deps.database.decideAdaptation(caller.scope, id: id, accept: input.path.decision == .accept, now: now)
        let record = try await deps.database.adaptation(caller.scope, id: id)
        return .ok(.init(body: .json(APIRepresentation.proposal(record))))
    }
}
