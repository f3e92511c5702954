import Foundation

/// RFC 4180 CSV: comma- (or semicolon-) separated, double quotes around fields that hold
/// separators, quotes ("") or line breaks; CRLF or LF. Bounded: refuses more than `maxRows`.
public enum CSV {
    public static let maxBytes = 5 * 1_048_576
    public static let maxRows = 20_000

    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    public static func parse(_ text: String) throws(ParseError) -> [[String]] {
        guard text.utf8.count <= maxBytes else {
            throw ParseError(description: "The file is larger than 5 MB; split it into smaller files.")
        }
        var body = Substring(text)
        if body.hasPrefix("\u{FEFF}") { body = body.dropFirst() }
        let firstLine = body.prefix { $0 != "\n" && $0 != "\r\n" }
        let separator: Character =
            firstLine.filter({ $0 == ";" }).count > firstLine.filter({ $0 == "," }).count ? ";" : ","
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var inQuotes = false
        var iterator = body.makeIterator()
        var pending: Character? = nil
        func endRow() throws(ParseError) {
            row.append(field)
            field = ""
            if !(row.count == 1 && row[0].trimmingCharacters(in: .whitespaces).isEmpty) { rows.append(row) }
            row = []
            if rows.count > maxRows + 1 { throw ParseError(description: "More than \(maxRows) rows; split the file.") }
        }
        while let c = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if c == "\"" {
                    let next = iterator.next()
                    if next == "\"" { field.append("\"") } else { inQuotes = false; pending = next }
                } else {
                    field.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty: inQuotes = true
            case separator: row.append(field); field = ""
            case "\n", "\r\n", "\r": try endRow()
            default: field.append(c)
            }
        }
        if inQuotes { throw ParseError(description: "A quoted field is never closed (a \" is missing).") }
        if !field.isEmpty || !row.isEmpty { try endRow() }
        return rows
    }
}

/// One row of an import and what became of it.
public struct ImportRow<Value: Sendable & Hashable>: Sendable, Hashable {
    /// 1-based line number as a spreadsheet shows it (the header is line 1).
    public let line: Int
    public let fields: [String]
    public let result: Result<Value, RowError>

    public var value: Value? { if case .success(let v) = result { v } else { nil } }
    public var problem: String? { if case .failure(let e) = result { e.description } else { nil } }
}

public struct RowError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Column lookup by header name, forgiving about case, spaces and units in the header.
struct CSVHeader {
    let index: [String: Int]
    let names: [String]

    init(_ header: [String]) {
        names = header.map(Self.normalize)
        var index: [String: Int] = [:]
        for (i, name) in names.enumerated() where index[name] == nil { index[name] = i }
        self.index = index
    }

    static func normalize(_ name: String) -> String {
        name.trimmingCharacters(in: .whitespaces).lowercased()
            .replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_")
    }

    func column(_ aliases: [String]) -> Int? { aliases.lazy.compactMap { index[$0] }.first }
}

/// Reads one cell as a typed value, or says why not.
struct CSVCell {
    let row: [String]
    func text(_ column: Int?) -> String {
        guard let column, column >= 0, column < row.count else { return "" }
        return row[column].trimmingCharacters(in: .whitespaces)
    }
    func double(_ column: Int?, _ name: String) throws(RowError) -> Double? {
        let value = text(column)
        if value.isEmpty { return nil }
        guard let number = NumberInput.decimal(value) else {
            throw RowError(
                "\(name): “\(value)” is not a "
                    + "number.")
        }
        return number
    }
    func int(_ column: Int?, _ name: String) throws(RowError) -> Int? {
        guard let number = try double(column, name) else { return nil }
        guard number == number.rounded(), abs(number) < 1_000_000 else {
            throw RowError("\(name): “\(text(column))” is not a whole number.")
        }
        return Int(number)
    }
}

