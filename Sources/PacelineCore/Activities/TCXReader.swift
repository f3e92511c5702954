import Foundation

/// Garmin TrainingCenterDatabase v2: activities of laps of trackpoints with time, position
/// (absent indoors), altitude, cumulative distance, heart rate and cadence. Lap totals
/// (TotalTimeSeconds, DistanceMeters) are the device's own and are preferred.
public enum TCXReader {
    public static func read(_ data: Data) throws(ActivityFileError) -> Track {
        guard data.count <= ActivityLimits.maxBytes else { throw ActivityFileError("The file is larger than 25 MB.") }
        let handler = Handler()
        try XMLScanner.scan(data, handler: handler)
        if let error = handler.failure { throw error }
        guard handler.sawRoot else {
            throw ActivityFileError("This file has no <TrainingCenterDatabase> element: not a TCX file.")
        }
        let segments = handler.laps.filter { !$0.isEmpty }
        guard !segments.isEmpty else { throw ActivityFileError("The TCX file has no trackpoints.") }
        let sport = ActivitySport(fileValue: handler.sport ?? "")
        let distance = segments.flatMap { $0 }.compactMap(\.distance).max()
        let device = DeviceTotals(
            sport: sport, startTime: handler.startTime,
            timerSeconds: handler.lapSeconds.isEmpty ? nil : handler.lapSeconds.reduce(0, +),
            // TCX's distance is the last cumulative DistanceMeters value.
            distanceMeters: distance ?? (handler.lapMeters.isEmpty ? nil : handler.lapMeters.reduce(0, +)))
        return Track(sport: sport, segments: segments, device: device)
    }

    final class Handler: XMLScanner.Handler {
        var laps: [[TrackSample]] = []
        var lapSeconds: [Double] = []
        var lapMeters: [Double] = []
        var current: TrackSample?
        var text = ""
        var sport: String?
        var startTime: Date?
        var sawRoot = false
        var path: [String] = []
        var count = 0
        var failure: ActivityFileError?
        var keepGoing: Bool { failure == nil }

        func start(_ name: String, attributes: [String: String]) {
            let local = GPXReader.Handler.local(name)
            path.append(local)
            text = ""
            switch local {
            case "trainingcenterdatabase": sawRoot = true
            case "activity": if sport == nil { sport = attributes["Sport"] }
            case "lap":
                laps.append([])
                if startTime == nil { startTime = attributes["StartTime"].flatMap(ISO8601.parse) }
            case "trackpoint":
                if laps.isEmpty { laps.append([]) }
                current = TrackSample()
            default: break
            }
        }

        func text(_ string: String) {
            if text.count < 256 { text += string }
        }

        func end(_ name: String) {
            let local = GPXReader.Handler.local(name)
            let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
            let parent = path.count >= 2 ? path[path.count - 2] : ""
            defer { path.removeLast(); text = "" }
            func number() -> Double? { Double(value).flatMap { $0.isFinite ? $0 : nil } }
            if current != nil {
                switch local {
                case "time": current?.time = ISO8601.parse(value)
                case "latitudedegrees": current?.latitude = number()
                case "longitudedegrees": current?.longitude = number()
                case "altitudemeters": current?.altitude = number()
                case "distancemeters": current?.distance = number().flatMap { $0 >= 0 ? $0 : nil }
                case "value" where parent == "heartratebpm":
                    current?.heartRate = number().flatMap { $0 > 0 && $0 < 260 ? $0 : nil }
                case "cadence", "runcadence": current?.cadence = number().flatMap { $0 >= 0 && $0 < 300 ? $0 : nil }
                case "watts": current?.power = number().flatMap { $0 >= 0 && $0 < 3000 ? $0 : nil }
                case "trackpoint":
                    if let sample = current, !laps.isEmpty {
                        laps[laps.count - 1].append(sample)
                        count += 1
                        if count > ActivityLimits.maxSamples {
                            failure = ActivityFileError("The file has more than \(ActivityLimits.maxSamples) points.")
                        }
                    }
                    current = nil
                default: break
                }
                return
            }
            switch local {
            case "totaltimeseconds" where parent == "lap": if let s = number(), s >= 0 { lapSeconds.append(s) }
            case "distancemeters" where parent == "lap": if let m = number(), m >= 0 { lapMeters.append(m) }
            default: break
            }
        }
    }
}
