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
        let endurance: EndurancePart
    }

    /// The cycling and triathlon form's fields.
    struct EndurancePart {
        struct DayChoice {
            let code: String
            let label: String
            let training: Bool
            let quality: Bool
            let long: Bool
        }
        let goals: [SelectOption]
        let goalError: String?
        let eventDate: Field
        let weeks: Field
        let hours: Field
        let ftp: Field
        let eventKm: Field
        let levels: [SelectOption]
        let levelError: String?
        let days: [DayChoice]
        let daysError: String?
    }

    func endurancePart(form: FormData?, errors: [String: String]) -> EndurancePart {
        let posted = form.map(EnduranceForm.isEndurance) ?? false
        let mine = posted ? form : nil
        func field(_ key: String, _ fallback: String) -> Field {
            Field(String((mine?[key] ?? fallback).prefix(20)), error: posted ? errors[key] : nil)
        }
        let goal = mine?["goal"] ?? EnduranceGoal.cycling.rawValue
        let training = Set(mine?.all("training_days") ?? ["tue", "wed", "thu", "sat", "sun"])
        let quality = Set(mine?.all("e_quality_days") ?? ["tue", "thu"])
        let long = mine?["long_day"] ?? "sat"
        let level = mine?["e_level"] ?? "intermediate"
        return EndurancePart(
            goals: EnduranceGoal.allCases.map {
                .init(value: $0.rawValue, label: $0.label, selected: $0.rawValue == goal)
            },
            goalError: posted ? errors["goal"] : nil,
            eventDate: field("event_date", ""), weeks: field("e_weeks", "12"), hours: field("hours", "8"),
            ftp: field("ftp", ""), eventKm: field("event_km", ""),
            levels: TrainingLevel.allCases.map {
                .init(value: $0.rawValue, label: $0.rawValue.capitalized, selected: $0.rawValue == level)
            },
            levelError: posted ? errors["e_level"] : nil,
            days: Weekday.allCases.map {
                .init(
                    code: $0.code, label: $0.label, training: training.contains($0.code),
                    quality: quality.contains($0.code), long: long == $0.code)
            },
            daysError: posted ? errors["e_days"] : nil)
    }

    static let raceChoices: [(String, String)] = [
        ("5000", "5K"), ("10000", "10K"), ("21097.5", "Half marathon"), ("42195", "Marathon"),
        ("custom", "Other distance"),
    ]

    func generatePage(_ context: TenantContext, form: FormData?, errors: [String: String]) -> GeneratePage {
        // Each form keeps its own values: the one not posted shows its defaults.
        let endurance = endurancePart(form: form, errors: errors)
        let form = form.flatMap { EnduranceForm.isEndurance($0) ? nil : $0 }
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
            daysError: form == nil ? nil : errors["days"],
            summary: errors.isEmpty ? nil : "Please correct the fields marked below.", endurance: endurance)
    }

    @Sendable func generateForm(_ request: Request, context: TenantContext) async throws -> Response {
        try await deps.pages.render(
            .plansGenerate, generatePage(context, form: nil, errors: [:]), title: "Generate a plan",
            request: request, context: context)
    }

    @Sendable func generate(_ request: Request, context: TenantContext) async throws -> Response {
        var request = request
        let form = try await request.form(context: context)
        let generator = GenerateForm(form)
        func reject(_ errors: [String: String]) async throws -> Response {
            try await deps.pages.render(
                .plansGenerate, generatePage(context, form: form, errors: errors), title: "Generate a plan",
                request: request, context: context, status: .unprocessableContent)
        }
        let today = context.scope.today(now: deps.clock.now())
        let plan: GeneratedPlan
        if EnduranceForm.isEndurance(form) {
            let (endurance, errors) = EnduranceForm(form).validate(today: today)
            guard let endurance else { return try await reject(errors) }
            do {
                plan = try PlanGenerator.generate(endurance)
            } catch {
                return try await reject([EnduranceForm.field(of: error): error.description])
            }
        } else {
            let (planRequest, errors) = generator.validate(today: today)
            guard let planRequest else { return try await reject(errors) }
            do {
                plan = try PlanGenerator.generate(planRequest)
            } catch {
                return try await reject([generator.field(of: error): error.description])
            }
        }
        let id = try await deps.database.createPlan(
            context.scope, plan.template, source: .generated, now: deps.clock.now())
        return .redirect(
            to: SiteURL.org(context.slug).planEdit(id),
            flash: .success("Plan generated. Review and adjust it here; nothing is assigned until you assign it."))
    }
}
