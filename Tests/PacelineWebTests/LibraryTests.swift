import Foundation
import Hummingbird
import PacelineCore
import PacelineStore
import Testing
@testable import PacelineWeb

struct LibraryTests {
    /// The editor form for a warm-up, 5 × (800 m z4, 2:00 jog), cool-down.
    static func form(
        name: String = "Track 5 × 800", version: String = "", extra: [(String, String)] = []
    ) -> [(String, String)] {
        [
            ("name", name), ("sport", "run"), ("subtype", "interval-run"), ("target_distance", ""),
            ("target_duration", ""),
            ("notes", "Stay *relaxed*."), ("version", version),
            ("b.0.type", "warm-up"), ("b.0.length", "duration"), ("b.0.duration", "15:00"), ("b.0.distance", ""),
            ("b.0.pace", "z1"),
            ("b.0.intensity", "pace"), ("b.0.repeat", "1"),
            ("b.1.type", "interval"), ("b.1.length", "duration"), ("b.1.pace", "z1"), ("b.1.intensity", "pace"),
            ("b.1.repeat", "5"),
            ("b.1.0.type", "run"), ("b.1.0.length", "distance"), ("b.1.0.distance", "800"), ("b.1.0.duration", ""),
            ("b.1.0.pace", "z4"),
            ("b.1.0.intensity", "pace"), ("b.1.0.repeat", "1"),
            ("b.1.1.type", "recovery-run"), ("b.1.1.length", "duration"), ("b.1.1.duration", "2:00"),
            ("b.1.1.distance", ""),
            ("b.1.1.pace", "z1"), ("b.1.1.intensity", "pace"), ("b.1.1.repeat", "1"),
            ("b.2.type", "cool-down"), ("b.2.length", "duration"), ("b.2.duration", "10:00"), ("b.2.distance", ""),
            ("b.2.pace", "z1"),
            ("b.2.intensity", "pace"), ("b.2.repeat", "1"),
        ] + extra
    }

    static func replacing(_ form: [(String, String)], _ key: String, with value: String) -> [(String, String)] {
        form.map { $0.0 == key ? ($0.0, value) : $0 }
    }

    @Test func adminCreatesReadsEditsDuplicatesAndDeletes() async throws {
        let app = try await TestApp(seed: ["alpha"])
        let alpha = try await app.scope("alpha", "admin@alpha.test")
        try await app.run { factory in
            let admin = try await factory.signedIn("admin@alpha.test")
            try await admin.get("/o/alpha/library/new")
            let created = try await admin.post("/o/alpha/library", Self.form() + [("op", "save")])
            #expect(created.status == .seeOther)
            let path = try #require(created.location)
            let show = try await admin.get(path)
            #expect(show.body.contains("5 × (800 m at I pace (z4), 2 min recovery jog)"))
            #expect(show.body.contains("<em>relaxed</em>") && show.body.contains("&quot;block_repeat&quot; : 5"))
            let preview = try await admin.get(path + "?vdot=50")
            #expect(preview.body.contains("/km") && preview.body.contains("800 m at I pace 3:"))
            #expect(try await admin.get(path + "?vdot=5").status == .unprocessableContent)

            let id = try #require(Int64(path.split(separator: "/").last ?? ""))
            let current = try await app.database.workout(alpha, id: id)
            try await admin.get(path + "/edit")
            let saved = try await admin.post(
                path,
                Self.replacing(
                    Self.form(
                        name: "Track 6 × "
                            + "800", version: "\(current.version)"), "b.1.repeat", with: "6")
            )
            #expect(saved.status == .seeOther)
            let edited = try await app.database.workout(alpha, id: id)
            #expect(
                edited.workout.name == "Track 6 × 800" && edited.workout.blocks[1].repeatCount == 6
                    && edited.version == current.version + 1)

            // A second coach's save based on the old version is refused and shows the latest version.
            let stale = try await admin.post(path, Self.form(name: "Lost update", version: "\(current.version)"))
            #expect(
                stale.status == .conflict && stale.body.contains("Someone else saved this workout")
                    && stale.body.contains("Track 6 × 800"))
            #expect(try await app.database.workout(alpha, id: id).workout.name == "Track 6 × 800")

