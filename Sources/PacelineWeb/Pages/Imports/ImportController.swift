import Foundation
import Hummingbird
import PacelineCore
import PacelineStore

/// CSV import of check-ins and activity history, in two steps: a preview of every row with its
/// problem (nothing saved), then the import of the good rows. Athletes import their own; coaches
/// import for an athlete.
struct ImportController {
    let deps: AppDependencies

    func addRoutes(to routes: GuardedRoutes<AthleteContext>) {
        routes.get("import", use: form)
        routes.post("import", use: preview)
        routes.post("import/confirm", use: confirm)
    }

    @Sendable func form(_ request: Request, context: AthleteContext) async throws -> Response {
        try await deps.pages.render(
            .importsForm, ImportFormPage(context, error: nil, kind: .checkins), title: "Import CSV",
            request: request, context: context)
    }

    /// Step 1: read the CSV (a file or pasted text) and show every row with its problem, saving nothing.
    @Sendable func preview(_ request: Request, context: AthleteContext) async throws -> Response {
        var kind = ImportKind.checkins
        var text = ""
        let limits = MultipartUpload.Limits(
            fileBytes: CSV.maxBytes, fieldBytes: CSV.maxBytes,
            totalBytes: 2 * CSV.maxBytes + 65_536, maxParts: 8)
        var tooLarge = false
        try await MultipartUpload.read(request, csrf: context.csrfToken, limits: limits) { part in
            if part.tooLarge { tooLarge = true; return }
            switch part.name {
            case "kind": kind = ImportKind(rawValue: part.text) ?? .checkins
            case "file": if part.content.readableBytes > 0 { text = part.text }
            case "csv": if text.isEmpty { text = part.text }
            default: break
            }
        }
        func refuse(_ message: String) async throws -> Response {
            try await deps.pages.render(
                .importsForm, ImportFormPage(context, error: message, kind: kind), title: "Import CSV",
                request: request, context: context, status: .unprocessableContent)
        }
        if tooLarge { return try await refuse("The file is larger than 5 MB; split it into smaller files.") }
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return try await refuse("Choose a CSV file or paste its text.")
        }
        let page: ImportPreviewPage
        do { page = try ImportPreviewPage(context.subject, kind: kind, text: text) } catch {
            return try await refuse(error.description)
        }
        return try await deps.pages.render(
            .importsPreview, page, title: "Check the import", request: request, context: context,
            status: page.canImport ? .ok : .unprocessableContent)
    }

    /// Step 2: import the rows that were fine in the preview; rows with problems are skipped.
    @Sendable func confirm(_ request: Request, context: AthleteContext) async throws -> Response {
        var request = request
        let form = try await request.form(context: context)
        guard let kind = ImportKind(rawValue: form["kind"]) else {
            throw PageError(
                status: .unprocessableContent, title: "Unknown import", message: "Choose check-ins or activities.")
        }
        let text = form["csv"]
        switch kind {
        case .checkins: return try await confirmCheckIns(text, context)
        case .activities: return try await confirmActivities(text, context)
        }
    }

    static func nothingImported(_ message: String) -> PageError {
        PageError(status: .unprocessableContent, title: "Nothing imported", message: message)
    }

    static func skipped(_ rows: Int, _ good: Int) -> String {
        rows > good ? "; skipped \(rows - good) rows with problems" : ""
    }

    func confirmCheckIns(_ text: String, _ context: AthleteContext) async throws -> Response {
        let subject = context.subject
        let rows: [ImportRow<CheckIn>]
        do { rows = try CheckInCSV.rows(text, today: subject.today) } catch {
            throw Self.nothingImported(error.description)
        }
        let good = rows.compactMap(\.value)
        guard !good.isEmpty else { throw Self.nothingImported("No row could be read.") }
        let (created, updated) = try await deps.database.saveCheckIns(
            context.scope, athleteId: context.athleteId, good, fromCSV: true, now: deps.clock.now())
        await deps.recompute(context.scope, athleteId: context.athleteId, logger: context.logger)
        let replaced = updated > 0 ? ", replaced \(updated)" : ""
        return .redirect(
            to: subject.log.checkIn,
            flash: .success("Imported \(created) check-ins\(replaced)\(Self.skipped(rows.count, good.count))."))
    }

    func confirmActivities(_ text: String, _ context: AthleteContext) async throws -> Response {
        let subject = context.subject
        let rows: [ImportRow<ActivityEntry>]
        do { rows = try ActivityCSV.rows(text, today: subject.today, timeZone: subject.viewer.timeZone) } catch {
            throw Self.nothingImported(error.description)
        }
        let good = rows.compactMap(\.value)
        guard !good.isEmpty else { throw Self.nothingImported("No row could be read.") }
        var imported = 0, duplicates = 0
        for entry in good {
            switch try await deps.database.importActivity(
                context.scope, athleteId: context.athleteId, entry, file: nil, now: deps.clock.now())
            {
            case .imported: imported += 1
            case .duplicate: duplicates += 1
            }
        }
        await deps.recompute(context.scope, athleteId: context.athleteId, logger: context.logger)
        let already = duplicates > 0 ? "; \(duplicates) were already in the log" : ""
        return .redirect(
            to: subject.log.activities,
            flash: .success("Imported \(imported) activities\(already)\(Self.skipped(rows.count, good.count))."))
    }
}
