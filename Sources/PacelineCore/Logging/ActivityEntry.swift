import Foundation

/// Whether a session was done as planned.
public enum ActivityStatus: String, Sendable, CaseIterable, Codable {
    case done, partial, skipped

    public var label: String {
        switch self {
        case .done: "Done"
        case .partial: "Partly done"
        case .skipped: "Skipped"
        }
    }
}

/// How a session felt, in the athlete's words.
public enum ActivityFeel: String, Sendable, CaseIterable, Codable {
    case strong, good, ok, tired, awful

    public var label: String {
        switch self {
        case .strong: "Strong"
        case .good: "Good"
        case .ok: "OK"
        case .tired: "Tired"
        case .awful: "Awful"
        }
    }
}

/// Where an activity's numbers came from.
public enum ActivitySource: String, Sendable, CaseIterable, Codable {
    case gpx, tcx, fit, manual, csv

    public var label: String {
        switch self {
        case .gpx, .tcx, .fit: rawValue.uppercased() + " file"
        case .manual: "Logged by hand"
        case .csv: "CSV import"
        }
    }

    /// Numbers measured by a device and read from its file.
    public var isFile: Bool { self == .gpx || self == .tcx || self == .fit }

    /// File kind from a file name's extension, nil for anything else.
    public init?(fileName: String) {
        let lower = fileName.lowercased()
        if lower.hasSuffix(".gpx") {
            self = .gpx
        } else if lower.hasSuffix(".tcx") {
            self = .tcx
        } else if lower.hasSuffix(".fit") {
            self = .fit
        } else {
            return nil
        }
    }
}

extension Sport {
    /// The sport of an activity file; nil when the file does not say.
    public init?(_ activity: ActivitySport) {
        switch activity {
        case .running: self = .run
        case .cycling: self = .bike
        case .swimming: self = .swim
        case .walking: self = .walk
        case .hiking: self = .hike
        case .other: return nil
        }
    }

    /// Names a watch export or a person might write.
    public init?(loose text: String) {
        let value = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let exact = Sport(rawValue: value) { self = exact; return }
        let sport = ActivitySport(fileValue: value)
        if let mapped = Sport(sport) { self = mapped; return }
        if value.contains("strength") || value.contains("gym") { self = .strength; return }
        return nil
    }

    /// The fastest speed (m/s) believable for a whole session of this sport, for input checks.
    public var maxSessionSpeed: Double {
        switch self {
        case .run: 7  // a 2:00 marathon is 5.9 m/s
        case .walk, .hike: 3.5
        case .bike: 25
        case .swim: 2.5
        case .strength: 50  // distance is not meaningful; do not refuse it
        }
    }
}

/// What was actually done: from a file, a CSV row or the athlete's own log. Validated here, once,
/// for every source.
public struct ActivityEntry: Sendable, Hashable {
    public var sport: Sport
    /// The start instant when known (files, CSV with a time); manual logs may only know the day.
    public var startTime: Date?
    /// The day in the athlete's time zone; what matching and compliance use.
    public var date: CalendarDate
    public var status: ActivityStatus
    public var distanceMeters: Double?
    /// Time spent: the device's timer time, else moving time, else elapsed; or what the athlete wrote.
    public var durationSeconds: Double?
    public var elapsedSeconds: Double?
    public var movingSeconds: Double?
    public var averageHeartRate: Double?
    public var maxHeartRate: Double?
    public var elevationGain: Double?
    public var elevationLoss: Double?
    public var rpe: Int?
    public var feel: ActivityFeel?
    public var notes: String
    public var source: ActivitySource
    public var points: Int
    public var droppedPoints: Int
    /// Heart-rate samples in the file and how many dropped out (see `ActivitySummary`).
    public var heartRateSamples: Int
    public var heartRateDropouts: Int
    public var splits: [ActivitySummary.Split]
    /// Cadence, balance and pace steadiness, from a file's samples (nil for a hand log).
    public var mechanics: StrideMechanics?
    /// Power from a file's samples (nil without a power meter): average, normalized and the best 20
    /// minutes (see `PowerSummary`).
    public var averagePower: Double?
    public var normalizedPower: Double?
    public var bestPower20Minutes: Double?
    /// The best 20-minute heart rate of an activity of 25–75 minutes (see `EffortHeartRate`).
    public var effortHeartRate: Double?

