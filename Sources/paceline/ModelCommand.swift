import ArgumentParser
import Foundation
import PacelineCore

/// `paceline model fit --loads FILE --performances FILE --json`: the Banister fit for coaches and
/// sports scientists (a stable interface, see DESIGN.md).
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model", abstract: "The individual impulse-response model.", subcommands: [Fit.self])

    struct Fit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fit the Banister model (p0, k1, k2, τ1, τ2) to daily loads and performance markers.",
            discussion: """
                --loads: CSV `date,load`, one row per day (missing days count as 0). --performances: CSV `date,value` \
                (e.g. a VDOT per race or time trial). τ are fitted only with at least \
                \(BanisterFitter.minimumMarkers) markers over \
                \(BanisterFitter.minimumSpanDays / 7) weeks; otherwise they stay at 42/7 and tau_fitted is false.
                """)
        @Option(help: "CSV of date,load (one row per day).") var loads: String
        @Option(help: "CSV of date,value.") var performances: String
        @Flag(help: "Print JSON (snake_case keys).") var json = false

        struct Output: Encodable {
            let p0, k1, k2, tau1, tau2: Double
            let tau_fitted: Bool
            let rmse: Double
            let markers: Int
            let recovery_half_life_days: Double
            let confidence: Double
            let prediction_error: Double?
        }

        static func read(_ path: String, what: String) throws -> [(CalendarDate, Double)] {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw Paceline.fail("cannot read \(path)")
            }
            let rows: [[String]]
            do { rows = try CSV.parse(text) } catch { throw Paceline.fail("\(path): \(error.description)") }
            var out: [(CalendarDate, Double)] = []
            for (index, row) in rows.enumerated() {
                guard row.count >= 2 else { throw Paceline.fail("\(path) line \(index + 1): expected date,\(what)") }
                let dateText = row[0].trimmingCharacters(in: .whitespaces),
                    valueText = row[1].trimmingCharacters(in: .whitespaces)
                guard let date = CalendarDate(dateText) else {
                    if index == 0 { continue }  // a header row
                    throw Paceline.fail("\(path) line \(index + 1): “\(dateText)” is not a date (YYYY-MM-DD)")
                }
                guard let value = Double(valueText), value.isFinite, what != "load" || value >= 0 else {
                    throw Paceline.fail(
                        "\(path) line \(index + 1): “\(valueText)” is not a "
                            + "\(what == "load" ? "load of zero or more" : "number")"
                    )
                }
                out.append((date, value))
            }
            return out
        }

        func run() throws {
            let loadRows = try Self.read(loads, what: "load"), markerRows = try Self.read(performances, what: "value")
            guard let first = loadRows.map(\.0).min(), let last = loadRows.map(\.0).max() else {
                throw Paceline.fail("\(loads) has no rows")
            }
            guard first.days(until: last) < 20 * 366 else { throw Paceline.fail("\(loads) spans more than 20 years") }
            var daily = [Double](repeating: 0, count: first.days(until: last) + 1)
            for (date, value) in loadRows { daily[first.days(until: date)] += value }
            let markers = markerRows.compactMap { date, value -> PerformanceMarker? in
                let day = first.days(until: date)
                return day >= 0 && day < daily.count ? PerformanceMarker(day: day, value: value) : nil
            }
            guard markers.count == markerRows.count else {
                throw Paceline.fail("every performance date must lie within the loads' dates (\(first) – \(last))")
            }
            guard let fit = BanisterFitter.fit(loads: daily, markers: markers) else {
                throw Paceline.fail("no performance markers to fit")
            }
            let output = Output(
                p0: fit.model.p0, k1: fit.model.k1, k2: fit.model.k2, tau1: fit.model.tau1, tau2: fit.model.tau2,
                tau_fitted: fit.tauFitted, rmse: fit.rmse, markers: fit.markers,
                recovery_half_life_days: fit.model.recoveryHalfLife, confidence: fit.confidence,
                prediction_error: fit.predictionError)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(output), as: UTF8.self))
                return
            }
            print(
                String(
                    format: "p0 %.3f  k1 %.5f  k2 %.5f  τ1 %.1f d  τ2 %.1f d%@", fit.model.p0, fit.model.k1,
                    fit.model.k2, fit.model.tau1, fit.model.tau2,
                    fit.tauFitted ? "" : " (population values)"))
            print(
                String(
                    format: "recovery half-life %.1f days, RMSE %.3f over %d markers, confidence %.0f %%",
                    fit.model.recoveryHalfLife, fit.rmse, fit.markers, fit.confidence * 100))
            print(fit.reason)
        }
    }
}
