import XCTest
final class PPacelineWebTests: XCTestCase { func testNothing() {} }
