import Foundation
import PacelineAPI
import PacelineCore
import PacelineStore

/// The API's JSON shapes (generated from the OpenAPI document) made from the domain's values: SI
/// units, snake_case keys, the athlete's own targets. One place, so every operation says a thing
/// the same way.
enum APIRepresentation {
    typealias S = Components.Schemas

    static func athlete(_ a: Athlete, organization: Organization) -> S.Athlete {
        S.Athlete(
            id: a.id, name: a.name, email: a.email,
            units: organization.units(of: a.units) == .mi ? .mi : .km,
            timeZone: organization.timeZone(of: a.timeZone), vdot: a.vdot, maxHr: a.maxHR, restingHr: a.restingHR,
            groups: a.groups.map { S.GroupRef(id: $0.id, name: $0.name) })
    }

    static func workout(_ w: Workout, targets: WorkoutWords) -> S.Workout {
        let words = targets.forWorkout(w)
        return S.Workout(
            name: w.name, sport: w.sport.rawValue, subtype: w.subtype.rawValue, distanceM: w.targetDistanceMeters,
            durationS: w.targetDurationSeconds, notesMarkdown: w.notes,
            blocks: w.blocks.map { block($0, words: words) })
    }

    static func block(_ b: WorkoutBlock, words: WorkoutWords) -> S.Block {
        S.Block(
            _type: S.Block._TypePayload(rawValue: b.type.rawValue) ?? .run,
            length: b.lengthTarget == .distance ? .distance : .duration,
            distanceM: b.distanceMeters, durationS: b.durationSeconds,
            zone: S.Block.ZonePayload(rawValue: b.pace.rawValue) ?? .z1,
            intensity: S.Block.IntensityPayload(rawValue: b.intensityTarget.rawValue) ?? .pace,
            _repeat: b.repeatCount, target: target(b, words: words),
            blocks: b.children.map { block($0, words: words) })
    }

    /// The block's zone in the athlete's numbers (the same choice as the workout page's words): a
    /// swim's pace from CSS, a ride's watts from FTP, a run's pace from VDOT, heart rates from the
    /// sport's threshold heart rate or else heart-rate reserve; open when those are not known.
    static func target(_ b: WorkoutBlock, words: WorkoutWords) -> S.Target {
        var text = words.targetText(b)
        if text.hasPrefix("at ") { text = String(text.dropFirst(3)) }
        // Tenths of a second: the precision a pace has (and JSON keeps exactly).
        let tenths = { (value: Double) in (value * 10).rounded() / 10 }
        switch (b.intensityTarget, words.sport) {
        case (.pace, .swim):
            if let r = words.thresholds.swim?.range(b.pace) {
                return S.Target(
                    kind: .swimPace, text: text, paceFastSPer100m: tenths(r.fast), paceSlowSPer100m: tenths(r.slow))
            }
        case (.pace, .bike), (.power, _):
            if let watts = words.thresholds.power?.range(b.pace) {
                return S.Target(kind: .power, text: text, wattsLow: watts.lowerBound, wattsHigh: watts.upperBound)
            }
        case (.pace, _):
            if let range = words.zones?.range(b.pace), range.fast > 0, range.slow > 0 {
                return S.Target(
                    kind: .pace, text: text, paceFastSPerKm: tenths(range.fast), paceSlowSPerKm: tenths(range.slow))
            }
        case (.heartrate, _):
            if let bpm = words.thresholds.heartRate(for: words.sport)?.range(b.pace) ?? words.heartRate?.range(b.pace) {
                return S.Target(
                    kind: .heartRate, text: text, heartRateLow: bpm.lowerBound, heartRateHigh: bpm.upperBound)
            }
        }
        return S.Target(kind: .open, text: text)
    }

    static func scheduled(_ item: ScheduledItem, words: WorkoutWords, slug: String) -> S.ScheduledWorkout {
        S.ScheduledWorkout(
            id: item.id, date: item.date.description, instanceId: item.instanceId, planName: item.instanceName,
            completed: item.completed, workout: workout(item.workout, targets: words),
            fitUrl: SiteURL.org(slug).scheduledFile(item.id, "fit"),
            zwoUrl: SiteURL.org(slug).scheduledFile(item.id, "zwo"))
    }

    static func activity(_ item: ActivityItem) -> S.Activity {
        let e = item.entry
        return S.Activity(
            id: item.id, athleteId: item.athleteId, date: e.date.description, startTime: e.startTime,
            sport: e.sport.rawValue, status: S.Activity.StatusPayload(rawValue: e.status.rawValue) ?? .done,
            distanceM: e.distanceMeters, durationS: e.durationSeconds, movingS: e.movingSeconds,
            avgHr: e.averageHeartRate, maxHr: e.maxHeartRate, elevationGainM: e.elevationGain,
            avgPowerW: e.averagePower, normalizedPowerW: e.normalizedPower, best20minPowerW: e.bestPower20Minutes,
            rpe: e.rpe,
            feel: e.feel?.rawValue, notes: e.notes,
            source: S.Activity.SourcePayload(rawValue: e.source.rawValue) ?? .manual, fileName: item.fileName,
            scheduledWorkoutId: item.scheduledId, createdAt: item.createdAt)
    }

