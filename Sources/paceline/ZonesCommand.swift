import ArgumentParser
import Foundation
import PacelineCore

/// `paceline zones`: an athlete's zones z1–z6 for one sport from its thresholds (SCIENCE.md §2b).
struct ZonesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zones",
        abstract: "Training zones z1–z6 for a sport: paces from VDOT, watts from FTP, heart rates from LTHR, "
            + "swim paces from CSS.")

    @Option(help: "run, bike or swim.") var sport: String
    @Option(help: "Running: VDOT (30–85) for pace zones.") var vdot: String?
    @Option(help: "Cycling: functional threshold power in watts.") var ftp: String?
    @Option(help: "Run or bike: lactate-threshold heart rate in bpm (Friel's bands of the sport).") var lthr: String?
    @Option(help: "Swimming: critical swim speed per 100 m, M:SS.") var css: String?
    @Option(name: .customLong("test-400"), help: "Swimming: a 400 m time trial, M:SS (with --test-200).")
    var test400: String?
    @Option(name: .customLong("test-200"), help: "Swimming: a 200 m time trial, M:SS (with --test-400).")
    var test200: String?
    @Flag(help: "Print JSON (snake_case keys, seconds, watts, bpm).") var json = false

    func run() throws {
        guard let sport = Sport(rawValue: sport), [.run, .bike, .swim].contains(sport) else {
            throw Self.fail("--sport must be run, bike or swim")
        }
        var rows: [[String: Any]] = PaceZone.allCases.map { ["zone": $0.rawValue] }
        var threshold: [String: Any] = [:]
        func number(_ text: String?, _ name: String) throws -> Double? {
            guard let text else { return nil }
            guard let value = Double(text), value.isFinite else { throw Self.fail("--\(name) must be a number") }
            return value
        }
        if let value = try number(vdot, "vdot") {
            guard sport == .run, let zones = PaceZones(vdotValue: value) else {
                throw Self.fail("--vdot is for running, a number from 15 to 90")
            }
            threshold["vdot"] = value
            for (i, zone) in PaceZone.allCases.enumerated() {
                rows[i]["fast_s_per_km"] = Self.tenths(zones.range(zone).fast)
                rows[i]["slow_s_per_km"] = Self.tenths(zones.range(zone).slow)
            }
        }
        if let value = try number(ftp, "ftp") {
            guard sport == .bike, let zones = PowerZones(ftp: value) else {
                throw Self.fail("--ftp is for cycling, 30–600 W")
            }
            threshold["ftp_w"] = value
            for (i, zone) in PaceZone.allCases.enumerated() {
                rows[i]["low_w"] = zones.range(zone).lowerBound
                rows[i]["high_w"] = zones.range(zone).upperBound
            }
        }
        if let value = try number(lthr, "lthr") {
            guard sport != .swim,
                let zones = ThresholdHeartRateZones(lthr: value, discipline: sport == .bike ? .bike : .run)
            else { throw Self.fail("--lthr is for running or cycling, 100–220 bpm") }
            threshold["lthr_bpm"] = value
            for (i, zone) in PaceZone.allCases.enumerated() {
                rows[i]["low_bpm"] = zones.range(zone).lowerBound
                rows[i]["high_bpm"] = zones.range(zone).upperBound
            }
        }
        if let cssPer100m = try swimThreshold(sport) {
            guard let zones = SwimZones(cssPer100m: cssPer100m) else {
                throw Self.fail("CSS must be 0:55–4:00 per 100 m")
            }
            threshold["css_s_per_100m"] = Self.tenths(cssPer100m)
            for (i, zone) in PaceZone.allCases.enumerated() {
                rows[i]["fast_s_per_100m"] = Self.tenths(zones.range(zone).fast)
                rows[i]["slow_s_per_100m"] = Self.tenths(zones.range(zone).slow)
            }
        }
        guard !threshold.isEmpty else {
            throw Self.fail("give a threshold: --vdot (run), --ftp (bike), --lthr (run, bike), --css or --test-400 "
                + "with --test-200 (swim)")
        }
        if json {
            let object: [String: Any] = ["sport": sport.rawValue, "threshold": threshold, "zones": rows]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("\(sport.label) zones")
        for row in rows {
            var parts: [String] = []
            if let fast = row["fast_s_per_km"] as? Double, let slow = row["slow_s_per_km"] as? Double {
                parts.append("\(TimeFormat.clock(fast))–\(TimeFormat.clock(slow))/km")
            }
            if let fast = row["fast_s_per_100m"] as? Double, let slow = row["slow_s_per_100m"] as? Double {
                parts.append("\(TimeFormat.clock(fast))–\(TimeFormat.clock(slow))/100 m")
            }
            if let low = row["low_w"] as? Int, let high = row["high_w"] as? Int { parts.append("\(low)–\(high) W") }
            if let low = row["low_bpm"] as? Int, let high = row["high_bpm"] as? Int {
                parts.append("\(low)–\(high) bpm")
            }
            print("  \(row["zone"] as? String ?? "")  " + parts.joined(separator: "   "))
        }
    }

    /// CSS from --css, or from a 400 m and a 200 m time trial.
    func swimThreshold(_ sport: Sport) throws -> Double? {
        if css == nil && test400 == nil && test200 == nil { return nil }
        guard sport == .swim else { throw Self.fail("--css, --test-400 and --test-200 are for swimming") }
        if let css {
            guard test400 == nil, test200 == nil else { throw Self.fail("give --css or the two tests, not both") }
            guard let seconds = TimeFormat.parseClock(css) else { throw Self.fail("--css must be M:SS, e.g. 1:45") }
            return seconds
        }
        guard let a = test400.flatMap(TimeFormat.parseClock), let b = test200.flatMap(TimeFormat.parseClock) else {
            throw Self.fail("--test-400 and --test-200 go together, each M:SS")
        }
        guard let css = SwimZones.fromTest(seconds400: a, seconds200: b) else {
            throw Self.fail("the 200 m must be swum faster per 100 m than the 400 m")
        }
        return css
    }

    static func tenths(_ value: Double) -> Double { (value * 10).rounded() / 10 }
}
