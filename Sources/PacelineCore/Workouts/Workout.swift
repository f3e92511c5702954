import Foundation

/// The sport of a workout.
public enum Sport: String, Sendable, CaseIterable, Codable {
    case run, bike, swim, strength, walk, hike

    public var label: String { rawValue.capitalized }
}

/// What kind of session a workout is, within its sport.
public enum WorkoutSubtype: String, Sendable, CaseIterable, Codable {
    case easyRun = "easy-run", recoveryRun = "recovery-run", longRun = "long-run", tempoRun = "tempo-run"
    case intervalRun = "interval-run", fartlek, hillRepeats = "hill-repeats", progressionRun = "progression-run"
    case strides, race
    case enduranceRide = "endurance-ride", recoveryRide = "recovery-ride", tempoRide = "tempo-ride", intervalRide =
        "interval-ride"
    case enduranceSwim = "endurance-swim", techniqueSwim = "technique-swim", intervalSwim = "interval-swim"
    case strengthTraining = "strength-training", core, mobility
    case walk, hike
    /// Event days of other sports: a cycling event (a race, a sportive) and a triathlon, whose day is
    /// written as its run leg with the swim and the ride in its notes (a day holds one workout).
    case bikeRace = "bike-race", triathlon

    public var sport: Sport {
        switch self {
        case .easyRun, .recoveryRun, .longRun, .tempoRun, .intervalRun, .fartlek, .hillRepeats, .progressionRun,
            .strides, .race, .triathlon:
            .run
        case .enduranceRide, .recoveryRide, .tempoRide, .intervalRide, .bikeRace: .bike
        case .enduranceSwim, .techniqueSwim, .intervalSwim: .swim
        case .strengthTraining, .core, .mobility: .strength
        case .walk: .walk
        case .hike: .hike
        }
    }

    public var label: String { rawValue.replacingOccurrences(of: "-", with: " ").capitalized }

    /// Quality sessions: the ones a plan counts and the adaptive engine protects.
    public var isQuality: Bool {
        [
            .tempoRun, .intervalRun, .fartlek, .hillRepeats, .progressionRun, .strides, .race, .tempoRide,
            .intervalRide, .intervalSwim, .bikeRace, .triathlon,
        ].contains(self)
    }
}

/// The kind of step a block is.
public enum BlockType: String, Sendable, CaseIterable, Codable {
    case warmUp = "warm-up", run, interval, recoveryRun = "recovery-run", coolDown = "cool-down"

    public var label: String {
        switch self {
        case .warmUp: "Warm-up"
        case .run: "Run"
        case .interval: "Interval set"
        case .recoveryRun: "Recovery"
        case .coolDown: "Cool-down"
        }
    }
}

/// Which quantity governs a block's length.
public enum LengthTarget: String, Sendable, CaseIterable, Codable {
    case distance, duration
}

/// What the athlete steers by in a block.
public enum IntensityTarget: String, Sendable, CaseIterable, Codable {
    case pace, heartrate, power
}

/// One step of a structured workout. An interval block repeats its children (run and recovery
/// blocks) `repeatCount` times; other blocks may repeat themselves too (e.g. 10 × 100 m strides).
public struct WorkoutBlock: Sendable, Hashable, Codable {
    public var type: BlockType
    public var distanceMeters: Double?
    public var durationSeconds: Double?
    public var pace: PaceZone
    public var lengthTarget: LengthTarget
    public var intensityTarget: IntensityTarget
    public var repeatCount: Int
    public var children: [WorkoutBlock]

    public init(
        _ type: BlockType, distance: Double? = nil, duration: Double? = nil, pace: PaceZone = .z1,
        length: LengthTarget? = nil, intensity: IntensityTarget = .pace, repeat repeatCount: Int = 1,
        children: [WorkoutBlock] = []
    ) {
        self.type = type
        self.distanceMeters = distance
        self.durationSeconds = duration
        self.pace = pace
        self.lengthTarget = length ?? (distance != nil ? .distance : .duration)
        self.intensityTarget = intensity
        self.repeatCount = repeatCount
        self.children = children
    }

