import Foundation
import Hummingbird
import PacelineCore
import PacelineStore

/// Training → Calculate VDOT: the calculator for every role, and a coach applying the result
/// to an athlete (their paces and zones follow).
struct FitnessController {
    let deps: AppDependencies

    func addRoutes(to routes: GuardedRoutes<TenantContext>) {
        routes.get("tools/vdot", use: calculator)
    }

    func addCoachRoutes(to routes: GuardedRoutes<TenantContext>) {
        routes.post("tools/vdot/apply", use: apply)
    }

    struct CalculatorPage {
        struct DistanceOption {
            let value: String
            let label: String
            let selected: Bool
        }
        var distances: [DistanceOption]
        var customDistance: Field
        var time: Field
        var result: FitnessView?
        var athletes: [SelectOption]
        var canApply: Bool
        var applyDistance: String
        var applyTime: String
        var weeklyKm: Field = Field()
        var days: Field = Field()
        var level: String?
        var levelReasons: [String] = []
        let action: String
        let applyAction: String
    }

    static func distanceOptions(selected: String) -> [CalculatorPage.DistanceOption] {
        RaceDistance.standard.map {
            .init(
                value: String(format: "%g", $0.meters), label: $0.name,
                selected: String(format: "%g", $0.meters) == selected)
        }
            + [.init(value: "custom", label: "Other distance (meters)", selected: selected == "custom")]
    }

    /// Reads a race from the form or query: distance (a standard one or custom meters) and time.
    static func race(distance: String, custom: String, time: String, errors: inout FieldErrors) -> RaceResult? {
        let metersText = distance == "custom" ? custom : distance
        guard !metersText.isEmpty, metersText.count <= 12, let meters = NumberInput.decimal(metersText) else {
            errors.add(
                distance == "custom" ? "custom_distance" : "distance",
                "Enter the race distance in meters, for example 5000.")
            return nil
        }
        guard let seconds = TimeFormat.parseClock(time) else {
            errors.add("time", "Enter the time as H:MM:SS or MM:SS, for example 19:57 or 3:10:49.")
            return nil
        }
        return errors.check(distance == "custom" ? "custom_distance" : "distance") {
            try RaceResult(meters: meters, seconds: seconds)
        }
    }

    @Sendable func calculator(_ request: Request, context: TenantContext) async throws -> Response {
        let distance = String(request.query("distance").prefix(20))
        let custom = String(request.query("custom_distance").prefix(20))
        let time = String(request.query("time").prefix(20))
        let urls = SiteURL.org(context.slug)
        let canApply = context.role.includes(.coach)
        let athletes = canApply ? try await deps.database.athletes(context.scope) : []
        var page = CalculatorPage(
            distances: Self.distanceOptions(selected: distance.isEmpty ? "5000" : distance),
            customDistance: Field(custom), time: Field(time), result: nil,
            athletes: athletes.map { .init(value: String($0.id), label: $0.name, selected: false) },
            canApply: false, applyDistance: distance == "custom" ? custom : distance, applyTime: time,
            action: urls.vdotTool,
            applyAction: urls.vdotApply)
        var status = HTTPResponse.Status.ok
        if !time.isEmpty || !distance.isEmpty {
            var errors = FieldErrors()
            if let race = Self.race(distance: distance, custom: custom, time: time, errors: &errors) {
                let report = FitnessReport(race: race)
                page.result = FitnessView(vdot: report.vdot, units: context.scope.organization.units, report: report)
                page.canApply = canApply && !athletes.isEmpty
                // Optional: current volume and days give a level recommendation with its reasons.
                let weekly = request.query("weekly_km"), days = request.query("days")
                page.weeklyKm = Field(String(weekly.prefix(6)))
                page.days = Field(String(days.prefix(2)))
                if !weekly.isEmpty || !days.isEmpty {
                    if let km = NumberInput.decimal(String(weekly.prefix(6))), (0...400).contains(km),
                        let d = NumberInput.whole(String(days.prefix(2))), (1...7).contains(d)
                    {
                        let recommendation = LevelRecommendation(vdot: report.vdot, weeklyKm: km, daysPerWeek: d)
                        page.level = recommendation.level.rawValue.capitalized
                        page.levelReasons = recommendation.reasons
                    } else {
                        status = .unprocessableContent
                        page.days = Field(
                            String(days.prefix(2)),
                            error: "For a level recommendation give km a week (0–400) and running days (1–7).")
                    }
                }
            } else {
                status = .unprocessableContent
                page.customDistance = Field(custom, error: errors["custom_distance"])
                page.time = Field(time, error: errors["time"] ?? errors["distance"])
            }
        }
        return try await deps.pages.render(
            .fitnessCalculator, page, title: "Calculate VDOT", request: request, context: context, status: status)
    }

    @Sendable func apply(_ request: Request, context: TenantContext) async throws -> Response {
        var request = request
        let form = try await request.form(context: context)
        guard form["athlete_id"].count <= 18, let id = Int64(form["athlete_id"]), id > 0 else {
            throw PageError(status: .unprocessableContent, title: "VDOT not applied", message: "Choose an athlete.")
        }
        let athlete = try await deps.database.athlete(context.scope, id: id)
        var errors = FieldErrors()
        guard let race = Self.race(distance: form["distance"], custom: "", time: form["time"], errors: &errors) else {
            let message = errors["time"] ?? errors["distance"] ?? "Enter a race distance and time."
            throw PageError(status: .unprocessableContent, title: "VDOT not applied", message: message)
        }
        let vdot = race.vdot.rounded
        let source = "\(DistanceFormat.format(meters: race.meters, units: .km)) in \(TimeFormat.clock(race.seconds))"
        let today = Viewer(athlete, organization: context.scope.organization, now: deps.clock.now()).today
        try await deps.database.setVDOT(
            context.scope, athleteId: id, vdot: vdot, source: source, date: today.description, now: deps.clock.now())
        return .redirect(
            to: SiteURL.org(context.slug).athlete(id),
            flash: .success(String(format: "VDOT %.1f applied to %@; paces and zones updated.", vdot, athlete.name)))
    }
}
