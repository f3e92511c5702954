import Foundation

/// RFC 4180 CSV out: the export's tables, in the columns the CSV import reads, so an exported file
/// imports back unchanged. A text cell that a spreadsheet would run as a formula (`=`, `+`, `@`, or a
/// tab or carriage return first) gets a leading `'` (OWASP's advice); `-` is left alone, as notes often
/// start with a dash.
public enum CSVWriter {
    public static func cell(_ text: String) -> String {
        var value = text
        if let first = value.unicodeScalars.first, "=+@\t\r".unicodeScalars.contains(first) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public static func table(header: [String], rows: [[String]]) -> String {
        ([header] + rows).map { $0.map(cell).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// A number without a trailing ".0" and without exponent notation; "" for nil or a non-finite value.
    public static func number(_ value: Double?, decimals: Int = 3) -> String {
        guard let value, value.isFinite else { return "" }
        var text = String(format: "%.\(decimals)f", value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }
}

extension CheckInCSV {
    public static func write(_ checkIns: [CheckIn]) -> String {
        CSVWriter.table(
            header: columns,
            rows: checkIns.map { c in
                [
                    c.date.description, CSVWriter.number(c.hrvRMSSD), c.restingHR.map(String.init) ?? "",
                    CSVWriter.number(c.sleepHours), c.sleepQuality.map(String.init) ?? "",
                    c.soreness.map(String.init) ?? "", c.stress.map(String.init) ?? "", c.ill ? "yes" : "no",
                    c.illnessNote, c.cyclePhase?.rawValue ?? "", c.notes,
                ]
            })
    }
}

extension ActivityCSV {
    /// The export's columns: the import's, with metres (exact) for the distance and seconds for the duration.
    public static let exportColumns = [
        "date", "start_time", "sport", "distance_m", "duration", "avg_hr", "max_hr", "elevation_gain_m", "rpe", "notes",
    ]

    public static func write(_ entries: [ActivityEntry]) -> String {
        CSVWriter.table(
            header: exportColumns,
            rows: entries.map { e in
                [
                    e.date.description, e.startTime.map(ISO8601.format) ?? "", e.sport.rawValue,
                    CSVWriter.number(e.distanceMeters), CSVWriter.number(e.durationSeconds),
                    CSVWriter.number(e.averageHeartRate), CSVWriter.number(e.maxHeartRate),
                    CSVWriter.number(e.elevationGain), e.rpe.map(String.init) ?? "", e.notes,
                ]
            })
    }
}
