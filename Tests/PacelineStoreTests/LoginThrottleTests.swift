import Foundation
import Synchronization
import Testing
@testable import PacelineCore
@testable import PacelineStore

/// The log-in throttle: slows guessing down per account and address, never locks the owner out
/// of a device they signed in on, and cannot be raced.
struct LoginThrottleTests {
    let db: AppDatabase
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let throttle = LoginThrottle()
    static let hash = PasswordHasher(cost: 10).hash("paceline-demo")
    static let email = "coach1@alpha.test"

    init() async throws {
        db = try await AppDatabase.forTesting()
        _ = try await db.seedDemo(slug: "alpha", athletes: 2, passwordHash: Self.hash, now: now)
    }

    func attempt(
        _ email: String = Self.email, from address: String, device: String? = nil, at time: Date? = nil,
        correct: Bool
    ) async throws -> LoginOutcome {
        try await db.attemptLogin(
            email: email, address: address, deviceToken: device, throttle: throttle,
            decoyHash: Self.hash, now: time ?? now
        ) { _ in correct }
    }

    @Test func oneGuesserIsSlowedDownByDoublingWaitsNotLockedOut() async throws {
        for _ in 0..<throttle.freeFailuresPerAccountAndAddress {
            #expect(try await attempt(from: "203.0.113.5", correct: false) == .invalidCredentials)
        }
        guard case .throttled(let first) = try await attempt(from: "203.0.113.5", correct: true) else {
            Issue.record("the sixth guess from one address got through"); return
        }
        #expect(first == throttle.firstDelay)
        // After the wait one more guess is heard; failing it doubles the wait.
        let later = now.addingTimeInterval(throttle.firstDelay + 1)
        #expect(try await attempt(from: "203.0.113.5", at: later, correct: false) == .invalidCredentials)
        guard
            case .throttled(let second) = try await attempt(
                from: "203.0.113.5", at: later.addingTimeInterval(1), correct: true)
        else {
            Issue.record("no wait after the seventh failure"); return
        }
        #expect(second == 2 * throttle.firstDelay - 1)
        // The owner, at another address, is not held back by this guesser.
        guard case .success = try await attempt(from: "198.51.100.20", correct: true) else {
            Issue.record("the owner was locked out by someone else's guesses"); return
        }
    }

    @Test func manyAddressesSlowTheAccountForUnknownDevicesOnly() async throws {
        let user = try #require(try await db.user(email: Self.email))
        let device = try await db.rememberDevice(userId: user.id, presentedToken: nil, lifetime: 86_400, now: now)
        for i in 0..<throttle.freeFailuresPerAccountFromUnknownDevices {
            #expect(
                try await attempt(from: "192.0.2.\(i % 250)", at: now.addingTimeInterval(Double(i)), correct: false)
                    == .invalidCredentials)
        }
        let time = now.addingTimeInterval(Double(throttle.freeFailuresPerAccountFromUnknownDevices))
        guard case .throttled = try await attempt(from: "198.51.100.77", at: time, correct: true) else {
            Issue.record("a botnet's 50 guesses did not slow the account for unknown devices"); return
        }
        // The owner's browser, remembered at an earlier sign-in, still gets in.
        guard case .success = try await attempt(from: "198.51.100.77", device: device, at: time, correct: true) else {
            Issue.record("a known device was held back by strangers"); return
        }
        // A device cookie of another account counts for nothing here.
        let other = try #require(try await db.user(email: "coach2@alpha.test"))
        let otherDevice = try await db.rememberDevice(userId: other.id, presentedToken: nil, lifetime: 86_400, now: now)
        guard case .throttled = try await attempt(from: "198.51.100.78", device: otherDevice, at: time, correct: true)
        else {
            Issue.record("another account's device cookie passed the throttle"); return
        }
    }

    @Test func oneAddressGuessingManyAccountsIsSlowedDown() async throws {
        for i in 0..<throttle.freeFailuresPerAddress {
            #expect(try await attempt("nobody\(i)@x.test", from: "203.0.113.9", correct: false) == .invalidCredentials)
        }
        guard case .throttled = try await attempt(from: "203.0.113.9", correct: true) else {
            Issue.record("credential stuffing from one address was not slowed"); return
        }
    }

    @Test func parallelGuessesCannotRaceTheCount() async throws {
        final class Calls: Sendable { let count = Mutex(0) }
        let verified = Calls(), db = self.db, throttle = self.throttle, now = self.now
        let outcomes = try await withThrowingTaskGroup(of: LoginOutcome.self) { group in
            for _ in 0..<200 {
                group.addTask {
                    try await db.attemptLogin(
                        email: Self.email, address: "203.0.113.50", deviceToken: nil, throttle: throttle,
                        decoyHash: Self.hash, now: now
                    ) { _ in
                        verified.count.withLock { $0 += 1 }
                        try? await Task.sleep(for: .milliseconds(5))  // bcrypt takes time; others arrive meanwhile
                        return false
                    }
                }
            }
            return try await group.reduce(into: [LoginOutcome]()) { $0.append($1) }
        }
        #expect(verified.count.withLock { $0 } == throttle.freeFailuresPerAccountAndAddress)
        #expect(outcomes.filter { $0 == .invalidCredentials }.count == throttle.freeFailuresPerAccountAndAddress)
    }

    @Test func aSuccessClearsTheAccountsFailures() async throws {
        for _ in 0..<throttle.freeFailuresPerAccountAndAddress - 1 {
            _ = try await attempt(from: "203.0.113.5", correct: false)
        }
        guard case .success = try await attempt(from: "203.0.113.5", correct: true) else {
            Issue.record("no success"); return
        }
        for _ in 0..<throttle.freeFailuresPerAccountAndAddress - 1 {
            #expect(try await attempt(from: "203.0.113.5", correct: false) == .invalidCredentials)
        }
    }

    @Test func olderBcryptCostsAreUpgradedAndPaddedToTodaysTime() throws {
        let hasher = PasswordHasher(cost: 11)
        let old = PasswordHasher(cost: 10).hash("correct horse battery")
        #expect(hasher.needsRehash(old))
        #expect(!hasher.needsRehash(hasher.hash("correct horse battery")))
        #expect(PasswordHasher.cost(of: old) == 10)
        #expect(hasher.verify("correct horse battery", hash: old))
        #expect(!hasher.verify("wrong horse battery", hash: old))
    }
}