    /// What a file's samples tell beyond its totals: stride mechanics, power, the effort's heart rate.
    public mutating func readSamples(_ track: Track) {
        mechanics = StrideMechanics(track)
        let power = PowerSummary(track)
        averagePower = power?.averagePower
        normalizedPower = power?.normalizedPower
        bestPower20Minutes = power?.best20Minutes
        effortHeartRate = EffortHeartRate.best20Minutes(track)
    }

    /// More than 10 % of the heart-rate samples dropped out: the average is not trusted for load
    /// or efficiency (pace or RPE stand in). Set aside, never deleted.
    public var heartRateUnreliable: Bool {
        heartRateSamples > 0 && Double(heartRateDropouts) > Double(heartRateSamples) * Self.heartRateDropoutLimit
    }
    public static let heartRateDropoutLimit = 0.1

    public init(
        sport: Sport, startTime: Date? = nil, date: CalendarDate, status: ActivityStatus = .done,
        distanceMeters: Double? = nil,
        durationSeconds: Double? = nil, elapsedSeconds: Double? = nil, movingSeconds: Double? = nil,
        averageHeartRate: Double? = nil, maxHeartRate: Double? = nil, elevationGain: Double? = nil,
        elevationLoss: Double? = nil,
        rpe: Int? = nil, feel: ActivityFeel? = nil, notes: String = "", source: ActivitySource,
        points: Int = 0, droppedPoints: Int = 0, heartRateSamples: Int = 0, heartRateDropouts: Int = 0,
        splits: [ActivitySummary.Split] = [], mechanics: StrideMechanics? = nil
    ) {
        self.mechanics = mechanics
        self.sport = sport
        self.startTime = startTime
        self.date = date
        self.status = status
        self.distanceMeters = distanceMeters
        self.durationSeconds = durationSeconds
        self.elapsedSeconds = elapsedSeconds
        self.movingSeconds = movingSeconds
        self.averageHeartRate = averageHeartRate
        self.maxHeartRate = maxHeartRate
        self.elevationGain = elevationGain
        self.elevationLoss = elevationLoss
        self.rpe = rpe
        self.feel = feel
        self.notes = notes
        self.source = source
        self.points = points
        self.droppedPoints = droppedPoints
        self.heartRateSamples = heartRateSamples
        self.heartRateDropouts = heartRateDropouts
        self.splits = splits
    }

    /// An activity from a file's summary. `fallbackSport` is used when the file names none.
    public init?(summary: ActivitySummary, source: ActivitySource, fallbackSport: Sport, timeZone: TimeZone) {
        guard let start = summary.startTime else { return nil }
        self.init(
            sport: Sport(summary.sport) ?? fallbackSport, startTime: start,
            date: CalendarDate(start, timeZone: timeZone),
            distanceMeters: summary.distanceMeters > 0 ? summary.distanceMeters : nil,
            durationSeconds: summary.timerSeconds ?? summary.movingSeconds ?? summary.elapsedSeconds,
            elapsedSeconds: summary.elapsedSeconds, movingSeconds: summary.movingSeconds,
            averageHeartRate: summary.averageHeartRate, maxHeartRate: summary.maxHeartRate,
            // A broken altimeter's climb is dropped, not a reason to refuse the whole run.
            elevationGain: summary.elevationGain.flatMap { Self.plausibleElevation.contains($0) ? $0 : nil },
            elevationLoss: summary.elevationLoss.flatMap { Self.plausibleElevation.contains($0) ? $0 : nil },
            source: source,
            points: summary.points, droppedPoints: summary.droppedPoints,
            heartRateSamples: summary.heartRateSamples, heartRateDropouts: summary.heartRateDropouts,
            splits: summary.splits)
    }

    public static let maxNotesLength = 20_000

