import Foundation
import Hummingbird
import PacelineCore
import PacelineStore

/// The daily check-in (a ten-second form on a phone) and CSV import of check-ins and activity
/// history. Athletes use their own; coaches can import for an athlete and read check-ins.
struct CheckInController {
    let deps: AppDependencies

    func addRoutes(to routes: GuardedRoutes<TenantContext>) {
        routes.get("checkin", use: { try await self.form($0, $1, coach: false) })
        routes.post("checkin", use: { try await self.save($0, $1, coach: false) })
        routes.get("import", use: { try await self.importForm($0, $1, coach: false) })
        routes.post("import", use: { try await self.preview($0, $1, coach: false) })
        routes.post("import/confirm", use: { try await self.confirm($0, $1, coach: false) })
    }

    func addCoachRoutes(to routes: GuardedRoutes<TenantContext>) {
        routes.get("athletes/:id/checkin", use: { try await self.form($0, $1, coach: true) })
        routes.get("athletes/:id/import", use: { try await self.importForm($0, $1, coach: true) })
        routes.post("athletes/:id/import", use: { try await self.preview($0, $1, coach: true) })
        routes.post("athletes/:id/import/confirm", use: { try await self.confirm($0, $1, coach: true) })
    }

    var log: LogController { LogController(deps: deps) }

    // MARK: Check-in

    struct ScaleOption {
        let value: Int
        let checked: Bool
        let id: String
    }

    struct Scale {
        let name: String
        let legend: String
        let low: String
        let high: String
        let options: [ScaleOption]
        let error: String?
    }

    struct RecentDay {
        let date: String
        let href: String
        let text: String
        let isIll: Bool
        let current: Bool
    }

    struct FormPage {
        let name: String
        let isOwn: Bool
        let date: String
        let dateLabel: String
        let action: String
        let hrv: Field
        let restingHR: Field
        let sleepHours: Field
        let scales: [Scale]
        let ill: Bool
        let illnessNote: Field
        let phases: [SelectOption]
        let notes: Field
        let summary: String?
        let exists: Bool
        let recent: [RecentDay]
        let activitiesHref: String
        let weatherHref: String
    }

    struct Input {
        var hrv = "", restingHR = "", sleepHours = "", sleepQuality = "", soreness = "", stress = "", ill = false, illnessNote = "", phase = "", notes = ""

        init() {}
        init(_ c: CheckIn) {
            hrv = c.hrvRMSSD.map { $0 == $0.rounded() ? String(Int(saturating: $0)) : String($0) } ?? ""
            restingHR = c.restingHR.map(String.init) ?? ""
            sleepHours = c.sleepHours.map { $0 == $0.rounded() ? String(Int(saturating: $0)) : String($0) } ?? ""
            sleepQuality = c.sleepQuality.map(String.init) ?? ""
            soreness = c.soreness.map(String.init) ?? ""
            stress = c.stress.map(String.init) ?? ""
            ill = c.ill
            illnessNote = c.illnessNote
            phase = c.cyclePhase?.rawValue ?? ""
            notes = c.notes
        }
    }

    static func summaryText(_ c: CheckIn) -> String {
        var parts: [String] = []
        if let v = c.hrvRMSSD { parts.append(String(format: "HRV %.0f ms", v)) }
        if let v = c.restingHR { parts.append("RHR \(v)") }
        if let v = c.sleepHours { parts.append(String(format: "sleep %.1f h", v)) }
        if let v = c.soreness { parts.append("soreness \(v)/5") }
        if c.ill { parts.append("ill") }
        return parts.isEmpty ? "checked in" : parts.joined(separator: " · ")
    }

