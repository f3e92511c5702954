import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// Values (rendered pages, API documents) that cannot change between two requests, kept in memory.
///
/// A value is keyed by what it is made of: the organization and its data version (raised by
/// database trigger on every change to one of its rows, and read with the tenant on every request,
/// so every server sees a write at once — nothing here needs to be told), the quarter-hour (the
/// athlete's "today" and "3 days ago" change only on a quarter-hour boundary, in every time zone),
/// what was asked (the page's address, query included) and who asks (the member, their role, the
/// CSRF token the page's forms carry, the chrome's counts and names). A change of any of those is
/// another key, so a cached value is never stale — only unused, and dropped first in first out,
/// within a size budget. When an organization's version moves on, its older values go at once.
final class VersionedCache<Value: Sendable>: Sendable {
    struct Key: Hashable, Sendable {
        let orgId: Int64
        let version: Int64
        let quarterHour: Int64
        let address: String
        let viewer: String
    }

    private struct Store {
        var values: [Key: (value: Value, cost: Int)] = [:]
        var order: [Key] = []
        var head = 0
        var cost = 0
        var latest: [Int64: Int64] = [:]
        var keysByOrg: [Int64: [Key]] = [:]
        var hits = 0
        var misses = 0
        /// Keys being made now, with the requests waiting for them.
        var making: [Key: [CheckedContinuation<Value?, Never>]] = [:]
    }

    private let store = Mutex(Store())
    let maxCost: Int
    let maxEntries: Int

    init(maxCost: Int, maxEntries: Int) {
        self.maxCost = maxCost
        self.maxEntries = maxEntries
    }

    static func quarterHour(_ now: Date) -> Int64 {
        let seconds = now.timeIntervalSince1970 / 900
        return seconds.isFinite && abs(seconds) < 1e15 ? Int64(seconds.rounded(.down)) : 0
    }

    /// The value of `key`: from memory, or made once — requests for a key being made wait for it
    /// (a board of 1000 athletes is not computed 32 times at once after a change). If the making
    /// fails, each waiting request makes its own (and meets its own error).
    private enum Step {
        case hit(Value)
        case lead
        case follow
    }

    func value(_ key: Key, cost: (Value) -> Int, make: () async throws -> Value) async throws -> Value {
        let step: Step = store.withLock { store in
            if let found = store.values[key] {
                store.hits += 1
                return .hit(found.value)
            }
            if store.making[key] != nil { return .follow }
            store.making[key] = []
            store.misses += 1
            return .lead
        }
        switch step {
        case .hit(let value):
            return value
        case .follow:
            let made = await withCheckedContinuation { (waiting: CheckedContinuation<Value?, Never>) in
                let stored: Value?? = store.withLock { store in
                    guard store.making[key] != nil else { return .some(store.values[key]?.value) }
                    store.making[key, default: []].append(waiting)
                    return .none
                }
                // Made (or failed) between the look and the wait: nothing will resume this one.
                if case .some(let value) = stored { waiting.resume(returning: value) }
            }
            if let made { return made }
            return try await make()
        case .lead:
            do {
                let value = try await make()
                insert(value, cost: cost(value), for: key)
                finish(key, with: value)
                return value
            } catch {
                finish(key, with: nil)
                throw error
            }
        }
    }

    private func finish(_ key: Key, with value: Value?) {
        let waiting = store.withLock { $0.making.removeValue(forKey: key) ?? [] }
        for continuation in waiting { continuation.resume(returning: value) }
    }

    func value(_ key: Key) -> Value? {
        store.withLock { store in
            guard let found = store.values[key] else {
                store.misses += 1
                return nil
            }
            store.hits += 1
            return found.value
        }
    }

