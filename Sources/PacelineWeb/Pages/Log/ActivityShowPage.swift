import Foundation
import PacelineCore
import PacelineStore

/// One activity: its numbers, splits and notes, the file, and (for coaches) which planned
/// workout it counts for.
struct ActivityShowPage: Sendable {
    struct SplitRow: Sendable {
        let index: Int
        let time: String
        let pace: String
    }
    struct Candidate: Sendable {
        let value: String
        let label: String
        let selected: Bool
    }
    let title: String
    let athleteName: String
    let isOwn: Bool
    let row: ActivityRow
    var facts: [Fact]
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
    /// Drawn from the uploaded file: the route (no map tiles) and pace and heart rate along the distance.
    var routeMap = SafeHTML(html: "")
    var paceChart = SafeHTML(html: "")
    var heartChart = SafeHTML(html: "")
    var hasRoute = false
    var hasCharts = false
    var thread = CommentThread.empty

    static func load(
        _ deps: AppDependencies, _ context: TenantContext, item: ActivityItem, subject: AthleteSubject
    )
        async throws -> ActivityShowPage
    {
        let urls = SiteURL.org(context.slug)
        let units = subject.units
        let e = item.entry
        let canRematch = context.role.includes(.coach)
        var candidates: [Candidate] = []
        if canRematch {
            let options = try await deps.database.matchCandidates(context.scope, activityId: item.id)
            candidates =
                [Candidate(value: "", label: "Not matched (unplanned)", selected: item.scheduledId == nil)]
                + options.map {
                    Candidate(
                        value: String($0.id), label: "\(Weekday($0.date).label) \($0.date): \($0.workout.name)",
                        selected: $0.id == item.scheduledId)
                }
        }
        let startFormatter = deps.instantFormatter(zone: subject.viewer.timeZoneIdentifier)
        var page = ActivityShowPage(
            title: item.scheduledName ?? "\(e.sport.label) on \(e.date)", athleteName: subject.athlete.name,
            isOwn: subject.isOwn, row: ActivityRow(item, units: units, urls: urls),
            facts: facts(e, start: e.startTime.map(startFormatter.string(from:))),
            splits: e.splits.map {
                SplitRow(
                    index: $0.index, time: TimeFormat.clock($0.seconds),
                    pace: TimeFormat.speed(
                        sport: e.sport, meters: $0.distanceMeters, seconds: $0.seconds, units: units)?.text ?? "–")
            },
            hasSplits: !e.splits.isEmpty, notesHTML: Markdown.html(e.notes), hasNotes: !e.notes.isEmpty,
            matchedName: item.scheduledName, matchedHref: item.scheduledId.map(urls.scheduled),
            matchedByCoach: item.matchedByCoach, canRematch: canRematch, candidates: candidates,
            matchAction: urls.activityOp(item.id, "match"), editHref: urls.activityOp(item.id, "edit"),
            deleteAction: urls.activityOp(item.id, "delete"),
            fileHref: item.fileId.map { _ in urls.activityOp(item.id, "file") }, fileName: item.fileName,
            backHref: subject.log.activities)
        let ftp = subject.athlete.thresholds(on: e.date).ftp
        var power = e.normalizedPower.flatMap { np in
            e.averagePower.map { PowerSummary(averagePower: $0, normalizedPower: np, seconds: e.durationSeconds ?? 0) }
        }
        if item.fileId != nil, let track = try? await Self.track(deps, context, item: item) {
            page.draw(TrackProfile(track), sport: e.sport, units: units)
            // Files uploaded before power was stored are read again.
            power = power ?? PowerSummary(track)
        }
        if let power { page.facts += Self.powerFacts(power, ftp: ftp) }
        page.facts += Self.loadFacts(e, athlete: subject.athlete)
        return page
    }

    /// The activity's own session from its stored file (a FIT file may hold several: the one that started
    /// when this activity did). Nil when there is no file or it cannot be read.
    static func track(_ deps: AppDependencies, _ context: TenantContext, item: ActivityItem) async throws -> Track? {
        let file = try await deps.database.activityFile(context.scope, activityId: item.id)
        guard let kind = ActivitySource(fileName: file.name) else { return nil }
        let tracks = try kind.tracks(file.content)
        let start = item.entry.startTime
        return tracks.first { $0.segments.first?.first?.time == start } ?? tracks.first
    }

    /// A ride with power: average and normalized power, and with the FTP valid that day the intensity
    /// factor and training stress (100 = an hour at FTP).
    static func powerFacts(_ power: PowerSummary, ftp: Double?) -> [Fact] {
        var facts = [
            Fact(
                label: "Power",
                value: String(format: "%.0f W average, %.0f W normalized", power.averagePower, power.normalizedPower))
        ]
        if let ftp, let factor = power.intensityFactor(ftp: ftp), let stress = power.trainingStress(ftp: ftp),
            power.seconds > 0
        {
            facts.append(
                Fact(
                    label: "Training stress",
                    value: String(format: "TSS %.0f, intensity factor %.2f (FTP %.0f W)", stress, factor, ftp)))
        }
        return facts
    }

