import Foundation
import Testing
@testable import PacelineCore

struct GPXReaderTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/gpx")

    /// A run due north at `speed` m/s, one point a second, with Garmin heart rate and cadence.
    static func gpx(
        points: Int, speed: Double = 3, spikeAt: Int? = nil, noiseAltitude: Bool = false, segments: Int = 1
    ) -> Data {
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1"
              xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">
            <trk><type>running</type>
            """
        let metersPerDegree = Geo.earthRadius * Double.pi / 180
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let perSegment = max(points / segments, 1)
        for s in 0..<segments {
            xml += "<trkseg>"
            for j in 0..<perSegment {
                let i = s * perSegment + j
                var lat = 45 + Double(i) * speed / metersPerDegree
                if i == spikeAt { lat += 0.05 }  // ~5.5 km off for one second
                let ele = noiseAltitude ? 100 + (i % 2 == 0 ? 0.4 : -0.4) : 100 + Double(i) * 0.1
                let time = ISO8601.format(start.addingTimeInterval(Double(i)))
                xml += """
                    <trkpt lat="\(lat)" lon="14.0"><ele>\(ele)</ele><time>\(time)</time>
                    <extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>\(140 + i % 21)</gpxtpx:hr>\
                    <gpxtpx:cad>\(85 + i % 3)</gpxtpx:cad></gpxtpx:TrackPointExtension></extensions></trkpt>
                    """
            }
            xml += "</trkseg>"
        }
        return Data((xml + "</trk></gpx>").utf8)
    }

    @Test func garminExtensionHeartRateCadenceAndSport() throws {
        let track = try GPXReader.read(Self.gpx(points: 601))
        let summary = ActivitySummary(track)
        #expect(summary.sport == .running && summary.points == 601)
        #expect(abs(summary.distanceMeters - 1800) < 1)
        #expect(summary.elapsedSeconds == 600 && summary.movingSeconds == 600)
        let hrs = (0..<601).map { Double(140 + $0 % 21) }
        #expect(abs((summary.averageHeartRate ?? 0) - hrs.reduce(0, +) / 601) < 1e-9)
        #expect(summary.maxHeartRate == 160)
        #expect(summary.splits.count == 1 && abs(summary.splits[0].seconds - 1000.0 / 3) < 1e-6)
        let json =
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(ActivitySummaryJSON(summary))) as? [String: Any]
        #expect(json?["start_time"] as? String == "2027-01-15T08:00:00Z" && json?["timer_s"] is NSNull)
        let keys = Set((json ?? [:]).keys)
        #expect(
            keys.isSuperset(of: [
                "sport", "start_time", "distance_m", "elapsed_s", "timer_s", "moving_s", "avg_hr",
                "max_hr", "elevation_gain_m", "elevation_loss_m", "points", "dropped_points", "splits", "sessions",
            ]))
    }

    @Test func timestamps() {
        #expect(ISO8601.parse("2027-01-15T08:00:00Z") == Date(timeIntervalSince1970: 1_800_000_000))
        #expect(ISO8601.parse("2027-01-15T09:00:00+01:00") == Date(timeIntervalSince1970: 1_800_000_000))
        #expect(ISO8601.parse("2027-01-15T08:00:00.250Z") == Date(timeIntervalSince1970: 1_800_000_000.25))
        #expect(ISO8601.parse("2027-01-15T08:00:00") == Date(timeIntervalSince1970: 1_800_000_000))
        for bad in [
            "", "garbage", "2027-13-15T08:00:00Z", "2027-01-15T25:00:00Z", "2027-01-15T08:00:00Q",
            "2027-01-15T08:00:00+1:00",
        ] {
            #expect(ISO8601.parse(bad) == nil, "\(bad)")
        }
        #expect(ISO8601.format(Date(timeIntervalSince1970: 1_800_000_000.9)) == "2027-01-15T08:00:00Z")
    }

    @Test func impossibleStepsAreDroppedAndCounted() throws {
        let summary = ActivitySummary(try GPXReader.read(Self.gpx(points: 301, spikeAt: 150)))
        #expect(summary.droppedPoints == 1)
        #expect(abs(summary.distanceMeters - 900) < 5)  // the spike adds nothing
    }

    @Test func gapsBetweenSegmentsAreNotDistance() throws {
        let one = ActivitySummary(try GPXReader.read(Self.gpx(points: 400, segments: 1)))
        let two = ActivitySummary(try GPXReader.read(Self.gpx(points: 400, segments: 2)))
        #expect(abs(one.distanceMeters - two.distanceMeters - 3) < 0.01)  // one step fewer
    }

    @Test func elevationNoiseDoesNotInflateGain() throws {
        let flat = ActivitySummary(try GPXReader.read(Self.gpx(points: 500, noiseAltitude: true)))
        #expect((flat.elevationGain ?? 99) < 1 && (flat.elevationLoss ?? 99) < 1)
        let climb = ActivitySummary(try GPXReader.read(Self.gpx(points: 501)))
        #expect(abs((climb.elevationGain ?? 0) - 50) < 2 && (climb.elevationLoss ?? 99) < 0.01)
    }

    @Test func brokenFilesGetClearErrors() {
        // Each damage gets the words that say what is wrong with it.
        let cases: [(String, Data, String)] = [
            ("empty", Data(), "not a GPX file"),
            ("binary", Data((0..<2048).map { UInt8(truncatingIfNeeded: $0 &* 7919) }), "well-formed"),
            ("not gpx", Data("<html><body>hi</body></html>".utf8), "no <gpx> element"),
            ("truncated", Self.gpx(points: 50).prefix(1500), "a start tag is not closed"),
            (
                "cut between tags",
                Data(
                    String(decoding: Self.gpx(points: 50), as: UTF8.self).components(separatedBy: "</trkpt>").prefix(3)
                        .joined(separator: "</trkpt>").utf8) + Data("</trkpt>".utf8), "incomplete"
            ),
            ("no points", Data("<gpx version=\"1.1\"><trk><trkseg></trkseg></trk></gpx>".utf8), "no track points"),
        ]
        for (label, data, words) in cases {
            do {
                _ = try GPXReader.read(data)
                Issue.record("\(label) was accepted")
            } catch {
                #expect(error.description.contains(words), "\(label): \(error.description)")
            }
        }
    }

    @Test func hugeCoordinatesAndManyPointsDoNotTrap() throws {
        let weird = Data(
            """
            <gpx version="1.1"><trk><trkseg><trkpt lat="1e308" lon="-1e308"><time>2027-01-15T08:00:00Z</time></trkpt>
            <trkpt lat="nan" lon="inf"><ele>1e400</ele><time>2027-01-15T08:00:01Z</time></trkpt>
            <trkpt lat="45" lon="14"><time>garbage</time></trkpt></trkseg></trk></gpx>
            """.utf8)
        let summary = ActivitySummary(try GPXReader.read(weird))
        #expect(summary.points == 3 && summary.distanceMeters == 0)
        // 500 000 full samples are over the 25 MB limit: a clear error, not a trap.
        #expect(throws: ActivityFileError("The file is larger than 25 MB.")) {
            try GPXReader.read(Self.gpx(points: 500_000))
        }
        // 500 000 bare points fit: a summary.
        var compact = "<gpx version=\"1.1\"><trk><trkseg>"
        compact.reserveCapacity(20_000_000)
        for i in 0..<500_000 { compact += "<trkpt lat=\"\(45 + Double(i) * 1e-5)\" lon=\"14\"/>" }
        let big = ActivitySummary(try GPXReader.read(Data((compact + "</trkseg></trk></gpx>").utf8)))
        #expect(big.points == 500_000 && abs(big.distanceMeters - 555_974) < 100)
    }

    @Test func fuzzedFilesNeverTrap() throws {
        let seeds = try FileManager.default.contentsOfDirectory(atPath: Self.fixtures.path).filter {
            $0.hasSuffix(".gpx")
        }
        .map { try Data(contentsOf: Self.fixtures.appendingPathComponent($0)) }
        var rng = SplitMix64(seed: 99)
        var accepted = 0
        for round in 0..<1_500 {
            var bytes = [UInt8](seeds[round % seeds.count].prefix(8_000))
            for _ in 0..<Int.random(in: 1...20, using: &rng) {
                let index = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes[index] = UInt8.random(in: 0...255, using: &rng)
                case 1: bytes.remove(at: index)
                default: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: index)
                }
            }
            if let track = try? GPXReader.read(Data(bytes)) {
                let summary = ActivitySummary(track)
                #expect(summary.distanceMeters.isFinite && summary.distanceMeters >= 0)
                accepted += 1
            }
        }
        #expect(accepted > 0)  // some mutations stay readable, and none trapped
    }
}
