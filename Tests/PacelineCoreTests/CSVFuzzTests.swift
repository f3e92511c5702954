import Foundation
import Testing
@testable import PacelineCore

/// CSV imports with hostile numbers in every column, and random bytes: never a trap, every row
/// either refused with a message or accepted with finite, in-range values.
struct CSVFuzzTests {
    static let hostile = [
        "", "-1", "0", "NaN", "inf", "-inf", "1e19", "1e306", "1e308", "-1e308", "9223372036854775808",
        "-9223372036854775808", "4.9e-324", "0x1p1023", "1,5e308", "99999999:59:59", "25:61", "9999-99-99",
        "0000-00-00", "\u{202E}", "<b>", "١٢٣", String(repeating: "9", count: 5_000),
    ]
    let today = CalendarDate(year: 2027, month: 6, day: 1) ?? .earliest

    /// For each column, a CSV whose rows are `good` with that column replaced by each hostile value.
    static func tables(header: [String], good: [String]) -> [String] {
        header.indices.map { column in
            Self.hostile.reduce(header.joined(separator: ",") + "\n") { text, value in
                var row = good
                row[column] = "\"\(value)\""
                return text + row.joined(separator: ",") + "\n"
            }
        }
    }

    @Test func activityColumnsNeverTrap() throws {
        var accepted = 0
        for text in Self.tables(
            header: ActivityCSV.columns + ["distance_m", "distance_mi"],
            good: ["2027-05-01", "", "run", "10", "50:00", "140", "170", "50", "5", "note", "", ""])
        {
            let rows = try ActivityCSV.rows(text, today: today, timeZone: .gmt)
            #expect(rows.count == Self.hostile.count)
            for row in rows {
                guard case .success(let entry) = row.result else { continue }
                accepted += 1
                for value in [
                    entry.distanceMeters, entry.durationSeconds, entry.averageHeartRate, entry.maxHeartRate,
                    entry.elevationGain,
                ].compactMap({ $0 }) {
                    #expect(value.isFinite && value >= 0 && value < 1e7, "line \(row.line) accepted \(value)")
                }
            }
        }
        #expect(accepted > 0)
    }

    @Test func checkInColumnsNeverTrap() throws {
        for text in Self.tables(
            header: ["date", "hrv", "resting_hr", "sleep_hours", "sleep_quality", "soreness", "stress", "ill"],
            good: ["2027-05-01", "60", "50", "7.5", "3", "2", "2", "no"])
        {
            let rows = try CheckInCSV.rows(text, today: today)
            #expect(rows.count == Self.hostile.count)
            for row in rows {
                guard case .success(let checkIn) = row.result else { continue }
                for value in [checkIn.hrvRMSSD, checkIn.sleepHours].compactMap({ $0 }) {
                    #expect(value.isFinite && value >= 0 && value < 1000)
                }
                for value in [checkIn.restingHR, checkIn.soreness].compactMap({ $0 }) {
                    #expect(value >= 0 && value < 1000)
                }
            }
        }
    }

    @Test func randomBytesNeverTrap() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("0123456789,.-:\"\n\r eE+NaInf\u{0}é")
        var refusedOrParsed = 0
        for _ in 0..<300 {
            let body = String(
                (0..<Int.random(in: 0..<400, using: &generator)).map { _ in
                    alphabet.randomElement(using: &generator) ?? "0"
                })
            for text in ["date,sport,distance_km,duration,rpe\n" + body, "date,hrv,resting_hr,sleep_hours\n" + body] {
                _ = try? ActivityCSV.rows(text, today: today, timeZone: .gmt)
                _ = try? CheckInCSV.rows(text, today: today)
                refusedOrParsed += 1
            }
        }
        #expect(refusedOrParsed == 600)
    }
}
