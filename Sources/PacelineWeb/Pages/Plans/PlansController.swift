import Foundation
import Hummingbird
import PacelineCore
import PacelineStore

/// Plan templates: list, create, the week × day editor (forms first, drag as an enhancement),
/// editing a placed workout, and the generator.
struct PlansController {
    let deps: AppDependencies

    func addRoutes(to routes: GuardedRoutes<TenantContext>) {
        routes.get("plans", use: index)
        routes.post("plans", use: create)
        routes.get("plans/generate", use: generateForm)
        routes.post("plans/generate", use: generate)
        routes.get("plans/:id/edit", use: edit)
        routes.post("plans/:id/place", use: place)
        routes.post("plans/:id/move", use: move)
        routes.post("plans/:id/rest", use: rest)
        routes.post("plans/:id/weeks", use: weeks)
        routes.post("plans/:id/details", use: details)
        routes.post("plans/:id/delete", use: delete)
    }

    // MARK: List and create

    func renderIndex(
        _ request: Request, _ context: TenantContext, name: Field = Field(), weeks: Field = Field("12"),
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let urls = SiteURL.org(context.slug)
        let plans = try await deps.database.plans(context.scope)
        let page = IndexPage(
            rows: plans.map {
                .init(
                    name: $0.name, href: urls.planEdit($0.id), weeks: $0.weeks, level: $0.level.rawValue.capitalized,
                    source: $0.source == .generated ? "Generated" : "Built by hand")
            },
            hasRows: !plans.isEmpty, action: urls.plans, generateHref: urls.planGenerate, name: name, weeks: weeks)
        return try await deps.pages.render(
            .plansIndex, page, title: "Plans", request: request, context: context, status: status)
    }

    @Sendable func index(_ request: Request, context: TenantContext) async throws -> Response {
        try await renderIndex(request, context)
    }

    @Sendable func create(_ request: Request, context: TenantContext) async throws -> Response {
        var request = request
        let form = try await request.form(context: context)
        var errors = FieldErrors()
        let name = errors.check("name") { try FieldRules.name(form["name"], field: "Plan name") }
        let weeks = NumberInput.whole(form["weeks"])
        if weeks.map({ !(1...PlanTemplate.maxWeeks).contains($0) }) ?? true {
            errors.add("weeks", "A plan has 1 to \(PlanTemplate.maxWeeks) weeks.")
        }
        guard errors.isEmpty, let name, let weeks else {
            return try await renderIndex(
                request, context, name: Field(String(form["name"].prefix(200)), error: errors["name"]),
                weeks: Field(String(form["weeks"].prefix(10)), error: errors["weeks"]), status: .unprocessableContent)
        }
        let template = PlanTemplate(name: name, weeks: Array(repeating: PlanWeek(), count: weeks))
        let id = try await deps.database.createPlan(context.scope, template, source: .manual, now: deps.clock.now())
        return .redirect(
            to: SiteURL.org(context.slug).planEdit(id),
            flash: .success("Plan created: drag workouts from the library onto its days."))
    }

    // MARK: The editor

    func renderEditor(
        _ request: Request, _ context: TenantContext, id: Int64, error: String? = nil, conflict: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let stored = try await deps.database.plan(context.scope, id: id)
        let page = try await editorPage(
            stored, context: context, query: String(request.query("q").prefix(100)), error: error, conflict: conflict)
        return try await deps.pages.render(
            .plansEdit, page, title: stored.template.name, request: request, context: context, status: status)
    }

    @Sendable func edit(_ request: Request, context: TenantContext) async throws -> Response {
        try await renderEditor(request, context, id: try request.id(context))
    }

    /// Runs one editor operation: load, check the version, apply the domain operation, save.
    func operate(
        _ request: Request, _ context: TenantContext, action: String,
        _ body: (inout PlanTemplate, FormData) async throws -> String
    ) async throws -> Response {
        var request = request
        let id = try request.id(context)
        let form = try await request.form(context: context)
        let stored = try await deps.database.plan(context.scope, id: id)
        guard let version = Int(form["version"]), version == stored.version else {
            return try await renderEditor(
                request, context, id: id, conflict: ConflictWords.planStale, status: .conflict)
        }
        var template = stored.template
        let message: String
        do {
            message = try await body(&template, form)
        } catch let error as PlanEditError {
            return try await renderEditor(
                request, context, id: id, error: error.description, status: .unprocessableContent)
        } catch let error as FieldRules.Invalid {
            return try await renderEditor(request, context, id: id, error: error.message, status: .unprocessableContent)
        }
        do {
            try await deps.database.savePlan(
                context.scope, id: id, template, expectedVersion: version, action: action, now: deps.clock.now())
        } catch StoreError.versionConflict {
            return try await renderEditor(request, context, id: id, conflict: ConflictWords.plan, status: .conflict)
        } catch StoreError.invalid(let text) {
            return try await renderEditor(request, context, id: id, conflict: text, status: .conflict)
        }
        return .redirect(to: SiteURL.org(context.slug).planEdit(id), flash: .success(message))
    }

