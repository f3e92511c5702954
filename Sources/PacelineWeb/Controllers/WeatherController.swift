import Foundation
import Hummingbird
import PacelineCore
import PacelineStore

/// The weather where an athlete runs, day by day: the forecast for the coming days (the heat
/// rule turns a hot day into heat-adjusted paces) and what it was on past days (easy-run
/// efficiency is heat-normalized with it). Athletes keep their own; coaches can fill it in too.
struct WeatherController {
    let deps: AppDependencies

    func addRoutes(to routes: GuardedRoutes<TenantContext>) {
        routes.get("weather", use: { try await self.form($0, $1, coach: false) })
        routes.post("weather", use: { try await self.save($0, $1, coach: false) })
    }

    func addCoachRoutes(to routes: GuardedRoutes<TenantContext>) {
        routes.get("athletes/:id/weather", use: { try await self.form($0, $1, coach: true) })
        routes.post("athletes/:id/weather", use: { try await self.save($0, $1, coach: true) })
    }

    var log: LogController { LogController(deps: deps) }

    struct DayRow {
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

    struct Page {
        let name: String
        let isOwn: Bool
        let action: String
        let unit: String
        let rows: [DayRow]
        let summary: String?
        let formHref: String
    }

    /// Degrees in the viewer's units: °F for miles, °C for kilometres.
    static func unit(_ units: UnitSystem) -> String { units == .mi ? "°F" : "°C" }

    static func display(_ celsius: Double, _ units: UnitSystem) -> String {
        let value = units == .mi ? Conditions.fahrenheit(celsius: celsius) : celsius
        return value == value.rounded() ? String(Int(saturating: value)) : String(format: "%.1f", value)
    }

    static func celsius(_ value: Double, _ units: UnitSystem) -> Double { units == .mi ? (value - 32) * 5 / 9 : value }

    static func effect(_ weather: DayWeather?) -> (text: String, hot: Bool) {
        guard let weather else { return ("—", false) }
        let heat = HeatAdjustment(weather)
        if let effect = heat.effect(minimum: Thresholds.heatMinimumFraction) { return (effect, true) }
        return (heat.fraction > 0 ? "under 1 %: no adjustment" : "no adjustment", false)
    }

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

    func page(_ subject: LogController.Subject, context: TenantContext, values: [CalendarDate: (String, String)], saved: [CalendarDate: DayWeather],
              errors: FieldErrors) async throws -> Page {
        let today = subject.viewer.today, units = subject.viewer.units
        let window = Window(today)
        let schedule = try await deps.database.schedule(context.scope, athleteId: subject.athlete.id, from: window.from, to: window.to).map(\.0)
        let byDay = Dictionary(grouping: schedule, by: \.date)
        return Page(
            name: subject.athlete.name, isOwn: subject.isOwn, action: subject.log.weather, unit: Self.unit(units),
            rows: window.days.map { day in
                let value = values[day] ?? (saved[day].map { (Self.display($0.temperatureC, units), Self.display($0.dewPointC, units)) } ?? ("", ""))
                let effect = Self.effect(saved[day])
                return DayRow(date: day.description, label: day == today ? "Today" : "\(Weekday(day).short) \(day)", isToday: day == today, isPast: day < today,
                              planned: byDay[day].map { $0.map(\.workout.name).joined(separator: ", ") } ?? "",
                              temperature: Field(value.0, error: errors["t_\(day)"]), dewPoint: Field(value.1, error: errors["d_\(day)"]),
                              temperatureId: "t_\(day)", dewPointId: "d_\(day)", effect: effect.text, hot: effect.hot)
            },
            summary: errors.summary, formHref: subject.log.form)
    }

    func form(_ request: Request, _ context: TenantContext, coach: Bool) async throws -> Response {
        let subject = try await log.subject(request, context, coach: coach)
        let window = Window(subject.viewer.today)
        let saved = try await deps.database.weather(context.scope, athleteId: subject.athlete.id, from: window.from, to: window.to)
        let page = try await page(subject, context: context, values: [:], saved: saved, errors: FieldErrors())
        return try await deps.pages.render("log.weather", page, title: "Weather", request: request, context: context)
    }

    func save(_ request: Request, _ context: TenantContext, coach: Bool) async throws -> Response {
        var request = request
        let subject = try await log.subject(request, context, coach: coach)
        let form = try await request.form(context: context)
        let units = subject.viewer.units
        let window = Window(subject.viewer.today)
        var errors = FieldErrors()
        var values: [CalendarDate: (String, String)] = [:]
        var changes: [CalendarDate: DayWeather?] = [:]
        // Only the days the form carried: a page opened before midnight must not clear a day it never showed.
        for day in window.days where form.values["t_\(day)"] != nil || form.values["d_\(day)"] != nil {
            let t = form["t_\(day)"].trimmingCharacters(in: .whitespaces), d = form["d_\(day)"].trimmingCharacters(in: .whitespaces)
            values[day] = (t, d)
            if t.isEmpty && d.isEmpty { changes[day] = .some(nil); continue }
            func number(_ text: String, _ field: String, _ what: String) -> Double? {
                guard !text.isEmpty else { errors.add(field, "Give the \(what) too, or clear both."); return nil }
                guard let value = Double(text.replacingOccurrences(of: ",", with: ".").replacingOccurrences(of: "−", with: "-")), value.isFinite else {
                    errors.add(field, "The \(what) is a number of degrees (\(Self.unit(units))), e.g. 24 or 18.5."); return nil
                }
                return Self.celsius(value, units)
            }
            let tc = number(t, "t_\(day)", "temperature"), dc = number(d, "d_\(day)", "dew point")
            guard let tc, let dc else { continue }
            let weather = DayWeather(temperatureC: tc, dewPointC: dc)
            for problem in weather.problems() { errors.add((problem.field == "temperature" ? "t_" : "d_") + day.description, problem.message) }
            guard weather.problems().isEmpty else { continue }
            changes[day] = weather
        }
        guard errors.isEmpty else {
            let saved = try await deps.database.weather(context.scope, athleteId: subject.athlete.id, from: window.from, to: window.to)
            let page = try await page(subject, context: context, values: values, saved: saved, errors: errors)
            return try await deps.pages.render("log.weather", page, title: "Weather", request: request, context: context, status: .unprocessableContent)
        }
        try await deps.database.saveWeather(context.scope, athleteId: subject.athlete.id, changes, now: deps.clock.now())
        await deps.recompute(context.scope, athleteId: subject.athlete.id, logger: context.logger)
        let hot = changes.filter { $0.key >= subject.viewer.today && ($0.value.map { Self.effect($0).hot } ?? false) }.count
        return .redirect(to: subject.log.weather, flash: .success(hot == 0 ? "Weather saved."
            : "Weather saved. \(hot) hot day\(hot == 1 ? "" : "s") ahead: the runs planned then get heat-adjusted paces (proposed to the coach, or applied at once with auto-apply)."))
    }
}