    static func checkIn(_ c: CheckIn) -> S.CheckIn {
        S.CheckIn(
            date: c.date.description, hrvRmssdMs: c.hrvRMSSD, restingHr: c.restingHR, sleepHours: c.sleepHours,
            sleepQuality: c.sleepQuality, soreness: c.soreness, stress: c.stress, ill: c.ill,
            illnessNote: c.illnessNote, notes: c.notes)
    }

    static func comment(_ c: Comment) -> S.Comment {
        S.Comment(
            id: c.id, authorName: c.authorName, byCoach: c.byCoach, bodyMarkdown: c.body, createdAt: c.createdAt,
            editedAt: c.editedAt)
    }

    static func instance(_ s: InstanceSummary, events: [InstanceEventEntry] = []) -> S.Instance {
        S.Instance(
            id: s.id, name: s.name, athleteId: s.athleteId, athleteName: s.athleteName,
            status: S.InstanceStatus(rawValue: s.state.status.rawValue) ?? .active,
            firstDate: s.firstDate?.description, lastDate: s.lastDate?.description,
            events: events.map { .init(at: $0.at, by: $0.who, action: $0.action, detail: $0.detail) })
    }

    static func proposal(_ p: AdaptationRecord) -> S.Proposal {
        S.Proposal(
            id: p.id, athleteId: p.athleteId, athleteName: p.athleteName, kind: p.kind.rawValue, title: p.title,
            explanation: p.explanation, state: S.ProposalState(rawValue: p.state.rawValue) ?? .proposed,
            changes: p.changes.map(\.words), createdAt: p.createdAt, decidedAt: p.decidedAt, decidedBy: p.decidedBy)
    }

    static func planSummary(_ p: PlanSummary) -> S.PlanSummary {
        S.PlanSummary(
            id: p.id, name: p.name, weeks: p.weeks, level: p.level.rawValue,
            source: p.source == .generated ? .generated : .manual, updatedAt: p.updatedAt)
    }

    /// A template's days with a workout; a template has no athlete, so targets are words only.
    static func plan(_ p: StoredPlan, units: UnitSystem) -> S.Plan {
        let words = WorkoutWords(units: units, zones: nil, heartRate: nil)
        var days: [S.PlanDay] = []
        for (w, week) in p.template.weeks.enumerated() {
            for (d, day) in week.days.enumerated() {
                guard let day else { continue }
                days.append(S.PlanDay(week: w + 1, weekday: d + 1, workout: workout(day, targets: words)))
            }
        }
        return S.Plan(
            id: p.id, name: p.template.name, weeks: p.template.weeks.count, level: p.template.level.rawValue,
            source: p.source == .generated ? .generated : .manual, updatedAt: p.updatedAt, days: days)
    }
}

/// Pages of a list: `limit` items from where `cursor` says, and the cursor of the next page. Cursors are
/// opaque to clients (base64url); they hold the position, which the operation checks like any input.
struct APIPage {
    let limit: Int
    let cursor: String?

    init(limit: Int?, cursor: String?) throws {
        let limit = limit ?? 50
        guard (1...200).contains(limit) else { throw APIProblem.field("limit", "Ask for 1 to 200 items a page.") }
        self.limit = limit
        self.cursor = cursor
    }

    /// The cursor's text, or nil for the first page; a cursor that was not made here is a 422.
    func position() throws -> String? {
        guard let cursor, !cursor.isEmpty else { return nil }
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard cursor.count <= 200, let data = Data(base64Encoded: base64),
            let text = String(data: data, encoding: .utf8)
        else { throw Self.badCursor }
        return text
    }

    /// An offset cursor (lists that fit in memory: athletes, plans, instances, proposals).
    func offset() throws -> Int {
        guard let text = try position() else { return 0 }
        guard text.hasPrefix("o:"), let offset = Int(text.dropFirst(2)), (0...1_000_000).contains(offset) else {
            throw Self.badCursor
        }
        return offset
    }

    /// This page of `all` (from the offset cursor) and the next page's cursor.
    func slice<T>(_ all: [T]) throws -> ([T], next: String?) {
        let start = try offset()
        guard start < all.count else { return ([], nil) }
        let end = min(all.count, start + limit)
        return (Array(all[start..<end]), end < all.count ? Self.encode("o:\(end)") : nil)
    }

    static func encode(_ text: String) -> String {
        Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static let badCursor = APIProblem.field("cursor", "This is not a cursor this list gave; start again without it.")
}
