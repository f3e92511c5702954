import Foundation
import Hummingbird
import PacelineCore
import PacelineStore

/// The daily check-in (a ten-second form on a phone). Athletes fill in their own; coaches read
/// an athlete's.
struct CheckInController {
    let deps: AppDependencies

    func addRoutes(to routes: GuardedRoutes<AthleteContext>) {
        routes.get("checkin", use: form)
        routes.post("checkin", use: save)
    }

    func addCoachRoutes(to routes: GuardedRoutes<AthleteContext>) {
        routes.get("checkin", use: form)
    }

    @Sendable func form(_ request: Request, context: AthleteContext) async throws -> Response {
        let subject = context.subject, today = subject.today
        var date = today
        let query = request.query("date")
        if !query.isEmpty {
            guard let parsed = CalendarDate(query) else {
                throw PageError(
                    status: .unprocessableContent, title: "Unknown day", message: "Days are written YYYY-MM-DD.")
            }
            if let problem = CheckIn.dateProblem(parsed, today: today) {
                throw PageError(status: .unprocessableContent, title: "Not that day", message: problem.message)
            }
            date = parsed
        }
        let recent = try await deps.database.checkIns(
            context.scope, athleteId: context.athleteId,
            from: min(date, today.adding(days: -13)), to: today)
        let existing = recent.first { $0.date == date }
        let page = CheckInPage(
            subject, date: date, form: existing.map(CheckInForm.init) ?? CheckInForm(),
            errors: FieldErrors(), exists: existing != nil, recent: recent)
        return try await deps.pages.render(.checkInForm, page, title: "Check-in", request: request, context: context)
    }

    @Sendable func save(_ request: Request, context: AthleteContext) async throws -> Response {
        var request = request
        let subject = context.subject, today = subject.today
        let form = CheckInForm(try await request.form(context: context))
        let (checkIn, errors) = form.validate(today: today)
        guard let checkIn else {
            let recent = try await deps.database.checkIns(
                context.scope, athleteId: context.athleteId,
                from: today.adding(days: -13), to: today)
            let page = CheckInPage(
                subject, date: form.day(today: today), form: form, errors: errors, exists: false,
                recent: recent)
            return try await deps.pages.render(
                .checkInForm, page, title: "Check-in", request: request, context: context,
                status: .unprocessableContent)
        }
        try await deps.database.saveCheckIns(
            context.scope, athleteId: context.athleteId, [checkIn], fromCSV: false,
            now: deps.clock.now())
        await deps.recompute(context.scope, athleteId: context.athleteId, logger: context.logger)
        return .redirect(
            to: subject.log.checkIn(date: checkIn.date),
            flash: .success(
                checkIn.ill ? "Saved. Get well soon — your coach will see it." : "Check-in saved. Thank you!"))
    }
}
