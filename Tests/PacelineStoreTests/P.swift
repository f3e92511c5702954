import XCTest
final class PPacelineStoreTests: XCTestCase { func testNothing() {} }
