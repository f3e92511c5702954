import Foundation
import PacelineCore
import PacelineStore

/// A scheduled workout as an athlete reads it: steps with their own paces, totals, what was done.
struct WorkoutView: Sendable {
    let id: Int64
    let name: String
    let date: String
    let weekday: String
    let href: String
    let steps: [String]
    let totals: String
    let notesHTML: SafeHTML
    let hasNotes: Bool
    let completed: Bool
    let doneAction: String
    let planName: String
    let kind: String
    /// The athlete's own log form for this workout.
    let logHref: String
    /// What was done, when an activity is matched: "10.1 km · 52:03 (on target)".
    let doneText: String
    /// A hot day's adjustment in words (the steps then show the adjusted paces beside the targets).
    let heat: String?
    /// An easy run done clearly faster than planned, in words; empty otherwise.
    var paceNote = ""
}

extension WorkoutView {
    init(_ item: ScheduledItem, viewer: Viewer, urls: SiteURL.Org) {
        id = item.id
        name = item.workout.name
        date = item.date.description
        weekday = Weekday(item.date).label
        href = urls.scheduled(item.id)
        steps = viewer.words.forWorkout(item.workout).steps(item.workout.blocks)
        totals = Self.totals(item.workout, viewer: viewer)
        notesHTML = Markdown.html(item.workout.notes)
        hasNotes = !item.workout.notes.isEmpty
        completed = item.completed
        doneAction = urls.scheduledDone(item.id)
        planName = item.instanceName
        kind = item.workout.kind.rawValue
        logHref = urls.log(athlete: nil).newActivity(scheduled: item.id)
        doneText = item.doneText(units: viewer.units, zones: viewer.zones)
        heat = item.workout.heat.map { "Hot day — " + $0.words(units: viewer.units) + "." }
        if let done = item.outcome, done.status != .skipped,
            let fast = EasyPaceCheck.tooFast(
                item.workout, distanceMeters: done.distanceMeters, durationSeconds: done.durationSeconds,
                zones: viewer.zones)
        {
            let units = viewer.units
            paceNote =
                "Run at \(TimeFormat.pace(secondsPerKm: fast.done, units: units)), faster than the easy pace planned "
                + "(\(TimeFormat.pace(secondsPerKm: fast.planned.fast, units: units)) or slower). Easy days let the "
                + "hard days be hard: keep them easy."
        }
    }

    /// "about 10 km · 55 min": the distance and time the blocks add up to at the athlete's paces.
    static func totals(_ workout: Workout, viewer: Viewer) -> String {
        let totals = WorkoutTotals(workout.blocks, zones: viewer.zones)
        var parts: [String] = []
        if totals.distanceMeters > 0 { parts.append(WorkoutWords.distance(totals.distanceMeters, units: viewer.units)) }
        if totals.durationSeconds > 0 { parts.append(WorkoutWords.duration(totals.durationSeconds)) }
        return (totals.isComplete ? "" : "about ") + parts.joined(separator: " · ")
    }

    /// A workout in one line: "10 km · 50 min · 3 blocks". With paces in view the distance and time
    /// are what the blocks add up to (so a block edited to 25 min shows 25 min); without, the
    /// workout's stated targets.
    static func summary(_ workout: Workout, units: UnitSystem, zones: PaceZones? = nil) -> String {
        var parts: [String] = []
        if let zones, !workout.blocks.isEmpty {
            let totals = WorkoutTotals(workout.blocks, zones: zones)
            if totals.distanceMeters > 0 { parts.append(WorkoutWords.distance(totals.distanceMeters, units: units)) }
            if totals.durationSeconds > 0 { parts.append(WorkoutWords.duration(totals.durationSeconds)) }
        } else {
            if let d = workout.targetDistanceMeters { parts.append(WorkoutWords.distance(d, units: units)) }
            if let t = workout.targetDurationSeconds { parts.append(WorkoutWords.duration(t)) }
        }
        parts.append("\(workout.blockCount) block\(workout.blockCount == 1 ? "" : "s")")
        return parts.joined(separator: " · ")
    }
}

/// A plan instance's status line on the athlete's pages.
struct PlanStatus: Sendable {
    let name: String
    let status: String
    let statusClass: String
    let dates: String

    init(_ instance: InstanceSummary) {
        name = instance.name
        status = instance.state.status.label
        statusClass = instance.state.status.rawValue
        dates = [instance.firstDate?.description, instance.lastDate?.description].compactMap { $0 }.joined(
            separator: " – ")
    }

    init(name: String, status: String, statusClass: String, dates: String) {
        self.name = name
        self.status = status
        self.statusClass = statusClass
        self.dates = dates
    }
}
