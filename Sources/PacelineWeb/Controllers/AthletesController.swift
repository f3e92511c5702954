import Foundation
import Hummingbird
import PacelineCore
import PacelineStore

/// Coaches' athlete list and athlete profiles.
struct AthletesController {
    let deps: AppDependencies

    func addRoutes(to routes: GuardedRoutes<TenantContext>) {
        routes.get("athletes", use: index)
        routes.get("athletes/:id", use: show)
        routes.post("athletes/:id", use: update)
    }

    struct IndexPage {
        struct Row {
            let name: String
            let email: String
            let href: String
            let groups: String
            let vdot: String
        }
        let query: String
        let rows: [Row]
        let hasRows: Bool
        let isAdmin: Bool
        let membersHref: String
        let action: String
    }

    @Sendable func index(_ request: Request, context: TenantContext) async throws -> Response {
        let query = String(request.query("q").trimmingCharacters(in: .whitespaces).prefix(100))
        let urls = SiteURL.org(context.slug)
        let athletes = try await deps.database.athletes(context.scope, search: query)
        let groups = try await deps.database.groupsByAthlete(context.scope)
        let rows = athletes.map {
            IndexPage.Row(name: $0.name, email: $0.email, href: urls.athlete($0.id),
                          groups: (groups[$0.id] ?? []).joined(separator: ", "),
                          vdot: $0.vdot.map { String(format: "%.1f", $0) } ?? "—")
        }
        let page = IndexPage(query: query, rows: rows, hasRows: !rows.isEmpty, isAdmin: context.role.includes(.admin),
                             membersHref: urls.members, action: urls.athletes)
        return try await deps.pages.render("athletes/index", page, title: "Athletes", request: request, context: context)
    }

    struct ShowPage {
        let name: String
        let email: String
        let groups: [Chrome.Link]
        let hasGroups: Bool
        let notesHTML: SafeHTML
        let hasNotes: Bool
        let vdot: String?
        let vdotSource: String?
        let action: String
        var phone: Field
        var notes: Field
        var units: [SelectOption]
        var timeZone: Field
        var maxHR: Field
        var restingHR: Field
        var summary: String?
        var plans: [PlanRow] = []
        var hasPlans = false
        var compliance: [LogController.ComplianceView] = []
        var activitiesHref = ""
        var checkInHref = ""
        var importHref = ""
        var formHref = ""
    }

    struct PlanRow {
        let name: String
        let href: String
        let status: String
        let statusClass: String
        let dates: String
        let canPause: Bool
        let canResume: Bool
        let canCancel: Bool
        let pauseAction: String
        let resumeAction: String
        let cancelAction: String
    }

    func planRows(_ athleteId: Int64, _ context: TenantContext) async throws -> [PlanRow] {
        let urls = SiteURL.org(context.slug)
        return try await deps.database.instances(context.scope, athleteId: athleteId).map {
            let status = $0.state.status
            return PlanRow(name: $0.name, href: urls.instance($0.id), status: status.label, statusClass: status.rawValue,
                           dates: [$0.firstDate?.description, $0.lastDate?.description].compactMap { $0 }.joined(separator: " – "),
                           canPause: status == .active, canResume: status == .paused, canCancel: !status.isFinal,
                           pauseAction: urls.instanceOp($0.id, "pause"), resumeAction: urls.instanceOp($0.id, "resume"),
                           cancelAction: urls.instanceOp($0.id, "cancel"))
        }
    }

    func page(_ athlete: Athlete, context: TenantContext, form: FormData? = nil, errors: FieldErrors = FieldErrors()) -> ShowPage {
        let urls = SiteURL.org(context.slug)
        func field(_ key: String, _ current: String) -> Field {
            Field(form.map { String($0[key].prefix(FieldRules.maxNoteLength + 10)) } ?? current, error: errors[key])
        }
        return ShowPage(
            name: athlete.name, email: athlete.email,
            groups: athlete.groups.map { Chrome.Link(label: $0.name, href: urls.group($0.id), current: false) },
            hasGroups: !athlete.groups.isEmpty, notesHTML: Markdown.html(athlete.notes), hasNotes: !athlete.notes.isEmpty,
            vdot: athlete.vdot.map { String(format: "%.1f", $0) }, vdotSource: athlete.vdotSource,
            action: urls.athlete(athlete.id),
            phone: field("phone", athlete.phone), notes: field("notes", athlete.notes),
            units: SelectOption.units(selected: form.map { UnitSystem(rawValue: $0["units"]) } ?? athlete.units),
            timeZone: field("time_zone", athlete.timeZone ?? ""),
            maxHR: field("max_hr", athlete.maxHR.map(String.init) ?? ""),
            restingHR: field("resting_hr", athlete.restingHR.map(String.init) ?? ""),
            summary: errors.summary)
    }

