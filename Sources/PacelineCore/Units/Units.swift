import Foundation

/// How a person wants distances and paces shown. Storage is always SI (meters, seconds).
public enum UnitSystem: String, Sendable, CaseIterable, Codable {
    case km
    case mi

    /// Meters in one display unit of distance.
    public var metersPerUnit: Double {
        switch self {
        case .km: 1000
        case .mi: Self.metersPerMile
        }
    }

    public static let metersPerMile = 1609.344

    public var label: String { rawValue }
}

/// Formatting and parsing of times and paces, the way runners write them.
public enum TimeFormat {
    /// "H:MM:SS" when an hour or more, "M:SS" otherwise; rounded to the nearest second.
    public static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "–" }
        let total = Int(saturating: seconds)
        let h = total / 3600, m = (total % 3600) / 60, s = total % 60
        if h > 0 {
            return "\(h):" + pad2(m) + ":" + pad2(s)
        }
        return "\(m):" + pad2(s)
    }

    /// A clock time with tenths, for race predictions where a second matters ("41:21.3").
    public static func clockTenths(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "–" }
        let tenths = Int(saturating: seconds * 10)
        return clock(Double(tenths / 10)) + ".\(tenths % 10)"
    }

    /// A pace "4:05/km" from seconds per kilometer, in the given units.
    public static func pace(secondsPerKm: Double, units: UnitSystem) -> String {
        let perUnit = secondsPerKm * units.metersPerUnit / 1000
        return clock(perUnit) + "/" + units.label
    }

    /// How fast, as each sport reads it: pace per km/mi on foot, per 100 m in the water, speed on a bike
    /// ("28.4 km/h"). Nil without both a distance and a time.
    public static func speed(
        sport: Sport, meters: Double?, seconds: Double?, units: UnitSystem
    ) -> (label: String, text: String)? {
        guard let meters, let seconds, meters.isFinite, seconds.isFinite, meters > 0, seconds > 0 else { return nil }
        switch sport {
        case .run, .walk, .hike:
            return ("Pace", pace(secondsPerKm: seconds / meters * 1000, units: units))
        case .swim:
            return ("Pace", clock(seconds / meters * 100) + "/100 m")
        case .bike:
            let perHour = meters / units.metersPerUnit / seconds * 3600
            return ("Speed", String(format: "%.1f %@/h", perHour, units.label))
        case .strength:
            return nil
        }
    }

    /// Parses "H:MM:SS", "M:SS" or plain seconds into seconds. Nil for anything else,
    /// including negative parts, minutes or seconds of 60 or more after the first field.
    public static func parseClock(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 16 else { return nil }
        let parts = trimmed.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count) else { return nil }
        var total = 0.0
        for (index, part) in parts.enumerated() {
            let isLast = index == parts.count - 1
            guard let value = isLast ? Double(part) : Double(Int(part) ?? -1),
                value.isFinite, value >= 0, !part.isEmpty,
                part.allSatisfy({ $0.isNumber || (isLast && $0 == ".") })
            else { return nil }
            if index > 0 && value >= 60 { return nil }
            total = total * 60 + value
        }
        return total
    }

    private static func pad2(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}

/// Distances as people write them: "10000", "10 km", "10k", "5mi", "marathon".
public enum DistanceFormat {
    public static func format(meters: Double, units: UnitSystem, decimals: Int = 2) -> String {
        let value = meters / units.metersPerUnit
        return String(format: "%.\(decimals)f %@", value, units.label)
    }
}