    /// Every problem with the entry, in words; empty when it can be saved.
    /// Metres climbed (or descended) in one session: the longest mountain ultras climb about 15 000 m in a day.
    public static let plausibleElevation = 0.0...20_000.0

    /// Whether the numbers came from a device file. A file's own numbers (when, what sport, how far,
    /// how long, the heart rate) are what the watch measured and are not edited by hand; the
    /// athlete's status, effort, feel and notes are.
    public var isFromFile: Bool { source.isFile }

    /// This entry after a hand edit: everything from `edit` for a manual entry; for a file's
    /// entry only the athlete's own fields (status, RPE, feel, notes).
    public func applyingHandEdit(_ edit: ActivityEntry) -> ActivityEntry {
        guard isFromFile else {
            var out = edit
            out.source = source
            return out
        }
        var out = self
        out.status = edit.status
        out.rpe = edit.rpe
        out.feel = edit.feel
        out.notes = edit.notes
        return out
    }

    /// A performance marker for the individual model: a run done in full over at least 3 km and
    /// 10 minutes that was a planned race (`wasRace`) or felt hard (RPE 8 or more), as a VDOT.
    public func performanceMarker(wasRace: Bool) -> Double? {
        guard sport == .run, status == .done, let d = distanceMeters, let t = durationSeconds,
            d >= Self.markerMinimumMeters, t >= Self.markerMinimumSeconds,
            wasRace || (rpe ?? 0) >= Self.markerMinimumRPE,
            let result = try? RaceResult(meters: d, seconds: t)
        else { return nil }
        return result.vdot.value
    }

    public static let markerMinimumMeters = 3000.0
    public static let markerMinimumSeconds = 600.0
    public static let markerMinimumRPE = 8

    public func problems() -> [FieldProblem] {
        var out: [FieldProblem] = []
        if let d = distanceMeters, !(d.isFinite && d >= 0 && d <= 1_000_000) {
            out.append(.init(field: "distance", message: "Distance must be between 0 and 1000 km."))
        }
        if let t = durationSeconds, !(t.isFinite && t > 0 && t <= 48 * 3600) {
            out.append(.init(field: "duration", message: "Duration must be more than zero and at most 48 hours."))
        }
        if let d = distanceMeters, let t = durationSeconds, d.isFinite, t.isFinite, t > 0, d / t > sport.maxSessionSpeed
        {
            out.append(
                .init(
                    field: "distance",
                    message:
                        "\(DistanceFormat.format(meters: d, units: .km)) in \(TimeFormat.clock(t)) is faster than "
                        + "anyone can \(sport.rawValue); check the distance and the time."
                ))
        }
        for (name, value) in [("avg_hr", averageHeartRate), ("max_hr", maxHeartRate)] {
            if let hr = value, !(hr.isFinite && hr >= 25 && hr <= 250) {
                out.append(.init(field: name, message: "Heart rate must be between 25 and 250 bpm."))
            }
        }
        if let gain = elevationGain, !Self.plausibleElevation.contains(gain) {
            out.append(.init(field: "elevation_gain_m", message: "Elevation gain must be between 0 and 20 000 m."))
        }
        if let avg = averageHeartRate, let max = maxHeartRate, avg > max + 0.5 {
            out.append(.init(field: "avg_hr", message: "Average heart rate cannot be above the maximum."))
        }
        if let rpe, !(1...10).contains(rpe) {
            out.append(.init(field: "rpe", message: "RPE is from 1 (very easy) to 10 (maximal)."))
        }
        if notes.count > Self.maxNotesLength {
            out.append(.init(field: "notes", message: "Notes can be at most 20 000 characters."))
        }
        if status != .skipped && distanceMeters == nil && durationSeconds == nil {
            out.append(
                .init(
                    field: "duration",
                    message: "Give the distance, the duration or both — or mark the session "
                        + "skipped."
                ))
        }
        return out
    }
}

/// One problem with one input field.
public struct FieldProblem: Sendable, Hashable, CustomStringConvertible {
    public let field: String
    public let message: String
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
    public var description: String { message }
}
