import Foundation
import Testing
@testable import PacelineCore

/// Issue 19, item 4: normalized power, intensity factor and TSS of a ride's samples.
struct PowerSummaryTests {
    /// Normalized power written out the long way: every 30-second window summed on its own.
    static func handNormalizedPower(_ watts: [Double]) -> Double {
        var fourth: [Double] = []
        for end in 29..<watts.count {
            var sum = 0.0
            for i in (end - 29)...end { sum += watts[i] }
            fourth.append(pow(sum / 30, 4))
        }
        return pow(fourth.reduce(0, +) / Double(fourth.count), 0.25)
    }

    static func track(_ watts: [Double], every step: Double = 1, start: Double = 1_800_000_000) -> Track {
        let samples = watts.enumerated().map { i, w in
            var s = TrackSample()
            s.time = Date(timeIntervalSince1970: start + Double(i) * step)
            s.power = w
            return s
        }
        return Track(sport: .cycling, segments: [samples])
    }

    @Test func anHourAtTwoThirdsOfFTPIsTheTextbookScore() throws {
        let ride = try #require(PowerSummary(series: [Double](repeating: 200, count: 3600)))
        #expect(abs(ride.normalizedPower - 200) < 1e-9 && abs(ride.averagePower - 200) < 1e-9)
        #expect(abs((ride.intensityFactor(ftp: 250) ?? 0) - 0.8) < 1e-9)
        #expect(abs((ride.trainingStress(ftp: 250) ?? 0) - 64) < 1e-9)
        #expect(ride.trainingStress(ftp: 0) == nil && ride.trainingStress(ftp: .nan) == nil)
    }

    @Test func intervalsMatchAHandComputationWithinOnePercent() throws {
        // An hour of 5 minutes at 300 W, 5 at 150 W, with a little noise.
        var generator = SplitMix64(seed: 19)
        let watts = (0..<3600).map { i in
            (i / 300) % 2 == 0 ? 300.0 : 150.0 + Double.random(in: -20...20, using: &generator)
        }
        let ride = try #require(PowerSummary(Self.track(watts)))
        let np = Self.handNormalizedPower(watts)
        #expect(abs(ride.normalizedPower - np) / np < 0.01)
        let tss = 3600 * np * (np / 250) / (250 * 3600) * 100
        #expect(abs((ride.trainingStress(ftp: 250) ?? 0) - tss) / tss < 0.01)
        #expect(ride.normalizedPower > ride.averagePower, "variable riding costs more than its average")
    }

    /// The check: a ride's FIT file with power, read by our reader, scores the TSS a hand
    /// computation of the same samples gives (within 1 %).
    @Test func aRideFITFileWithPowerScoresTheHandComputedTSS() throws {
        // local 0: record with timestamp (253, uint32) and power (7, uint16).
        var body: [UInt8] = [0x40, 0, 0, 20, 0, 2, 253, 4, 0x86, 7, 2, 0x84]
        let t0: UInt32 = 1_000_000_000
        var watts: [Double] = []
        for i in 0..<3600 {
            let w = UInt16((i / 120) % 2 == 0 ? 280 : 160)
            watts.append(Double(w))
            body += [0x00] + FITReaderTests.le32(t0 + UInt32(i)) + [UInt8(w & 0xFF), UInt8(w >> 8)]
        }
        let track = try #require(try FITReader.read(FITReaderTests.fit(body)).first)
        let ride = try #require(PowerSummary(track))
        let np = Self.handNormalizedPower(watts)
        let tss = 3600 * np * (np / 250) / (250 * 3600) * 100
        #expect(abs((ride.trainingStress(ftp: 250) ?? 0) - tss) / tss < 0.01)
        #expect(abs(ride.averagePower - 220) < 0.5)
    }

    @Test func sparseRecordingIsFilledAndStopsCountAsZero() throws {
        // A reading every 3 seconds (smart recording): the seconds between hold the last one.
        let smart = try #require(PowerSummary(Self.track([Double](repeating: 250, count: 1200), every: 3)))
        #expect(abs(smart.normalizedPower - 250) < 0.5)
        // Ten minutes stopped in the middle: those seconds are 0 W, the average falls.
        var gapped = Self.track([Double](repeating: 250, count: 600)).segments[0]
        let later = Self.track([Double](repeating: 250, count: 600), start: 1_800_000_000 + 1200).segments[0]
        gapped += later
        let stopped = try #require(PowerSummary(Track(sport: .cycling, segments: [gapped])))
        #expect(stopped.seconds == 1800 && abs(stopped.averagePower - 250 * 1200 / 1800) < 1)
        #expect(PowerSummary(Self.track([Double](repeating: 250, count: 10))) == nil)
        #expect(PowerSummary(Self.track([.nan, .infinity, -5, 1e9])) == nil)
    }
}

