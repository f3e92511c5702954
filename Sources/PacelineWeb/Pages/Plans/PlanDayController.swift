import Foundation
import Hummingbird
import PacelineCore
import PacelineStore

/// One placed workout of a plan template, in the workout editor: the template changes, the
/// library does not.
struct PlanDayController {
    let deps: AppDependencies

    func addRoutes(to routes: GuardedRoutes<TenantContext>) {
        routes.get("plans/:id/days/:week/:day", use: dayForm)
        routes.post("plans/:id/days/:week/:day", use: saveDay)
    }

    func daySlot(_ context: TenantContext) throws -> PlanSlot {
        guard let weekText = context.parameters.get("week"), weekText.count <= 3, let week = Int(weekText), week >= 0,
            let dayText = context.parameters.get("day"), let dayNumber = Int(dayText),
            let day = Weekday(rawValue: dayNumber)
        else { throw HTTPError(.notFound) }
        return PlanSlot(week: week, day: day)
    }

    @Sendable func dayForm(_ request: Request, context: TenantContext) async throws -> Response {
        let id = try request.id(context)
        let slot = try daySlot(context)
        let stored = try await deps.database.plan(context.scope, id: id)
        guard stored.template.weeks.indices.contains(slot.week) else { throw HTTPError(.notFound) }
        let urls = SiteURL.org(context.slug)
        var form = WorkoutForm()
        if let workout = stored.template.weeks[slot.week][slot.day] {
            form = WorkoutForm(workout, version: stored.version)
        } else {
            form.name = "Easy run"
            form.blocks = [.fresh(.run)]
            form.version = String(stored.version)
        }
        let page = WorkoutEditor.page(
            form, errors: [:], title: "Week \(slot.week + 1), \(slot.day.label)",
            action: urls.planDay(id, week: slot.week, day: slot.day.rawValue), cancel: urls.planEdit(id))
        return try await deps.pages.render(
            .libraryEdit, page, title: "Edit plan day", request: request, context: context)
    }

    @Sendable func saveDay(_ request: Request, context: TenantContext) async throws -> Response {
        let id = try request.id(context)
        let slot = try daySlot(context)
        let stored = try await deps.database.plan(context.scope, id: id)
        guard stored.template.weeks.indices.contains(slot.week) else { throw HTTPError(.notFound) }
        let urls = SiteURL.org(context.slug)
        let title = "Week \(slot.week + 1), \(slot.day.label)"
        return try await WorkoutEditor.submit(
            request, context: context, pages: deps.pages,
            target: EditorTarget(
                title: title, action: urls.planDay(id, week: slot.week, day: slot.day.rawValue),
                cancel: urls.planEdit(id), conflict: ConflictWords.plan,
                save: { workout, version in
                    var template = stored.template
                    try template.place(workout, at: slot)
                    guard let version else {
                        throw StoreError.invalid("The form did not say which version of the plan it edits.")
                    }
                    try await deps.database.savePlan(
                        context.scope, id: id, template, expectedVersion: version, action: "day_edited",
                        now: deps.clock.now())
                    return .redirect(
                        to: urls.planEdit(id), flash: .success("Workout saved for \(title). The library is unchanged."))
                },
                latest: { form in
                    var fresh = form
                    fresh.version = String(try await deps.database.plan(context.scope, id: id).version)
                    return fresh
                }))
    }
}
