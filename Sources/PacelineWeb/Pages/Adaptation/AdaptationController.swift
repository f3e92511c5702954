import Foundation
import Hummingbird
import PacelineCore
import PacelineStore

/// The adaptive engine's pages: the athlete's form page (theirs, or one a coach opened), the
/// coach's engine settings for an athlete, and decisions on proposals.
struct AdaptationController {
    let deps: AppDependencies

    func addRoutes(to routes: GuardedRoutes<AthleteContext>) {
        routes.get("form", use: page)
    }

    /// Under `athletes/:id`: the coach's settings for the opened athlete.
    func addOpenedRoutes(to routes: GuardedRoutes<AthleteContext>) {
        routes.post("engine", use: settings)
    }

    func addCoachRoutes(to routes: GuardedRoutes<TenantContext>) {
        routes.post("adaptations/:id/accept", use: { try await self.decide($0, $1, action: .accept) })
        routes.post("adaptations/:id/reject", use: { try await self.decide($0, $1, action: .reject) })
        routes.post("adaptations/:id/undo", use: { try await self.decide($0, $1, action: .undo) })
    }

    @Sendable func page(_ request: Request, context: AthleteContext) async throws -> Response {
        let page = try await AthleteFormPage.load(deps, context)
        return try await deps.pages.render(.adaptationForm, page, title: page.title, request: request, context: context)
    }

    @Sendable func settings(_ request: Request, context: AthleteContext) async throws -> Response {
        var request = request
        let athlete = context.subject.athlete
        let form = try await request.form(context: context)
        let sexText = form["sex"]
        guard sexText.isEmpty || Sex(rawValue: sexText) != nil else {
            throw PageError(
                status: .unprocessableContent, title: "Unknown value", message: "Choose female, male or not given.")
        }
        let yearText = form["birth_year"].trimmingCharacters(in: .whitespaces)
        let thisYear = CalendarDate(deps.clock.now(), timeZone: TimeZone(identifier: "UTC") ?? .current).components.year
        let birthYear = Int(yearText)
        guard yearText.isEmpty || birthYear.map({ (1900...(thisYear - 5)).contains($0) }) == true else {
            throw PageError(
                status: .unprocessableContent, title: "Birth year",
                message: "Birth year is a year between 1900 and \(thisYear - 5), or empty.")
        }
        try await deps.database.setAthleteEngineSettings(
            context.scope, athleteId: athlete.id, autoApply: form["auto_apply"] == "1", sex: Sex(rawValue: sexText),
            birthYear: birthYear)
        try await deps.database.runEngine(context.scope, athleteId: athlete.id, now: deps.clock.now())
        return .redirect(to: SiteURL.org(context.slug).athleteForm(athlete.id), flash: .success("Saved."))
    }

    enum Decision: String { case accept, reject, undo }

    func decide(_ request: Request, _ context: TenantContext, action: Decision) async throws -> Response {
        var request = request
        let id = try request.id(context)
        let record = try await deps.database.adaptation(context.scope, id: id)
        // A coach working the dashboard's queue stays on it (`next`); elsewhere, back to the athlete's form.
        let next = try await request.form(context: context)["next"]
        let back = SiteURL.isSafeRedirect(next) ? next : SiteURL.org(context.slug).athleteForm(record.athleteId)
        let now = deps.clock.now()
        do {
            switch action {
            case .accept: try await deps.database.decideAdaptation(context.scope, id: id, accept: true, now: now)
            case .reject: try await deps.database.decideAdaptation(context.scope, id: id, accept: false, now: now)
            case .undo: try await deps.database.undoAdaptation(context.scope, id: id, now: now)
            }
        } catch StoreError.invalid(let message) {
            return .redirect(to: back, flash: .error(message))
        }
        let words: String
        switch action {
        case .accept: words = "Applied to the athlete's plan."
        case .reject: words = "Rejected: the plan stays as it is."
        case .undo: words = "Undone: the plan is back as it was."
        }
        return .redirect(to: back, flash: .success(words))
    }
}
