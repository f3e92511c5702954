import Foundation
import Testing
@testable import PacelineCore

struct FITReaderTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
    static func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: fixtures.appendingPathComponent("fit/\(name)"))
    }

    /// Builds a FIT file: header, the given message bytes, CRC.
    static func fit(_ body: [UInt8]) -> Data {
        var header: [UInt8] = [12, 0x20, 0x54, 0x08]
        let size = UInt32(body.count)
        header +=
            [UInt8(size & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size >> 16 & 0xFF), UInt8(size >> 24 & 0xFF)]
            + Array(".FIT".utf8)
        let all = header + body
        let crc = FITReader.crc(all[...])
        return Data(all + [UInt8(crc & 0xFF), UInt8(crc >> 8)])
    }

    static func le32(_ v: UInt32) -> [UInt8] {
        [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)]
    }

    @Test func bigEndianRecordsAndCompressedTimestampsMatchTheSourceTrack() throws {
        let gpx = try GPXReader.read(
            try Data(contentsOf: Self.fixtures.appendingPathComponent("gpx/cerknicko-jezero.gpx")))
        let times = gpx.segments.flatMap { $0 }.compactMap(\.time)
        let tracks = try FITReader.read(try Self.fixture("compressed-timestamps.fit"))
        let samples = try #require(tracks.first).segments.flatMap { $0 }
        #expect(samples.count == 150)
        #expect(samples.map(\.time) == Array(times.prefix(150)))
        let source = gpx.segments.flatMap { $0 }.filter { $0.time != nil }
        for (ours, theirs) in zip(samples, source) {
            #expect(
                abs((ours.latitude ?? 0) - (theirs.latitude ?? 1)) < 1e-6
                    && abs((ours.longitude ?? 0) - (theirs.longitude ?? 1)) < 1e-6)
        }
        #expect(samples.allSatisfy { ($0.heartRate ?? 0) >= 130 && ($0.heartRate ?? 0) <= 160 })
    }

    @Test func developerFieldsAreSkippedAndSessionsSplitMultisport() throws {
        // local 0: record with timestamp + heart rate, and one 3-byte developer field.
        var body: [UInt8] = [0x60, 0, 0, 20, 0, 2, 253, 4, 0x86, 3, 1, 0x02, 1, 9, 3, 0]
        let t0: UInt32 = 1_000_000_000
        for i in 0..<6 { body += [0x00] + Self.le32(t0 + UInt32(i) * 10) + [UInt8(120 + i)] + [0xAA, 0xBB, 0xCC] }
        // local 1: session (timestamp, start_time, sport, total_elapsed_time).
        body += [0x41, 0, 0, 18, 0, 4, 253, 4, 0x86, 2, 4, 0x86, 5, 1, 0x00, 7, 4, 0x86]
        body += [0x01] + Self.le32(t0 + 20) + Self.le32(t0) + [1] + Self.le32(20_000)  // run
        body += [0x01] + Self.le32(t0 + 50) + Self.le32(t0 + 30) + [2] + Self.le32(20_000)  // ride
        let tracks = try FITReader.read(Self.fit(body))
        #expect(tracks.count == 2)
        #expect(tracks[0].sport == .running && tracks[1].sport == .cycling)
        #expect(tracks[0].segments[0].compactMap(\.heartRate) == [120, 121, 122])
        #expect(tracks[1].segments[0].compactMap(\.heartRate) == [123, 124, 125])
        let whole = try #require(Track.combining(tracks))
        #expect(ActivitySummary(whole).elapsedSeconds == 40)
    }

    @Test func strideBalanceAndCadenceAreReadFromRecords() throws {
        // local 0: record with timestamp, cadence, distance, stance time balance (percent × 100) and
        // left/right balance (top bit: the right side).
        func file(stance: UInt16?, leftRight: UInt8) -> Data {
            var body: [UInt8] = [0x40, 0, 0, 20, 0, 5, 253, 4, 0x86, 4, 1, 0x02, 5, 4, 0x86, 84, 2, 0x84, 30, 1, 0x02]
            let t0: UInt32 = 1_000_000_000
            for i in 0..<400 {
                let stanceBytes: [UInt8] = stance.map { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } ?? [0xFF, 0xFF]
                body += [0x00] + Self.le32(t0 + UInt32(i)) + [UInt8(84 + i % 3)] + Self.le32(UInt32(i) * 300)
                    + stanceBytes + [leftRight]
            }
            return Self.fit(body)
        }
        let withStance = try #require(try FITReader.read(file(stance: 5_230, leftRight: 0x80 | 47)).first)
        #expect(withStance.segments[0].first?.balance == 52.3, "stance time balance wins")
        let m = try #require(StrideMechanics(withStance))
        #expect(abs((m.asymmetry ?? 0) - 2.3) < 1e-9)
        #expect((m.cadenceVariation ?? 1) > 0.005 && (m.cadenceVariation ?? 1) < 0.02)
        #expect((m.paceVariation ?? 1) < 0.001, "3 m/s throughout")
        let leftRightOnly = try #require(try FITReader.read(file(stance: nil, leftRight: 0x80 | 47)).first)
        #expect(leftRightOnly.segments[0].first?.balance == 47)
        #expect(abs((StrideMechanics(leftRightOnly)?.asymmetry ?? 0) - 3) < 1e-9)
    }

    @Test func damagedFilesGetClearErrors() throws {
        let good = try Self.fixture("cerknicko-run.fit")
        var flipped = [UInt8](good)
        flipped[200] ^= 0xFF
        let cases: [(Data, String)] = [
            (Data(), "too short"), (Data("hello world, not fit".utf8), "not a FIT file"),
            (good.prefix(good.count - 100), "incomplete"),
            (Data(flipped), "checksum"), (Self.fit([0x05, 1, 2, 3]), "undefined message type"),
            (Self.fit([0x40, 0, 0, 20, 0, 9]), "runs past the end"),
        ]
        for (data, message) in cases {
            do {
                _ = try FITReader.read(data)
                Issue.record("accepted: \(message)")
            } catch {
                #expect(error.description.contains(message), "\(error.description) — expected \(message)")
            }
        }
    }

    @Test func fuzzedFilesWithValidChecksumsNeverTrap() throws {
        let good = [UInt8](try Self.fixture("compressed-timestamps.fit"))
        let body = Array(good[14..<(good.count - 2)])
        var rng = SplitMix64(seed: 2026)
        var parsed = 0
        for _ in 0..<3_000 {
            var mutated = body
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                let index = Int.random(in: 0..<mutated.count, using: &rng)
                if Bool.random(using: &rng) {
                    mutated[index] = UInt8.random(in: 0...255, using: &rng)
                } else {
                    mutated.remove(at: index)
                }
            }
            if let tracks = try? FITReader.read(Self.fit(mutated)) {
                parsed += 1
                for track in tracks { #expect(ActivitySummary(track).distanceMeters.isFinite) }
            }
        }
        #expect(parsed > 0)
    }
}
