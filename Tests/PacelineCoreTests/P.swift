import XCTest
final class PPacelineCoreTests: XCTestCase { func testNothing() {} }