    /// The session's load as the engine counts it, with what it was computed from and how far it is trusted.
    static func loadFacts(_ entry: ActivityEntry, athlete: Athlete) -> [Fact] {
        let who = Physiology(
            maxHR: athlete.maxHR.map(Double.init), restingHR: athlete.restingHR.map(Double.init), vdot: athlete.vdot,
            thresholdHistory: athlete.thresholdHistory)
        guard let load = Load.of(entry, who) else { return [] }
        return [
            Fact(
                label: "Load",
                value: String(
                    format: "%.0f from %@ (confidence %.0f %%; 100 = an hour at threshold)", load.value,
                    load.source.words, load.confidence * 100))
        ]
    }

    mutating func draw(_ profile: TrackProfile, sport: Sport, units: UnitSystem) {
        hasRoute = profile.route.count > 1
        routeMap = SVGChart(title: "Route", summary: "The route as recorded, north up; green is the start.")
            .route(profile.route)
        guard profile.distance.count > 1 else { return }
        let marks = stride(from: 0, to: profile.distance.count, by: max(1, profile.distance.count / 5)).map {
            ($0, DistanceFormat.format(meters: profile.distance[$0], units: units, decimals: 1))
        }
        let onFoot = [.run, .walk, .hike].contains(sport)
        if profile.pace.contains(where: { $0 != nil }) {
            let values = profile.pace.map { seconds in
                seconds.map { onFoot ? $0 * units.metersPerUnit / 1000 : 3600 / $0 * 1000 / units.metersPerUnit }
            }
            let title = onFoot ? "Pace along the distance" : "Speed along the distance"
            paceChart = SVGChart(
                title: title, summary: onFoot ? "Minutes per \(units.label); higher is slower." : "\(units.label)/h."
            ).lines(
                [.init(label: onFoot ? "Pace" : "Speed", cssClass: "chart-pace", values: values)], xLabels: marks,
                axis: onFoot ? { TimeFormat.clock($0) } : nil)
            hasCharts = true
        }
        if profile.heartRate.contains(where: { $0 != nil }) {
            heartChart = SVGChart(title: "Heart rate along the distance", summary: "Beats per minute.")
                .lines([.init(label: "Heart rate", cssClass: "chart-hr", values: profile.heartRate)], xLabels: marks)
            hasCharts = true
        }
    }

    static func facts(_ e: ActivityEntry, start: String?) -> [Fact] {
        var facts = [Fact(label: "Status", value: e.status.label), Fact(label: "Source", value: e.source.label)]
        if let start { facts.append(Fact(label: "Start", value: start)) }
        if let v = e.elapsedSeconds { facts.append(Fact(label: "Elapsed", value: TimeFormat.clock(v))) }
        if let v = e.movingSeconds { facts.append(Fact(label: "Moving", value: TimeFormat.clock(v))) }
        if let v = e.maxHeartRate { facts.append(Fact(label: "Max heart rate", value: String(format: "%.0f bpm", v))) }
        if let g = e.elevationGain {
            facts.append(
                Fact(
                    label: "Elevation",
                    value: String(
                        format: "+%.0f m / −%.0f "
                            + "m", g, e.elevationLoss ?? 0)))
        }
        if let rpe = e.rpe { facts.append(Fact(label: "RPE", value: "\(rpe) — \(RPEWords.words(rpe))")) }
        if let feel = e.feel { facts.append(Fact(label: "Felt", value: feel.label)) }
        if e.points > 0 {
            facts.append(Fact(label: "Points", value: "\(e.points) (\(e.droppedPoints) dropped as GPS errors)"))
        }
        if e.heartRateDropouts > 0 {
            let share = Double(e.heartRateDropouts) / Double(max(e.heartRateSamples, 1)) * 100
            let readings = String(format: "%d of %d readings (%.0f %%)", e.heartRateDropouts, e.heartRateSamples, share)
            let verdict =
                e.heartRateUnreliable
                ? " — too many: the heart rate is not used for load or "
                    + "efficiency" : ""
            facts.append(Fact(label: "Heart-rate dropouts", value: readings + verdict))
        }
        if let m = e.mechanics {
            var parts: [String] = []
            if let v = m.cadenceVariation { parts.append(String(format: "cadence varied %.1f %%", v * 100)) }
            if let v = m.asymmetry { parts.append(String(format: "balance %.1f points off even", v)) }
            if let v = m.paceVariation { parts.append(String(format: "pace varied %.1f %% minute to minute", v * 100)) }
            facts.append(Fact(label: "Stride", value: parts.joined(separator: "; ")))
        }
        return facts
    }
}
