import Foundation
import Hummingbird
import PacelineCore
import PacelineStore

/// Groups of athletes: create, rename, delete, add and remove members.
struct GroupsController {
    let deps: AppDependencies

    func addRoutes(to routes: GuardedRoutes<TenantContext>) {
        routes.get("groups", use: index)
        routes.post("groups", use: create)
        routes.get("groups/:id", use: show)
        routes.post("groups/:id/rename", use: rename)
        routes.post("groups/:id/delete", use: delete)
        routes.post("groups/:id/members", use: addMember)
        routes.post("groups/:id/members/:athlete/remove", use: removeMember)
    }

    @Sendable func index(_ request: Request, context: TenantContext) async throws -> Response {
        try await renderIndex(request, context)
    }

    private func renderIndex(
        _ request: Request, _ context: TenantContext, name: Field = Field(), status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let urls = SiteURL.org(context.slug)
        let groups = try await deps.database.groups(context.scope).map {
            GroupRow($0, urls: urls)
        }
        let page = IndexPage(groups: groups, hasGroups: !groups.isEmpty, action: urls.groups, name: name)
        return try await deps.pages.render(
            .groupsIndex, page, title: "Groups", request: request, context: context, status: status)
    }

    @Sendable func create(_ request: Request, context: TenantContext) async throws -> Response {
        var request = request
        let form = try await request.form(context: context)
        do {
            let name = try FieldRules.name(form["name"], field: "Group name")
            let id = try await deps.database.createGroup(context.scope, name: name, now: deps.clock.now())
            return .redirect(to: SiteURL.org(context.slug).group(id), flash: .success("Group “\(name)” created."))
        } catch let invalid as FieldRules.Invalid {
            return try await renderIndex(
                request, context, name: Field(String(form["name"].prefix(200)), error: invalid.message),
                status: .unprocessableContent)
        } catch StoreError.invalid(let message) {
            return try await renderIndex(
                request, context, name: Field(String(form["name"].prefix(200)), error: message),
                status: .unprocessableContent)
        }
    }

    private func renderShow(
        _ request: Request, _ context: TenantContext, id: Int64, status: HTTPResponse.Status = .ok,
        adjust: (inout ShowPage) -> Void = { _ in }
    ) async throws -> Response {
        let urls = SiteURL.org(context.slug)
        let group = try await deps.database.group(context.scope, id: id)
        let memberIds = Set(group.members.map(\.id))
        let candidates = try await deps.database.athletes(context.scope).filter { !memberIds.contains($0.id) }
        var page = ShowPage(
            name: group.name,
            members: group.members.map {
                .init(
                    name: $0.name, href: urls.athlete($0.id), removeAction: urls.groupMemberRemove(id, athlete: $0.id))
            },
            hasMembers: !group.members.isEmpty,
            candidates: candidates.map { .init(value: String($0.id), label: $0.name, selected: false) },
            hasCandidates: !candidates.isEmpty,
            addAction: urls.groupMembers(id), renameAction: urls.groupRename(id), deleteAction: urls.groupDelete(id),
            rename: Field(group.name))
        page.assignments = try await deps.database.groupAssignments(context.scope, groupId: id).map { a in
            AssignmentView(
                name: a.name, placement: a.placement,
                members: a.members.map {
                    .init(
                        name: $0.name, status: $0.status?.label ?? "Not on this plan",
                        statusClass: $0.status?.rawValue ?? "none",
                        href: $0.instanceId.map { urls.instance($0) } ?? urls.athlete($0.athleteId))
                },
                latecomers: a.latecomers,
                latecomersLabel: a.latecomers <= 0
                    ? "" : "Give the plan to \(a.latecomers) newer member\(a.latecomers == 1 ? "" : "s")",
                pauseAction: urls.groupAssignment(id, a.id, "pause"),
                resumeAction: urls.groupAssignment(id, a.id, "resume"),
                cancelAction: urls.groupAssignment(id, a.id, "cancel"),
                latecomersAction: urls.groupAssignment(id, a.id, "latecomers"))
        }
        page.hasAssignments = !page.assignments.isEmpty
        page.plansHref = urls.plans
        page.coaches = try await CoachesView.load(deps.database, context, groupId: id)
        adjust(&page)
        return try await deps.pages.render(
            .groupsShow, page, title: group.name, request: request, context: context, status: status)
    }

    @Sendable func show(_ request: Request, context: TenantContext) async throws -> Response {
        try await renderShow(request, context, id: try request.id(context))
    }

    @Sendable func rename(_ request: Request, context: TenantContext) async throws -> Response {
        var request = request
        let id = try request.id(context)
        let form = try await request.form(context: context)
        do {
            let name = try FieldRules.name(form["name"], field: "Group name")
            try await deps.database.renameGroup(context.scope, id: id, name: name, now: deps.clock.now())
            return .redirect(to: SiteURL.org(context.slug).group(id), flash: .success("Group renamed."))
        } catch let invalid as FieldRules.Invalid {
            return try await renderShow(request, context, id: id, status: .unprocessableContent) {
                $0.rename = Field(String(form["name"].prefix(200)), error: invalid.message)
            }
        } catch StoreError.invalid(let message) {
            return try await renderShow(request, context, id: id, status: .unprocessableContent) {
                $0.rename = Field(String(form["name"].prefix(200)), error: message)
            }
        }
    }

    @Sendable func delete(_ request: Request, context: TenantContext) async throws -> Response {
        var request = request
        let id = try request.id(context)
        let group = try await deps.database.group(context.scope, id: id)
        if let ask = try await ConfirmPage.ask(
            deps, request, context, form: try await request.form(context: context),
            question: "Delete the group “\(group.name)”?",
            consequence: "The group and its list of members go. The athletes stay in the organization and keep "
                + "the plans they were given.",
            button: "Yes, delete the group", back: SiteURL.org(context.slug).group(id))
        {
            return ask
        }
        try await deps.database.deleteGroup(context.scope, id: id, now: deps.clock.now())
        return .redirect(
            to: SiteURL.org(context.slug).groups,
            flash: .success("Group deleted. Its athletes stay in the organization."))
    }

    @Sendable func addMember(_ request: Request, context: TenantContext) async throws -> Response {
        var request = request
        let id = try request.id(context)
        let form = try await request.form(context: context)
        let athleteIds = form.all("athlete_id").prefix(500).compactMap { Int64($0) }.filter { $0 > 0 }
        guard !athleteIds.isEmpty else {
            return try await renderShow(request, context, id: id, status: .unprocessableContent) {
                $0.addError = "Choose an athlete to add."
            }
        }
        for athleteId in athleteIds {
            try await deps.database.addToGroup(context.scope, groupId: id, athleteId: athleteId, now: deps.clock.now())
        }
        return .redirect(
            to: SiteURL.org(context.slug).group(id),
            flash: .success(athleteIds.count == 1 ? "Athlete added." : "\(athleteIds.count) athletes added."))
    }

    @Sendable func removeMember(_ request: Request, context: TenantContext) async throws -> Response {
        let id = try request.id(context)
        let athleteId = try request.id(context, "athlete")
        try await deps.database.removeFromGroup(context.scope, groupId: id, athleteId: athleteId, now: deps.clock.now())
        return .redirect(to: SiteURL.org(context.slug).group(id), flash: .success("Athlete removed from the group."))
    }
}