    @Sendable func show(_ request: Request, context: TenantContext) async throws -> Response {
        let athlete = try await deps.database.athlete(context.scope, id: try request.id(context))
        var model = page(athlete, context: context)
        model.plans = try await planRows(athlete.id, context)
        model.hasPlans = !model.plans.isEmpty
        try await addLog(&model, athlete, context)
        return try await deps.pages.render("athletes/show", model, title: athlete.name, request: request, context: context)
    }

    /// Planned vs done and the links to the athlete's log.
    func addLog(_ model: inout ShowPage, _ athlete: Athlete, _ context: TenantContext) async throws {
        let log = LogController(deps: deps)
        let subject = log.subject(athlete, context)
        model.compliance = try await LogController.compliance(deps.database, context.scope, subject)
        model.activitiesHref = subject.log.activities
        model.checkInHref = subject.log.checkIn
        model.importHref = subject.log.importCSV
        model.formHref = SiteURL.org(context.slug).athleteForm(athlete.id)
    }

    @Sendable func update(_ request: Request, context: TenantContext) async throws -> Response {
        var request = request
        let id = try request.id(context)
        let athlete = try await deps.database.athlete(context.scope, id: id)
        let form = try await request.form(context: context)
        var errors = FieldErrors()
        let phone = form["phone"].trimmingCharacters(in: .whitespaces)
        if phone.count > 40 { errors.add("phone", "Phone must be at most 40 characters.") }
        let notes = errors.check("notes") { try FieldRules.note(form["notes"]) }
        let units = form["units"].isEmpty ? nil : errors.check("units") { try FieldRules.units(form["units"]) }
        let timeZone = form["time_zone"].isEmpty ? nil : errors.check("time_zone") { try FieldRules.timeZone(form["time_zone"]) }
        let maxHR = optionalInt(form["max_hr"], in: 100...240, field: "max_hr", label: "Maximum heart rate", errors: &errors)
        let restingHR = optionalInt(form["resting_hr"], in: 25...120, field: "resting_hr", label: "Resting heart rate", errors: &errors)
        if let maxHR, let restingHR, maxHR <= restingHR + 20 {
            errors.add("max_hr", "Maximum heart rate must be well above resting heart rate.")
        }
        guard errors.isEmpty, let notes else {
            return try await deps.pages.render("athletes/show", page(athlete, context: context, form: form, errors: errors), title: athlete.name,
                                               request: request, context: context, status: .unprocessableContent)
        }
        try await deps.database.updateAthlete(context.scope, id: id, AthleteProfileUpdate(
            phone: phone, notes: notes, units: units, timeZone: timeZone, maxHR: maxHR, restingHR: restingHR), now: deps.clock.now())
        return .redirect(to: SiteURL.org(context.slug).athlete(id), flash: .success("Profile saved."))
    }

