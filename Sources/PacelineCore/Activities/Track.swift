import Foundation

/// The sport of a recorded activity, as far as the file says.
public enum ActivitySport: String, Sendable, Codable {
    case running, cycling, swimming, walking, hiking, other

    /// Above this speed (m/s) a point-to-point step is a GPS error for the sport, not movement.
    public var maxPlausibleSpeed: Double {
        switch self {
        case .running: 12  // faster than any sprinter
        case .walking, .hiking: 5
        case .cycling: 35
        case .swimming: 4
        case .other: 50  // generous when the sport is unknown
        }
    }

    public init(fileValue: String) {
        let value = fileValue.lowercased()
        if value.contains("run") {
            self = .running
        } else if value.contains("bik") || value.contains("cycl") || value.contains("ride") {
            self = .cycling
        } else if value.contains("swim") {
            self = .swimming
        } else if value.contains("walk") {
            self = .walking
        } else if value.contains("hik") {
            self = .hiking
        } else {
            self = .other
        }
    }
}

/// One recorded sample. Any field may be missing (indoor runs have no position).
public struct TrackSample: Sendable, Hashable {
    public var time: Date?
    public var latitude: Double?
    public var longitude: Double?
    public var altitude: Double?
    /// The device's cumulative distance (TCX, FIT), when recorded.
    public var distance: Double?
    public var heartRate: Double?
    public var cadence: Double?
    public var power: Double?
    /// One side's share in percent (FIT `stance_time_balance`, else `left_right_balance`): 50 is even.
    public var balance: Double?

    public init(
        time: Date? = nil, latitude: Double? = nil, longitude: Double? = nil, altitude: Double? = nil,
        distance: Double? = nil,
        heartRate: Double? = nil, cadence: Double? = nil, power: Double? = nil, balance: Double? = nil
    ) {
        self.balance = balance
        self.time = time
        self.latitude = latitude
        self.longitude = longitude
        self.altitude = altitude
        self.distance = distance
        self.heartRate = heartRate
        self.cadence = cadence
        self.power = power
    }

    var hasPosition: Bool {
        guard let latitude, let longitude else { return false }
        return (-90...90).contains(latitude) && (-180...180).contains(longitude)
    }
}

/// Totals the device itself recorded (FIT session, TCX laps); preferred over sums of the track.
public struct DeviceTotals: Sendable, Hashable {
    public var sport: ActivitySport?
    public var startTime: Date?
    public var elapsedSeconds: Double?
    public var timerSeconds: Double?
    public var distanceMeters: Double?
    public var averageHeartRate: Double?
    public var maxHeartRate: Double?

    public init(
        sport: ActivitySport? = nil, startTime: Date? = nil, elapsedSeconds: Double? = nil, timerSeconds: Double? = nil,
        distanceMeters: Double? = nil, averageHeartRate: Double? = nil, maxHeartRate: Double? = nil
    ) {
        self.sport = sport
        self.startTime = startTime
        self.elapsedSeconds = elapsedSeconds
        self.timerSeconds = timerSeconds
        self.distanceMeters = distanceMeters
        self.averageHeartRate = averageHeartRate
        self.maxHeartRate = maxHeartRate
    }
}

/// What a reader produces: samples in segments (a gap between segments is not movement) and,
/// where the file has them, the device's totals.
public struct Track: Sendable, Hashable {
    public var sport: ActivitySport
    public var segments: [[TrackSample]]
    public var device: DeviceTotals?

    public init(sport: ActivitySport, segments: [[TrackSample]], device: DeviceTotals? = nil) {
        self.sport = sport
        self.segments = segments
        self.device = device
    }

    public var sampleCount: Int { segments.reduce(0) { $0 + $1.count } }
}

/// Why a file could not be read, in words for the person uploading it.
public struct ActivityFileError: Error, Equatable, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Limits that keep a hostile or broken file from exhausting the server.
public enum ActivityLimits {
    public static let maxBytes = 25 * 1024 * 1024
    public static let maxSamples = 2_000_000
}

extension Track {
    /// A multisport file as one activity: all samples, device totals added up.
    public static func combining(_ tracks: [Track]) -> Track? {
        guard let first = tracks.first else { return nil }
        guard tracks.count > 1 else { return first }
        func sum(_ key: KeyPath<DeviceTotals, Double?>) -> Double? {
            let values = tracks.compactMap { $0.device?[keyPath: key] }
            return values.count == tracks.count ? values.reduce(0, +) : nil
        }
        let device = DeviceTotals(
            sport: .other, startTime: first.device?.startTime, elapsedSeconds: sum(\.elapsedSeconds),
            timerSeconds: sum(\.timerSeconds), distanceMeters: sum(\.distanceMeters),
            maxHeartRate: tracks.compactMap { $0.device?.maxHeartRate }.max())
        return Track(sport: .other, segments: tracks.flatMap(\.segments), device: device)
    }
}
