import Foundation
import Hummingbird
import NIOCore
import PacelineCore
import PacelineStore

/// What was actually done: activity uploads, the manual log, matching to the plan and
/// compliance. The same pages serve an athlete (their own log, under `/o/{org}`) and a coach
/// (an athlete's log, under `/o/{org}/athletes/{id}`).
struct LogController {
    let deps: AppDependencies

    /// Files per upload and bytes per file (a week of runs; 25 MB is far above any real run).
    static let maxFiles = 30
    static let maxFileBytes = ActivityLimits.maxBytes

    func addRoutes(to routes: GuardedRoutes<TenantContext>) {
        routes.get("activities", use: { try await self.index($0, $1, coach: false) })
        routes.post("activities/upload", use: { try await self.upload($0, $1, coach: false) })
        routes.get("activities/new", use: { try await self.newForm($0, $1, coach: false) })
        routes.post("activities/new", use: { try await self.create($0, $1, coach: false) })
        routes.get("activities/:id", use: show)
        routes.get("activities/:id/edit", use: editForm)
        routes.post("activities/:id/edit", use: update)
        routes.post("activities/:id/delete", use: delete)
        routes.get("activities/:id/file", use: download)
    }

    func addCoachRoutes(to routes: GuardedRoutes<TenantContext>) {
        routes.get("athletes/:id/activities", use: { try await self.index($0, $1, coach: true) })
        routes.post("athletes/:id/activities/upload", use: { try await self.upload($0, $1, coach: true) })
        routes.get("athletes/:id/activities/new", use: { try await self.newForm($0, $1, coach: true) })
        routes.post("athletes/:id/activities/new", use: { try await self.create($0, $1, coach: true) })
        routes.post("activities/:id/match", use: rematch)
    }

    // MARK: Whose log

    /// The athlete whose log a page shows: from the path for coaches, else the signed-in athlete.
    struct Subject {
        let athlete: Athlete
        let isOwn: Bool
        let log: SiteURL.Log
        let viewer: TrainingController.Viewer
        var timeZone: TimeZone { TimeZones.zone(viewer.athlete.timeZone ?? "UTC") }
    }

    func subject(_ request: Request, _ context: TenantContext, coach: Bool) async throws -> Subject {
        let athlete: Athlete
        if coach {
            athlete = try await deps.database.athlete(context.scope, id: try request.id(context))
        } else {
            guard let own = try await deps.database.ownAthleteProfile(context.scope) else {
                throw PageError(status: .notFound, title: "No training log", message: "Only athletes have a training log here. Coaches open an athlete's log from the athlete's page.")
            }
            athlete = own
        }
        return subject(athlete, context)
    }

    func subject(_ athlete: Athlete, _ context: TenantContext) -> Subject {
        let isOwn = athlete.userId == context.scope.user.id
        let urls = SiteURL.org(context.slug)
        var withZone = athlete
        withZone.timeZone = athlete.timeZone ?? context.scope.organization.timeZone
        return Subject(athlete: athlete, isOwn: isOwn, log: urls.log(athlete: isOwn ? nil : athlete.id),
                       viewer: TrainingController(deps: deps).viewer(withZone, context))
    }

    /// An activity the viewer may see: their own, or any athlete's for coaches.
    func visibleActivity(_ request: Request, _ context: TenantContext) async throws -> (ActivityItem, Subject) {
        let activity = try await deps.database.activity(context.scope, id: try request.id(context))
        let athlete = try await deps.database.athlete(context.scope, id: activity.athleteId)
        if !context.role.includes(.coach) && athlete.userId != context.scope.user.id { throw HTTPError(.notFound) }
        return (activity, subject(athlete, context))
    }

    // MARK: The log page

    struct ActivityRow {
        let href: String
        let date: String
        let sport: String
        let title: String
        let distance: String
        let duration: String
        let pace: String
        let heartRate: String
        let source: String
        let status: String
        let statusClass: String
    }

