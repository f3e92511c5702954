import Foundation

/// GPX 1.1 (and 1.0) tracks: segments of points with elevation and time, and Garmin's
/// TrackPointExtension heart rate and cadence. Streaming (SAX), so memory follows the samples,
/// not the document.
public enum GPXReader {
    public static func read(_ data: Data) throws(ActivityFileError) -> Track {
        guard data.count <= ActivityLimits.maxBytes else { throw ActivityFileError("The file is larger than 25 MB.") }
        let handler = Handler()
        try XMLScanner.scan(data, handler: handler)
        if let error = handler.failure { throw error }
        guard handler.sawGPX else { throw ActivityFileError("This file has no <gpx> element: not a GPX file.") }
        let segments = handler.segments.filter { !$0.isEmpty }
        guard !segments.isEmpty else { throw ActivityFileError("The GPX file has no track points.") }
        return Track(sport: ActivitySport(fileValue: handler.type ?? ""), segments: segments)
    }

    final class Handler: XMLScanner.Handler {
        var segments: [[TrackSample]] = []
        var current: TrackSample?
        var text = ""
        var type: String?
        var sawGPX = false
        var inTrack = false
        var count = 0
        var failure: ActivityFileError?
        var keepGoing: Bool { failure == nil }

        static func local(_ name: String) -> String {
            name.split(separator: ":").last.map { $0.lowercased() } ?? name.lowercased()
        }

        func start(_ name: String, attributes: [String: String]) {
            text = ""
            switch Self.local(name) {
            case "gpx": sawGPX = true
            case "trk":
                inTrack = true
                segments.append([])  // a new track never continues the last one
            case "trkseg": segments.append([])
            case "trkpt":
                if segments.isEmpty { segments.append([]) }
                current = TrackSample(
                    latitude: attributes["lat"].flatMap(Double.init), longitude: attributes["lon"].flatMap(Double.init))
            default: break
            }
        }

        func text(_ string: String) {
            if text.count < 256 { text += string }
        }

        func end(_ name: String) {
            let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
            switch Self.local(name) {
            case "trk": inTrack = false
            case "type" where inTrack && current == nil: type = value
            case "ele": current?.altitude = Double(value).flatMap { $0.isFinite ? $0 : nil }
            case "time": if current != nil { current?.time = ISO8601.parse(value) }
            case "hr", "heartrate": current?.heartRate = Double(value).flatMap { $0 > 0 && $0 < 260 ? $0 : nil }
            case "cad", "cadence": current?.cadence = Double(value).flatMap { $0 >= 0 && $0 < 300 ? $0 : nil }
            case "power": current?.power = Double(value).flatMap { $0 >= 0 && $0 < 3000 ? $0 : nil }
            case "trkpt":
                if let sample = current, !segments.isEmpty {
                    segments[segments.count - 1].append(sample)
                    count += 1
                    if count > ActivityLimits.maxSamples {
                        failure = ActivityFileError("The file has more than \(ActivityLimits.maxSamples) points.")
                    }
                }
                current = nil
            default: break
            }
            text = ""
        }
    }
}

/// ISO 8601 timestamps as activity files write them: `YYYY-MM-DDTHH:MM:SS`, optional fraction,
/// then `Z`, `±HH:MM` or nothing (read as UTC). Hand-written: Foundation's formatters are slow to
/// make and, on Linux, not safe to share between threads (ICU traps).
public enum ISO8601 {
    public static func parse(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count >= 19, b.count <= 40 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                guard b[i] >= 48, b[i] <= 57 else { return nil }
                value = value * 10 + Int(b[i] - 48)
            }
            return value
        }
        guard b[4] == 45, b[7] == 45, b[10] == 84 || b[10] == 32, b[13] == 58, b[16] == 58,
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            hour < 24, minute < 60, second <= 60,
            let date = CalendarDate(year: year, month: month, day: day)
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < b.count, b[index] == 46 {
            index += 1
            var scale = 0.1
            while index < b.count, b[index] >= 48, b[index] <= 57 {
                fraction += Double(b[index] - 48) * scale
                scale /= 10
                index += 1
            }
        }
        var offset = 0
        if index < b.count {
            switch b[index] {
            case 90 where index == b.count - 1: break  // Z
            case 43, 45:  // +HH:MM / -HH:MM
                guard b.count - index == 6, b[index + 3] == 58, let h = number(index + 1..<index + 3),
                    let m = number(index + 4..<index + 6), h < 24, m < 60
                else { return nil }
                offset = (h * 3600 + m * 60) * (b[index] == 43 ? 1 : -1)
            default: return nil
            }
        }
        let seconds =
            Double(date.dayNumber) * 86_400 + Double(hour * 3600 + minute * 60 + second) + fraction - Double(offset)
        return Date(timeIntervalSince1970: seconds)
    }

    public static func format(_ date: Date) -> String {
        let total = date.timeIntervalSince1970.rounded(.down)
        let day = CalendarDate(dayNumber: Int(saturating: total / 86_400, rounding: .down))
        let rest = Int(saturating: total - Double(day.dayNumber) * 86_400)
        return day.description + String(format: "T%02d:%02d:%02dZ", rest / 3600, rest % 3600 / 60, rest % 60)
    }
}
