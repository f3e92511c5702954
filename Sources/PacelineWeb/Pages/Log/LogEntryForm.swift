import Foundation
import PacelineCore

/// The log form as typed: decoded from the request, validated into an `ActivityEntry`. On an
/// error the page shows these values again beside the messages.
struct LogEntryForm: Sendable {
    var date = "", sport = Sport.run.rawValue, status = ActivityStatus.done.rawValue
    var distance = "", duration = "", avgHR = "", rpe = "", feel = "", notes = ""
    /// The planned workout this log is for, by id; "" for a free entry.
    var scheduled = ""

    init(date: String = "") {
        self.date = date
    }

    init(_ form: FormData) {
        func trimmed(_ name: String) -> String { form[name].trimmingCharacters(in: .whitespaces) }
        date = trimmed("date")
        sport = form["sport"]
        status = form["status"]
        distance = trimmed("distance")
        duration = trimmed("duration")
        avgHR = trimmed("avg_hr")
        rpe = form["rpe"]
        feel = form["feel"]
        notes = form["notes"]
        scheduled = form["scheduled"]
    }

    /// An entry's values as the form shows them for editing.
    init(_ entry: ActivityEntry, units: UnitSystem) {
        date = entry.date.description
        sport = entry.sport.rawValue
        status = entry.status.rawValue
        keepNumbers(of: entry, units: units)
        rpe = entry.rpe.map(String.init) ?? ""
        feel = entry.feel?.rawValue ?? ""
        notes = entry.notes
    }

    /// A file's numbers are not edited by hand (`ActivityEntry.applyingHandEdit`): whatever the form
    /// sent for them, validation sees the file's own.
    mutating func keepNumbers(of entry: ActivityEntry, units: UnitSystem) {
        date = entry.date.description
        sport = entry.sport.rawValue
        distance = entry.distanceMeters.map { String(format: "%.2f", $0 / units.metersPerUnit) } ?? ""
        duration = entry.durationSeconds.map(TimeFormat.clock) ?? ""
        avgHR = entry.averageHeartRate.map { String(Int(saturating: $0)) } ?? ""
    }

    /// The entry the form describes, or the errors by field. Today is the athlete's: a log for a
    /// later day is refused.
    func validate(units: UnitSystem, today: CalendarDate) -> (ActivityEntry?, FieldErrors) {
        var errors = FieldErrors()
        let date = CalendarDate(self.date)
        if date == nil { errors.add("date", "Write the date as YYYY-MM-DD.") }
        if let date, date > today { errors.add("date", "You can log today or an earlier day, not \(date).") }
        let sport = Sport(rawValue: self.sport)
        if sport == nil { errors.add("sport", "Choose a sport.") }
        let status = ActivityStatus(rawValue: self.status)
        if status == nil { errors.add("status", "Choose done, partly done or skipped.") }
        var distance: Double? = nil
        if !self.distance.isEmpty {
            if let value = NumberInput.decimal(self.distance), value >= 0 {
                distance = value * units.metersPerUnit
            } else {
                errors.add("distance", "Write the distance as a number of \(units.label), e.g. 10.5.")
            }
        }
        var duration: Double? = nil
        if !self.duration.isEmpty {
            duration = TimeFormat.parseClock(self.duration)
            if duration == nil { errors.add("duration", "Write the time as H:MM:SS or MM:SS.") }
        }
        var heartRate: Double? = nil
        if !avgHR.isEmpty {
            heartRate = NumberInput.whole(avgHR).map(Double.init)
            if heartRate == nil { errors.add("avg_hr", "Heart rate is a whole number of beats per minute.") }
        }
        var effort: Int? = nil
        if !rpe.isEmpty {
            effort = NumberInput.whole(rpe)
            if effort == nil { errors.add("rpe", "RPE is from 1 to 10.") }
        }
        let feeling = ActivityFeel(rawValue: feel)
        if !feel.isEmpty && feeling == nil { errors.add("feel", "Choose how it felt from the list.") }
        let skipped = status == .skipped
        let entry = ActivityEntry(
            sport: sport ?? .run, date: date ?? today, status: status ?? .done,
            distanceMeters: skipped ? nil : distance,
            durationSeconds: skipped ? nil : duration, averageHeartRate: skipped ? nil : heartRate,
            rpe: effort, feel: feeling, notes: notes, source: .manual)
        // The entry's own rules run on whatever could be read, so an unreadable date does not hide an
        // impossible heart rate: every field's problem shows at once (a guessed sport judges no pace).
        for problem in entry.problems() where sport != nil || !["distance", "duration"].contains(problem.field) {
            errors.add(problem.field, problem.message)
        }
        guard errors.isEmpty, date != nil, sport != nil, status != nil else { return (nil, errors) }
        return (entry, errors)
    }
}
