import Foundation
import PacelineCore
import PacelineStore

/// The log form page: a new entry (free or for a planned workout) or an edit of one.
struct LogFormPage: Sendable {
    let title: String
    let action: String
    let scheduledId: String
    let plannedName: String?
    let plannedText: String?
    let date: Field
    let sports: [SelectOption]
    let statuses: [SelectOption]
    let distance: Field
    let distanceUnit: String
    let duration: Field
    let avgHR: Field
    let rpes: [SelectOption]
    let feels: [SelectOption]
    let notes: Field
    let summary: String?
    /// Errors of the choice fields, shown beside them.
    let statusError: String?
    let sportError: String?
    let rpeError: String?
    let feelError: String?
    let fromFile: Bool
    let backHref: String
    let submitLabel: String

    /// Where the form posts and where "back" goes: a new entry in the athlete's log, or an edit.
    struct Target {
        let title: String
        let action: String
        let backHref: String
        let fromFile: Bool

        static func new(_ subject: AthleteSubject, scheduled: ScheduledItem?) -> Target {
            Target(
                title: scheduled.map { "Log “\($0.workout.name)”" } ?? "Log an activity",
                action: subject.log.newActivity, backHref: subject.log.activities, fromFile: false)
        }

        static func edit(_ item: ActivityItem, urls: SiteURL.Org) -> Target {
            Target(
                title: "Edit log", action: urls.activityOp(item.id, "edit"), backHref: urls.activity(item.id),
                fromFile: item.entry.isFromFile)
        }
    }

    init(_ form: LogEntryForm, errors: FieldErrors, target: Target, scheduled: ScheduledItem?, subject: AthleteSubject)
    {
        title = target.title
        action = target.action
        scheduledId = scheduled.map { String($0.id) } ?? ""
        plannedName = scheduled?.workout.name
        plannedText = scheduled.map { WorkoutView.totals($0.workout, viewer: subject.viewer) }
        date = Field(form.date, error: errors["date"])
        sports = Sport.allCases.map {
            SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == form.sport)
        }
        statuses = ActivityStatus.allCases.map {
            SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == form.status)
        }
        distance = Field(form.distance, error: errors["distance"])
        distanceUnit = subject.units.label
        duration = Field(form.duration, error: errors["duration"])
        avgHR = Field(form.avgHR, error: errors["avg_hr"])
        rpes =
            [SelectOption(value: "", label: "—", selected: form.rpe.isEmpty)]
            + (1...10).map {
                SelectOption(value: "\($0)", label: "\($0) — \(RPEWords.words($0))", selected: form.rpe == "\($0)")
            }
        feels =
            [SelectOption(value: "", label: "—", selected: form.feel.isEmpty)]
            + ActivityFeel.allCases.map {
                SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == form.feel)
            }
        notes = Field(form.notes, error: errors["notes"])
        summary = errors.summary
        statusError = errors["status"]
        sportError = errors["sport"]
        rpeError = errors["rpe"]
        feelError = errors["feel"]
        fromFile = target.fromFile
        backHref = target.backHref
        submitLabel = "Save"
    }
}
