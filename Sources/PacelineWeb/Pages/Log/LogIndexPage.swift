import Foundation
import PacelineCore
import PacelineStore

/// An athlete's training log: compliance over 7 and 28 days, the upload form, the last year's activities.
struct LogIndexPage: Sendable {
    let name: String
    let isOwn: Bool
    let compliance: [ComplianceView]
    let rows: [ActivityRow]
    let hasRows: Bool
    /// The last 28 days, sport by sport.
    let totals: [TotalRow]
    let hasTotals: Bool
    let uploadAction: String
    let newHref: String
    let importHref: String
    let checkInHref: String
    let sports: [SelectOption]
    let maxFiles: Int
    /// Shown next to the file input when an upload carried no file.
    let uploadError: String?

    var title: String { isOwn ? "My training log" : "\(name) — log" }

    static func load(
        _ database: AppDatabase, _ context: AthleteContext, uploadError: String? = nil
    ) async throws -> LogIndexPage {
        let subject = context.subject, today = subject.today
        let urls = SiteURL.org(context.slug)
        let items = try await database.activities(
            context.scope, athleteId: subject.athlete.id,
            from: today.adding(days: -365), to: today, limit: 200)
        let recent = items.map(\.entry).filter { $0.date > today.adding(days: -28) }
        let totals = SportTotals(recent).lines.map { TotalRow($0, units: subject.units) }
        return LogIndexPage(
            name: subject.athlete.name, isOwn: subject.isOwn,
            compliance: try await ComplianceView.load(database, context.scope, subject),
            rows: items.map { ActivityRow($0, units: subject.units, urls: urls) }, hasRows: !items.isEmpty,
            totals: totals, hasTotals: !totals.isEmpty,
            uploadAction: subject.log.upload,
            newHref: subject.log.newActivity, importHref: subject.log.importCSV, checkInHref: subject.log.checkIn,
            sports: Sport.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0 == .run) },
            maxFiles: UploadController.maxFiles, uploadError: uploadError)
    }
}

/// One sport's totals: "Swim · 3 sessions · 4 200 m · 1:32:00".
struct TotalRow: Sendable {
    let sport: String
    let sessions: Int
    let distance: String
    let time: String

    init(_ line: SportTotals.Line, units: UnitSystem) {
        sport = line.sport.label
        sessions = line.sessions
        distance = line.distance(units: units)
        time = TimeFormat.clock(line.seconds)
    }
}

/// One activity in a list: what, when, how far and fast, from where, matched or not.
struct ActivityRow: Sendable {
    let href: String
    let date: String
    let sport: String
    let title: String
    let distance: String
    let duration: String
    let pace: String
    /// "Pace" on foot and in the water, "Speed" on a bike.
    let paceLabel: String
    let heartRate: String
    let source: String
    let status: String
    let statusClass: String

    init(_ item: ActivityItem, units: UnitSystem, urls: SiteURL.Org) {
        let e = item.entry
        let speed = TimeFormat.speed(sport: e.sport, meters: e.distanceMeters, seconds: e.durationSeconds, units: units)
        href = urls.activity(item.id)
        date = e.date.description
        sport = e.sport.label
        title = item.scheduledName ?? (e.notes.isEmpty ? "\(e.sport.label) (unplanned)" : String(e.notes.prefix(60)))
        distance = e.distanceMeters.map { DistanceFormat.format(meters: $0, units: units) } ?? "–"
        duration = e.durationSeconds.map(TimeFormat.clock) ?? "–"
        pace = speed?.text ?? ""
        paceLabel = speed?.label ?? "Pace"
        heartRate = e.averageHeartRate.map { String(format: "%.0f", $0) } ?? "–"
        source = e.source.label
        status = e.status.label
        statusClass = e.status.rawValue
    }
}
