import Foundation
import Hummingbird
import PacelineCore
import PacelineStore

/// The weather where an athlete runs, day by day: the forecast for the coming days (the heat
/// rule turns a hot day into heat-adjusted paces) and what it was on past days (easy-run
/// efficiency is heat-normalized with it). Athletes keep their own; coaches can fill it in too.
struct WeatherController {
    let deps: AppDependencies

    func addRoutes(to routes: GuardedRoutes<AthleteContext>) {
        routes.get("weather", use: form)
        routes.post("weather", use: save)
    }

    @Sendable func form(_ request: Request, context: AthleteContext) async throws -> Response {
        let page = try await WeatherPage.load(deps.database, context, form: nil, errors: FieldErrors())
        return try await deps.pages.render(.weatherForm, page, title: "Weather", request: request, context: context)
    }

    @Sendable func save(_ request: Request, context: AthleteContext) async throws -> Response {
        var request = request
        let subject = context.subject
        let form = WeatherForm(try await request.form(context: context), days: WeatherPage.Window(subject.today).days)
        let (changes, errors) = form.validate(units: subject.units)
        guard errors.isEmpty else {
            let page = try await WeatherPage.load(deps.database, context, form: form, errors: errors)
            return try await deps.pages.render(
                .weatherForm, page, title: "Weather", request: request, context: context,
                status: .unprocessableContent)
        }
        try await deps.database.saveWeather(context.scope, athleteId: context.athleteId, changes, now: deps.clock.now())
        await deps.recompute(context.scope, athleteId: context.athleteId, logger: context.logger)
        let hot = changes.filter { $0.key >= subject.today && ($0.value.map { WeatherPage.effect($0).hot } ?? false) }
            .count
        let message =
            hot == 0
            ? "Weather saved."
            : "Weather saved. \(hot) hot day\(hot == 1 ? "" : "s") ahead: the runs planned then get heat-adjusted "
                + "paces "
                + "(proposed to the coach, or applied at once with auto-apply)."
        return .redirect(to: subject.log.weather, flash: .success(message))
    }
}