    func insert(_ value: Value, cost: Int, for key: Key) {
        guard cost <= maxCost / 4 else { return }
        store.withLock { store in
            let latest = store.latest[key.orgId] ?? Int64.min
            // A value made from an older version than one already seen is not kept.
            guard key.version >= latest else { return }
            if key.version > latest {
                store.latest[key.orgId] = key.version
                for old in store.keysByOrg[key.orgId] ?? [] {
                    if let gone = store.values.removeValue(forKey: old) { store.cost -= gone.cost }
                }
                store.keysByOrg[key.orgId] = []
            }
            if let replaced = store.values.updateValue((value, cost), forKey: key) {
                store.cost -= replaced.cost
            } else {
                store.order.append(key)
                store.keysByOrg[key.orgId, default: []].append(key)
            }
            store.cost += cost
            while store.cost > maxCost || store.values.count > maxEntries, store.head < store.order.count {
                let oldest = store.order[store.head]
                store.head += 1
                if let gone = store.values.removeValue(forKey: oldest) { store.cost -= gone.cost }
            }
            // The queue of keys keeps those already dropped until it is compacted.
            if store.head > 1024, store.head * 2 > store.order.count {
                store.order = store.order[store.head...].filter { store.values[$0] != nil }
                store.head = 0
                for org in Array(store.keysByOrg.keys) {
                    store.keysByOrg[org]?.removeAll { store.values[$0] == nil }
                    if store.keysByOrg[org]?.isEmpty == true { store.keysByOrg[org] = nil }
                }
            }
        }
    }

    /// Entries, their total cost, hits and misses since start (the metrics and tests read them).
    var statistics: (entries: Int, cost: Int, hits: Int, misses: Int) {
        store.withLock { ($0.values.count, $0.cost, $0.hits, $0.misses) }
    }
}

/// A rendered page with the place of the request id (the layout's footer shows it) left open, so one
/// rendering serves every request with its own id.
struct CachedPage: Sendable {
    static let requestIdMarker = "\u{1}request-id\u{1}"
    let before: String
    let after: String?

    init(html: String) {
        if let range = html.range(of: Self.requestIdMarker) {
            before = String(html[..<range.lowerBound])
            after = String(html[range.upperBound...])
        } else {
            before = html
            after = nil
        }
    }

    func html(requestId: String) -> String {
        after.map { before + requestId + $0 } ?? before
    }

    var cost: Int { before.utf8.count + (after?.utf8.count ?? 0) + 128 }
}

/// The application's caches, sized from the configuration (nil: turned off).
struct Caches: Sendable {
    let pages: VersionedCache<CachedPage>?
    /// The API's schedules, as sent (a watch or a calendar app asks again and again).
    let api: VersionedCache<CachedAnswer>?

    init(megabytes: Int) {
        pages = megabytes > 0 ? VersionedCache(maxCost: megabytes * 1_048_576, maxEntries: 20_000) : nil
        api = megabytes > 0 ? VersionedCache(maxCost: megabytes * 1_048_576 / 4, maxEntries: 20_000) : nil
    }
}

/// An API answer as sent: status, content type and the body's bytes.
struct CachedAnswer: Sendable {
    let contentType: String
    let body: ByteBuffer

    var cost: Int { body.readableBytes + 128 }

    /// The whole body of a response (a generated operation's JSON), kept to be sent again.
    static func collect(_ response: Response) async throws -> (CachedAnswer, Response) {
        final class Sink: @unchecked Sendable { var buffer = ByteBuffer() }
        struct Writer: ResponseBodyWriter {
            let sink: Sink
            mutating func write(_ buffer: ByteBuffer) async throws { sink.buffer.writeImmutableBuffer(buffer) }
            consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
        }
        let sink = Sink()
        var response = response
        try await response.body.write(Writer(sink: sink))
        let answer = CachedAnswer(contentType: response.headers[.contentType] ?? "application/json", body: sink.buffer)
        response.body = .init(byteBuffer: sink.buffer)
        return (answer, response)
    }

    var response: Response {
        Response(status: .ok, headers: [.contentType: contentType], body: .init(byteBuffer: body))
    }
}
