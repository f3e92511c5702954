import Foundation
import Hummingbird
import PacelineCore
import PacelineStore

/// The generator form: a goal race, a date or a number of weeks, fitness and the week's days.
extension PlansController {
    struct GeneratePage {
        struct DayChoice {
            let code: String
            let label: String
            let quality: Bool
            let rest: Bool
            let long: Bool
        }
        let action: String
        let distances: [SelectOption]
        let customDistance: Field
        let raceDate: Field
        let weeks: Field
        let vdot: Field
        let levels: [SelectOption]
        let levelError: String?
        let weeklyKm: Field
        let maxDays: Field
        let days: [DayChoice]
        let daysError: String?
        let summary: String?
    }

    static let raceChoices: [(String, String)] = [
        ("5000", "5K"), ("10000", "10K"), ("21097.5", "Half marathon"), ("42195", "Marathon"),
        ("custom", "Other distance"),
    ]

    func generatePage(_ context: TenantContext, form: FormData?, errors: [String: String]) -> GeneratePage {
        let distance = form?["race_distance"] ?? "10000"
        let quality = Set(form?.all("quality_days") ?? ["tue", "thu"])
        let rest = Set(form?.all("rest_days") ?? ["mon", "fri"])
        let long = form?["long_run_day"] ?? "sun"
        func field(_ key: String, _ fallback: String) -> Field {
            Field(String((form?[key] ?? fallback).prefix(20)), error: errors[key])
        }
        let level = form?["level"] ?? "intermediate"
        return GeneratePage(
            action: SiteURL.org(context.slug).planGenerate,
            distances: Self.raceChoices.map { .init(value: $0.0, label: $0.1, selected: $0.0 == distance) },
            customDistance: field("custom_distance", ""), raceDate: field("race_date", ""), weeks: field("weeks", "12"),
            vdot: field("vdot", "45"),
            levels: TrainingLevel.allCases.map {
                .init(value: $0.rawValue, label: $0.rawValue.capitalized, selected: $0.rawValue == level)
            },
            levelError: errors["level"],
            weeklyKm: field("weekly_km", "30"), maxDays: field("max_days", ""),
            days: Weekday.allCases.map {
                .init(
                    code: $0.code, label: $0.label, quality: quality.contains($0.code), rest: rest.contains($0.code),
                    long: long == $0.code)
            },
            daysError: errors["days"], summary: errors.isEmpty ? nil : "Please correct the fields marked below.")
    }

    @Sendable func generateForm(_ request: Request, context: TenantContext) async throws -> Response {
        try await deps.pages.render(
            .plansGenerate, generatePage(context, form: nil, errors: [:]), title: "Generate a plan",
            request: request, context: context)
    }

    @Sendable func generate(_ request: Request, context: TenantContext) async throws -> Response {
        var request = request
        let form = try await request.form(context: context)
        var errors: [String: String] = [:]
        let distanceText = form["race_distance"] == "custom" ? form["custom_distance"] : form["race_distance"]
        let distance = NumberInput.decimal(String(distanceText.prefix(12)))
        if distance == nil {
            errors[form["race_distance"] == "custom" ? "custom_distance" : "race_distance"] =
                "Enter the race distance in meters."
        }
        var raceDate: CalendarDate?
        var weeks: Int?
        if !form["race_date"].isEmpty {
            raceDate = CalendarDate(form["race_date"])
            if raceDate == nil { errors["race_date"] = "Enter the race date as YYYY-MM-DD." }
        } else if let value = Int(form["weeks"].trimmingCharacters(in: .whitespaces)), form["weeks"].count <= 4 {
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
            maxDays = Int(form["max_days"].prefix(2))
            if maxDays == nil { errors["max_days"] = "Enter a whole number of days, 3–7." }
        }
        let quality = form.all("quality_days").prefix(7).compactMap(Weekday.init(code:))
        let rest = form.all("rest_days").prefix(7).compactMap(Weekday.init(code:))
        let long = Weekday(code: form["long_run_day"])
        if long == nil { errors["days"] = "Choose the long-run day." }

        func reject(_ errors: [String: String]) async throws -> Response {
            try await deps.pages.render(
                .plansGenerate, generatePage(context, form: form, errors: errors), title: "Generate a plan",
                request: request, context: context, status: .unprocessableContent)
        }
        guard errors.isEmpty, let distance, let vdot, let level, let volume, let long else {
            return try await reject(errors)
        }
        let planRequest = PlanRequest(
            raceDistanceMeters: distance, raceDate: raceDate, weeks: weeks, vdot: vdot, level: level,
            qualityDays: quality, longRunDay: long, restDays: rest, weeklyKm: volume, maxDays: maxDays,
            today: context.scope.today(now: deps.clock.now()))
        let plan: GeneratedPlan
        do {
            plan = try PlanGenerator.generate(planRequest)
        } catch {
            let key =
                ["race_distance", "race_date", "weeks", "vdot", "weekly_km", "days"].contains(error.field)
                ? error.field : "days"
            return try await reject([
                key == "race_distance" && form["race_distance"] == "custom" ? "custom_distance" : key: error.description
            ])
        }
        let id = try await deps.database.createPlan(
            context.scope, plan.template, source: .generated, now: deps.clock.now())
        return .redirect(
            to: SiteURL.org(context.slug).planEdit(id),
            flash: .success("Plan generated. Review and adjust it here; nothing is assigned until you assign it."))
    }
}
