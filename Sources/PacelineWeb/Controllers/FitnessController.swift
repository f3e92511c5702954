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

    /// The tables every fitness page shows, in the viewer's units.
    struct FitnessView {
        struct Row {
            let name: String
            let time: String
            let riegel: String
        }
        struct PaceRow {
            let name: String
            let perKm: String
            let perMile: String
        }
        struct ZoneRow {
            let zone: String
            let number: Int
            let name: String
            let range: String
            let heartRate: String?
        }
        let vdot: String
        let equivalents: [Row]
        let paces: [PaceRow]
        let zones: [ZoneRow]
        let notes: [String]
        let hasEquivalents: Bool

        init(vdot: VDOT, units: UnitSystem, report: FitnessReport? = nil, heartRate: HeartRateZones? = nil) {
            self.vdot = String(format: "%.1f", vdot.value)
            let paces = report?.paces ?? TrainingPaces(vdot: vdot)
            let zones = report?.zones ?? PaceZones(paces: paces)
            if let report {
                equivalents = report.equivalentTimes.map {
                    Row(name: $0.distance.name, time: TimeFormat.clock($0.seconds), riegel: TimeFormat.clock($0.riegelSeconds))
                }
            } else {
                // Predictions from the VDOT alone: no source race, so no Riegel column.
                equivalents = RaceDistance.standard.map { Row(name: $0.name, time: TimeFormat.clock(vdot.raceTime(meters: $0.meters)), riegel: "—") }
            }
            hasEquivalents = !equivalents.isEmpty
            func row(_ name: String, _ fast: Double, _ slow: Double? = nil) -> PaceRow {
                let km = slow.map { TimeFormat.pace(secondsPerKm: fast, units: .km).replacingOccurrences(of: "/km", with: "") + "–" + TimeFormat.pace(secondsPerKm: $0, units: .km) }
                    ?? TimeFormat.pace(secondsPerKm: fast, units: .km)
                let mi = slow.map { TimeFormat.pace(secondsPerKm: fast, units: .mi).replacingOccurrences(of: "/mi", with: "") + "–" + TimeFormat.pace(secondsPerKm: $0, units: .mi) }
                    ?? TimeFormat.pace(secondsPerKm: fast, units: .mi)
                return PaceRow(name: name, perKm: km, perMile: mi)
            }
            self.paces = [
                row("Easy (E)", paces.easyFast, paces.easySlow), row("Marathon (M)", paces.marathon),
                row("Threshold (T)", paces.threshold), row("Interval (I)", paces.interval), row("Repetition (R)", paces.repetition),
            ]
            self.zones = PaceZone.allCases.map { zone in
                let range = zones.range(zone)
                let fast = TimeFormat.pace(secondsPerKm: range.fast, units: units)
                let slow = TimeFormat.pace(secondsPerKm: range.slow, units: units)
                let text = fast.split(separator: "/").first.map(String.init).map { "\($0)–\(slow)" } ?? slow
                let hr = heartRate.map { let r = $0.range(zone); return "\(r.lowerBound)–\(r.upperBound) bpm" }
                return ZoneRow(zone: zone.rawValue, number: zone.number, name: zone.name.capitalized, range: text, heartRate: hr)
            }
            notes = report?.notes ?? []
        }
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
        RaceDistance.standard.map { .init(value: String(format: "%g", $0.meters), label: $0.name, selected: String(format: "%g", $0.meters) == selected) }
            + [.init(value: "custom", label: "Other distance (meters)", selected: selected == "custom")]
    }

    /// Reads a race from the form or query: distance (a standard one or custom meters) and time.
    static func race(distance: String, custom: String, time: String, errors: inout FieldErrors) -> RaceResult? {
        let metersText = distance == "custom" ? custom : distance
        guard !metersText.isEmpty, metersText.count <= 12, let meters = Double(metersText.trimmingCharacters(in: .whitespaces)), meters.isFinite else {
            errors.add(distance == "custom" ? "custom_distance" : "distance", "Enter the race distance in meters, for example 5000.")
            return nil
        }
        guard let seconds = TimeFormat.parseClock(time) else {
            errors.add("time", "Enter the time as H:MM:SS or MM:SS, for example 19:57 or 3:10:49.")
            return nil
        }
        return errors.check(distance == "custom" ? "custom_distance" : "distance") { try RaceResult(meters: meters, seconds: seconds) }
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
            canApply: false, applyDistance: distance == "custom" ? custom : distance, applyTime: time, action: urls.vdotTool,
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
                    if let km = Double(weekly.prefix(6)), km.isFinite, (0...400).contains(km), let d = Int(days.prefix(2)), (1...7).contains(d) {
                        let recommendation = LevelRecommendation(vdot: report.vdot, weeklyKm: km, daysPerWeek: d)
                        page.level = recommendation.level.rawValue.capitalized
                        page.levelReasons = recommendation.reasons
                    } else {
                        status = .unprocessableContent
                        page.days = Field(String(days.prefix(2)), error: "For a level recommendation give km a week (0–400) and running days (1–7).")
                    }
                }
            } else {
                status = .unprocessableContent
                page.customDistance = Field(custom, error: errors["custom_distance"])
                page.time = Field(time, error: errors["time"] ?? errors["distance"])
            }
        }
        return try await deps.pages.render("fitness/calculator", page, title: "Calculate VDOT", request: request, context: context, status: status)
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
        let today = deps.today(in: athlete.timeZone ?? context.scope.organization.timeZone)
        try await deps.database.setVDOT(context.scope, athleteId: id, vdot: vdot, source: source, date: today.description, now: deps.clock.now())
        return .redirect(to: SiteURL.org(context.slug).athlete(id),
                         flash: .success(String(format: "VDOT %.1f applied to %@; paces and zones updated.", vdot, athlete.name)))
    }
}