    enum CodingKeys: String, CodingKey {
        case type
        case distanceMeters = "block_distance_in_meters"
        case durationSeconds = "block_duration_in_seconds"
        case pace = "block_pace"
        case lengthTarget = "block_length_target"
        case intensityTarget = "block_intensity_target"
        case repeatCount = "block_repeat"
        case children
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decode(BlockType.self, forKey: .type)
        distanceMeters = try c.decodeIfPresent(Double.self, forKey: .distanceMeters)
        durationSeconds = try c.decodeIfPresent(Double.self, forKey: .durationSeconds)
        pace = try c.decodeIfPresent(PaceZone.self, forKey: .pace) ?? .z1
        lengthTarget =
            try c.decodeIfPresent(LengthTarget.self, forKey: .lengthTarget)
            ?? (distanceMeters != nil ? .distance : .duration)
        intensityTarget = try c.decodeIfPresent(IntensityTarget.self, forKey: .intensityTarget) ?? .pace
        repeatCount = try c.decodeIfPresent(Int.self, forKey: .repeatCount) ?? 1
        children = try c.decodeIfPresent([WorkoutBlock].self, forKey: .children) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(type, forKey: .type)
        try c.encode(distanceMeters, forKey: .distanceMeters)
        try c.encode(durationSeconds, forKey: .durationSeconds)
        try c.encode(pace, forKey: .pace)
        try c.encode(lengthTarget, forKey: .lengthTarget)
        try c.encode(intensityTarget, forKey: .intensityTarget)
        try c.encode(repeatCount, forKey: .repeatCount)
        try c.encode(children, forKey: .children)
    }

    /// Number of blocks in this subtree (itself and all children).
    public var blockCount: Int { 1 + children.reduce(0) { $0 + $1.blockCount } }
}

/// A structured workout: the library's unit, copied into plans when placed.
public struct Workout: Sendable, Hashable, Codable {
    public var name: String
    public var sport: Sport
    public var subtype: WorkoutSubtype
    public var targetDistanceMeters: Double?
    public var targetDurationSeconds: Double?
    public var notes: String
    public var blocks: [WorkoutBlock]
    /// Only on a scheduled workout of a hot day (set by the adaptive engine's heat rule): the
    /// targets stay, and the heat-adjusted pace is shown beside each. Never in the library or a template.
    public var heat: HeatAdjustment?

    public init(
        name: String, sport: Sport, subtype: WorkoutSubtype, targetDistanceMeters: Double? = nil,
        targetDurationSeconds: Double? = nil, notes: String = "", blocks: [WorkoutBlock], heat: HeatAdjustment? = nil
    ) {
        self.name = name
        self.sport = sport
        self.subtype = subtype
        self.targetDistanceMeters = targetDistanceMeters
        self.targetDurationSeconds = targetDurationSeconds
        self.notes = notes
        self.blocks = blocks
        self.heat = heat
    }

    enum CodingKeys: String, CodingKey {
        case name, subtype, notes, blocks
        case heat = "heat_adjustment"
        case sport = "type"
        case targetDistanceMeters = "target_distance_m"
        case targetDurationSeconds = "target_duration_s"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(sport, forKey: .sport)
        try c.encode(subtype, forKey: .subtype)
        try c.encode(targetDistanceMeters, forKey: .targetDistanceMeters)
        try c.encode(targetDurationSeconds, forKey: .targetDurationSeconds)
        try c.encode(notes, forKey: .notes)
        try c.encode(blocks, forKey: .blocks)
        // Absent unless set, so every workout without it encodes exactly as before.
        try c.encodeIfPresent(heat, forKey: .heat)
    }

    public var blockCount: Int { blocks.reduce(0) { $0 + $1.blockCount } }
}

/// How blocks are stored in a row: versioned, so a later change of shape can migrate old rows.
public struct StoredBlocks: Sendable, Codable {
    public static let currentVersion = 1
    public var version: Int
    public var blocks: [WorkoutBlock]

    public init(_ blocks: [WorkoutBlock]) {
        self.version = Self.currentVersion
        self.blocks = blocks
    }

    public static func encode(_ blocks: [WorkoutBlock]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(StoredBlocks(blocks)) else { return #"{"version":1,"blocks":[]}"# }
        return String(decoding: data, as: UTF8.self)
    }

    public static func decode(_ json: String) throws -> [WorkoutBlock] {
        let stored = try JSONDecoder().decode(StoredBlocks.self, from: Data(json.utf8))
        guard stored.version <= currentVersion else { throw WorkoutDecodingError.newerVersion(stored.version) }
        return stored.blocks
    }
}

public enum WorkoutDecodingError: Error, Equatable {
    case newerVersion(Int)
}
