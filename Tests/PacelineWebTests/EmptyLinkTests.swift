import Foundation
import Testing
@testable import PacelineStore
@testable import PacelineWeb

/// swift-mustache treats "" as true, so `{{#href}}<a href="{{href}}">` renders a link to the page
/// itself when a view model leaves the field empty. Every page an athlete, a coach and an admin
/// can reach by links is read here; none may hold an empty link or form target.
struct EmptyLinkTests {
    @Test func noPageRendersAnEmptyLink() async throws {
        let app = try await TestApp()
        try await app.run { factory in
            for email in ["athlete1@alpha.test", "athlete2@alpha.test", "coach1@alpha.test", "admin@alpha.test"] {
                let browser = try await factory.signedIn(email)
                var queue = ["/o/alpha", "/o/alpha/calendar", "/account"]
                var seen = Set(queue)
                var visited = 0
                while !queue.isEmpty && visited < 150 {
                    let path = queue.removeFirst()
                    let page = try await browser.get(path)
                    visited += 1
                    guard page.status == .ok else { continue }
                    for empty in ["href=\"\"", "action=\"\"", "src=\"\""] {
                        #expect(!page.body.contains(empty), "\(email) \(path) renders \(empty)")
                    }
                    for link in RouteFuzzTests.links(in: page.body)
                    where link.hasPrefix("/o/alpha") && !seen.contains(link) {
                        seen.insert(link)
                        queue.append(link)
                    }
                }
                #expect(visited > 10, "\(email) reached only \(visited) pages")
            }
        }
    }
}
