import Foundation
import PacelineCore

/// The plan generator's form: the goal race, a race date or a number of weeks, fitness, and the
/// week's days. Decoded into a `PlanRequest`; the generator's own refusals come back by field.
struct GenerateForm: Sendable {
    let form: FormData

    init(_ form: FormData) { self.form = form }

    /// The field a problem of the race distance belongs to (the custom box when that was chosen).
    var distanceField: String { form["race_distance"] == "custom" ? "custom_distance" : "race_distance" }

    /// The request for the generator, or the errors by field.
    func validate(today: CalendarDate) -> (PlanRequest?, [String: String]) {
        var errors: [String: String] = [:]
        let distanceText = form["race_distance"] == "custom" ? form["custom_distance"] : form["race_distance"]
        let distance = NumberInput.decimal(String(distanceText.prefix(12)))
        if distance == nil { errors[distanceField] = "Enter the race distance in meters." }
        var raceDate: CalendarDate?
        var weeks: Int?
        if !form["race_date"].isEmpty {
            raceDate = CalendarDate(form["race_date"])
            if raceDate == nil { errors["race_date"] = "Enter the race date as YYYY-MM-DD." }
        } else if form["weeks"].count <= 4, let value = NumberInput.whole(form["weeks"]) {
            weeks = value
        } else {
            errors["weeks"] = "Enter a number of weeks, or a race date."
        }
        let vdot = NumberInput.decimal(String(form["vdot"].prefix(10)))
        if vdot == nil { errors["vdot"] = "Enter a VDOT, e.g. 45 (the VDOT calculator gives it from a race)." }
        let level = TrainingLevel(rawValue: form["level"])
        if level == nil { errors["level"] = "Choose a level." }
        let volume = NumberInput.decimal(String(form["weekly_km"].prefix(10)))
        if volume == nil { errors["weekly_km"] = "Enter the current weekly volume in km." }
        var maxDays: Int?
        if !form["max_days"].isEmpty {
            maxDays = NumberInput.whole(String(form["max_days"].prefix(2)))
            if maxDays == nil { errors["max_days"] = "Enter a whole number of days, 3–7." }
        }
        let long = Weekday(code: form["long_run_day"])
        if long == nil { errors["days"] = "Choose the long-run day." }
        // Each readable value is checked against its own rule now, so one unreadable field does not hide
        // another's range error: every field's problem shows at once.
        func check(_ field: String, _ problem: String?) {
            if let problem, errors[field] == nil { errors[field] = problem }
        }
        if let vdot { check("vdot", PlanGenerator.vdotProblem(vdot)) }
        if let distance { check(distanceField, PlanGenerator.distanceProblem(distance)) }
        if let volume { check("weekly_km", PlanGenerator.weeklyKmProblem(volume)) }
        if let weeks { check("weeks", PlanGenerator.weeksProblem(weeks, raceMeters: distance)) }
        if let raceDate, raceDate <= today { check("race_date", "The race date must be in the future.") }
        if let maxDays { check("max_days", PlanGenerator.maxDaysProblem(maxDays)) }
        guard errors.isEmpty, let distance, let vdot, let level, let volume, let long else { return (nil, errors) }
        return (
            PlanRequest(
                raceDistanceMeters: distance, raceDate: raceDate, weeks: weeks, vdot: vdot, level: level,
                qualityDays: form.all("quality_days").prefix(7).compactMap(Weekday.init(code:)), longRunDay: long,
                restDays: form.all("rest_days").prefix(7).compactMap(Weekday.init(code:)), weeklyKm: volume,
                maxDays: maxDays, today: today), errors
        )
    }

    /// Where the generator's refusal is shown.
    func field(of error: PlanRequestError) -> String {
        let key =
            ["race_distance", "race_date", "weeks", "vdot", "weekly_km", "days"].contains(error.field)
            ? error.field : "days"
        return key == "race_distance" ? distanceField : key
    }
}
