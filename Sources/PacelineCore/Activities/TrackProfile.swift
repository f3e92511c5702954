import Foundation

/// A track reduced for drawing: the route's positions and, along the distance, pace and heart rate
/// averaged over equal stretches. Readings that cannot be trusted (no time, no movement) leave gaps.
public struct TrackProfile: Sendable {
    /// Latitude and longitude of the route, at most `maxPoints` of them, in order.
    public var route: [(latitude: Double, longitude: Double)] = []
    /// Distance at the end of each stretch, in meters.
    public var distance: [Double] = []
    /// Seconds per kilometer over each stretch.
    public var pace: [Double?] = []
    /// Mean heart rate over each stretch.
    public var heartRate: [Double?] = []

    public static let maxPoints = 400

    public init(_ track: Track, stretches: Int = 100) {
        var positions: [(Double, Double)] = []
        var points: [(distance: Double, time: Double?, heartRate: Double?)] = []
        var total = 0.0
        var start: Date?
        for segment in track.segments {
            var previous: TrackSample?
            for sample in segment {
                if let lat = sample.latitude, let lon = sample.longitude, lat.isFinite, lon.isFinite,
                    abs(lat) <= 90, abs(lon) <= 180
                {
                    positions.append((lat, lon))
                }
                if let device = sample.distance, device.isFinite, device >= 0 {
                    total = max(total, device)
                } else if let a = previous, let la = a.latitude, let lo = a.longitude, let lb = sample.latitude,
                    let lob = sample.longitude
                {
                    let step = Geo.haversine(la, lo, lb, lob)
                    if step.isFinite, step < 1000 { total += step }
                }
                if start == nil { start = sample.time }
                let time = sample.time.flatMap { t in start.map { t.timeIntervalSince($0) } }
                let hr = sample.heartRate.flatMap { $0.isFinite && $0 > 20 && $0 < 250 ? $0 : nil }
                points.append((total, time, hr))
                previous = sample
            }
        }
        let step = max(1, positions.count / Self.maxPoints + (positions.count % Self.maxPoints == 0 ? 0 : 1))
        route = stride(from: 0, to: positions.count, by: step).map { (positions[$0].0, positions[$0].1) }
        guard total > 0, points.count > 1 else { return }
        let count = max(1, min(stretches, points.count - 1))
        let length = total / Double(count)
        var index = 0
        for k in 1...count {
            let end = length * Double(k)
            let first = points[index]
            var rates: [Double] = []
            while index < points.count - 1 && points[index].distance < end {
                index += 1
                if let hr = points[index].heartRate { rates.append(hr) }
            }
            let last = points[index]
            distance.append(end)
            let meters = last.distance - first.distance
            if let t0 = first.time, let t1 = last.time, meters > 5, t1 > t0 {
                let perKm = (t1 - t0) / meters * 1000
                pace.append(perKm.isFinite && perKm < 3600 ? perKm : nil)
            } else {
                pace.append(nil)
            }
            heartRate.append(rates.isEmpty ? nil : rates.reduce(0, +) / Double(rates.count))
        }
    }
}
