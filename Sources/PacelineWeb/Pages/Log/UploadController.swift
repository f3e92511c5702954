import Foundation
import Hummingbird
import PacelineCore
import PacelineStore

/// Uploads of GPX, TCX and FIT files into an athlete's log: each file read, checked and imported
/// (or refused with the reason), one result per session.
struct UploadController {
    let deps: AppDependencies

    /// Files per upload and bytes per file (a week of runs; 25 MB is far above any real run).
    static let maxFiles = 30
    static let maxFileBytes = ActivityLimits.maxBytes

    func addRoutes(to routes: GuardedRoutes<AthleteContext>) {
        routes.post("activities/upload", use: upload)
    }

    @Sendable func upload(_ request: Request, context: AthleteContext) async throws -> Response {
        let subject = context.subject
        var fallback = Sport.run
        var results: [UploadPage.FileResult] = []
        var files = 0
        let limits = MultipartUpload.Limits(
            fileBytes: Self.maxFileBytes,
            totalBytes: Self.maxFiles * Self.maxFileBytes + 1_048_576,
            maxParts: Self.maxFiles + 4)
        try await MultipartUpload.read(request, csrf: context.csrfToken, limits: limits) { part in
            guard let fileName = part.fileName else {
                if part.name == "sport", let sport = Sport(rawValue: part.text) { fallback = sport }
                return
            }
            guard !(fileName.isEmpty && part.content.readableBytes == 0) else { return }
            files += 1
            results += try await importFile(part, fileName: fileName, fallback: fallback, context: context)
        }
        guard files > 0 else {
            // The log again, with the reason next to the file input (not an error page without the form).
            let page = try await LogIndexPage.load(
                deps.database, context, uploadError: "Choose one or more GPX, TCX or FIT files, then upload.")
            return try await deps.pages.render(
                .logIndex, page, title: page.title, request: request, context: context, status: .unprocessableContent)
        }
        let page = UploadPage(name: subject.athlete.name, results: results, backHref: subject.log.activities)
        if page.imported > 0 {
            await deps.recompute(context.scope, athleteId: subject.athlete.id, logger: context.logger)
        }
        // Every file refused: the request as a whole was bad input.
        let status: HTTPResponse.Status = page.imported + page.duplicates == 0 ? .unprocessableContent : .ok
        return try await deps.pages.render(
            .logUploaded, page, title: "Upload results", request: request, context: context,
            status: status)
    }

    /// Reads one uploaded file and imports its session(s): one result per session, or the reason it was refused.
    func importFile(
        _ part: MultipartUpload.Part, fileName: String, fallback: Sport, context: AthleteContext
    )
        async throws -> [UploadPage.FileResult]
    {
        let subject = context.subject
        let urls = SiteURL.org(context.slug)
        let name = fileName.isEmpty ? "(unnamed file)" : String(fileName.prefix(120))
        func refused(_ why: String) -> [UploadPage.FileResult] { [.refused(name, why)] }
        if part.tooLarge { return refused("The file is larger than \(Self.maxFileBytes / 1_048_576) MB.") }
        guard let kind = ActivitySource(fileName: name) else {
            return refused(
                "Not a GPX, TCX or FIT file (by its name). Export the activity from your watch's app in one of these.")
        }
        guard part.content.readableBytes > 0 else { return refused("The file is empty.") }
        let data = Data(buffer: part.content)
        let tracks: [Track]
        do {
            tracks = try kind.tracks(data)
        } catch {
            return refused(error.description)
        }
        guard !tracks.isEmpty else { return refused("The file holds no activity.") }
        var out: [UploadPage.FileResult] = []
        var keptFile = false
        for (index, track) in tracks.enumerated() {
            let label = tracks.count > 1 ? "\(name) — session \(index + 1)" : name
            let summary = ActivitySummary(track, splitUnit: subject.units)
            guard
                var entry = ActivityEntry(
                    summary: summary, source: kind, fallbackSport: fallback,
                    timeZone: subject.viewer.timeZone)
            else {
                out.append(.refused(label, "The file has no timestamps, so the day of the activity is unknown."))
                continue
            }
            entry.readSamples(track)
            if let problem = entry.problems().first {
                out.append(.refused(label, problem.message))
                continue
            }
            // A file with several sessions is stored once, with its first session.
            let upload = keptFile ? nil : ActivityUpload(fileName: name, kind: kind, content: data)
            let outcome = try await deps.database.importActivity(
                context.scope, athleteId: subject.athlete.id, entry,
                file: upload, now: deps.clock.now())
            if case .imported = outcome { keptFile = true }
            out.append(UploadPage.FileResult(label, outcome, entry: entry, units: subject.units, urls: urls))
        }
        return out
    }
}
