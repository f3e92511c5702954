import Foundation
import PacelineCore
import PacelineStore

/// The results of an upload: per file (or per session of a multi-session file) imported,
/// already in the log, or refused with the reason.
struct UploadPage: Sendable {
    /// Rendered by its raw value (the row's CSS class).
    enum Outcome: String, Sendable, CustomStringConvertible {
        case imported, duplicate, refused

        var label: String { rawValue.capitalized }
        var description: String { rawValue }
    }

    struct FileResult: Sendable {
        let fileName: String
        let outcome: Outcome
        let message: String
        let href: String?
        let outcomeLabel: String

        static func refused(_ fileName: String, _ why: String) -> FileResult {
            FileResult(fileName: fileName, outcome: .refused, message: why, href: nil)
        }

        init(fileName: String, outcome: Outcome, message: String, href: String?) {
            self.fileName = fileName
            self.outcome = outcome
            self.message = message
            self.href = href
            outcomeLabel = outcome.label
        }

        init(_ fileName: String, _ result: ImportOutcome, entry: ActivityEntry, units: UnitSystem, urls: SiteURL.Org) {
            self.fileName = fileName
            switch result {
            case .imported(let id, let matched, let merged):
                let distance =
                    entry.distanceMeters.map { DistanceFormat.format(meters: $0, units: units) } ?? "no distance"
                let what =
                    "\(entry.sport.label), \(entry.date), \(distance), "
                    + "\(entry.durationSeconds.map(TimeFormat.clock) ?? "")"
                let match =
                    matched.map { merged ? " Added to your log of “\($0)”." : " Matched to “\($0)”." }
                    ?? " No planned workout that day: kept as an unplanned activity."
                outcome = .imported
                message = what + "." + match
                href = urls.activity(id)
            case .duplicate(let existing, let source):
                outcome = .duplicate
                message =
                    "Already in the log (\(source.label.lowercased()), same sport, started within a minute). "
                    + "The existing one is kept."
                href = urls.activity(existing)
            }
            outcomeLabel = outcome.label
        }
    }

    let name: String
    let results: [FileResult]
    let imported: Int
    let duplicates: Int
    let refused: Int
    let backHref: String

    init(name: String, results: [FileResult], backHref: String) {
        self.name = name
        self.results = results
        imported = results.filter { $0.outcome == .imported }.count
        duplicates = results.filter { $0.outcome == .duplicate }.count
        refused = results.filter { $0.outcome == .refused }.count
        self.backHref = backHref
    }
}
