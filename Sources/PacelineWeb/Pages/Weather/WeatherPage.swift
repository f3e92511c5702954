import Foundation
import PacelineCore
import PacelineStore

/// The weather page: a week back and the forecast days ahead, one row a day, in the athlete's
/// degrees, with what each saved reading means for running.
struct WeatherPage: Sendable {
    struct DayRow: Sendable {
        let date: String
        let label: String
        let isToday: Bool
        let isPast: Bool
        let planned: String
        let temperature: Field
        let dewPoint: Field
        let temperatureId: String
        let dewPointId: String
        /// What the saved reading means for running: "—", "paces 2.5 % slower", "hard running not advised".
        let effect: String
        let hot: Bool
    }
    let name: String
    let isOwn: Bool
    let action: String
    let unit: String
    let rows: [DayRow]
    let summary: String?
    let formHref: String

    /// The days the page shows: a week back and the forecast days ahead.
    struct Window {
        let from: CalendarDate
        let to: CalendarDate
        let days: [CalendarDate]

        init(_ today: CalendarDate) {
            from = today.adding(days: -AppDatabase.weatherDaysBack)
            to = today.adding(days: AppDatabase.weatherDaysAhead - 1)
            days = (-AppDatabase.weatherDaysBack..<AppDatabase.weatherDaysAhead).map { today.adding(days: $0) }
        }
    }

    /// The page with the saved readings, or with what was typed (`form`) after an error.
    static func load(
        _ database: AppDatabase, _ context: AthleteContext, form: WeatherForm?, errors: FieldErrors
    )
        async throws -> WeatherPage
    {
        let subject = context.subject, today = subject.today, units = subject.units
        let window = Window(today)
        let saved = try await database.weather(
            context.scope, athleteId: context.athleteId, from: window.from, to: window.to)
        let schedule = try await database.schedule(
            context.scope, athleteId: context.athleteId, from: window.from,
            to: window.to
        ).map(\.0)
        let byDay = Dictionary(grouping: schedule, by: \.date)
        return WeatherPage(
            name: subject.athlete.name, isOwn: subject.isOwn, action: subject.log.weather, unit: Degrees.unit(units),
            rows: window.days.map { day in
                let typed = form?.values[day]
                let value =
                    typed
                    ?? (saved[day].map {
                        (Degrees.display($0.temperatureC, units), Degrees.display($0.dewPointC, units))
                    }
                        ?? ("", ""))
                let effect = Self.effect(saved[day])
                return DayRow(
                    date: day.description, label: day == today ? "Today" : "\(Weekday(day).short) \(day)",
                    isToday: day == today, isPast: day < today,
                    planned: byDay[day].map { $0.map(\.workout.name).joined(separator: ", ") } ?? "",
                    temperature: Field(value.0, error: errors[WeatherForm.temperatureField(day)]),
                    dewPoint: Field(value.1, error: errors[WeatherForm.dewPointField(day)]),
                    temperatureId: WeatherForm.temperatureField(day), dewPointId: WeatherForm.dewPointField(day),
                    effect: effect.text, hot: effect.hot)
            },
            summary: errors.summary, formHref: subject.log.form)
    }

    static func effect(_ weather: DayWeather?) -> (text: String, hot: Bool) {
        guard let weather else { return ("—", false) }
        let heat = HeatAdjustment(weather)
        if let effect = heat.effect(minimum: Thresholds.heatMinimumFraction) { return (effect, true) }
        return (heat.fraction > 0 ? "under 1 %: no adjustment" : "no adjustment", false)
    }
}

/// Degrees in the viewer's units: °F for miles, °C for kilometres.
enum Degrees {
    static func unit(_ units: UnitSystem) -> String { units == .mi ? "°F" : "°C" }

    static func display(_ celsius: Double, _ units: UnitSystem) -> String {
        let value = units == .mi ? Conditions.fahrenheit(celsius: celsius) : celsius
        return value == value.rounded() ? String(Int(saturating: value)) : String(format: "%.1f", value)
    }

    static func celsius(_ value: Double, _ units: UnitSystem) -> Double { units == .mi ? (value - 32) * 5 / 9 : value }
}