    func optionalInt(_ raw: String, in range: ClosedRange<Int>, field: String, label: String, errors: inout FieldErrors) -> Int? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return nil }
        guard text.count <= 6, let value = Int(text), range.contains(value) else {
            errors.add(field, "\(label) must be a whole number from \(range.lowerBound) to \(range.upperBound).")
            return nil
        }
        return value
    }
}

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

    struct IndexPage {
        let groups: [DashboardController.GroupRow]
        let hasGroups: Bool
        let action: String
        var name = Field()
    }

    @Sendable func index(_ request: Request, context: TenantContext) async throws -> Response {
        try await renderIndex(request, context)
    }

    private func renderIndex(_ request: Request, _ context: TenantContext, name: Field = Field(), status: HTTPResponse.Status = .ok) async throws -> Response {
        let urls = SiteURL.org(context.slug)
        let groups = try await deps.database.groups(context.scope).map {
            DashboardController.GroupRow(name: $0.name, href: urls.group($0.id), count: $0.memberCount)
        }
        let page = IndexPage(groups: groups, hasGroups: !groups.isEmpty, action: urls.groups, name: name)
        return try await deps.pages.render("groups/index", page, title: "Groups", request: request, context: context, status: status)
    }

    @Sendable func create(_ request: Request, context: TenantContext) async throws -> Response {
        var request = request
        let form = try await request.form(context: context)
        do {
            let name = try FieldRules.name(form["name"], field: "Group name")
            let id = try await deps.database.createGroup(context.scope, name: name, now: deps.clock.now())
            return .redirect(to: SiteURL.org(context.slug).group(id), flash: .success("Group “\(name)” created."))
        } catch let invalid as FieldRules.Invalid {
            return try await renderIndex(request, context, name: Field(String(form["name"].prefix(200)), error: invalid.message), status: .unprocessableContent)
        } catch StoreError.conflict(let message) {
            return try await renderIndex(request, context, name: Field(String(form["name"].prefix(200)), error: message), status: .unprocessableContent)
        }
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
        let pauseAction: String
        let resumeAction: String
        let cancelAction: String
        let latecomersAction: String
    }

    private func renderShow(_ request: Request, _ context: TenantContext, id: Int64, status: HTTPResponse.Status = .ok,
                            adjust: (inout ShowPage) -> Void = { _ in }) async throws -> Response {
        let urls = SiteURL.org(context.slug)
        let group = try await deps.database.group(context.scope, id: id)
        let memberIds = Set(group.members.map(\.id))
        let candidates = try await deps.database.athletes(context.scope).filter { !memberIds.contains($0.id) }
        var page = ShowPage(
            name: group.name,
            members: group.members.map { .init(name: $0.name, href: urls.athlete($0.id), removeAction: urls.groupMemberRemove(id, athlete: $0.id)) },
            hasMembers: !group.members.isEmpty,
            candidates: candidates.map { .init(value: String($0.id), label: $0.name, selected: false) },
            hasCandidates: !candidates.isEmpty,
            addAction: urls.groupMembers(id), renameAction: urls.groupRename(id), deleteAction: urls.groupDelete(id),
            rename: Field(group.name))
        page.assignments = try await deps.database.groupAssignments(context.scope, groupId: id).map { a in
            AssignmentView(name: a.name, placement: a.placement,
                           members: a.members.map { .init(name: $0.name, status: $0.status?.label ?? "Not on this plan",
                                                          statusClass: $0.status?.rawValue ?? "none", href: $0.instanceId.map { urls.instance($0) } ?? urls.athlete($0.athleteId)) },
                           latecomers: a.latecomers, pauseAction: urls.groupAssignment(id, a.id, "pause"), resumeAction: urls.groupAssignment(id, a.id, "resume"),
                           cancelAction: urls.groupAssignment(id, a.id, "cancel"), latecomersAction: urls.groupAssignment(id, a.id, "latecomers"))
        }
        page.hasAssignments = !page.assignments.isEmpty
        page.plansHref = urls.plans
        adjust(&page)
        return try await deps.pages.render("groups/show", page, title: group.name, request: request, context: context, status: status)
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
        } catch StoreError.conflict(let message) {
            return try await renderShow(request, context, id: id, status: .unprocessableContent) {
                $0.rename = Field(String(form["name"].prefix(200)), error: message)
            }
        }
    }

    @Sendable func delete(_ request: Request, context: TenantContext) async throws -> Response {
        try await deps.database.deleteGroup(context.scope, id: try request.id(context), now: deps.clock.now())
        return .redirect(to: SiteURL.org(context.slug).groups, flash: .success("Group deleted. Its athletes stay in the organization."))
    }

    @Sendable func addMember(_ request: Request, context: TenantContext) async throws -> Response {
        var request = request
        let id = try request.id(context)
        let form = try await request.form(context: context)
        let athleteIds = form.all("athlete_id").prefix(500).compactMap { Int64($0) }.filter { $0 > 0 }
        guard !athleteIds.isEmpty else {
            return try await renderShow(request, context, id: id, status: .unprocessableContent) { $0.addError = "Choose an athlete to add." }
        }
        for athleteId in athleteIds {
            try await deps.database.addToGroup(context.scope, groupId: id, athleteId: athleteId, now: deps.clock.now())
        }
        return .redirect(to: SiteURL.org(context.slug).group(id), flash: .success(athleteIds.count == 1 ? "Athlete added." : "\(athleteIds.count) athletes added."))
    }

    @Sendable func removeMember(_ request: Request, context: TenantContext) async throws -> Response {
        let id = try request.id(context)
        let athleteId = try request.id(context, "athlete")
        try await deps.database.removeFromGroup(context.scope, groupId: id, athleteId: athleteId, now: deps.clock.now())
        return .redirect(to: SiteURL.org(context.slug).group(id), flash: .success("Athlete removed from the group."))
    }
}
