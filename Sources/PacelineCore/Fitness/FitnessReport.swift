import Foundation

/// Everything a race result says about an athlete's running: VDOT, equivalent times with
/// Riegel beside them, training paces and zones. The CLI's `--json` and the web page share it.
public struct FitnessReport: Sendable {
    public let race: RaceResult
    public let vdot: VDOT
    public let equivalentTimes: [EquivalentTime]
    public let paces: TrainingPaces
    public let zones: PaceZones

    public init(race: RaceResult, extraDistances: [RaceDistance] = []) {
        self.race = race
        self.vdot = race.vdot
        self.equivalentTimes = race.equivalentTimes(extra: extraDistances)
        self.paces = TrainingPaces(vdot: vdot)
        self.zones = PaceZones(paces: paces)
    }

    /// Warnings worth showing beside the numbers.
    public var notes: [String] {
        var out: [String] = []
        if race.isOutsideTables {
            out.append("Distances beyond the marathon are outside Daniels' tables; treat the VDOT as an estimate.")
        }
        if !vdot.isInsideTables {
            out.append("VDOT outside 30–85 is beyond the published tables; paces are extrapolated.")
        }
        return out
    }
}

/// The stable JSON shape of `paceline vdot --json` (snake_case keys, meters and seconds).
public struct FitnessReportJSON: Encodable, Sendable {
    public struct Race: Encodable, Sendable {
        let distance_m: Double
        let time_s: Double
    }
    public struct Equivalent: Encodable, Sendable {
        let name: String
        let distance_m: Double
        let time_s: Double
        let riegel_time_s: Double
    }
    public struct Single: Encodable, Sendable {
        let s_per_km: Double
    }
    public struct Range: Encodable, Sendable {
        let fast_s_per_km: Double
        let slow_s_per_km: Double
    }
    public struct Paces: Encodable, Sendable {
        let easy: Range
        let marathon: Single
        let threshold: Single
        let interval: Single
        let repetition: Single
    }
    public struct Zone: Encodable, Sendable {
        let zone: String
        let name: String
        let fast_s_per_km: Double
        let slow_s_per_km: Double
    }

    let vdot: Double
    let race: Race
    let outside_tables: Bool
    let equivalent_times: [Equivalent]
    let training_paces: Paces
    let zones: [Zone]

    public init(_ report: FitnessReport) {
        func r1(_ x: Double) -> Double { (x * 10).rounded() / 10 }
        vdot = report.vdot.rounded
        race = Race(distance_m: report.race.meters, time_s: report.race.seconds)
        outside_tables = !report.notes.isEmpty
        equivalent_times = report.equivalentTimes.map {
            Equivalent(
                name: $0.distance.name, distance_m: $0.distance.meters, time_s: r1($0.seconds),
                riegel_time_s: r1($0.riegelSeconds))
        }
        let p = report.paces
        training_paces = Paces(
            easy: Range(fast_s_per_km: r1(p.easyFast), slow_s_per_km: r1(p.easySlow)),
            marathon: Single(s_per_km: r1(p.marathon)), threshold: Single(s_per_km: r1(p.threshold)),
            interval: Single(s_per_km: r1(p.interval)), repetition: Single(s_per_km: r1(p.repetition)))
        zones = PaceZone.allCases.map { zone in
            let range = report.zones.range(zone)
            return Zone(
                zone: zone.rawValue, name: zone.name, fast_s_per_km: r1(range.fast), slow_s_per_km: r1(range.slow))
        }
    }
}
