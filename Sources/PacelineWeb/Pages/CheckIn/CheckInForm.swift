import Foundation
import PacelineCore

/// The daily check-in as typed: decoded from the request, validated into a `CheckIn`.
struct CheckInForm: Sendable {
    var date = ""
    var hrv = "", restingHR = "", sleepHours = "", sleepQuality = "", soreness = "", stress = ""
    var ill = false, illnessNote = "", phase = "", notes = ""

    init() {}

    init(_ form: FormData) {
        func trimmed(_ name: String) -> String { form[name].trimmingCharacters(in: .whitespaces) }
        date = form["date"]
        hrv = trimmed("hrv")
        restingHR = trimmed("resting_hr")
        sleepHours = trimmed("sleep_hours")
        sleepQuality = form["sleep_quality"]
        soreness = form["soreness"]
        stress = form["stress"]
        ill = form["ill"] == "1"
        illnessNote = form["illness_note"]
        phase = form["cycle_phase"]
        notes = form["notes"]
    }

    /// A saved check-in, as the form shows it again.
    init(_ c: CheckIn) {
        /// At most one decimal, as a person would type it: 6.875 h of sleep from a watch shows as 6.9.
        func plain(_ value: Double) -> String {
            let tenths = (value * 10).rounded() / 10
            return tenths == tenths.rounded() ? String(Int(saturating: tenths)) : String(format: "%.1f", tenths)
        }
        date = c.date.description
        hrv = c.hrvRMSSD.map(plain) ?? ""
        restingHR = c.restingHR.map(String.init) ?? ""
        sleepHours = c.sleepHours.map(plain) ?? ""
        sleepQuality = c.sleepQuality.map(String.init) ?? ""
        soreness = c.soreness.map(String.init) ?? ""
        stress = c.stress.map(String.init) ?? ""
        ill = c.ill
        illnessNote = c.illnessNote
        phase = c.cyclePhase?.rawValue ?? ""
        notes = c.notes
    }

    /// The day the form is for (today when it does not say one that can be read).
    func day(today: CalendarDate) -> CalendarDate { CalendarDate(date) ?? today }

    /// The check-in the form describes, or the errors by field. Today is the athlete's.
    func validate(today: CalendarDate) -> (CheckIn?, FieldErrors) {
        var errors = FieldErrors()
        let date = day(today: today)
        if CalendarDate(self.date) == nil { errors.add("date", "The day is missing or not written YYYY-MM-DD.") }
        if let problem = CheckIn.dateProblem(date, today: today) { errors.add("date", problem.message) }
        func number(_ text: String, _ field: String, _ message: String) -> Double? {
            guard !text.isEmpty else { return nil }
            guard let value = NumberInput.decimal(text) else { errors.add(field, message); return nil }
            return value
        }
        func whole(_ text: String, _ field: String, _ message: String) -> Int? {
            guard !text.isEmpty else { return nil }
            guard let value = NumberInput.whole(text) else { errors.add(field, message); return nil }
            return value
        }
        let cyclePhase = CyclePhase(rawValue: phase)
        if !phase.isEmpty && cyclePhase == nil { errors.add("cycle_phase", "Choose a phase from the list.") }
        let checkIn = CheckIn(
            date: date, hrvRMSSD: number(hrv, "hrv", "HRV is a number of milliseconds."),
            restingHR: whole(restingHR, "resting_hr", "Resting heart rate is a whole number."),
            sleepHours: number(sleepHours, "sleep_hours", "Sleep is a number of hours, e.g. 7.5."),
            sleepQuality: whole(sleepQuality, "sleep_quality", "Choose 1 to 5."),
            soreness: whole(soreness, "soreness", "Choose 1 to 5."), stress: whole(stress, "stress", "Choose 1 to 5."),
            ill: ill, illnessNote: illnessNote, cyclePhase: cyclePhase, notes: notes)
        for problem in checkIn.problems() { errors.add(problem.field, problem.message) }
        return (errors.isEmpty ? checkIn : nil, errors)
    }
}