            let copy = try await admin.post(path + "/duplicate")
            #expect(copy.status == .seeOther && copy.location?.hasSuffix("/edit") == true)
            #expect(try await app.database.workouts(alpha, filter: WorkoutFilter(text: "Copy of Track")).count == 1)
            // Deleting asks first and changes nothing until confirmed.
            let ask = try await admin.post(path + "/delete")
            #expect(ask.status == .ok && ask.body.contains("Yes, delete it") && ask.body.contains(#"value="yes""#))
            #expect(try await admin.get(path).status == .ok)
            let deleted = try await admin.post(path + "/delete", [("confirm", "yes")])
            #expect(deleted.status == .seeOther)
            #expect(try await admin.get(path).status == .notFound)
        }
    }

    @Test func editorButtonsWorkWithoutJavaScript() async throws {
        let app = try await TestApp(seed: ["alpha"])
        let before = try await app.database.contentSnapshot()
        try await app.run { factory in
            let admin = try await factory.signedIn("admin@alpha.test")
            try await admin.get("/o/alpha/library/new")
            let added = try await admin.post("/o/alpha/library", Self.form() + [("op", "add")])
            #expect(added.status == .ok && added.body.contains("Block 4"))
            let interval = try await admin.post("/o/alpha/library", Self.form() + [("op", "add-interval")])
            #expect(interval.body.contains("Step 4.2"))
            let child = try await admin.post("/o/alpha/library", Self.form() + [("op", "add-child:1")])
            #expect(child.body.contains("Step 2.3"))
            let removed = try await admin.post("/o/alpha/library", Self.form() + [("op", "remove:1.1")])
            #expect(removed.body.contains("Step 2.1") && !removed.body.contains("Step 2.2"))
            let moved = try await admin.post("/o/alpha/library", Self.form() + [("op", "down:0")])
            let firstBlock = try #require(moved.body.range(of: "name=\"b.0.type\""))
            let afterFirst = moved.body[firstBlock.upperBound...]
            #expect(afterFirst.prefix(2_000).contains("value=\"interval\" selected"))
            let outOfRange = try await admin.post("/o/alpha/library", Self.form() + [("op", "up:99")])
            #expect(outOfRange.status == .ok)
            let unknown = try await admin.post("/o/alpha/library", Self.form() + [("op", "explode:1")])
            #expect(unknown.status == .unprocessableContent)
        }
        // Editing operations never save.
        let after = try await app.database.contentSnapshot()
        #expect(after["workout"] == before["workout"])
    }

    @Test func badInputIs422WithAMessageAndSavesNothing() async throws {
        let app = try await TestApp(seed: ["alpha"])
        let before = try await app.database.contentSnapshot()
        let manyBlocks = (0..<10_000).flatMap { i in
            [("b.\(i + 3).type", "run"), ("b.\(i + 3).length", "distance"), ("b.\(i + 3).distance", "100")]
        }
        let cases: [(String, [(String, String)], String)] = [
            ("negative distance", Self.replacing(Self.form(), "b.1.0.distance", with: "-800"), "more than 0"),
            ("zero repeats", Self.replacing(Self.form(), "b.1.repeat", with: "0"), "between 1 and 100"),
            ("text repeats", Self.replacing(Self.form(), "b.1.repeat", with: "many"), "whole number"),
            ("unknown sport", Self.replacing(Self.form(), "sport", with: "teleport"), "Choose a sport"),
            ("unknown block type", Self.replacing(Self.form(), "b.0.type", with: "flying"), "Choose a block type"),
            ("unknown zone", Self.replacing(Self.form(), "b.0.pace", with: "z9"), "Choose a zone"),
            ("no name", Self.replacing(Self.form(), "name", with: ""), "needs a name"),
            ("bad duration", Self.replacing(Self.form(), "b.0.duration", with: "1:99"), "H:MM:SS"),
            ("missing governed length", Self.replacing(Self.form(), "b.1.0.distance", with: ""), "enter the distance"),
            ("10 000 blocks", Self.form() + manyBlocks, "at most 100 blocks"),
            (
                "5 MB note", Self.replacing(Self.form(), "notes", with: String(repeating: "x", count: 5_000_000)),
                "at most 20000"
            ),
        ]
        try await app.run { factory in
            let admin = try await factory.signedIn("admin@alpha.test")
            for (label, form, message) in cases {
                try await admin.get("/o/alpha/library/new")
                let page = try await admin.post("/o/alpha/library", form + [("op", "save")])
                #expect(page.status == .unprocessableContent, "\(label): \(page.status)")
                #expect(page.body.contains(message), "\(label): message “\(message)” missing")
            }
        }
        let after = try await app.database.contentSnapshot()
        #expect(after["workout"] == before["workout"])
    }

    @Test func rolesAndFilters() async throws {
        let app = try await TestApp(seed: ["alpha"])
        try await app.run { factory in
            let coach = try await factory.signedIn("coach1@alpha.test")
            let list = try await coach.get("/o/alpha/library")
            #expect(
                list.status == .ok
                    && list.body.contains(
                        "VO2max 6 × 1000 "
                            + "m")
                    && !list.body.contains("New workout"))
            let bikes = try await coach.get("/o/alpha/library?sport=bike")
            #expect(bikes.body.contains("Endurance ride 90 min") && !bikes.body.contains("VO2max 6 × 1000 m"))
            let hills = try await coach.get("/o/alpha/library?subtype=hill-repeats")
            #expect(hills.body.contains("Hill repeats 8 × 60 s") && !hills.body.contains("Tempo run 20 min"))
            let text = try await coach.get("/o/alpha/library?q=cruise")
            #expect(text.body.contains("Cruise intervals 5 × 1 km") && !text.body.contains("Easy run 40 min"))
            #expect(try await coach.get("/o/alpha/library?sport=nonsense").status == .ok)
            #expect(try await coach.get("/o/alpha/library/new").status == .forbidden)
            let attempt = try await coach.post("/o/alpha/library", Self.form() + [("op", "save")])
            #expect(attempt.status == .forbidden)
            let athlete = try await factory.signedIn("athlete1@alpha.test")
            #expect(try await athlete.get("/o/alpha/library").status == .forbidden)
            let admin = try await factory.signedIn("admin@alpha.test")
            let starter = try await admin.post("/o/alpha/library/starter")
            #expect(starter.status == .seeOther)
            let again = try await admin.get("/o/alpha/library")
            #expect(again.body.contains("already has every starter workout"))
        }
    }
}
