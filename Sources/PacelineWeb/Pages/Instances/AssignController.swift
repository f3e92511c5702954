import Foundation
import Hummingbird
import PacelineCore
import PacelineStore

/// Coaches: assign a plan template to athletes or a group, from a start date or back from a race date.
struct AssignController {
    let deps: AppDependencies

    func addRoutes(to routes: GuardedRoutes<TenantContext>) {
        routes.get("plans/:id/assign", use: form)
        routes.post("plans/:id/assign", use: assign)
    }

    @Sendable func form(_ request: Request, context: TenantContext) async throws -> Response {
        let plan = try await deps.database.plan(context.scope, id: try request.id(context))
        let page = try await AssignPage.load(deps, context, plan: plan, form: nil, errors: FieldErrors())
        return try await deps.pages.render(
            .plansAssign, page, title: "Assign \(plan.template.name)", request: request,
            context: context)
    }

    @Sendable func assign(_ request: Request, context: TenantContext) async throws -> Response {
        var request = request
        let plan = try await deps.database.plan(context.scope, id: try request.id(context))
        let form = try await request.form(context: context)
        func refuse(_ errors: FieldErrors) async throws -> Response {
            let page = try await AssignPage.load(deps, context, plan: plan, form: form, errors: errors)
            return try await deps.pages.render(
                .plansAssign, page, title: "Assign \(plan.template.name)", request: request,
                context: context, status: .unprocessableContent)
        }
        let assignment = try AssignForm(form)
        var (athleteIds, errors) = (assignment.athleteIds, FieldErrors())
        if let groupId = assignment.groupId {
            athleteIds += try await deps.database.group(context.scope, id: groupId).members.map(\.id)
        }
        athleteIds = Array(Set(athleteIds)).sorted()
        let placement = assignment.validate(
            athletes: athleteIds, today: context.scope.today(now: deps.clock.now()),
            errors: &errors)
        guard errors.isEmpty, let placement else { return try await refuse(errors) }
        let result: AssignmentResult
        do {
            result = try await deps.database.assign(
                context.scope, templateId: plan.id, athleteIds: athleteIds,
                groupId: assignment.groupId, placement: placement, now: deps.clock.now())
        } catch StoreError.invalid(let message) {
            var errors = FieldErrors()
            errors.add("athletes", message)
            return try await refuse(errors)
        }
        var message =
            "“\(plan.template.name)” assigned to \(result.created) "
            + "athlete\(result.created == 1 ? "" : "s")."
        if !result.overlapping.isEmpty {
            message +=
                " Note: \(result.overlapping.joined(separator: ", ")) already had a plan over some of these days; both "
                + "are active."
        }
        let urls = SiteURL.org(context.slug)
        let target = assignment.groupId.map { urls.group($0) } ?? urls.athlete(athleteIds[0])
        return .redirect(to: target, flash: result.overlapping.isEmpty ? .success(message) : .info(message))
    }
}

/// The assign form: athletes and/or a group, and a start date or a race date.
struct AssignForm: Sendable {
    let form: FormData
    let athleteIds: [Int64]
    let groupId: Int64?

    /// Reads the choices; a group id that is not a number is a 404 (no such group), as before any lookup.
    init(_ form: FormData) throws {
        self.form = form
        athleteIds = form.all("athlete_id").prefix(10_000).compactMap { Int64($0) }
        if form["group_id"].isEmpty {
            groupId = nil
        } else {
            guard let id = Int64(form["group_id"]) else { throw StoreError.notFound }
            groupId = id
        }
    }

    /// The placement, or nil with the errors by field (`athletes` are all chosen, the group's included).
    func validate(athletes: [Int64], today: CalendarDate, errors: inout FieldErrors) -> PlanPlacement? {
        if athletes.isEmpty { errors.add("athletes", "Choose athletes or a group with members.") }
        // The coach says which date places the plan (`anchor`); without that choice, both dates given is
        // a question, not a guess — a typed start date is never dropped in favour of a prefilled race date.
        let start = form["start_date"].trimmingCharacters(in: .whitespaces)
        let race = form["race_date"].trimmingCharacters(in: .whitespaces)
        let anchor = form["anchor"]
        let byRace: Bool
        switch anchor {
        case "race": byRace = true
        case "start": byRace = false
        default:
            if !start.isEmpty && !race.isEmpty {
                let both = "Give a start date or a race date, not both: choose which one places the plan."
                errors.add("start_date", both)
                errors.add("race_date", both)
                return nil
            }
            byRace = !race.isEmpty
        }
        var placement: PlanPlacement?
        if byRace {
            if let date = CalendarDate(race) {
                placement = .raceDate(date)
            } else {
                errors.add("race_date", race.isEmpty ? "Enter the race date." : "Enter the race date as YYYY-MM-DD.")
            }
        } else if let date = CalendarDate(start) {
            placement = .start(date)
        } else {
            let words = start.isEmpty ? "Enter a start date (YYYY-MM-DD)." : "Enter the start date as YYYY-MM-DD."
            errors.add("start_date", words)
        }
        if let placement, let problem = placement.problem(today: today) {
            if case .raceDate = placement {
                errors.add("race_date", problem)
            } else {
                errors.add("start_date", problem)
            }
        }
        return placement
    }
}

/// The assign page: who, from when, with the plan's length.
struct AssignPage: Sendable {
    let planName: String
    let action: String
    let athletes: [SelectOption]
    let groups: [SelectOption]
    let startDate: Field
    let raceDate: Field
    /// Which date places the plan: the race date when the plan has a goal race, else the start date.
    let byRace: Bool
    let error: String?
    let weeks: Int

    static func load(
        _ deps: AppDependencies, _ context: TenantContext, plan: StoredPlan, form: FormData?,
        errors: FieldErrors
    ) async throws -> AssignPage {
        let chosen = Set(form?.all("athlete_id") ?? [])
        let athletes = try await deps.database.athletes(context.scope)
        let groups = try await deps.database.groups(context.scope)
        let nextMonday = context.scope.today(now: deps.clock.now()).mondayOfWeek.adding(days: 7)
        let goalDate = plan.template.goal?.date
        return AssignPage(
            planName: plan.template.name, action: SiteURL.org(context.slug).planAssign(plan.id),
            athletes: athletes.map {
                .init(value: String($0.id), label: $0.name, selected: chosen.contains(String($0.id)))
            },
            groups: [SelectOption(value: "", label: "No group", selected: (form?["group_id"] ?? "").isEmpty)]
                + groups.map {
                    .init(
                        value: String($0.id), label: "\($0.name) (\($0.memberCount))",
                        selected: form?["group_id"] == String($0.id))
                },
            startDate: Field(form?["start_date"] ?? nextMonday.description, error: errors["start_date"]),
            raceDate: Field(form?["race_date"] ?? (goalDate?.description ?? ""), error: errors["race_date"]),
            byRace: form.map { $0["anchor"] == "race" } ?? (goalDate != nil),
            error: errors["athletes"], weeks: plan.template.weeks.count)
    }
}
