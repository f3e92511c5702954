import Foundation
import PacelineCore

/// The generator's second form: a cycling event or a triathlon, a date or a number of weeks, the hours a
/// week, FTP for riders, and the week's days. Its fields carry an `e_` prefix where the running form has a
/// field of the same meaning, so both forms' errors can show on one page.
struct EnduranceForm: Sendable {
    let form: FormData

    init(_ form: FormData) { self.form = form }

    /// Whether the posted form is this one (the running form has no goal).
    static func isEndurance(_ form: FormData) -> Bool { !form["goal"].isEmpty }

    func validate(today: CalendarDate) -> (EndurancePlanRequest?, [String: String]) {
        var errors: [String: String] = [:]
        let goal = EnduranceGoal(rawValue: form["goal"])
        if goal == nil { errors["goal"] = "Choose a cycling event or a triathlon." }
        var eventDate: CalendarDate?
        var weeks: Int?
        if !form["event_date"].isEmpty {
            eventDate = CalendarDate(String(form["event_date"].prefix(10)))
            if eventDate == nil || form["event_date"].count > 10 {
                errors["event_date"] = "Enter the date as YYYY-MM-DD."
            }
        } else if form["e_weeks"].count <= 4, let value = NumberInput.whole(form["e_weeks"]) {
            weeks = value
        } else {
            errors["e_weeks"] = "Enter a number of weeks, or the event's date."
        }
        if let eventDate, eventDate <= today { errors["event_date"] = "The event must be in the future." }
        let hours = NumberInput.decimal(String(form["hours"].prefix(10)))
        if hours == nil { errors["hours"] = "Enter the training hours a week now, e.g. 8." }
        var ftp: Double?
        if !form["ftp"].isEmpty {
            ftp = NumberInput.decimal(String(form["ftp"].prefix(10)))
            if ftp == nil { errors["ftp"] = "Enter the FTP in watts, e.g. 250." }
        }
        var eventKm: Double?
        if !form["event_km"].isEmpty {
            eventKm = NumberInput.decimal(String(form["event_km"].prefix(10)))
            if eventKm == nil { errors["event_km"] = "Enter the event's distance in km, e.g. 100." }
        }
        let level = TrainingLevel(rawValue: form["e_level"])
        if level == nil { errors["e_level"] = "Choose a level." }
        let long = Weekday(code: form["long_day"])
        if long == nil { errors["e_days"] = "Choose the long day." }
        guard errors.isEmpty, let goal, let hours, let level, let long else { return (nil, errors) }
        return (
            EndurancePlanRequest(
                goal: goal, eventDate: eventDate, weeks: weeks, hoursPerWeek: hours, level: level,
                trainingDays: form.all("training_days").prefix(7).compactMap(Weekday.init(code:)), longDay: long,
                qualityDays: form.all("e_quality_days").prefix(7).compactMap(Weekday.init(code:)), ftp: ftp,
                eventKm: eventKm, today: today), errors
        )
    }

    /// Where the generator's refusal is shown.
    static func field(of error: PlanRequestError) -> String {
        switch error.field {
        case "hours", "ftp", "event_km": error.field
        case "weeks": "e_weeks"
        case "race_date": "event_date"
        default: "e_days"
        }
    }
}
