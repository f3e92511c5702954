import Foundation
import Synchronization

/// Time zones by identifier, made once: `TimeZone(identifier:)` reads the zone database.
public enum TimeZones {
    private static let cache = Mutex<[String: TimeZone]>([:])

    /// The zone, or UTC for an unknown identifier.
    public static func zone(_ identifier: String) -> TimeZone {
        if let zone = cache.withLock({ $0[identifier] }) { return zone }
        let zone = TimeZone(identifier: identifier) ?? .gmt
        cache.withLock { if $0.count < 1_000 { $0[identifier] = zone } }
        return zone
    }
}