/// Check-ins from a CSV with a header row. Columns (any order, extra columns ignored):
/// `date` (YYYY-MM-DD, required), `hrv` / `rmssd`, `resting_hr`, `sleep_hours`, `sleep_quality`,
/// `soreness`, `stress`, `ill` (yes/no, 1/0, true/false), `illness_note`, `cycle_phase`, `notes`.
public enum CheckInCSV {
    public static let columns = [
        "date", "hrv", "resting_hr", "sleep_hours", "sleep_quality", "soreness", "stress", "ill", "illness_note",
        "cycle_phase", "notes",
    ]

    public static func rows(_ text: String, today: CalendarDate) throws(RowError) -> [ImportRow<CheckIn>] {
        let table: [[String]]
        do { table = try CSV.parse(text) } catch { throw RowError(error.description) }
        guard let headerRow = table.first else { throw RowError("The file is empty.") }
        let header = CSVHeader(headerRow)
        guard let dateColumn = header.column(["date", "day"]) else {
            throw RowError(
                "The first row must name the columns, with at least “date”. Expected columns: "
                    + "\(columns.joined(separator: ", "))."
            )
        }
        let hrv = header.column(["hrv", "rmssd", "hrv_rmssd", "hrv_ms"]),
            rhr = header.column(["resting_hr", "rhr", "resting_heart_rate"])
        let sleep = header.column(["sleep_hours", "sleep", "sleep_h"]), quality = header.column(["sleep_quality"])
        let soreness = header.column(["soreness"]), stress = header.column(["stress"]),
            ill = header.column(["ill", "illness", "sick"])
        let illNote = header.column(["illness_note"]), phase = header.column(["cycle_phase", "cycle"]),
            notes = header.column(["notes", "note"])
        var seen: Set<CalendarDate> = []
        return table.dropFirst().enumerated().map { offset, fields in
            let cell = CSVCell(row: fields)
            let result = Result<CheckIn, RowError> { () throws(RowError) -> CheckIn in
                guard let date = CalendarDate(cell.text(dateColumn)) else {
                    throw RowError("date: “\(cell.text(dateColumn))” is not a date (YYYY-MM-DD).")
                }
                if let problem = CheckIn.dateProblem(date, today: today) { throw RowError(problem.message) }
                guard seen.insert(date).inserted else {
                    throw RowError("\(date) appears twice in the file; keep one row per day.")
                }
                let illText = cell.text(ill).lowercased()
                guard ["", "yes", "no", "y", "n", "1", "0", "true", "false"].contains(illText) else {
                    throw RowError("ill: write yes or no.")
                }
                let phaseText = cell.text(phase).lowercased()
                guard phaseText.isEmpty || CyclePhase(rawValue: phaseText) != nil else {
                    throw RowError(
                        "cycle_phase: one of \(CyclePhase.allCases.map(\.rawValue).joined(separator: ", ")).")
                }
                let checkIn = CheckIn(
                    date: date, hrvRMSSD: try cell.double(hrv, "hrv"), restingHR: try cell.int(rhr, "resting_hr"),
                    sleepHours: try cell.double(sleep, "sleep_hours"),
                    sleepQuality: try cell.int(quality, "sleep_quality"),
                    soreness: try cell.int(soreness, "soreness"), stress: try cell.int(stress, "stress"),
                    ill: ["yes", "y", "1", "true"].contains(illText), illnessNote: cell.text(illNote),
                    cyclePhase: CyclePhase(rawValue: phaseText), notes: cell.text(notes))
                if let problem = checkIn.problems().first { throw RowError(problem.message) }
                return checkIn
            }
            return ImportRow(line: offset + 2, fields: fields, result: result)
        }
    }
}

/// Activity summaries from a CSV with a header row (a watch's export). Columns: `date` (YYYY-MM-DD)
/// or `start_time` (ISO 8601), `sport`, `distance_km` / `distance_m` / `distance_mi`, `duration`
/// (H:MM:SS or seconds), `avg_hr`, `max_hr`, `elevation_gain_m`, `rpe`, `notes`.
public enum ActivityCSV {
    public static let columns = [
        "date", "start_time", "sport", "distance_km", "duration", "avg_hr", "max_hr", "elevation_gain_m", "rpe",
        "notes",
    ]

