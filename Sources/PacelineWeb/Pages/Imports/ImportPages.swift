import Foundation
import PacelineCore
import PacelineStore

/// What a CSV holds: daily check-ins or activity summaries.
enum ImportKind: String, Sendable {
    case checkins, activities

    var label: String { self == .checkins ? "check-ins" : "activities" }
}

/// Step 1 of a CSV import: choose a file or paste its text.
struct ImportFormPage: Sendable {
    let name: String
    let action: String
    let kinds: [SelectOption]
    let checkInColumns: String
    let activityColumns: String
    let error: String?
    let backHref: String

    init(_ context: AthleteContext, error: String?, kind: ImportKind) {
        let subject = context.subject
        name = subject.athlete.name
        action = subject.log.importCSV
        kinds = [
            SelectOption(value: ImportKind.checkins.rawValue, label: "Daily check-ins", selected: kind == .checkins),
            SelectOption(
                value: ImportKind.activities.rawValue, label: "Activity summaries", selected: kind == .activities),
        ]
        checkInColumns = CheckInCSV.columns.joined(separator: ",")
        activityColumns = ActivityCSV.columns.joined(separator: ",")
        self.error = error
        backHref = subject.log.activities
    }
}

/// Step 2: every row with its problem, nothing saved yet.
struct ImportPreviewPage: Sendable {
    struct Row: Sendable {
        let line: Int
        let cells: [String]
        let ok: Bool
        let message: String
    }
    let name: String
    let kindLabel: String
    let kind: String
    let rows: [Row]
    let good: Int
    let bad: Int
    let canImport: Bool
    let csv: String
    let confirmAction: String
    let backHref: String
    let header: [String]

    /// Rows shown at most (the import itself takes every good row).
    static let shownRows = 2000

    /// Reads the CSV for the athlete; throws `RowError` when the text is not a CSV of that kind.
    init(_ subject: AthleteSubject, kind: ImportKind, text: String) throws(RowError) {
        let header = (try? CSV.parse(text).first) ?? []
        let rows: [Row]
        switch kind {
        case .checkins:
            rows = try CheckInCSV.rows(text, today: subject.today).map {
                Row(line: $0.line, cells: $0.fields, ok: $0.value != nil, message: $0.problem ?? "OK")
            }
        case .activities:
            rows = try ActivityCSV.rows(text, today: subject.today, timeZone: subject.viewer.timeZone).map {
                Row(line: $0.line, cells: $0.fields, ok: $0.value != nil, message: $0.problem ?? "OK")
            }
        }
        let good = rows.filter(\.ok).count
        name = subject.athlete.name
        kindLabel = kind.label
        self.kind = kind.rawValue
        self.rows = Array(rows.prefix(Self.shownRows))
        self.good = good
        bad = rows.count - good
        canImport = good > 0
        csv = text
        confirmAction = subject.log.importConfirm
        backHref = subject.log.importCSV
        self.header = header
    }
}
