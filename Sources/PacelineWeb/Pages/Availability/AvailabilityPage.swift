import Foundation
import PacelineCore
import PacelineStore

/// Days the athlete cannot train (travel, work): marked ahead, so the engine re-plans those weeks
/// before they come — the most important sessions kept, nothing crammed.
struct AvailabilityPage: Sendable {
    struct Day: Sendable {
        let label: String
        let reason: String
        let removeAction: String
    }
    let name: String
    let isOwn: Bool
    let action: String
    let from: Field
    let to: Field
    let reason: Field
    let summary: String?
    let days: [Day]
    let formHref: String

    static func load(
        _ database: AppDatabase, _ context: AthleteContext, now: Date, typed: AvailabilityForm?, errors: FieldErrors
    ) async throws -> AvailabilityPage {
        let subject = context.subject
        let marked = try await database.unavailableDays(context.scope, athleteId: context.athleteId, now: now)
        let base = subject.log.away
        return AvailabilityPage(
            name: subject.athlete.name, isOwn: subject.isOwn, action: base,
            from: Field(typed?.from ?? subject.today.adding(days: 1).description, error: errors["from"]),
            to: Field(typed?.to ?? "", error: errors["to"]),
            reason: Field(typed?.reason ?? "", error: errors["reason"]), summary: errors.summary,
            days: marked.map {
                Day(
                    label: "\(Weekday($0.date).label) \($0.date)", reason: $0.reason,
                    removeAction: base + "/\($0.id)/delete")
            }, formHref: subject.log.form)
    }
}

/// The form: a first day, an optional last day (one day when empty) and a reason.
struct AvailabilityForm: Sendable {
    let from: String
    let to: String
    let reason: String

    init(_ form: FormData) {
        from = form["from"].trimmingCharacters(in: .whitespaces)
        to = form["to"].trimmingCharacters(in: .whitespaces)
        reason = form["reason"].trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func validate(today: CalendarDate) -> ((from: CalendarDate, to: CalendarDate)?, FieldErrors) {
        var errors = FieldErrors()
        let first = CalendarDate(from), last = to.isEmpty ? first : CalendarDate(to)
        if first == nil { errors.add("from", "Give the first day as YYYY-MM-DD.") }
        if last == nil { errors.add("to", "Give the last day as YYYY-MM-DD, or leave it empty for one day.") }
        if let first, first < today { errors.add("from", "Days already past cannot be marked.") }
        if let first, let last, last < first { errors.add("to", "The last day is before the first.") }
        if let first, let last, first <= last, first.days(until: last) >= AppDatabase.unavailableSpanLimit {
            errors.add("to", "Mark at most \(AppDatabase.unavailableSpanLimit) days at once.")
        }
        if let last, today.days(until: last) > AppDatabase.unavailableAheadLimit {
            errors.add("to", "Mark days within the next year.")
        }
        if reason.count > AppDatabase.unavailableReasonLimit {
            errors.add("reason", "The reason is at most \(AppDatabase.unavailableReasonLimit) characters.")
        }
        guard errors.isEmpty, let first, let last else { return (nil, errors) }
        return ((first, last), errors)
    }
}