    public static func rows(
        _ text: String, today: CalendarDate, timeZone: TimeZone
    ) throws(RowError) -> [ImportRow<ActivityEntry>] {
        let table: [[String]]
        do { table = try CSV.parse(text) } catch { throw RowError(error.description) }
        guard let headerRow = table.first else { throw RowError("The file is empty.") }
        let header = CSVHeader(headerRow)
        let dateColumn = header.column(["date", "day"]),
            startColumn = header.column(["start_time", "start", "time", "timestamp"])
        guard dateColumn != nil || startColumn != nil,
            let sportColumn = header.column(["sport", "type", "activity_type"])
        else {
            throw RowError(
                "The first row must name the columns, with “date” or “start_time”, and “sport”. Expected "
                    + "columns: "
                    + "\(columns.joined(separator: ", "))."
            )
        }
        let km = header.column(["distance_km", "distance"]), meters = header.column(["distance_m"]),
            miles = header.column(["distance_mi"])
        let duration = header.column(["duration", "duration_s", "time_s", "moving_time", "elapsed_time"])
        let avgHR = header.column(["avg_hr", "average_hr", "avg_heart_rate"]),
            maxHR = header.column(["max_hr", "max_heart_rate"])
        let gain = header.column(["elevation_gain_m", "elevation_gain", "ascent"]), rpe = header.column(["rpe"]),
            notes = header.column(["notes", "note", "title"])
        return table.dropFirst().enumerated().map { offset, fields in
            let cell = CSVCell(row: fields)
            let result = Result<ActivityEntry, RowError> { () throws(RowError) -> ActivityEntry in
                var start: Date? = nil
                var date: CalendarDate
                let startText = cell.text(startColumn)
                if !startText.isEmpty {
                    guard let parsed = ISO8601.parse(startText) else {
                        throw RowError("start_time: “\(startText)” is not an ISO 8601 time (2026-11-23T07:30:00Z).")
                    }
                    start = parsed
                    date = CalendarDate(parsed, timeZone: timeZone)
                } else {
                    guard let day = CalendarDate(cell.text(dateColumn)) else {
                        throw RowError("date: “\(cell.text(dateColumn))” is not a date (YYYY-MM-DD).")
                    }
                    date = day
                }
                guard date <= today else { throw RowError("\(date) is in the future.") }
                guard let sport = Sport(loose: cell.text(sportColumn)) else {
                    throw RowError(
                        "sport: “\(cell.text(sportColumn))” is not one of "
                            + "\(Sport.allCases.map(\.rawValue).joined(separator: ", "))."
                    )
                }
                var distance: Double? = nil
                if let value = try cell.double(km, "distance_km") {
                    distance = value * 1000
                } else if let value = try cell.double(meters, "distance_m") {
                    distance = value
                } else if let value = try cell.double(miles, "distance_mi") {
                    distance = value * UnitSystem.metersPerMile
                }
                let durationText = cell.text(duration)
                var seconds: Double? = nil
                if !durationText.isEmpty {
                    guard let parsed = TimeFormat.parseClock(durationText) else {
                        throw RowError("duration: “\(durationText)” is not H:MM:SS or seconds.")
                    }
                    seconds = parsed
                }
                let entry = ActivityEntry(
                    sport: sport, startTime: start, date: date, distanceMeters: distance, durationSeconds: seconds,
                    averageHeartRate: try cell.double(avgHR, "avg_hr"), maxHeartRate: try cell.double(maxHR, "max_hr"),
                    elevationGain: try cell.double(gain, "elevation_gain_m"), rpe: try cell.int(rpe, "rpe"),
                    notes: cell.text(notes), source: .csv)
                if let problem = entry.problems().first { throw RowError(problem.message) }
                return entry
            }
            return ImportRow(line: offset + 2, fields: fields, result: result)
        }
    }
}