    struct IndexPage {
        let name: String
        let isOwn: Bool
        let compliance: [ComplianceView]
        let rows: [ActivityRow]
        let hasRows: Bool
        let uploadAction: String
        let newHref: String
        let importHref: String
        let checkInHref: String
        let sports: [SelectOption]
        let maxFiles: Int
    }

    static func row(_ item: ActivityItem, units: UnitSystem, urls: SiteURL.Org) -> ActivityRow {
        let e = item.entry
        var pace = ""
        if let d = e.distanceMeters, let t = e.durationSeconds, d > 0, e.sport == .run || e.sport == .walk || e.sport == .hike {
            pace = TimeFormat.pace(secondsPerKm: t / d * 1000, units: units)
        }
        return ActivityRow(
            href: urls.activity(item.id), date: e.date.description, sport: e.sport.label,
            title: item.scheduledName ?? (e.notes.isEmpty ? "\(e.sport.label) (unplanned)" : String(e.notes.prefix(60))),
            distance: e.distanceMeters.map { DistanceFormat.format(meters: $0, units: units) } ?? "–",
            duration: e.durationSeconds.map(TimeFormat.clock) ?? "–", pace: pace,
            heartRate: e.averageHeartRate.map { String(format: "%.0f", $0) } ?? "–", source: e.source.label,
            status: e.status.label, statusClass: e.status.rawValue)
    }

    func index(_ request: Request, _ context: TenantContext, coach: Bool) async throws -> Response {
        let subject = try await subject(request, context, coach: coach)
        return try await renderIndex(subject, request, context)
    }

