import Foundation
import PacelineCore

/// The tables every fitness page shows, in the viewer's units.
struct FitnessView: Sendable {
    struct Row: Sendable {
        let name: String
        let time: String
        let riegel: String
    }
    struct PaceRow: Sendable {
        let name: String
        let perKm: String
        let perMile: String
    }
    struct ZoneRow: Sendable {
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
                Row(
                    name: $0.distance.name, time: TimeFormat.clock($0.seconds),
                    riegel: TimeFormat.clock($0.riegelSeconds))
            }
        } else {
            // Predictions from the VDOT alone: no source race, so no Riegel column.
            equivalents = RaceDistance.standard.map {
                Row(name: $0.name, time: TimeFormat.clock(vdot.raceTime(meters: $0.meters)), riegel: "—")
            }
        }
        hasEquivalents = !equivalents.isEmpty
        func row(_ name: String, _ fast: Double, _ slow: Double? = nil) -> PaceRow {
            let km =
                slow.map {
                    TimeFormat.pace(secondsPerKm: fast, units: .km).replacingOccurrences(of: "/km", with: "") + "–"
                        + TimeFormat.pace(secondsPerKm: $0, units: .km)
                }
                ?? TimeFormat.pace(secondsPerKm: fast, units: .km)
            let mi =
                slow.map {
                    TimeFormat.pace(secondsPerKm: fast, units: .mi).replacingOccurrences(of: "/mi", with: "") + "–"
                        + TimeFormat.pace(secondsPerKm: $0, units: .mi)
                }
                ?? TimeFormat.pace(secondsPerKm: fast, units: .mi)
            return PaceRow(name: name, perKm: km, perMile: mi)
        }
        self.paces = [
            row("Easy (E)", paces.easyFast, paces.easySlow), row("Marathon (M)", paces.marathon),
            row("Threshold (T)", paces.threshold), row("Interval (I)", paces.interval),
            row("Repetition (R)", paces.repetition),
        ]
        self.zones = PaceZone.allCases.map { zone in
            let range = zones.range(zone)
            let fast = TimeFormat.pace(secondsPerKm: range.fast, units: units)
            let slow = TimeFormat.pace(secondsPerKm: range.slow, units: units)
            let text = fast.split(separator: "/").first.map(String.init).map { "\($0)–\(slow)" } ?? slow
            let hr = heartRate.map {
                let r = $0.range(zone); return "\(r.lowerBound)–\(r.upperBound) bpm"
            }
            return ZoneRow(
                zone: zone.rawValue, number: zone.number, name: zone.name.capitalized, range: text, heartRate: hr)
        }
        notes = report?.notes ?? []
    }
}
