import Foundation
import Testing
@testable import PacelineCore

struct TCXReaderTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/tcx")

    @Test func lapsTotalsAndHeartRate() throws {
        let track = try TCXReader.read(try Data(contentsOf: Self.fixtures.appendingPathComponent("cerknicko-run.tcx")))
        #expect(track.sport == .running && track.segments.count == 3)
        let summary = ActivitySummary(track)
        #expect(summary.timerSeconds == 7167 && abs(summary.distanceMeters - 13_680.29) < 0.01)
        #expect(summary.maxHeartRate == 160 && summary.averageCadence != nil)
    }

    @Test func indoorRunWithoutPositionsUsesTheDeviceDistance() throws {
        let track = try TCXReader.read(try Data(contentsOf: Self.fixtures.appendingPathComponent("indoor.tcx")))
        #expect(track.segments.flatMap { $0 }.allSatisfy { $0.latitude == nil })
        let summary = ActivitySummary(track)
        #expect(abs(summary.distanceMeters - 1199.3) < 0.01 && summary.elapsedSeconds == 1995 && summary.droppedPoints == 0)
    }

    @Test func brokenTCXFilesGetClearErrors() throws {
        let good = try Data(contentsOf: Self.fixtures.appendingPathComponent("indoor.tcx"))
        for (label, data) in [("gpx", Data("<gpx version=\"1.1\"></gpx>".utf8)), ("truncated", good.prefix(good.count / 2)),
                              ("no points", Data("<TrainingCenterDatabase><Activities/></TrainingCenterDatabase>".utf8)), ("empty", Data())] {
            #expect(throws: ActivityFileError.self, "\(label)") { try TCXReader.read(data) }
        }
        var rng = VDOTPropertyTests.SplitMix(state: 7)
        for _ in 0..<500 {
            var bytes = [UInt8](good.prefix(6_000))
            for _ in 0..<Int.random(in: 1...15, using: &rng) { bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
            if let track = try? TCXReader.read(Data(bytes)) { #expect(ActivitySummary(track).distanceMeters.isFinite) }
        }
    }
}
