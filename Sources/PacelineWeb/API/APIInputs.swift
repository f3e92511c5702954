import Foundation
import PacelineAPI
import PacelineCore
import PacelineStore

/// The API's request bodies checked by the same domain rules as the forms (`ActivityEntry.problems`,
/// `CheckIn.problems`); every problem is reported at once, by the JSON field's name.
struct APIActivityInput {
    let body: Components.Schemas.ActivityInput

    init(_ body: Components.Schemas.ActivityInput) { self.body = body }

    /// The form's field names as the API's.
    static let fields = [
        "distance": "distance_m", "duration": "duration_s", "avg_hr": "avg_hr", "rpe": "rpe", "date": "date",
        "notes": "notes", "sport": "sport", "feel": "feel", "status": "status",
    ]

    func entry(today: CalendarDate) throws -> ActivityEntry {
        var errors: [APIProblem.FieldError] = []
        let date = CalendarDate(body.date)
        if date == nil { errors.append(.init(field: "date", message: "Write the day as YYYY-MM-DD.")) }
        if let date, date > today {
            errors.append(.init(field: "date", message: "You can log today or an earlier day, not \(date)."))
        }
        for (field, value) in [("distance_m", body.distanceM), ("duration_s", body.durationS)] {
            if let value, !(value.isFinite && value >= 0) {
                errors.append(.init(field: field, message: "A number of at least 0."))
            }
        }
        let status = ActivityStatus(rawValue: body.status?.rawValue ?? "done") ?? .done
        let skipped = status == .skipped
        let entry = ActivityEntry(
            sport: Sport(rawValue: body.sport.rawValue) ?? .run, date: date ?? today, status: status,
            distanceMeters: skipped ? nil : body.distanceM, durationSeconds: skipped ? nil : body.durationS,
            averageHeartRate: skipped ? nil : body.avgHr.map(Double.init), rpe: body.rpe,
            feel: body.feel.flatMap { ActivityFeel(rawValue: $0.rawValue) }, notes: body.notes ?? "", source: .manual)
        if errors.isEmpty {
            for problem in entry.problems() {
                errors.append(.init(field: Self.fields[problem.field] ?? problem.field, message: problem.message))
            }
        }
        guard errors.isEmpty else {
            throw APIProblem.invalid(errors.map { "\($0.field): \($0.message)" }.joined(separator: " "), errors: errors)
        }
        return entry
    }
}

/// A day's check-in from the API: the fields sent replace the stored ones, the others stay.
struct APICheckInInput {
    let body: Components.Schemas.CheckInInput

    init(_ body: Components.Schemas.CheckInInput) { self.body = body }

    static func field(_ formField: String) -> String {
        ["hrv": "hrv_rmssd_ms", "resting_hr": "resting_hr", "sleep_hours": "sleep_hours"][formField] ?? formField
    }

    func merged(into stored: CheckIn) -> CheckIn {
        var c = stored
        if let v = body.hrvRmssdMs { c.hrvRMSSD = v }
        if let v = body.restingHr { c.restingHR = v }
        if let v = body.sleepHours { c.sleepHours = v }
        if let v = body.sleepQuality { c.sleepQuality = v }
        if let v = body.soreness { c.soreness = v }
        if let v = body.stress { c.stress = v }
        if let v = body.ill { c.ill = v }
        if let v = body.illnessNote { c.illnessNote = v }
        if let v = body.notes { c.notes = v }
        return c
    }
}

/// An activity file sent to the API, read like the upload page reads one (a FIT file with several
/// sessions: its first session).
struct APIActivityFile {
    let name: String
    let data: Data

    func entry(_ subject: AthleteSubject) throws -> (entry: ActivityEntry, kind: ActivitySource) {
        guard let kind = ActivitySource(fileName: name), [.gpx, .tcx, .fit].contains(kind) else {
            throw APIProblem.field("name", "Name a .gpx, .tcx or .fit file: its extension says how it is read.")
        }
        guard !data.isEmpty else { throw APIProblem.field("body", "The file is empty.") }
        let tracks: [Track]
        do {
            tracks = try kind.tracks(data)
        } catch {
            throw APIProblem.field("body", error.description)
        }
        guard let track = tracks.first else { throw APIProblem.field("body", "The file holds no activity.") }
        guard
            var entry = ActivityEntry(
                summary: ActivitySummary(track, splitUnit: subject.units), source: kind, fallbackSport: .run,
                timeZone: subject.viewer.timeZone)
        else { throw APIProblem.field("body", "The file has no timestamps, so the day of the activity is unknown.") }
        entry.readSamples(track)
        if let problem = entry.problems().first { throw APIProblem.field("body", problem.message) }
        return (entry, kind)
    }
}