    func page(subject: LogController.Subject, date: CalendarDate, input: Input, errors: FieldErrors, exists: Bool, recent: [CheckIn]) -> FormPage {
        func scale(_ name: String, _ legend: String, _ low: String, _ high: String, _ value: String) -> Scale {
            Scale(name: name, legend: legend, low: low, high: high,
                  options: (1...5).map { ScaleOption(value: $0, checked: value == "\($0)", id: "\(name)-\($0)") }, error: errors[name])
        }
        let byDate = Dictionary(recent.map { ($0.date, $0) }, uniquingKeysWith: { a, _ in a })
        let today = subject.viewer.today
        return FormPage(
            name: subject.athlete.name, isOwn: subject.isOwn, date: date.description,
            dateLabel: date == today ? "Today, \(Weekday(date).label) \(date)" : "\(Weekday(date).label) \(date)",
            action: subject.log.checkIn, hrv: Field(input.hrv, error: errors["hrv"]), restingHR: Field(input.restingHR, error: errors["resting_hr"]),
            sleepHours: Field(input.sleepHours, error: errors["sleep_hours"]),
            scales: [scale("sleep_quality", "Sleep quality", "very poor", "excellent", input.sleepQuality),
                     scale("soreness", "Soreness", "none", "very sore", input.soreness),
                     scale("stress", "Stress", "relaxed", "very stressed", input.stress)],
            ill: input.ill, illnessNote: Field(input.illnessNote, error: errors["illness_note"]),
            phases: [SelectOption(value: "", label: "—", selected: input.phase.isEmpty)]
                + CyclePhase.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == input.phase) },
            notes: Field(input.notes, error: errors["notes"]), summary: errors["date"] ?? errors.summary, exists: exists,
            recent: (0..<14).map { offset in
                let day = today.adding(days: -offset)
                return RecentDay(date: "\(Weekday(day).short) \(day)", href: subject.log.checkIn(date: day),
                                 text: byDate[day].map(Self.summaryText) ?? "—", isIll: byDate[day]?.ill ?? false, current: day == date)
            },
            activitiesHref: subject.log.activities, weatherHref: subject.log.weather)
    }

    func form(_ request: Request, _ context: TenantContext, coach: Bool) async throws -> Response {
        let subject = try await log.subject(request, context, coach: coach)
        let today = subject.viewer.today
        var date = today
        let query = request.query("date")
        if !query.isEmpty {
            guard let parsed = CalendarDate(query) else {
                throw PageError(status: .unprocessableContent, title: "Unknown day", message: "Days are written YYYY-MM-DD.")
            }
            if let problem = CheckIn.dateProblem(parsed, today: today) {
                throw PageError(status: .unprocessableContent, title: "Not that day", message: problem.message)
            }
            date = parsed
        }
        let recent = try await deps.database.checkIns(context.scope, athleteId: subject.athlete.id, from: min(date, today.adding(days: -13)), to: today)
        let existing = recent.first { $0.date == date }
        let page = page(subject: subject, date: date, input: existing.map(Input.init) ?? Input(), errors: FieldErrors(), exists: existing != nil, recent: recent)
        return try await deps.pages.render("log.checkin", page, title: "Check-in", request: request, context: context)
    }

    func save(_ request: Request, _ context: TenantContext, coach: Bool) async throws -> Response {
        var request = request
        let subject = try await log.subject(request, context, coach: coach)
        let form = try await request.form(context: context)
        let today = subject.viewer.today
        var errors = FieldErrors()
        var input = Input()
        input.hrv = form["hrv"].trimmingCharacters(in: .whitespaces); input.restingHR = form["resting_hr"].trimmingCharacters(in: .whitespaces)
        input.sleepHours = form["sleep_hours"].trimmingCharacters(in: .whitespaces); input.sleepQuality = form["sleep_quality"]
        input.soreness = form["soreness"]; input.stress = form["stress"]; input.ill = form["ill"] == "1"
        input.illnessNote = form["illness_note"]; input.phase = form["cycle_phase"]; input.notes = form["notes"]
        let date = CalendarDate(form["date"]) ?? today
        if CalendarDate(form["date"]) == nil { errors.add("date", "The day is missing or not written YYYY-MM-DD.") }
        if let problem = CheckIn.dateProblem(date, today: today) { errors.add("date", problem.message) }
        func number(_ text: String, _ field: String, _ message: String) -> Double? {
            guard !text.isEmpty else { return nil }
            guard let value = Double(text.replacingOccurrences(of: ",", with: ".")), value.isFinite else { errors.add(field, message); return nil }
            return value
        }
        func whole(_ text: String, _ field: String, _ message: String) -> Int? {
            guard !text.isEmpty else { return nil }
            guard let value = Int(text) else { errors.add(field, message); return nil }
            return value
        }
        let phase = CyclePhase(rawValue: input.phase)
        if !input.phase.isEmpty && phase == nil { errors.add("cycle_phase", "Choose a phase from the list.") }
        let checkIn = CheckIn(
            date: date, hrvRMSSD: number(input.hrv, "hrv", "HRV is a number of milliseconds."),
            restingHR: whole(input.restingHR, "resting_hr", "Resting heart rate is a whole number."),
            sleepHours: number(input.sleepHours, "sleep_hours", "Sleep is a number of hours, e.g. 7.5."),
            sleepQuality: whole(input.sleepQuality, "sleep_quality", "Choose 1 to 5."), soreness: whole(input.soreness, "soreness", "Choose 1 to 5."),
            stress: whole(input.stress, "stress", "Choose 1 to 5."), ill: input.ill, illnessNote: input.illnessNote, cyclePhase: phase, notes: input.notes)
        for problem in checkIn.problems() { errors.add(problem.field, problem.message) }
        guard errors.isEmpty else {
            let recent = try await deps.database.checkIns(context.scope, athleteId: subject.athlete.id, from: today.adding(days: -13), to: today)
            let page = page(subject: subject, date: date, input: input, errors: errors, exists: false, recent: recent)
            return try await deps.pages.render("log.checkin", page, title: "Check-in", request: request, context: context, status: .unprocessableContent)
        }
        try await deps.database.saveCheckIns(context.scope, athleteId: subject.athlete.id, [checkIn], fromCSV: false, now: deps.clock.now())
        await deps.recompute(context.scope, athleteId: subject.athlete.id, logger: context.logger)
        return .redirect(to: subject.log.checkIn(date: date), flash: .success(checkIn.ill ? "Saved. Get well soon — your coach will see it." : "Check-in saved. Thank you!"))
    }

    // MARK: CSV import

    enum Kind: String { case checkins, activities }

    struct ImportPage {
        let name: String
        let action: String
        let kinds: [SelectOption]
        let checkInColumns: String
        let activityColumns: String
        let error: String?
        let backHref: String
    }

    struct PreviewRow {
        let line: Int
        let cells: [String]
        let ok: Bool
        let message: String
    }

    struct PreviewPage {
        let name: String
        let kindLabel: String
        let kind: String
        let rows: [PreviewRow]
        let good: Int
        let bad: Int
        let canImport: Bool
        let csv: String
        let confirmAction: String
        let backHref: String
        let header: [String]
    }

    func importPage(_ subject: LogController.Subject, _ context: TenantContext, error: String?, kind: Kind) -> ImportPage {
        ImportPage(name: subject.athlete.name,
                   action: subject.log.importCSV + "?\(CSRFMiddleware.fieldName)=\(context.csrfToken)",
                   kinds: [SelectOption(value: Kind.checkins.rawValue, label: "Daily check-ins", selected: kind == .checkins),
                           SelectOption(value: Kind.activities.rawValue, label: "Activity summaries", selected: kind == .activities)],
                   checkInColumns: CheckInCSV.columns.joined(separator: ","), activityColumns: ActivityCSV.columns.joined(separator: ","),
                   error: error, backHref: subject.log.activities)
    }

    func importForm(_ request: Request, _ context: TenantContext, coach: Bool) async throws -> Response {
        let subject = try await log.subject(request, context, coach: coach)
        return try await deps.pages.render("log.import", importPage(subject, context, error: nil, kind: .checkins), title: "Import CSV",
                                           request: request, context: context)
    }

    /// Step 1: read the CSV (a file or pasted text) and show every row with its problem, saving nothing.
    func preview(_ request: Request, _ context: TenantContext, coach: Bool) async throws -> Response {
        let subject = try await log.subject(request, context, coach: coach)
        var kind = Kind.checkins
        var text = ""
        let limits = MultipartUpload.Limits(fileBytes: CSV.maxBytes, fieldBytes: CSV.maxBytes, totalBytes: 2 * CSV.maxBytes + 65_536, maxParts: 8)
        var tooLarge = false
        try await MultipartUpload.read(request, limits: limits) { part in
            if part.tooLarge { tooLarge = true; return }
            switch part.name {
            case "kind": kind = Kind(rawValue: part.text) ?? .checkins
            case "file": if part.content.readableBytes > 0 { text = part.text }
            case "csv": if text.isEmpty { text = part.text }
            default: break
            }
        }
        func refuse(_ message: String) async throws -> Response {
            try await deps.pages.render("log.import", importPage(subject, context, error: message, kind: kind), title: "Import CSV",
                                        request: request, context: context, status: .unprocessableContent)
        }
        if tooLarge { return try await refuse("The file is larger than 5 MB; split it into smaller files.") }
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return try await refuse("Choose a CSV file or paste its text.") }
        return try await renderPreview(subject, context, request: request, kind: kind, text: text, refuse: refuse)
    }

    func rows(kind: Kind, text: String, subject: LogController.Subject) throws(RowError) -> (header: [String], rows: [PreviewRow], good: Int) {
        let header = (try? CSV.parse(text).first) ?? []
        switch kind {
        case .checkins:
            let rows = try CheckInCSV.rows(text, today: subject.viewer.today)
            return (header, rows.map { PreviewRow(line: $0.line, cells: $0.fields, ok: $0.value != nil, message: $0.problem ?? "OK") }, rows.filter { $0.value != nil }.count)
        case .activities:
            let rows = try ActivityCSV.rows(text, today: subject.viewer.today, timeZone: subject.timeZone)
            return (header, rows.map { PreviewRow(line: $0.line, cells: $0.fields, ok: $0.value != nil, message: $0.problem ?? "OK") }, rows.filter { $0.value != nil }.count)
        }
    }

    func renderPreview(_ subject: LogController.Subject, _ context: TenantContext, request: Request, kind: Kind, text: String,
                       refuse: (String) async throws -> Response) async throws -> Response {
        let parsed: (header: [String], rows: [PreviewRow], good: Int)
        do { parsed = try rows(kind: kind, text: text, subject: subject) } catch { return try await refuse(error.description) }
        let page = PreviewPage(name: subject.athlete.name, kindLabel: kind == .checkins ? "check-ins" : "activities", kind: kind.rawValue,
                               rows: Array(parsed.rows.prefix(2000)), good: parsed.good, bad: parsed.rows.count - parsed.good,
                               canImport: parsed.good > 0, csv: text, confirmAction: subject.log.importConfirm, backHref: subject.log.importCSV,
                               header: parsed.header)
        return try await deps.pages.render("log.preview", page, title: "Check the import", request: request, context: context,
                                           status: parsed.good > 0 ? .ok : .unprocessableContent)
    }

    /// Step 2: import the rows that were fine in the preview; rows with problems are skipped.
    func confirm(_ request: Request, _ context: TenantContext, coach: Bool) async throws -> Response {
        var request = request
        let subject = try await log.subject(request, context, coach: coach)
        let form = try await request.form(context: context)
        guard let kind = Kind(rawValue: form["kind"]) else {
            throw PageError(status: .unprocessableContent, title: "Unknown import", message: "Choose check-ins or activities.")
        }
        let text = form["csv"]
        switch kind {
        case .checkins:
            let rows: [ImportRow<CheckIn>]
            do { rows = try CheckInCSV.rows(text, today: subject.viewer.today) } catch {
                throw PageError(status: .unprocessableContent, title: "Nothing imported", message: error.description)
            }
            let good = rows.compactMap(\.value)
            guard !good.isEmpty else { throw PageError(status: .unprocessableContent, title: "Nothing imported", message: "No row could be read.") }
            let (created, updated) = try await deps.database.saveCheckIns(context.scope, athleteId: subject.athlete.id, good, fromCSV: true, now: deps.clock.now())
            await deps.recompute(context.scope, athleteId: subject.athlete.id, logger: context.logger)
            return .redirect(to: subject.log.checkIn, flash: .success("Imported \(created) check-ins\(updated > 0 ? ", replaced \(updated)" : "")\(rows.count > good.count ? "; skipped \(rows.count - good.count) rows with problems" : "")."))
        case .activities:
            let rows: [ImportRow<ActivityEntry>]
            do { rows = try ActivityCSV.rows(text, today: subject.viewer.today, timeZone: subject.timeZone) } catch {
                throw PageError(status: .unprocessableContent, title: "Nothing imported", message: error.description)
            }
            let good = rows.compactMap(\.value)
            guard !good.isEmpty else { throw PageError(status: .unprocessableContent, title: "Nothing imported", message: "No row could be read.") }
            var imported = 0, duplicates = 0
            for entry in good {
                switch try await deps.database.importActivity(context.scope, athleteId: subject.athlete.id, entry, file: nil, now: deps.clock.now()) {
                case .imported: imported += 1
                case .duplicate: duplicates += 1
                }
            }
            await deps.recompute(context.scope, athleteId: subject.athlete.id, logger: context.logger)
            return .redirect(to: subject.log.activities,
                             flash: .success("Imported \(imported) activities\(duplicates > 0 ? "; \(duplicates) were already in the log" : "")\(rows.count > good.count ? "; skipped \(rows.count - good.count) rows with problems" : "")."))
        }
    }
}