    static func slot(_ form: FormData, week weekKey: String, day dayKey: String) throws -> PlanSlot {
        guard form[weekKey].count <= 3, let week = Int(form[weekKey]), week >= 0,
            form[dayKey].count <= 1, let dayNumber = Int(form[dayKey]), let day = Weekday(rawValue: dayNumber)
        else { throw PlanEditError.invalid("Choose a week and a day.") }
        return PlanSlot(week: week, day: day)
    }

    @Sendable func place(_ request: Request, context: TenantContext) async throws -> Response {
        try await operate(request, context, action: "workout_placed") { template, form in
            guard form["workout_id"].count <= 18, let workoutId = Int64(form["workout_id"]), workoutId > 0 else {
                throw PlanEditError.invalid("Choose a workout from the library.")
            }
            let slot = try Self.slot(form, week: "week", day: "day")
            let source = try await deps.database.workout(context.scope, id: workoutId)
            try template.place(source.workout, at: slot)
            return "“\(source.workout.name)” placed on week \(slot.week + 1), \(slot.day.label)."
        }
    }

    @Sendable func move(_ request: Request, context: TenantContext) async throws -> Response {
        try await operate(request, context, action: "workout_moved") { template, form in
            let parts = form["from"].split(separator: ":").compactMap { Int($0) }
            guard parts.count == 2, let day = Weekday(rawValue: parts[1]), parts[0] >= 0 else {
                throw PlanEditError.invalid("Choose the workout to move.")
            }
            let from = PlanSlot(week: parts[0], day: day)
            let to = try Self.slot(form, week: "to_week", day: "to_day")
            let swapped = template.weeks.indices.contains(to.week) && template.weeks[to.week][to.day] != nil
            try template.move(from: from, to: to)
            return swapped ? "Workouts swapped." : "Workout moved to week \(to.week + 1), \(to.day.label)."
        }
    }

    @Sendable func rest(_ request: Request, context: TenantContext) async throws -> Response {
        try await operate(request, context, action: "day_rested") { template, form in
            let slot = try Self.slot(form, week: "week", day: "day")
            try template.setRest(slot)
            return "Week \(slot.week + 1), \(slot.day.label) is now a rest day."
        }
    }

    @Sendable func weeks(_ request: Request, context: TenantContext) async throws -> Response {
        var request = request
        let form = try await request.form(context: context)
        if form["op"] == "delete", let week = Int(form["week"]) {
            let id = try request.id(context)
            let plan = try await deps.database.plan(context.scope, id: id)
            let days = plan.template.weeks.indices.contains(week) ? plan.template.weeks[week].days : []
            let count = days.compactMap { $0 }.count
            if plan.template.weeks.indices.contains(week),
                let ask = try await ConfirmPage.ask(
                    deps, request, context, form: form,
                    question: "Delete week \(week + 1) of “\(plan.template.name)”?",
                    consequence: "Its \(count) workout\(count == 1 ? "" : "s") go from the template; the "
                        + "weeks after it move up. Athletes already given the plan keep their copy.",
                    button: "Yes, delete the week", back: SiteURL.org(context.slug).planEdit(id))
            {
                return ask
            }
        }
        return try await operate(request, context, action: "weeks_changed") { template, form in
            let week = Int(form["week"]) ?? -1
            switch form["op"] {
            case "up": try template.moveWeek(week, by: -1); return "Week moved up."
            case "down": try template.moveWeek(week, by: 1); return "Week moved down."
            case "copy": try template.copyWeek(week, toEnd: false); return "Week \(week + 1) copied after itself."
            case "copy-end": try template.copyWeek(week, toEnd: true); return "Week \(week + 1) copied to the end."
            case "delete": try template.deleteWeek(week); return "Week \(week + 1) deleted."
            case "add": try template.addWeek(); return "Week \(template.weeks.count) added."
            default: throw PlanEditError.invalid("That week operation is not known.")
            }
        }
    }

    @Sendable func details(_ request: Request, context: TenantContext) async throws -> Response {
        try await operate(request, context, action: "details_changed") { template, form in
            template.name = try FieldRules.name(form["name"], field: "Plan name")
            guard form["description"].count <= 20_000 else {
                throw FieldRules.Invalid("The description must be at most 20000 characters.")
            }
            template.description = form["description"].trimmingCharacters(in: .whitespacesAndNewlines)
            guard let level = TrainingLevel(rawValue: form["level"]) else {
                throw FieldRules.Invalid("Choose basic, intermediate or advanced.")
            }
            template.level = level
            return "Plan details saved."
        }
    }

    @Sendable func delete(_ request: Request, context: TenantContext) async throws -> Response {
        var request = request
        let id = try request.id(context)
        let plan = try await deps.database.plan(context.scope, id: id)
        if let ask = try await ConfirmPage.ask(
            deps, request, context, form: try await request.form(context: context),
            question: "Delete the plan “\(plan.template.name)”?",
            consequence: "The template goes. Athletes who were given it keep their own copy.",
            button: "Yes, delete the plan", back: SiteURL.org(context.slug).planEdit(id))
        {
            return ask
        }
        try await deps.database.deletePlan(context.scope, id: id, now: deps.clock.now())
        return .redirect(
            to: SiteURL.org(context.slug).plans,
            flash: .success("Plan deleted. Plans already assigned keep their own copy."))
    }
}

extension PlanEditError {
    static func invalid(_ message: String) -> PlanEditError { PlanEditError(message) }
}
