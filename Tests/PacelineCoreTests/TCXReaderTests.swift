import Foundation
import Testing
@testable import PacelineCore

struct TCXReaderTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tcx")

    @Test func lapsTotalsAndHeartRate() throws {
        let track = try TCXReader.read(try Data(contentsOf: Self.fixtures.appendingPathComponent("cerknicko-run.tcx")))
        #expect(track.sport == .running && track.segments.count == 3)
        let summary = ActivitySummary(track)
        #expect(summary.timerSeconds == 7167 && abs(summary.distanceMeters - 13_680.29) < 0.01)
        #expect(summary.maxHeartRate == 160)
        // The mean of the file's 296 <Cadence> readings (82.983…, counted independently with a regex in Python).
        let cadence = try #require(summary.averageCadence)
        #expect(abs(cadence - 82.983) < 0.01, "average cadence \(cadence)")
    }

    @Test func indoorRunWithoutPositionsUsesTheDeviceDistance() throws {
        let track = try TCXReader.read(try Data(contentsOf: Self.fixtures.appendingPathComponent("indoor.tcx")))
        #expect(track.segments.flatMap { $0 }.allSatisfy { $0.latitude == nil })
        let summary = ActivitySummary(track)
        #expect(
            abs(summary.distanceMeters - 1199.3) < 0.01 && summary.elapsedSeconds == 1995 && summary.droppedPoints == 0)
    }

    @Test func brokenTCXFilesGetClearErrors() throws {
        let good = try Data(contentsOf: Self.fixtures.appendingPathComponent("indoor.tcx"))
        for (label, data) in [
            ("gpx", Data("<gpx version=\"1.1\"></gpx>".utf8)), ("truncated", good.prefix(good.count / 2)),
            ("no points", Data("<TrainingCenterDatabase><Activities/></TrainingCenterDatabase>".utf8)),
            ("empty", Data()),
        ] {
            #expect(throws: ActivityFileError.self, "\(label)") { try TCXReader.read(data) }
        }
        // Damaged copies: each one is read or refused with a reader's error — never a trap, never
        // another kind of error — and both outcomes happen (so the loop checks something).
        var rng = SplitMix64(seed: 7)
        var read = 0, refused = 0
        for _ in 0..<500 {
            var bytes = [UInt8](good)
            for _ in 0..<Int.random(in: 1...15, using: &rng) {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            do {
                let summary = ActivitySummary(try TCXReader.read(Data(bytes)))
                #expect(summary.distanceMeters.isFinite && summary.distanceMeters >= 0)
                read += 1
            } catch is ActivityFileError {
                refused += 1
            } catch {
                Issue.record("a damaged file gave \(error), not an ActivityFileError")
            }
        }
        #expect(read > 0 && refused > 0 && read + refused == 500, "read \(read), refused \(refused)")
    }
}