    func renderIndex(_ subject: Subject, _ request: Request, _ context: TenantContext) async throws -> Response {
        let today = subject.viewer.today
        let urls = SiteURL.org(context.slug)
        let items = try await deps.database.activities(context.scope, athleteId: subject.athlete.id, from: today.adding(days: -365), to: today, limit: 200)
        let page = IndexPage(
            name: subject.athlete.name, isOwn: subject.isOwn,
            compliance: try await Self.compliance(deps.database, context.scope, subject),
            rows: items.map { Self.row($0, units: subject.viewer.units, urls: urls) }, hasRows: !items.isEmpty,
            uploadAction: subject.log.upload + "?\(CSRFMiddleware.fieldName)=\(context.csrfToken)",
            newHref: subject.log.newActivity, importHref: subject.log.importCSV, checkInHref: subject.log.checkIn,
            sports: Sport.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0 == .run) }, maxFiles: Self.maxFiles)
        return try await deps.pages.render("log.index", page, title: subject.isOwn ? "My training log" : "\(subject.athlete.name) — log",
                                           request: request, context: context)
    }

    // MARK: Compliance

    struct ComplianceView {
        let title: String
        let sessions: String
        let distance: String
        let band: String
        let bandLabel: String
    }

    /// Planned vs done over 7 and 28 days up to today.
    static func compliance(_ database: AppDatabase, _ scope: TenantScope, _ subject: Subject) async throws -> [ComplianceView] {
        let today = subject.viewer.today
        let items = try await database.schedule(scope, athleteId: subject.athlete.id, from: today.adding(days: -27), to: today).map(\.0)
        let outcomes = items.filter { $0.date < today || $0.outcome != nil || $0.completed }.map { outcome($0, zones: subject.viewer.zones) }
        return [7, 28].map { days in
            let summary = ComplianceSummary(outcomes, days: days, through: today)
            let distance = summary.distanceRate.map {
                "\(DistanceFormat.format(meters: summary.doneDistance, units: subject.viewer.units, decimals: 1)) of \(DistanceFormat.format(meters: summary.plannedDistance, units: subject.viewer.units, decimals: 1)) (\(Int(saturating: $0 * 100)) %)"
            } ?? "no planned distance"
            return ComplianceView(title: "Last \(days) days", sessions: summary.planned == 0 ? "nothing planned" : "\(summary.completed) of \(summary.planned) sessions done",
                                  distance: distance, band: summary.band.rawValue, bandLabel: summary.planned == 0 ? "–" : summary.band.label)
        }
    }

    /// What was done for a planned workout, in words: "9.8 km · 52:10 (on target)"; empty when nothing was.
    static func doneText(_ item: ScheduledItem, units: UnitSystem, zones: PaceZones?, decimals: Int = 2) -> String {
        guard let done = item.outcome else { return "" }
        if done.status == .skipped { return ActivityStatus.skipped.label }
        let parts = [done.distanceMeters.map { DistanceFormat.format(meters: $0, units: units, decimals: decimals) },
                     done.durationSeconds.map(TimeFormat.clock)].compactMap { $0 }
        let band = outcome(item, zones: zones).band
        return (parts.isEmpty ? done.status.label : parts.joined(separator: " · ")) + " (\(band.label.lowercased()))"
    }

    static func outcome(_ item: ScheduledItem, zones: PaceZones?) -> SessionOutcome {
        let totals = WorkoutTotals(item.workout.blocks, zones: zones)
        let planned = SessionAmount(distanceMeters: totals.distanceMeters, durationSeconds: totals.durationSeconds)
        if let done = item.outcome {
            return SessionOutcome(date: item.date, planned: planned, done: SessionAmount(distanceMeters: done.distanceMeters, durationSeconds: done.durationSeconds),
                                  status: done.status)
        }
        // Ticked off without numbers: done as planned.
        return SessionOutcome(date: item.date, planned: planned, done: item.completed ? planned : nil, status: item.completed ? .done : nil)
    }

    // MARK: Upload

    struct FileResult {
        let fileName: String
        let outcome: String      // imported, duplicate, refused
        let outcomeLabel: String
        let message: String
        let href: String
    }

    struct UploadPage {
        let name: String
        let results: [FileResult]
        let imported: Int
        let duplicates: Int
        let refused: Int
        let backHref: String
    }

    func upload(_ request: Request, _ context: TenantContext, coach: Bool) async throws -> Response {
        let subject = try await subject(request, context, coach: coach)
        let urls = SiteURL.org(context.slug)
        var fallback = Sport.run
        var results: [FileResult] = []
        var files = 0
        let limits = MultipartUpload.Limits(fileBytes: Self.maxFileBytes, totalBytes: Self.maxFiles * Self.maxFileBytes + 1_048_576, maxParts: Self.maxFiles + 4)
        try await MultipartUpload.read(request, limits: limits) { part in
            guard let fileName = part.fileName else {
                if part.name == "sport", let sport = Sport(rawValue: part.text) { fallback = sport }
                return
            }
            guard !(fileName.isEmpty && part.content.readableBytes == 0) else { return }
            files += 1
            results += try await importFile(part, fileName: fileName, fallback: fallback, subject: subject, context: context, urls: urls)
        }
        guard files > 0 else {
            throw PageError(status: .unprocessableContent, title: "No file chosen", message: "Choose one or more GPX, TCX or FIT files, then upload.")
        }
        if results.contains(where: { $0.outcome == "imported" }) { await deps.recompute(context.scope, athleteId: subject.athlete.id, logger: context.logger) }
        let page = UploadPage(name: subject.athlete.name, results: results,
                              imported: results.filter { $0.outcome == "imported" }.count,
                              duplicates: results.filter { $0.outcome == "duplicate" }.count,
                              refused: results.filter { $0.outcome == "refused" }.count, backHref: subject.log.activities)
        // Every file refused: the request as a whole was bad input.
        let status: HTTPResponse.Status = page.imported + page.duplicates == 0 ? .unprocessableContent : .ok
        return try await deps.pages.render("log.uploaded", page, title: "Upload results", request: request, context: context, status: status)
    }

    /// Reads one uploaded file and imports its session(s); one result per session, or the reason it was refused.
    func importFile(_ part: MultipartUpload.Part, fileName: String, fallback: Sport, subject: Subject, context: TenantContext,
                    urls: SiteURL.Org) async throws -> [FileResult] {
        let name = fileName.isEmpty ? "(unnamed file)" : String(fileName.prefix(120))
        func refused(_ why: String) -> [FileResult] { [FileResult(fileName: name, outcome: "refused", outcomeLabel: "Refused", message: why, href: "")] }
        if part.tooLarge { return refused("The file is larger than \(Self.maxFileBytes / 1_048_576) MB.") }
        guard let kind = ActivitySource(fileName: name) else { return refused("Not a GPX, TCX or FIT file (by its name). Export the activity from your watch's app in one of these.") }
        guard part.content.readableBytes > 0 else { return refused("The file is empty.") }
        let data = Data(buffer: part.content)
        let tracks: [Track]
        do {
            switch kind {
            case .gpx: tracks = [try GPXReader.read(data)]
            case .tcx: tracks = [try TCXReader.read(data)]
            default: tracks = try FITReader.read(data)
            }
        } catch {
            return refused(error.description)
        }
        guard !tracks.isEmpty else { return refused("The file holds no activity.") }
        var out: [FileResult] = []
        var keptFile = false
        for (index, track) in tracks.enumerated() {
            let label = tracks.count > 1 ? "\(name) — session \(index + 1)" : name
            let summary = ActivitySummary(track, splitUnit: subject.viewer.units)
            guard let entry = ActivityEntry(summary: summary, source: kind, fallbackSport: fallback, timeZone: subject.timeZone) else {
                out.append(FileResult(fileName: label, outcome: "refused", outcomeLabel: "Refused", message: "The file has no timestamps, so the day of the activity is unknown.", href: ""))
                continue
            }
            if let problem = entry.problems().first {
                out.append(FileResult(fileName: label, outcome: "refused", outcomeLabel: "Refused", message: problem.message, href: ""))
                continue
            }
            let upload = keptFile ? nil : ActivityUpload(fileName: name, kind: kind, content: data)
            let outcome = try await deps.database.importActivity(context.scope, athleteId: subject.athlete.id, entry, file: upload, now: deps.clock.now())
            switch outcome {
            case .imported(let id, let matched, let merged):
                keptFile = true
                let what = "\(entry.sport.label), \(entry.date), \(entry.distanceMeters.map { DistanceFormat.format(meters: $0, units: subject.viewer.units) } ?? "no distance"), \(entry.durationSeconds.map(TimeFormat.clock) ?? "")"
                let match = matched.map { merged ? " Added to your log of “\($0)”." : " Matched to “\($0)”." } ?? " No planned workout that day: kept as an unplanned activity."
                out.append(FileResult(fileName: label, outcome: "imported", outcomeLabel: "Imported", message: what + "." + match, href: urls.activity(id)))
            case .duplicate(let existing, let source):
                out.append(FileResult(fileName: label, outcome: "duplicate", outcomeLabel: "Duplicate",
                                      message: "Already in the log (\(source.label.lowercased()), same sport, started within a minute). The existing one is kept.",
                                      href: urls.activity(existing)))
            }
        }
        return out
    }

    // MARK: Manual log

    struct LogForm {
        let title: String
        let action: String
        let scheduledId: String
        let plannedName: String?
        let plannedText: String?
        let date: Field
        let sports: [SelectOption]
        let statuses: [SelectOption]
        let distance: Field
        let distanceUnit: String
        let duration: Field
        let avgHR: Field
        let rpes: [SelectOption]
        let feels: [SelectOption]
        let notes: Field
        let summary: String?
        /// Errors of the choice fields, shown beside them.
        let statusError: String?
        let sportError: String?
        let rpeError: String?
        let feelError: String?
        let fromFile: Bool
        let backHref: String
        let submitLabel: String
    }

    struct LogInput {
        var date = "", sport = "run", status = "done", distance = "", duration = "", avgHR = "", rpe = "", feel = "", notes = ""
    }

    func logForm(title: String, action: String, scheduled: ScheduledItem?, input: LogInput, errors: FieldErrors, subject: Subject,
                 fromFile: Bool, backHref: String, submit: String) -> LogForm {
        let units = subject.viewer.units
        return LogForm(
            title: title, action: action, scheduledId: scheduled.map { String($0.id) } ?? "",
            plannedName: scheduled?.workout.name,
            plannedText: scheduled.map { TrainingController.view($0, viewer: subject.viewer, urls: SiteURL.org("")).totals },
            date: Field(input.date, error: errors["date"]),
            sports: Sport.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == input.sport) },
            statuses: ActivityStatus.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == input.status) },
            distance: Field(input.distance, error: errors["distance"]), distanceUnit: units.label,
            duration: Field(input.duration, error: errors["duration"]), avgHR: Field(input.avgHR, error: errors["avg_hr"]),
            rpes: [SelectOption(value: "", label: "—", selected: input.rpe.isEmpty)] + (1...10).map {
                SelectOption(value: "\($0)", label: "\($0) — \(Self.rpeWords[$0 - 1])", selected: input.rpe == "\($0)")
            },
            feels: [SelectOption(value: "", label: "—", selected: input.feel.isEmpty)] + ActivityFeel.allCases.map {
                SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == input.feel)
            },
            notes: Field(input.notes, error: errors["notes"]), summary: errors.summary,
            statusError: errors["status"], sportError: errors["sport"], rpeError: errors["rpe"], feelError: errors["feel"], fromFile: fromFile,
            backHref: backHref, submitLabel: submit)
    }

    /// Borg CR-10 anchors, as athletes read them.
    static let rpeWords = ["very easy", "easy", "moderate", "somewhat hard", "hard", "hard+", "very hard", "very hard+", "nearly maximal", "maximal"]

    func parse(_ form: FormData, units: UnitSystem, today: CalendarDate, errors: inout FieldErrors) -> (LogInput, ActivityEntry?) {
        let input = LogInput(date: form["date"].trimmingCharacters(in: .whitespaces), sport: form["sport"], status: form["status"],
                             distance: form["distance"].trimmingCharacters(in: .whitespaces), duration: form["duration"].trimmingCharacters(in: .whitespaces),
                             avgHR: form["avg_hr"].trimmingCharacters(in: .whitespaces), rpe: form["rpe"], feel: form["feel"], notes: form["notes"])
        let date = CalendarDate(input.date)
        if date == nil { errors.add("date", "Write the date as YYYY-MM-DD.") }
        if let date, date > today { errors.add("date", "You can log today or an earlier day, not \(date).") }
        let sport = Sport(rawValue: input.sport)
        if sport == nil { errors.add("sport", "Choose a sport.") }
        let status = ActivityStatus(rawValue: input.status)
        if status == nil { errors.add("status", "Choose done, partly done or skipped.") }
        var distance: Double? = nil
        if !input.distance.isEmpty {
            if let value = Double(input.distance.replacingOccurrences(of: ",", with: ".")), value.isFinite, value >= 0 { distance = value * units.metersPerUnit }
            else { errors.add("distance", "Write the distance as a number of \(units.label), e.g. 10.5.") }
        }
        var duration: Double? = nil
        if !input.duration.isEmpty {
            if let value = TimeFormat.parseClock(input.duration) { duration = value } else { errors.add("duration", "Write the time as H:MM:SS or MM:SS.") }
        }
        var hr: Double? = nil
        if !input.avgHR.isEmpty {
            if let value = Int(input.avgHR) { hr = Double(value) } else { errors.add("avg_hr", "Heart rate is a whole number of beats per minute.") }
        }
        var rpe: Int? = nil
        if !input.rpe.isEmpty {
            if let value = Int(input.rpe) { rpe = value } else { errors.add("rpe", "RPE is from 1 to 10.") }
        }
        let feel = ActivityFeel(rawValue: input.feel)
        if !input.feel.isEmpty && feel == nil { errors.add("feel", "Choose how it felt from the list.") }
        guard errors.isEmpty, let date, let sport, let status else { return (input, nil) }
        let entry = ActivityEntry(sport: sport, date: date, status: status, distanceMeters: status == .skipped ? nil : distance,
                                  durationSeconds: status == .skipped ? nil : duration, averageHeartRate: status == .skipped ? nil : hr,
                                  rpe: rpe, feel: feel, notes: input.notes, source: .manual)
        for problem in entry.problems() { errors.add(problem.field, problem.message) }
        return (input, errors.isEmpty ? entry : nil)
    }

    /// The planned workout a log is for (by its id in a field), which must be the subject's; nil when none is named.
    func plannedWorkout(_ text: String, _ subject: Subject, _ context: TenantContext) async throws -> ScheduledItem? {
        guard !text.isEmpty else { return nil }
        guard let id = Int64(text), let item = try? await deps.database.scheduledWorkout(context.scope, id: id),
              item.athleteId == subject.athlete.id else { throw HTTPError(.notFound) }
        return item
    }

    static func logTitle(_ scheduled: ScheduledItem?) -> String { scheduled.map { "Log “\($0.workout.name)”" } ?? "Log an activity" }

    func newForm(_ request: Request, _ context: TenantContext, coach: Bool) async throws -> Response {
        let subject = try await subject(request, context, coach: coach)
        var input = LogInput(date: subject.viewer.today.description)
        var scheduled: ScheduledItem? = nil
        if let item = try await plannedWorkout(request.query("scheduled"), subject, context) {
            if let done = item.outcome {
                return .redirect(to: SiteURL.org(context.slug).activityOp(done.activityId, "edit"))
            }
            scheduled = item
            input.date = item.date.description
            input.sport = item.workout.sport.rawValue
        }
        let form = logForm(title: Self.logTitle(scheduled), action: subject.log.newActivity,
                           scheduled: scheduled, input: input, errors: FieldErrors(), subject: subject, fromFile: false,
                           backHref: subject.log.activities, submit: "Save")
        return try await deps.pages.render("log.form", form, title: form.title, request: request, context: context)
    }

    func create(_ request: Request, _ context: TenantContext, coach: Bool) async throws -> Response {
        var request = request
        let subject = try await subject(request, context, coach: coach)
        let form = try await request.form(context: context)
        let scheduled = try await plannedWorkout(form["scheduled"], subject, context)
        var errors = FieldErrors()
        let (input, entry) = parse(form, units: subject.viewer.units, today: subject.viewer.today, errors: &errors)
        guard let entry else {
            let page = logForm(title: Self.logTitle(scheduled), action: subject.log.newActivity,
                               scheduled: scheduled, input: input, errors: errors, subject: subject, fromFile: false,
                               backHref: subject.log.activities, submit: "Save")
            return try await deps.pages.render("log.form", page, title: page.title, request: request, context: context, status: .unprocessableContent)
        }
        let id: Int64
        do {
            id = try await deps.database.logActivity(context.scope, athleteId: subject.athlete.id, entry, scheduledId: scheduled?.id, activityId: nil,
                                                     now: deps.clock.now())
        } catch StoreError.conflict(let message) {
            throw PageError(status: .unprocessableContent, title: "Not saved", message: message)
        }
        await deps.recompute(context.scope, athleteId: subject.athlete.id, logger: context.logger)
        return .redirect(to: SiteURL.org(context.slug).activity(id), flash: .success(entry.status == .skipped ? "Logged as skipped." : "Logged. Well done!"))
    }

    func input(_ item: ActivityItem, units: UnitSystem) -> LogInput {
        let e = item.entry
        return LogInput(date: e.date.description, sport: e.sport.rawValue, status: e.status.rawValue,
                        distance: e.distanceMeters.map { String(format: "%.2f", $0 / units.metersPerUnit) } ?? "",
                        duration: e.durationSeconds.map(TimeFormat.clock) ?? "", avgHR: e.averageHeartRate.map { String(Int(saturating: $0)) } ?? "",
                        rpe: e.rpe.map(String.init) ?? "", feel: e.feel?.rawValue ?? "", notes: e.notes)
    }

    @Sendable func editForm(_ request: Request, context: TenantContext) async throws -> Response {
        let (item, subject) = try await visibleActivity(request, context)
        let urls = SiteURL.org(context.slug)
        let scheduled = try await item.scheduledId.asyncMap { try await deps.database.scheduledWorkout(context.scope, id: $0) }
        let form = logForm(title: "Edit log", action: urls.activityOp(item.id, "edit"), scheduled: scheduled, input: input(item, units: subject.viewer.units),
                           errors: FieldErrors(), subject: subject, fromFile: item.fileId != nil, backHref: urls.activity(item.id), submit: "Save")
        return try await deps.pages.render("log.form", form, title: form.title, request: request, context: context)
    }

    @Sendable func update(_ request: Request, context: TenantContext) async throws -> Response {
        var request = request
        let (item, subject) = try await visibleActivity(request, context)
        let urls = SiteURL.org(context.slug)
        var form = try await request.form(context: context)
        if item.fileId != nil {
            // A file's own numbers are not edited by hand; keep them so validation sees the real entry.
            let kept = input(item, units: subject.viewer.units)
            form.values["date"] = [kept.date]; form.values["sport"] = [kept.sport]
            form.values["distance"] = [kept.distance]; form.values["duration"] = [kept.duration]; form.values["avg_hr"] = [kept.avgHR]
        }
        var errors = FieldErrors()
        let (input, entry) = parse(form, units: subject.viewer.units, today: subject.viewer.today, errors: &errors)
        guard let entry else {
            let scheduled = try await item.scheduledId.asyncMap { try await deps.database.scheduledWorkout(context.scope, id: $0) }
            let page = logForm(title: "Edit log", action: urls.activityOp(item.id, "edit"), scheduled: scheduled, input: input, errors: errors,
                               subject: subject, fromFile: item.fileId != nil, backHref: urls.activity(item.id), submit: "Save")
            return try await deps.pages.render("log.form", page, title: page.title, request: request, context: context, status: .unprocessableContent)
        }
        do {
            _ = try await deps.database.logActivity(context.scope, athleteId: subject.athlete.id, entry, scheduledId: nil, activityId: item.id, now: deps.clock.now())
        } catch StoreError.conflict(let message) {
            throw PageError(status: .unprocessableContent, title: "Not saved", message: message)
        }
        await deps.recompute(context.scope, athleteId: subject.athlete.id, logger: context.logger)
        return .redirect(to: urls.activity(item.id), flash: .success("Saved."))
    }

    // MARK: One activity

    struct ShowPage {
        struct SplitRow {
            let index: Int
            let time: String
            let pace: String
        }
        struct Candidate {
            let value: String
            let label: String
            let selected: Bool
        }
        let title: String
        let athleteName: String
        let isOwn: Bool
        let row: ActivityRow
        let facts: [Fact]
        let splits: [SplitRow]
        let hasSplits: Bool
        let notesHTML: SafeHTML
        let hasNotes: Bool
        let matchedName: String?
        let matchedHref: String?
        let matchedByCoach: Bool
        let canRematch: Bool
        let candidates: [Candidate]
        let matchAction: String
        let editHref: String
        let deleteAction: String
        let fileHref: String?
        let fileName: String?
        let backHref: String
    }

    struct Fact {
        let label: String
        let value: String
    }

    @Sendable func show(_ request: Request, context: TenantContext) async throws -> Response {
        let (item, subject) = try await visibleActivity(request, context)
        let urls = SiteURL.org(context.slug)
        let units = subject.viewer.units
        let e = item.entry
        var facts: [Fact] = [Fact(label: "Status", value: e.status.label), Fact(label: "Source", value: e.source.label)]
        if let start = e.startTime { facts.append(Fact(label: "Start", value: deps.instantFormatter(zone: subject.viewer.athlete.timeZone ?? "UTC").string(from: start))) }
        if let v = e.elapsedSeconds { facts.append(Fact(label: "Elapsed", value: TimeFormat.clock(v))) }
        if let v = e.movingSeconds { facts.append(Fact(label: "Moving", value: TimeFormat.clock(v))) }
        if let v = e.maxHeartRate { facts.append(Fact(label: "Max heart rate", value: String(format: "%.0f bpm", v))) }
        if let g = e.elevationGain { facts.append(Fact(label: "Elevation", value: String(format: "+%.0f m / −%.0f m", g, e.elevationLoss ?? 0))) }
        if let rpe = e.rpe { facts.append(Fact(label: "RPE", value: "\(rpe) — \(Self.rpeWords[max(0, min(9, rpe - 1))])")) }
        if let feel = e.feel { facts.append(Fact(label: "Felt", value: feel.label)) }
        if e.points > 0 { facts.append(Fact(label: "Points", value: "\(e.points) (\(e.droppedPoints) dropped as GPS errors)")) }
        if e.heartRateDropouts > 0 {
            let share = Double(e.heartRateDropouts) / Double(max(e.heartRateSamples, 1)) * 100
            facts.append(Fact(label: "Heart-rate dropouts", value: String(format: "%d of %d readings (%.0f %%)", e.heartRateDropouts, e.heartRateSamples, share)
                + (e.heartRateUnreliable ? " — too many: the heart rate is not used for load or efficiency" : "")))
        }
        let candidates: [ShowPage.Candidate]
        if context.role.includes(.coach) {
            let options = try await deps.database.matchCandidates(context.scope, activityId: item.id)
            candidates = [ShowPage.Candidate(value: "", label: "Not matched (unplanned)", selected: item.scheduledId == nil)]
                + options.map { ShowPage.Candidate(value: String($0.id), label: "\(Weekday($0.date).label) \($0.date): \($0.workout.name)", selected: $0.id == item.scheduledId) }
        } else {
            candidates = []
        }
        let page = ShowPage(
            title: item.scheduledName ?? "\(e.sport.label) on \(e.date)", athleteName: subject.athlete.name, isOwn: subject.isOwn,
            row: Self.row(item, units: units, urls: urls), facts: facts,
            splits: e.splits.map { ShowPage.SplitRow(index: $0.index, time: TimeFormat.clock($0.seconds),
                                                      pace: $0.distanceMeters > 0 ? TimeFormat.pace(secondsPerKm: $0.seconds / $0.distanceMeters * 1000, units: units) : "–") },
            hasSplits: !e.splits.isEmpty, notesHTML: Markdown.html(e.notes), hasNotes: !e.notes.isEmpty,
            matchedName: item.scheduledName, matchedHref: item.scheduledId.map(urls.scheduled), matchedByCoach: item.matchedByCoach,
            canRematch: context.role.includes(.coach), candidates: candidates, matchAction: urls.activityOp(item.id, "match"),
            editHref: urls.activityOp(item.id, "edit"), deleteAction: urls.activityOp(item.id, "delete"),
            fileHref: item.fileId.map { _ in urls.activityOp(item.id, "file") }, fileName: item.fileName, backHref: subject.log.activities)
        return try await deps.pages.render("log.show", page, title: page.title, request: request, context: context)
    }

    @Sendable func download(_ request: Request, context: TenantContext) async throws -> Response {
        let (item, _) = try await visibleActivity(request, context)
        let file = try await deps.database.activityFile(context.scope, activityId: item.id)
        let safeName = String(file.name.map { $0.isLetter || $0.isNumber || "._-".contains($0) ? $0 : "_" })
        return Response(status: .ok, headers: [.contentType: "application/octet-stream",
                                               .contentDisposition: "attachment; filename=\"\(safeName)\""],
                        body: .init(byteBuffer: ByteBuffer(bytes: file.content)))
    }

    @Sendable func delete(_ request: Request, context: TenantContext) async throws -> Response {
        let (item, subject) = try await visibleActivity(request, context)
        try await deps.database.deleteActivity(context.scope, activityId: item.id)
        return .redirect(to: subject.log.activities, flash: .success("Activity deleted."))
    }

    @Sendable func rematch(_ request: Request, context: TenantContext) async throws -> Response {
        var request = request
        let (item, _) = try await visibleActivity(request, context)
        let form = try await request.form(context: context)
        let target: Int64?
        if form["scheduled"].isEmpty {
            target = nil
        } else {
            guard let id = Int64(form["scheduled"]) else {
                throw PageError(status: .unprocessableContent, title: "Unknown workout", message: "Choose a planned workout from the list.")
            }
            target = id
        }
        try await deps.database.rematchActivity(context.scope, activityId: item.id, scheduledId: target, now: deps.clock.now())
        return .redirect(to: SiteURL.org(context.slug).activity(item.id), flash: .success(target == nil ? "Unmatched: kept as an unplanned activity." : "Matched."))
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
