import Foundation
import PacelineCore

/// The weather form: a temperature and a dew point per day, in the athlete's degrees. Only the
/// days the form carried are read, so a page opened before midnight cannot clear a day it never showed.
struct WeatherForm: Sendable {
    /// What was typed, by day: (temperature, dew point).
    var values: [CalendarDate: (String, String)] = [:]

    static func temperatureField(_ day: CalendarDate) -> String { "t_\(day)" }
    static func dewPointField(_ day: CalendarDate) -> String { "d_\(day)" }

    init(_ form: FormData, days: [CalendarDate]) {
        for day in days
        where form.values[Self.temperatureField(day)] != nil || form.values[Self.dewPointField(day)] != nil {
            values[day] = (
                form[Self.temperatureField(day)].trimmingCharacters(in: .whitespaces),
                form[Self.dewPointField(day)].trimmingCharacters(in: .whitespaces)
            )
        }
    }

    /// The change per day (nil: clear the day), or the errors by field.
    func validate(units: UnitSystem) -> ([CalendarDate: DayWeather?], FieldErrors) {
        var errors = FieldErrors()
        var changes: [CalendarDate: DayWeather?] = [:]
        for (day, (t, d)) in values.sorted(by: { $0.key < $1.key }) {
            if t.isEmpty && d.isEmpty { changes[day] = .some(nil); continue }
            func degrees(_ text: String, _ field: String, _ what: String) -> Double? {
                guard !text.isEmpty else { errors.add(field, "Give the \(what) too, or clear both."); return nil }
                guard let value = NumberInput.decimal(text) else {
                    errors.add(field, "The \(what) is a number of degrees (\(Degrees.unit(units))), e.g. 24 or 18.5.")
                    return nil
                }
                return Degrees.celsius(value, units)
            }
            let tField = Self.temperatureField(day), dField = Self.dewPointField(day)
            let tc = degrees(t, tField, "temperature"), dc = degrees(d, dField, "dew point")
            guard let tc, let dc else { continue }
            let weather = DayWeather(temperatureC: tc, dewPointC: dc)
            let problems = weather.problems()
            for problem in problems { errors.add(problem.field == "temperature" ? tField : dField, problem.message) }
            if problems.isEmpty { changes[day] = weather }
        }
        return (changes, errors)
    }
}
